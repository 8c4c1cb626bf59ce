"""The LLM customer over real HTTP to our scripted server: streaming, retries, failures."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from simulator.llm_voice import LLMVoice
from simulator.session import ReplyChunk, ReplyEvent, ReplyRestarted, Session
from simulator.settings import load_settings
from simulator.store import load
from simulator.voice import VoiceError
from tests.support.openai_server import Drop, Empty, Fail, OpenAIServer, Reply
from tests.support.sample import sample_persona


def llm_session(server: OpenAIServer, home: Path, **env: str) -> Session:
    settings = load_settings({"OPENAI_BASE_URL": server.base_url, "DEEPER_HOME": str(home), **env})
    return Session(sample_persona(), LLMVoice(settings), home / "sessions")


async def answer(session: Session, text: str) -> list[ReplyEvent]:
    session.send(text)
    return [event async for event in session.reply()]


async def test_reply_streams_in_chunks_and_is_saved(server: OpenAIServer, tmp_path: Path) -> None:
    server.enqueue(Reply("Well, month end is always a scramble here."))
    session = llm_session(server, tmp_path)
    events = await answer(session, "What's on your plate this quarter?")
    chunks = [e.text for e in events if isinstance(e, ReplyChunk)]
    assert len(chunks) > 3
    assert "".join(chunks) == "Well, month end is always a scramble here."
    assert session.path is not None
    saved = load(session.path)
    assert saved.engine is not None and saved.engine.voice == "llm"
    assert saved.engine.model == "gpt-4o-mini"
    assert [t.speaker for t in saved.turns] == ["customer", "rep", "customer"]
    assert saved.turns[-1].text == "Well, month end is always a scramble here."
    assert saved.turns[-1].state is not None


async def test_request_carries_persona_rules_and_history(
    server: OpenAIServer, tmp_path: Path
) -> None:
    session = llm_session(server, tmp_path, DEEPER_MODEL="tiny-model")
    await answer(session, "What's on your plate this quarter?")
    body = server.requests[-1].body
    assert body is not None and body["model"] == "tiny-model" and body["stream"] is True
    system, *rest = body["messages"]
    assert system["role"] == "system"
    assert (
        "Dana Reyes" in system["content"]
        and "Never say or hint that you are an AI" in system["content"]
    )
    assert rest == [
        {"role": "assistant", "content": "I have fifteen minutes. What's this about?"},
        {"role": "user", "content": "What's on your plate this quarter?"},
    ]
    # A base URL alone is enough: local servers need no key.
    assert server.requests[-1].headers["authorization"] == "Bearer no-key"


async def test_server_error_is_retried(server: OpenAIServer, tmp_path: Path) -> None:
    server.enqueue(Fail(500), Fail(503), Reply("Fine, go on."))
    session = llm_session(server, tmp_path)
    await answer(session, "How is the quarter going?")
    assert len(server.requests) == 3
    assert session.turns[-1].text == "Fine, go on."


async def test_rate_limit_waits_for_retry_after(server: OpenAIServer, tmp_path: Path) -> None:
    server.enqueue(Fail(429, retry_after=1), Reply("Sorry, where were we?"))
    session = llm_session(server, tmp_path)
    started = time.monotonic()
    await answer(session, "How is the quarter going?")
    assert time.monotonic() - started >= 1.0
    assert session.turns[-1].text == "Sorry, where were we?"


async def test_broken_stream_restarts_and_half_reply_never_saved(
    server: OpenAIServer, tmp_path: Path
) -> None:
    server.enqueue(
        Drop(after_chunks=3, text="HALF REPLY that never ends"), Reply("Complete answer.")
    )
    session = llm_session(server, tmp_path)
    events = await answer(session, "How is the quarter going?")
    restarts = [e for e in events if isinstance(e, ReplyRestarted)]
    assert len(restarts) == 1
    after = events[events.index(restarts[0]) + 1 :]
    assert "".join(e.text for e in after if isinstance(e, ReplyChunk)) == "Complete answer."
    assert session.path is not None
    saved = load(session.path)
    assert saved.turns[-1].text == "Complete answer."
    assert "HALF" not in session.path.read_text()


async def test_empty_reply_is_a_failure_not_a_turn(server: OpenAIServer, tmp_path: Path) -> None:
    server.enqueue(Empty(), Reply("There you are."))
    session = llm_session(server, tmp_path)
    await answer(session, "How is the quarter going?")
    assert session.turns[-1].text == "There you are."
    assert all(turn.text for turn in session.turns)


async def test_retries_run_out_with_one_line_error_and_message_kept(
    server: OpenAIServer, tmp_path: Path
) -> None:
    server.default = Fail(500, message="model exploded\nwith a stack trace")
    session = llm_session(server, tmp_path)
    session.send("How is the quarter going?")
    with pytest.raises(VoiceError) as failure:
        _ = [event async for event in session.reply()]
    message = str(failure.value)
    assert "\n" not in message
    assert server.base_url in message and "HTTP 500" in message and "4 attempts" in message
    assert len(server.requests) == 4
    # The session survives: the rep's words are still there to send again.
    assert session.awaiting_reply
    assert session.retract() == "How is the quarter going?"
    server.default = Reply("Back again.")
    await answer(session, "How is the quarter going?")
    assert [t.speaker for t in session.turns] == ["customer", "rep", "customer"]


async def test_timeout_is_reported(server: OpenAIServer, tmp_path: Path) -> None:
    server.default = Reply("Too late.", delay=1.5)
    session = llm_session(server, tmp_path, DEEPER_TIMEOUT="0.3")
    session.send("Anything new?")
    with pytest.raises(VoiceError, match="did not answer in time"):
        _ = [event async for event in session.reply()]


async def test_unreachable_server_names_the_url(tmp_path: Path) -> None:
    settings = load_settings({"OPENAI_BASE_URL": "http://127.0.0.1:9/v1"})
    session = Session(sample_persona(), LLMVoice(settings), tmp_path)
    session.send("Hello?")
    with pytest.raises(
        VoiceError, match=r"could not reach the model server at http://127\.0\.0\.1:9/v1"
    ):
        _ = [event async for event in session.reply()]
