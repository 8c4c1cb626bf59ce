"""WebVTT captions from meeting tools, read with webvtt-py.

The speaker is a voice tag (`<v Maria Okafor>…`) or a `Name:` prefix in the cue text; a
cue with neither continues the previous speaker. Consecutive cues of one speaker are one
turn, since tools cut a long answer into many short cues.
"""

from __future__ import annotations

import html
import re

import webvtt
from webvtt.errors import MalformedCaptionError, MalformedFileError

from simulator.importers.errors import TranscriptImportError
from simulator.importers.plain_text import Line, classify, from_lines
from simulator.importers.speakers import to_transcript
from simulator.transcript import Transcript

# `<v Name>` or `<v.class Name>`; one cue may hold several voices.
VOICE = re.compile(r"<v(?:\.[^\s>]*)?[ \t]+([^>]+)>")
TAG = re.compile(r"<[^>]*>")


def _plain(raw: str) -> str:
    return html.unescape(" ".join(TAG.sub("", raw).split()))


def cue_lines(raw: str) -> list[Line]:
    voices = list(VOICE.finditer(raw))
    if not voices:
        line = classify(_plain(raw))
        return [line] if line is not None else []
    lines: list[Line] = []
    lead = _plain(raw[: voices[0].start()])
    if lead:
        lines.append(Line(lead))
    ends = [voice.start() for voice in voices[1:]] + [len(raw)]
    for voice, end in zip(voices, ends, strict=True):
        # A voice tag says plainly who speaks: as trusted as a timestamped label.
        lines.append(Line(_plain(raw[voice.end() : end]), voice[1].strip(), stamped=True))
    return lines


def parse(text: str, rep: str | None, transcript_id: str) -> Transcript:
    try:
        captions = webvtt.from_string(text)
    except (MalformedFileError, MalformedCaptionError) as exc:
        raise TranscriptImportError(f"not valid WebVTT: {exc}") from None
    lines = [line for caption in captions.captions for line in cue_lines(caption.raw_text)]
    if not any(line.text for line in lines):
        raise TranscriptImportError("no turns: the WebVTT file has no cues with text")
    found = from_lines(lines, rep)
    if not found:
        raise TranscriptImportError(
            "no speakers: cues need a voice tag (<v Name>) or a 'Name:' prefix"
        )
    return to_transcript(found, rep, transcript_id)
