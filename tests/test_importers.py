"""Reading conversations from files: our JSON, plain-text calls, WebVTT, and bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.importers import TranscriptImportError, load_conversation
from simulator.store import dumps
from simulator.transcript import Snapshot, Transcript, Turn
from tests.support.conversations import CURIOUS, transcript, write_transcript
from tests.support.sample import sample_persona


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def turns_of(t: Transcript) -> list[tuple[str, str]]:
    return [(turn.speaker, turn.text) for turn in t.turns]


def reason(path: Path, rep: str | None = None) -> str:
    with pytest.raises(TranscriptImportError) as caught:
        load_conversation(path, rep)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    return caught.value.reason


# --- transcript JSON ------------------------------------------------------------------------


def test_transcript_json_keeps_persona_snapshot_and_engine_states(tmp_path: Path) -> None:
    saved = transcript(CURIOUS, persona=sample_persona())
    saved.turns[2].state = Snapshot(trust=0.35, levels={"cash": "hint"})
    path = write(tmp_path, "session.json", dumps(saved))
    loaded = load_conversation(path, None)
    assert loaded.persona == sample_persona()
    assert turns_of(loaded) == CURIOUS
    assert loaded.turns[2].state is not None and loaded.turns[2].state.levels["cash"] == "hint"
    assert loaded.rep is None


def test_transcript_json_with_a_rep_name_keeps_it(tmp_path: Path) -> None:
    path = write_transcript(tmp_path / "named.json", rep="Sam Patel")
    assert load_conversation(path, None).rep == "Sam Patel"


def test_invalid_json_says_where(tmp_path: Path) -> None:
    path = write(tmp_path, "broken.json", '{"format": "deeper-transcript",\n  "turns": [}\n')
    assert reason(path).startswith("invalid JSON: ") and "line 2" in reason(path)


def test_json_that_is_not_ours_is_an_unknown_format(tmp_path: Path) -> None:
    assert reason(write(tmp_path, "other.json", '{"messages": []}')).startswith("unknown format")
    assert reason(write(tmp_path, "list.json", "[1, 2]")).startswith("unknown format")


def test_transcript_json_with_a_bad_field_names_it(tmp_path: Path) -> None:
    bad = (
        '{"format": "deeper-transcript", "version": 1, "id": "x",'
        ' "turns": [{"speaker": "bot", "text": "hi"}]}'
    )
    message = reason(write(tmp_path, "bad.json", bad))
    assert message.startswith("invalid transcript: turns.0.speaker")


def test_transcript_with_only_customer_turns_has_no_rep_turns(tmp_path: Path) -> None:
    path = write_transcript(tmp_path / "quiet.json", [("customer", "Hello?")])
    assert reason(path).startswith("no rep turns")


# --- plain text -----------------------------------------------------------------------------


def test_rep_and_customer_lines(tmp_path: Path) -> None:
    path = write(tmp_path, "roles.txt", "Rep: What's on your plate?\nCustomer: Month end.\n")
    loaded = load_conversation(path, None)
    assert turns_of(loaded) == [("rep", "What's on your plate?"), ("customer", "Month end.")]
    assert loaded.rep is None and loaded.id == "roles"


CALL = """\
Call with Northwind Haulage, 3 May
Participants: Sam Patel, Dana Reyes

[00:00:01] Sam Patel: Thanks for making the time, Dana.
[00:00:04] Dana Reyes: Sure. I have fifteen minutes.
What's this about?

Sam Patel [00:00:09]: What's on your plate this quarter?
Dana Reyes (00:00:15): Honestly, month end is always a scramble.
Note: we close in five days.
00:00:30 Sam Patel: Why does that matter so much to you?
00:00:34 - Dana Reyes: We nearly breached a covenant last year.
"""


def test_named_speakers_with_timestamps_and_multi_line_turns(tmp_path: Path) -> None:
    loaded = load_conversation(write(tmp_path, "call.txt", CALL), "sam patel")
    assert loaded.rep == "Sam Patel"
    assert turns_of(loaded) == [
        ("rep", "Thanks for making the time, Dana."),
        ("customer", "Sure. I have fifteen minutes. What's this about?"),
        ("rep", "What's on your plate this quarter?"),
        ("customer", "Honestly, month end is always a scramble. Note: we close in five days."),
        ("rep", "Why does that matter so much to you?"),
        ("customer", "We nearly breached a covenant last year."),
    ]


def test_every_speaker_but_the_rep_is_the_customer(tmp_path: Path) -> None:
    text = "Sam: What matters to you both?\nDana: Cash.\nLee: And the team.\nSam: Why the team?\n"
    loaded = load_conversation(write(tmp_path, "three.txt", text), "Sam")
    assert turns_of(loaded) == [
        ("rep", "What matters to you both?"),
        ("customer", "Cash. And the team."),
        ("rep", "Why the team?"),
    ]


def test_name_and_time_on_a_line_of_their_own(tmp_path: Path) -> None:
    text = (
        "Sam Patel  0:01\nWhat's on your plate?\n\n"
        "Dana Reyes  0:04\nMonth end.\nAlways month end.\n\n"
        "Sam Patel  0:09\nWhy does it matter?\n"
    )
    loaded = load_conversation(write(tmp_path, "otter.txt", text), "Sam Patel")
    assert turns_of(loaded) == [
        ("rep", "What's on your plate?"),
        ("customer", "Month end. Always month end."),
        ("rep", "Why does it matter?"),
    ]


def test_rep_that_matches_no_speaker_lists_the_speakers(tmp_path: Path) -> None:
    path = write(tmp_path, "call.txt", CALL)
    assert reason(path, "Bob") == (
        "no rep turns: no speaker is named 'Bob'; speakers: Sam Patel, Dana Reyes"
    )


def test_named_call_without_rep_asks_for_it(tmp_path: Path) -> None:
    message = reason(write(tmp_path, "call.txt", CALL))
    assert "--rep NAME" in message and "Sam Patel, Dana Reyes" in message


def test_prose_without_speakers_is_an_unknown_format(tmp_path: Path) -> None:
    path = write(tmp_path, "notes.txt", "Some notes about the call.\nNothing else.\n")
    assert reason(path).startswith("unknown format")


# --- WebVTT ---------------------------------------------------------------------------------

VTT = """\
WEBVTT

