"""Faults against our local test server: down at start, gone mid-session, slow, rate-limiting,
an unwritable data dir, Ctrl-C in a batch. Every word said is kept; every message is one line."""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from simulator.cli import main
from simulator.evaluation import Evaluation
from simulator.llm_voice import LLMVoice
from simulator.plain import OFFLINE, RESEND, converse
from simulator.practice import run_practice
from simulator.session import ReplyChunk, ReplyRestarted, Session
from simulator.settings import load_settings
from simulator.store import load
from simulator.voice import VoiceError
from tests.support.conversations import CURIOUS, judgement, write_transcript
from tests.support.openai_server import Dynamic, Fail, Json, OpenAIServer, Reply, Step
from tests.support.sample import sample_persona
from tests.support.typed_input import Typed

ROOT = Path(__file__).resolve().parent.parent
DOWN = "http://127.0.0.1:9/v1"  # the discard port: nothing listens there


def llm_session(base_url: str, home: Path, attempts: int = 2, **env: str) -> Session:
    settings = load_settings({"OPENAI_BASE_URL": base_url, "DEEPER_HOME": str(home), **env})
    return Session(sample_persona(), LLMVoice(settings), home / "sessions", attempts=attempts)


def talk(session: Session, *typed: str | Any) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    converse(session, Typed(*typed), out, err, prompt=False)
    return out.getvalue(), err.getvalue()


def arrivals(server: OpenAIServer, step: Step) -> list[float]:
    """Answer every chat request with `step`, noting when each arrived."""
    seen: list[float] = []
    lock = threading.Lock()

    def note(body: dict[str, Any]) -> Step:
        with lock:
            seen.append(time.monotonic())
        return step

    server.default = Dynamic(note)
    return seen


# Down at the start: one line naming the URL, exit 2, before anything else happens.


