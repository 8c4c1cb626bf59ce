"""Hostile input, fuzzed: every loader and command ends in a valid result or our own
one-line error naming the file, never a traceback."""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.cli import main
from simulator.history import load_history
from simulator.importers import TranscriptImportError, load_conversation
from simulator.persona_files import read_persona_file
from simulator.store import load
from simulator.transcript import Transcript
from tests.support.mutations import (
    conversation_files,
    hostile_text,
    json_data,
    persona_files,
    transcript_json_texts,
)

FUZZ = settings(
    max_examples=150,
    deadline=None,
    database=None,
    # In CI every run tries the same examples: a red build is never a roll of the dice.
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
CLI_FUZZ = settings(FUZZ, max_examples=80)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def one_line(text: str) -> bool:
    return bool(text.strip()) and "\n" not in text and "Traceback" not in text


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    assert code in (0, 1, 2)
    assert "Traceback" not in captured.err
    return code, captured.out, captured.err


# The loaders.


@FUZZ
@given(content=persona_files())
def test_persona_loader_gives_a_persona_or_problems(workdir: Path, content: bytes) -> None:
    path = workdir / "persona.yaml"
    path.write_bytes(content)
    result = read_persona_file(path)
    if result.persona is None:
        assert result.problems
        assert all(one_line(str(problem)) for problem in result.problems)
        assert all(str(problem).startswith(f"{path}:") for problem in result.problems)
    else:
        assert result.problems == []


@FUZZ
@given(file=conversation_files(), rep=st.none() | st.sampled_from(["Sam Patel", "مريم", "x"]))
def test_conversation_loader_gives_a_transcript_or_one_line(
    workdir: Path, file: tuple[str, bytes], rep: str | None
) -> None:
    suffix, content = file
    path = workdir / f"call{suffix}"
    path.write_bytes(content)
    try:
        transcript = load_conversation(path, rep)
    except TranscriptImportError as exc:
        assert one_line(str(exc)) and str(exc).startswith(f"{path}: ")
        return
    assert any(turn.speaker == "rep" for turn in transcript.turns)
    # What was read can be written and read back unchanged.
    again = Transcript.model_validate_json(transcript.model_dump_json())
    assert again == transcript


@FUZZ
@given(texts=st.lists(transcript_json_texts() | json_data.map(json.dumps), max_size=4))
def test_history_lists_what_it_can_and_names_the_rest(workdir: Path, texts: list[str]) -> None:
    folder = workdir / "sessions"
    folder.mkdir(exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    for index, text in enumerate(texts):
        (folder / f"{index}.json").write_text(text, encoding="utf-8")
    history = load_history(folder)
    assert len(history.sessions) + len(history.problems) == len(texts)
    assert all(one_line(problem) for problem in history.problems)


# The commands, in this process.


@CLI_FUZZ
@given(content=persona_files())
def test_personas_check_and_show(
    workdir: Path, capsys: pytest.CaptureFixture[str], content: bytes
) -> None:
    path = workdir / "someone.yaml"
    path.write_bytes(content)
    code, out, err = cli(capsys, "personas", "check", str(path))
    assert all(line.startswith(f"{path}:") for line in out.splitlines())
    assert err.startswith("1 persona file(s) checked")
    code, out, err = cli(capsys, "personas", "show", str(path))
    if code != 0:
        assert out == "" and err and all(line.startswith(f"{path}:") for line in err.splitlines())


@CLI_FUZZ
@given(file=conversation_files(), form=st.sampled_from(["table", "json", "jsonl", "csv"]))
def test_evaluate_reports_or_skips_each_file(
    workdir: Path, capsys: pytest.CaptureFixture[str], file: tuple[str, bytes], form: str
) -> None:
    suffix, content = file
    path = workdir / f"input{suffix}"
    path.write_bytes(content)
    code, out, err = cli(capsys, "evaluate", str(path), "--format", form)
    if code == 0:
        assert out and err == ""
    else:
        problem, summary = err.splitlines()
        assert one_line(problem) and problem.startswith(f"{path}: ")
        assert summary == "0 evaluated, 1 skipped"


@CLI_FUZZ
@given(lines=st.lists(hostile_text, max_size=6))
def test_plain_practice_takes_any_typing(
    workdir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    isolated_env: Path,
    lines: list[str],
) -> None:
    typed = [line.replace("\n", " ") for line in lines]
    monkeypatch.setattr(sys, "stdin", io.StringIO("".join(f"{line}\n" for line in typed)))
    code, out, err = cli(capsys, "practice", "maria-freight-cfo", "--plain", "--offline")
    assert code == 0 and err == ""
    saved = Path(out.strip().splitlines()[-1].removeprefix("Transcript saved: "))
    said = [turn.text for turn in load(saved).turns if turn.speaker == "rep"]
    assert said == sent(typed)
    saved.unlink()


def sent(typed: list[str]) -> list[str]:
    """What plain mode sends of these lines: each one with words, until /end."""
    messages: list[str] = []
    for line in typed:
        text = line.strip()
        if text == "/end":
            break
        if text and text != "/offline":
            messages.append(text)
    return messages
