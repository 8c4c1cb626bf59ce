"""deeper against a real model: SmolLM2-135M-Instruct served by llama-cpp-python.

The model is small and rambles, so these tests check structure, never wording: replies
arrive streamed and non-empty, transcripts carry the engine, judgements fit the schema.
"""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from simulator.evaluation import Evaluation
from simulator.judge import judge
from simulator.library import resolve_persona
from simulator.llm_judge import LLMJudge
from simulator.llm_voice import LLMVoice
from simulator.session import ReplyChunk, Session
from simulator.settings import load_settings
from simulator.store import dumps, load
from simulator.transcript import Speaker, Transcript, Turn
from simulator.voice import VoiceError
from tests.support.conversations import CURIOUS, PITCHY
from tests_real.llama_server import MODEL_ALIAS, LlamaServer

# A small model on two busy cores is slow; the suite's own per-test limit is for unit tests.
pytestmark = pytest.mark.timeout(900)
ROOT = Path(__file__).resolve().parent.parent
MARIA = "maria-freight-cfo"
REP_LINES = [
    "Thanks for making the time. What's on your plate this quarter?",
    "You mentioned month end. What makes it hard for you?",
    "Why does that matter so much to you?",
    "What worries you most if it stays like this?",
    "How is your team holding up through all of it?",
    "It sounds like the cash position is what keeps you up at night. Is that fair?",
]
SHORT: list[tuple[Speaker, str]] = [
    ("customer", "I've got about twenty minutes. What did you want to cover?"),
    ("rep", "What does a good month end look like for you?"),
    ("customer", "One where I can see the cash without waiting for the close."),
]
CONVERSATIONS = {"curious": CURIOUS, "pitchy": PITCHY, "short": SHORT}
JSON_OBJECT_PATH = ("json_object+schema", "json_object+schema+repair")


def deeper(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "simulator", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=900,
        cwd=ROOT,
        env=dict(os.environ),
    )


def conversation(name: str) -> Transcript:
    return Transcript(
        id=name,
        persona=resolve_persona(MARIA),
        turns=[Turn(speaker=speaker, text=text) for speaker, text in CONVERSATIONS[name]],
    )


def rejected_formats(server: LlamaServer) -> int:
    """How many chat requests the server has refused with HTTP 500 so far."""
    return server.log_tail(100_000).count('"POST /v1/chat/completions HTTP/1.1" 500')


def test_plain_practice_session_with_the_real_model(
    model_env: dict[str, str], isolated_env: Path
) -> None:
    result = deeper("practice", MARIA, "--plain", stdin="\n".join([*REP_LINES, "/end"]) + "\n")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "error:" not in result.stderr
    assert f"model {MODEL_ALIAS} at {model_env['OPENAI_BASE_URL']}" in result.stdout
    [path] = (isolated_env / "sessions").glob("*.json")
    saved = load(path)
    assert [turn.speaker for turn in saved.turns] == ["customer"] + ["rep", "customer"] * 6
    assert [turn.text for turn in saved.turns if turn.speaker == "rep"] == REP_LINES
    replies = [turn for turn in saved.turns[1:] if turn.speaker == "customer"]
    assert all(turn.text.strip() and turn.state is not None for turn in replies)
    assert all(f"Maria Okafor: {turn.text}" in result.stdout for turn in replies)
    assert saved.engine is not None
    assert (saved.engine.voice, saved.engine.model) == ("llm", MODEL_ALIAS)
    assert saved.ended_at is not None
    assert result.stdout.rstrip().endswith(f"Transcript saved: {path}")


async def test_a_reply_streams_in_several_chunks(
    model_env: dict[str, str], isolated_env: Path
) -> None:
    settings = load_settings()
    session = Session(resolve_persona(MARIA), LLMVoice(settings), isolated_env / "sessions")
    try:
        session.send(REP_LINES[0])
        chunks = [event async for event in session.reply() if isinstance(event, ReplyChunk)]
    finally:
        await session.voice.aclose()
    assert len(chunks) > 1
    assert "".join(chunk.text for chunk in chunks).strip() == session.turns[-1].text != ""


async def test_streams_cut_off_by_the_server_never_become_empty_turns(
    isolated_env: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """With its default settings the server ends a running stream, empty, when another
    request arrives: every such reply must be retried, and none saved empty."""
    caplog.set_level(logging.WARNING, logger="simulator.retry")
    with LlamaServer(interrupt_requests=True, log=tmp_path / "interrupting.log") as server:
        settings = load_settings({"OPENAI_BASE_URL": server.base_url, "DEEPER_MODEL": "m"})
        sessions = [
            Session(resolve_persona(MARIA), LLMVoice(settings), isolated_env / "sessions")
            for _ in range(2)
        ]

        async def answer(session: Session, after: float) -> str | None:
            await asyncio.sleep(after)
            session.send(REP_LINES[0])
            try:
                _ = [event async for event in session.reply()]
            except VoiceError as exc:
                return str(exc)
            finally:
                await session.voice.aclose()
            return None

        failures = await asyncio.gather(answer(sessions[0], 0.0), answer(sessions[1], 0.3))
    assert "EmptyReply" in caplog.text
    for session, failure in zip(sessions, failures, strict=True):
        assert all(turn.text.strip() for turn in session.turns)
        if failure is None:
            assert [turn.speaker for turn in session.turns] == ["customer", "rep", "customer"]
        else:
            assert "\n" not in failure and session.awaiting_reply


async def test_llm_judge_gives_schema_valid_results_through_json_object(
    model_env: dict[str, str], llama: LlamaServer
) -> None:
    refused_before = rejected_formats(llama)
    model = LLMJudge(load_settings(), judge)
    try:
        results = {
            name: await model.evaluate(conversation(name), resolve_persona(MARIA), name)
            for name in CONVERSATIONS
        }
    finally:
        await model.aclose()
    # json_schema was refused once, and the answer remembered for the rest of the batch.
    assert rejected_formats(llama) - refused_before == 1
    assert model.modes.mode == "json_object+schema" and model.modes.settled
    persona = resolve_persona(MARIA)
    for name, result in results.items():
        assert Evaluation.model_validate_json(result.model_dump_json()) == result
        assert result.judge == "llm" and result.structured_output in JSON_OBJECT_PATH
        assert 0 <= result.score <= 100 and result.verdict in ("deeper", "mixed", "pitch")
        rep_turns = [i for i, (who, _) in enumerate(CONVERSATIONS[name]) if who == "rep"]
        assert [turn.turn for turn in sorted(result.turns, key=lambda t: t.turn)] == rep_turns
        assert set(result.priorities) == {priority.id for priority in persona.priorities}
        assert result.cross_check is not None


def test_evaluate_with_concurrency_4_completes_every_file(
    model_env: dict[str, str], tmp_path: Path
) -> None:
    folder = tmp_path / "calls"
    folder.mkdir()
    for name in CONVERSATIONS:
        (folder / f"{name}.json").write_text(dumps(conversation(name)), encoding="utf-8")
    out_file = tmp_path / "results.jsonl"
    result = deeper(
        "evaluate", str(folder), "--judge", "llm", "--concurrency", "4", "--format", "jsonl",
        "--out", str(out_file),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stderr == f"3 evaluated; results in {out_file}\n"
    lines = out_file.read_text(encoding="utf-8").splitlines()
    evaluations = [Evaluation.model_validate_json(line) for line in lines]
    assert sorted(e.source for e in evaluations) == sorted(str(p) for p in folder.iterdir())
    assert all(e.judge == "llm" and e.structured_output in JSON_OBJECT_PATH for e in evaluations)
