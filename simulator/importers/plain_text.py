"""Plain-text calls: `Name: text` lines, as meeting tools and note takers write them.

A turn starts at a speaker line and runs on over the following lines until the next one.
Timestamps may stand before or after the name (`[00:01:02] Maria: …`, `Maria (01:02): …`),
and some tools put the name and time on a line of their own with the words below it
(`Maria Okafor  0:05`). Blank lines and anything before the first speaker are skipped.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from simulator.importers.errors import TranscriptImportError
from simulator.importers.speakers import ROLES, Utterance, key, to_transcript
from simulator.transcript import Transcript

_TIME = r"(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?"
_STAMP = rf"(?:\[{_TIME}\]|\({_TIME}\)|{_TIME})"
# Up to four words, starting with a letter: "Maria", "Dr. Jane Okafor", "Speaker 2".
_NAME = r"[^\W\d_][\w.'’&-]*(?:[ \t]+[\w.'’&()-]+){0,3}"
_SEP = r"\s*(?:[-–—|]\s*)?"

SPOKEN = re.compile(
    rf"^(?:(?P<before>{_STAMP}){_SEP})?(?P<name>{_NAME})\s*(?P<after>{_STAMP})?\s*:(?:\s+(?P<text>.*))?$"
)
HEADER = re.compile(
    rf"^(?:(?P<name>{_NAME})\s+(?P<after>{_STAMP})|(?P<before>{_STAMP}){_SEP}(?P<name2>{_NAME}))$"
)
STAMPED_TEXT = re.compile(rf"^{_STAMP}{_SEP}(?P<text>.*)$")


@dataclass(frozen=True)
class Line:
    text: str
    # Set when the line may start a turn: who speaks, and whether a timestamp backs it.
    name: str | None = None
    stamped: bool = False


def classify(raw: str) -> Line | None:
    line = raw.strip()
    if not line:
        return None
    spoken = SPOKEN.match(line)
    if spoken:
        stamped = bool(spoken["before"] or spoken["after"])
        return Line(spoken["text"] or "", spoken["name"], stamped)
    header = HEADER.match(line)
    if header:
        return Line("", header["name"] or header["name2"])
    stamped_text = STAMPED_TEXT.match(line)
    return Line(stamped_text["text"] if stamped_text else line)


def speaker_keys(lines: list[Line], rep: str | None) -> set[str]:
    """Which labels are speakers rather than the start of an ordinary line ("Note: …").

    A label is trusted when it is used twice, carries a timestamp, or names the rep or a
    role; when that leaves fewer than two speakers, every label counts.
    """
    counts = Counter(key(line.name) for line in lines if line.name)
    trusted = {name for name, count in counts.items() if count >= 2 or name in ROLES}
    trusted |= {key(line.name) for line in lines if line.name and line.stamped}
    if rep is not None:
        trusted |= {key(rep)} & counts.keys()
    return trusted if len(trusted) >= 2 else set(counts)


def utterances(text: str, rep: str | None) -> list[Utterance]:
    return from_lines([line for line in map(classify, text.splitlines()) if line is not None], rep)


def from_lines(lines: list[Line], rep: str | None) -> list[Utterance]:
    speakers = speaker_keys(lines, rep)
    found: list[Utterance] = []
    for line, raw in _with_raw(lines):
        if line.name and key(line.name) in speakers:
            found.append(Utterance(line.name, line.text))
        elif found:
            found[-1].text = f"{found[-1].text} {raw}".strip()
    return found


def _with_raw(lines: list[Line]) -> list[tuple[Line, str]]:
    """Each line with the words it holds when it turns out not to start a turn."""
    pairs: list[tuple[Line, str]] = []
    for line in lines:
        if line.name is None:
            pairs.append((line, line.text))
        else:
            label = f"{line.name}: {line.text}" if line.text else line.name
            pairs.append((line, label))
    return pairs


def parse(text: str, rep: str | None, transcript_id: str) -> Transcript:
    found = utterances(text, rep)
    if not found:
        raise TranscriptImportError(
            "unknown format: no 'Name: text' speaker lines; expected transcript JSON, "
            "plain text with speaker lines, or WebVTT"
        )
    return to_transcript(found, rep, transcript_id)