def test_evaluate_with_the_server_down_says_so_before_reading_a_file(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", DOWN)
    path = write_transcript(tmp_path / "a.json")
    out_file = tmp_path / "results.jsonl"
    code = main(["evaluate", str(path), "--judge", "llm", "--out", str(out_file)])
    captured = capsys.readouterr()
    assert code == 2 and captured.out == ""
    assert captured.err == f"deeper: could not reach the model server at {DOWN}\n"
    assert not out_file.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json"]


def test_refused_key_at_start_is_one_line_for_practice_and_evaluate(
    server: OpenAIServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    server.models_failure = Fail(401, "Incorrect API key provided.")
    monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-wrong")
    expected = (
        f"deeper: the model server at {server.base_url} refused the API key (HTTP 401); "
        "check OPENAI_API_KEY\n"
    )
    out, err = io.StringIO(), io.StringIO()
    assert run_practice("maria-freight-cfo", offline=False, stdin=Typed(), out=out, err=err) == 2
    assert (out.getvalue(), err.getvalue()) == ("", expected)
    assert main(["evaluate", str(write_transcript(tmp_path / "a.json")), "--judge", "llm"]) == 2
    assert capsys.readouterr().err == expected
    assert server.chat_requests == []


def test_a_server_without_a_models_route_is_still_there(
    server: OpenAIServer, monkeypatch: pytest.MonkeyPatch, isolated_env: Path
) -> None:
    server.models_failure = Fail(404, "Not found.")
    server.default = Reply("Busy, as always.")
    monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
    out, err = io.StringIO(), io.StringIO()
    code = run_practice(
        "maria-freight-cfo", offline=False, stdin=Typed("How is it going?"), out=out, err=err
    )
    assert (code, err.getvalue()) == (0, "")
    assert "Maria Okafor: Busy, as always." in out.getvalue()


# Gone mid-session: the rep is told, nothing is lost, and the rep goes on offline or retries.


def test_server_gone_mid_session_then_the_rep_goes_on_offline(
    server: OpenAIServer, isolated_env: Path
) -> None:
    server.default = Reply("Month end is always a scramble for us.")
    session = llm_session(server.base_url, isolated_env)
    out, err = talk(
        session,
        "What's on your plate this quarter?",
        server.close,
        "Why does that matter to you?",
        "/offline",
        "",  # Enter: the unanswered message again, now to the scripted customer
        "What worries you about it?",
    )
    [error, resend] = err.splitlines()
    assert error == (
        f"error: could not reach the model server at {server.base_url} (after 2 attempts)"
    )
    assert resend == RESEND
    assert OFFLINE in out and "Traceback" not in out + err
    assert session.path is not None
    saved = load(session.path)
    assert [t.speaker for t in saved.turns] == ["customer"] + ["rep", "customer"] * 3
    assert saved.turns[2].text == "Month end is always a scramble for us."
    assert saved.turns[3].text == "Why does that matter to you?"
    assert all(turn.text.strip() for turn in saved.turns)
    assert saved.engine is not None
    assert (saved.engine.voice, saved.engine.offline_from) == ("llm", 3)


def test_server_back_after_a_failure_the_rep_presses_enter(
    server: OpenAIServer, isolated_env: Path
) -> None:
    port = server.port
    server.default = Reply("Month end is always a scramble for us.")
    session = llm_session(server.base_url, isolated_env)
    revived: list[OpenAIServer] = []

    def restart() -> None:
        again = OpenAIServer(port=port).start()
        again.default = Reply("Sorry, the line dropped. Where were we?")
        revived.append(again)

    try:
        _, err = talk(
            session,
            "What's on your plate this quarter?",
            server.close,
            "Why does that matter to you?",
            restart,
            "",
        )
    finally:
        for running in revived:
            running.close()
    assert err.count("error: could not reach the model server") == 1
    assert session.path is not None
    saved = load(session.path)
    assert [t.text for t in saved.turns[3:]] == [
        "Why does that matter to you?",
        "Sorry, the line dropped. Where were we?",
    ]
    assert saved.engine is not None and saved.engine.offline_from is None


# Slow servers: DEEPER_TIMEOUT bounds every wait, also a stream that stalls midway.


async def test_stalled_stream_times_out_and_starts_again(
    server: OpenAIServer, tmp_path: Path
) -> None:
    server.enqueue(Reply("one two three four five", chunk_delay=2.0), Reply("Complete answer."))
    session = llm_session(server.base_url, tmp_path, attempts=3, DEEPER_TIMEOUT="0.5")
    session.send("How is the quarter going?")
    events = [event async for event in session.reply()]
    assert any(isinstance(event, ReplyRestarted) for event in events)
    assert isinstance(events[-1], ReplyChunk)
    assert session.turns[-1].text == "Complete answer."


def test_timeout_in_plain_mode_keeps_the_message(server: OpenAIServer, isolated_env: Path) -> None:
    server.default = Reply("Far too late.", delay=3.0)
    session = llm_session(server.base_url, isolated_env, DEEPER_TIMEOUT="0.4")
    started = time.monotonic()
    out, err = talk(session, "Anything new?")
    assert time.monotonic() - started < 2.5
    assert err.splitlines()[0] == (
        f"error: the model server at {server.base_url} did not answer in time (after 2 attempts)"
    )
    assert session.path is not None
    assert [t.speaker for t in load(session.path).turns] == ["customer"]


# 429 storms: bounded retries that wait as asked, then one clear line.


async def test_rate_limit_storm_waits_as_asked_then_gives_up(
    server: OpenAIServer, tmp_path: Path
) -> None:
    seen = arrivals(server, Fail(429, "Slow down.", retry_after=0.4))
    session = llm_session(server.base_url, tmp_path, attempts=4)
    session.send("How is the quarter going?")
    with pytest.raises(VoiceError) as failure:
        _ = [event async for event in session.reply()]
    assert len(seen) == 4
    gaps = [later - earlier for earlier, later in zip(seen, seen[1:], strict=False)]
    assert all(0.38 <= gap < 1.0 for gap in gaps), gaps
    assert str(failure.value) == (
        f"the model server at {server.base_url} is rate-limiting requests (HTTP 429) "
        "(after 4 attempts)"
    )
    assert session.awaiting_reply


async def test_a_server_asking_for_an_hour_is_not_waited_for(
    server: OpenAIServer, tmp_path: Path
) -> None:
    seen = arrivals(server, Fail(429, retry_after=3600))
    session = llm_session(server.base_url, tmp_path, attempts=4)
    session.send("How is the quarter going?")
    started = time.monotonic()
    with pytest.raises(VoiceError, match=r"\(HTTP 429\); it asks to wait 3600 s$"):
        _ = [event async for event in session.reply()]
    assert len(seen) == 1 and time.monotonic() - started < 2


def test_rate_limit_storm_over_a_batch_is_bounded(
    server: OpenAIServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
    server.enqueue(*[Fail(429, retry_after=0.05)] * 9)
    server.default = Json(judgement())
    paths = [str(write_transcript(tmp_path / f"{index}.json")) for index in range(6)]
    code = main(["evaluate", *paths, "--judge", "llm", "--format", "jsonl", "--concurrency", "4"])
    captured = capsys.readouterr()
    results = [Evaluation.model_validate_json(line) for line in captured.out.splitlines()]
    problems = captured.err.splitlines()
    # Four attempts each: two files fail outright, the third gets through on its second try.
    assert code == 1 and len(results) == 4
    assert len(server.chat_requests) == 9 + 4
    assert problems[-1] == "4 evaluated, 2 skipped"
    assert all("rate-limiting requests (HTTP 429) (after 4 attempts)" in p for p in problems[:-1])


# An unwritable data dir: told once, and the conversation is not lost.


def test_data_dir_lost_mid_session_warns_once_and_saves_elsewhere(
    isolated_env: Path,
) -> None:
    sessions = isolated_env / "sessions"

    def break_the_disk() -> None:
        shutil.rmtree(sessions)
        sessions.write_text("a file where the folder was")

    out, err = io.StringIO(), io.StringIO()
    typed = Typed("What's on your plate?", break_the_disk, "Why does that matter?", "Go on?")
    assert run_practice("maria-freight-cfo", offline=True, stdin=typed, out=out, err=err) == 0
    warnings = err.getvalue().splitlines()
    assert len(warnings) == 2
    assert warnings[0].startswith("warning: cannot save the transcript to ")
    assert warnings[0].endswith("; the conversation goes on")
    fallback = Path(out.getvalue().strip().splitlines()[-1].removeprefix("Transcript saved: "))
    try:
        assert warnings[1].endswith(f"saved to {fallback} instead")
        assert len(load(fallback).turns) == 7
    finally:
        fallback.unlink()


# Ctrl-C in a batch: only complete lines are kept, and a rerun does the whole batch.


def test_interrupted_batch_keeps_complete_lines_and_reruns(
    server: OpenAIServer, tmp_path: Path
) -> None:
    server.default = Reply(json.dumps(judgement()), delay=0.1)
    folder = tmp_path / "calls"
    for index in range(24):
        write_transcript(folder / f"{index:02}.json", CURIOUS)
    out_file = tmp_path / "results.jsonl"
    command = [sys.executable, "-m", "simulator", "evaluate", str(folder), "--judge", "llm"]
    command += ["--format", "jsonl", "--out", str(out_file), "--concurrency", "2"]
    env = {**os.environ, "OPENAI_BASE_URL": server.base_url}
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 30
    while len(server.chat_requests) < 6 and process.poll() is None:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 130 and "Traceback" not in err
    kept = out_file.read_text(encoding="utf-8")
    assert kept.endswith("\n")
    lines = kept.splitlines()
    assert 1 <= len(lines) < 24
    assert all(Evaluation.model_validate_json(line).judge == "llm" for line in lines)

    rerun = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert rerun.returncode == 0, rerun.stderr
    sources = [json.loads(line)["source"] for line in out_file.read_text().splitlines()]
    assert sorted(sources) == sorted(str(path) for path in folder.iterdir())