NOTE from a meeting recorder

1
00:00:01.000 --> 00:00:03.000
<v Sam Patel>What's taking up

2
00:00:03.000 --> 00:00:04.000
<v Sam Patel>most of your time?

3
00:00:04.500 --> 00:00:07.000
<v.loud Dana Reyes>Month end &amp; the <i>audit</i>.</v>

4
00:00:07.000 --> 00:00:09.000
Sam Patel: Why the audit?

5
00:00:09.000 --> 00:00:11.000
Dana Reyes: Last year they found

6
00:00:11.000 --> 00:00:12.000
a weakness in controls.
"""


def test_webvtt_voices_prefixes_and_merged_cues(tmp_path: Path) -> None:
    loaded = load_conversation(write(tmp_path, "call.vtt", VTT), "Sam Patel")
    assert loaded.rep == "Sam Patel"
    assert turns_of(loaded) == [
        ("rep", "What's taking up most of your time?"),
        ("customer", "Month end & the audit."),
        ("rep", "Why the audit?"),
        ("customer", "Last year they found a weakness in controls."),
    ]


def test_webvtt_cue_with_two_voices(tmp_path: Path) -> None:
    text = "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Sam>Why?</v> <v Dana>Because.</v>\n"
    loaded = load_conversation(write(tmp_path, "two.vtt", text), "Sam")
    assert turns_of(loaded) == [("rep", "Why?"), ("customer", "Because.")]


def test_webvtt_is_recognised_by_its_header_whatever_the_name(tmp_path: Path) -> None:
    loaded = load_conversation(write(tmp_path, "captions.txt", VTT), "Sam Patel")
    assert len(loaded.turns) == 4


def test_broken_webvtt(tmp_path: Path) -> None:
    assert reason(write(tmp_path, "bad.vtt", "Not captions at all\n")).startswith(
        "not valid WebVTT"
    )
    assert reason(write(tmp_path, "nocues.vtt", "WEBVTT\n\n")).startswith("no turns")


# --- files that are not conversations -------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("empty.json", b"", "empty file"),
        ("blank.txt", b"  \n\n", "empty file"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary file, not a transcript"),
        ("latin1.txt", "Rep: Qu'est-ce qui compte?\nCustomer: Le café\n".encode("latin-1"), None),
    ],
)
def test_unreadable_files(tmp_path: Path, name: str, content: bytes, expected: str | None) -> None:
    message = reason(write(tmp_path, name, content))
    if expected is None:
        assert message == "not UTF-8 text (byte 0xe9 on line 2); save it as UTF-8"
    else:
        assert message == expected


def test_missing_file(tmp_path: Path) -> None:
    assert reason(tmp_path / "gone.json") == "file not found"


def test_utf16_text_from_windows_tools_is_read(tmp_path: Path) -> None:
    path = write(tmp_path, "win.txt", "Rep: Why?\r\nCustomer: Cash.\r\n".encode("utf-16"))
    assert turns_of(load_conversation(path, None)) == [("rep", "Why?"), ("customer", "Cash.")]


def test_turn_text_is_kept_whole(tmp_path: Path) -> None:
    saved = Transcript(id="x", turns=[Turn(speaker="rep", text="Why?\n\nTell me more.")])
    saved.turns.append(Turn(speaker="customer", text="Because."))
    loaded = load_conversation(write(tmp_path, "x.json", dumps(saved)), None)
    assert loaded.turns[0].text == "Why?\n\nTell me more."
