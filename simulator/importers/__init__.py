"""Conversations from files: our transcript JSON, plain-text calls and WebVTT captions.

`load_conversation` reads any of them into a Transcript, or raises TranscriptImportError
whose message is one line, `path: reason`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from simulator.importers import plain_text, transcript_json, vtt
from simulator.importers.errors import TranscriptImportError
from simulator.transcript import Transcript

__all__ = ["SUFFIXES", "TranscriptImportError", "conversation_files", "load_conversation"]

# What a folder is searched for; a file named on the command line is read whatever its name.
SUFFIXES = (".json", ".txt", ".vtt")
# Hours of talk fit in a few megabytes; anything far larger is not a transcript.
MAX_BYTES = 50_000_000
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def conversation_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Files as given; folders become every transcript file inside them, recursively, sorted."""
    for path in paths:
        if path.is_dir():
            yield from sorted(
                found
                for found in path.rglob("*")
                if found.suffix.lower() in SUFFIXES and found.is_file()
            )
        else:
            yield path


def load_conversation(path: Path, rep: str | None = None) -> Transcript:
    """The conversation in `path`; `rep` names the rep's speaker in calls that name people."""
    try:
        return parse_text(read_text(path), path, rep)
    except TranscriptImportError as exc:
        raise exc.at(path) from None


def parse_text(text: str, path: Path, rep: str | None) -> Transcript:
    suffix = path.suffix.lower()
    head = text.lstrip()[:8]
    if head.startswith("WEBVTT") or suffix == ".vtt":
        transcript = vtt.parse(text, rep, path.stem)
    elif suffix == ".json" or head.startswith("{"):
        transcript = transcript_json.parse(text)
    else:
        transcript = plain_text.parse(text, rep, path.stem)
    if not any(turn.speaker == "rep" for turn in transcript.turns):
        raise TranscriptImportError("no rep turns: only the customer speaks")
    return transcript


def read_text(path: Path) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise TranscriptImportError(f"file too large for a transcript ({size:,} bytes)")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise TranscriptImportError("file not found") from None
    except IsADirectoryError:
        raise TranscriptImportError("is a folder, not a transcript file") from None
    except PermissionError:
        raise TranscriptImportError("permission denied") from None
    except OSError as exc:
        raise TranscriptImportError(f"cannot read file: {exc.strerror or exc}") from None
    except ValueError:  # a NUL byte in the path itself
        raise TranscriptImportError("not a valid file name") from None
    if raw[:2] in _UTF16_BOMS:
        # Some Windows tools save text as UTF-16; its BOM says so plainly.
        try:
            return _non_empty(raw.decode("utf-16"))
        except UnicodeDecodeError:
            raise TranscriptImportError("not valid UTF-16 text") from None
    if b"\0" in raw:
        raise TranscriptImportError("binary file, not a transcript")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise TranscriptImportError(
            f"not UTF-8 text (byte 0x{raw[exc.start]:02x} on line {line}); save it as UTF-8"
        ) from None
    return _non_empty(text)


def _non_empty(text: str) -> str:
    if not text.strip():
        raise TranscriptImportError("empty file")
    return text
