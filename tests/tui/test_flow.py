"""Pilot tests: picker → chat → end → quiz → scorecard, with both voices, and the failure path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import Input, OptionList

from simulator.store import load
from simulator.tui.messages import (
    ReplyChunkReceived,
    ReplyFailed,
    ReplyFinished,
    ReplyReset,
    ReplyStarted,
)
from simulator.tui.screens.chat import ChatScreen
from simulator.tui.screens.picker import PickerScreen
from simulator.tui.screens.quiz import QuizScreen
from simulator.tui.screens.scorecard import ScorecardScreen
from simulator.tui.widgets.messages import CustomerMessage, RepMessage
from tests.support.openai_server import Drop, Fail, OpenAIServer, Reply
from tests.support.sample import sample_persona
from tests.tui.helpers import (
    FakeClock,
    Recorder,
    exchange,
    fixed_report,
    make_app,
    type_and_send,
    wait_until,
)

REPLY_MESSAGES = (ReplyStarted, ReplyChunkReceived, ReplyReset, ReplyFinished, ReplyFailed)


async def test_scripted_session_from_picker_to_scorecard(isolated_env: Path) -> None:
    app = make_app()
    posted = Recorder()
    async with app.run_test(size=(80, 24), message_hook=posted) as pilot:
        picker = app.screen
        assert isinstance(picker, PickerScreen)
        assert picker.query_one(OptionList).option_count == 2
        await pilot.press(*"engineer")
        assert [p.id for p in picker.shown] == ["sample-engineer"]
        await pilot.press(*["backspace"] * 8, *"dana")
        assert [p.id for p in picker.shown] == ["sample-cfo"]
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ChatScreen))
        chat = app.screen
        assert isinstance(chat, ChatScreen)
        assert chat.title == "Dana Reyes · CFO" and chat.sub_title == "scripted customer"
        assert chat.query_one("#notice").display  # offline, and not by --offline
        [opening] = chat.query(CustomerMessage)
        assert opening.text == "I have fifteen minutes. What's this about?"

        await exchange(pilot, posted, "What's on your plate this quarter?")
        await exchange(pilot, posted, "Why does that matter to you?")
        names = posted.names(*REPLY_MESSAGES)
        assert names[0] == "ReplyStarted" and names[-1] == "ReplyFinished"
        assert names.count("ReplyStarted") == names.count("ReplyFinished") == 2
        assert "ReplyFailed" not in names
        finished = [m.text for m in posted.of(ReplyFinished)]  # type: ignore[attr-defined]
        assert finished[0] == "Month end is always a scramble for us."
        said = [t.text for t in chat.session.turns if t.speaker == "customer"]
        assert said[1:] == finished == [m.text for m in chat.query(CustomerMessage)][1:]
        assert len(chat.query(RepMessage)) == 2
        assert not chat.query("#notice")  # gone once the customer has answered

        await type_and_send(pilot, "/end")
        await wait_until(pilot, lambda: isinstance(app.screen, QuizScreen))
        quiz = app.screen
        await pilot.press(*"daily cash", "enter", *"a covenant scare")
        assert quiz.query_one("#why-1", Input).value == "a covenant scare"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ScorecardScreen))
        report = app.report
        assert report is not None and report.quiz is not None
        assert report.quiz.answers[0] == ("daily cash", "a covenant scare")
        assert report.evaluation.priorities["cash"].level.value in ("hint", "stated", "why")
        await pilot.pause()

    [path] = app.saved
    saved = json.loads(path.read_text())
    assert saved["quiz"]["answers"][0] == {"care": "daily cash", "why": "a covenant scare"}
    assert saved["evaluation"]["verdict"] == report.evaluation.verdict
    assert saved["ended_at"]
    assert path.parent == isolated_env / "sessions"


async def test_model_streams_and_rep_waits_then_countdown_submits(
    server: OpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "Honestly, it has been a long quarter and month end keeps me up at night."
    server.default = Reply(text, chunk_delay=0.02)
    monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
    monkeypatch.setenv("DEEPER_MODEL", "tiny-model")
    clock = FakeClock()
    app = make_app(clock, persona=sample_persona())
    posted = Recorder()
    async with app.run_test(size=(80, 24), message_hook=posted) as pilot:
        chat = app.screen
        assert isinstance(chat, ChatScreen)
        assert chat.sub_title == f"model tiny-model at {server.base_url}"
        assert not chat.query("#notice")
        await type_and_send(pilot, "What keeps you busy these days?")
        await wait_until(pilot, lambda: bool(posted.of(ReplyChunkReceived)))
        assert chat.replying, posted.names(*REPLY_MESSAGES)
        # While the reply streams the rep cannot send another message.
        await type_and_send(pilot, "And another thing?")
        assert chat.query_one("#say", Input).value == "And another thing?"
        assert len(chat.session.turns) == 2
        await wait_until(pilot, lambda: not chat.replying)
        chunks = [m.text for m in posted.of(ReplyChunkReceived)]  # type: ignore[attr-defined]
        assert len(chunks) == len(text.split()) and "".join(chunks) == text
        assert chat.session.turns[-1].text == text
        assert chat.query(CustomerMessage).last().text == text

        chat.query_one("#say", Input).value = ""
        await pilot.press("ctrl+t")
        await wait_until(pilot, lambda: isinstance(app.screen, QuizScreen))
        quiz = app.screen
        assert "1:30" in str(quiz.query_one("#countdown").render())
        await pilot.press(*"month end")
        clock.advance(91)
        await wait_until(pilot, lambda: isinstance(app.screen, ScorecardScreen))
        assert app.report is not None and app.report.quiz is not None
        assert app.report.quiz.timed_out
        assert app.report.quiz.answers[0] == ("month end", "")
        await pilot.pause()
    requests = [r for r in server.requests if r.path == "/v1/chat/completions"]
    assert len(requests) == 1 and requests[0].body and requests[0].body["stream"] is True


async def test_failed_reply_restores_the_message_and_the_session_goes_on(
    server: OpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.default = Fail(500)
    monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
    monkeypatch.setenv("DEEPER_TIMEOUT", "2")
    app = make_app(persona=sample_persona())
    posted = Recorder()
    async with app.run_test(size=(80, 24), message_hook=posted, notifications=True) as pilot:
        chat = app.screen
        assert isinstance(chat, ChatScreen)
        said = "What does a good month look like for you?"
        await exchange(pilot, posted, said)
        assert posted.of(ReplyFailed)
        assert chat.query_one("#say", Input).value == said
        assert [t.speaker for t in chat.session.turns] == ["customer"]
        assert not chat.query(RepMessage) and len(chat.query(CustomerMessage)) == 1
        [notice] = list(app._notifications)
        assert notice.severity == "error" and "500" in notice.message or "server" in notice.message

        # The server recovers: Enter sends the same message again.
        server.default = Reply("A quiet close, for once.")
        await pilot.press("enter")
        await wait_until(pilot, lambda: bool(posted.of(ReplyFinished)))
        await wait_until(pilot, lambda: not chat.replying)
        assert [t.text for t in chat.session.turns[1:]] == [said, "A quiet close, for once."]
    assert chat.session.path is not None
    assert [t.speaker for t in load(chat.session.path).turns] == ["customer", "rep", "customer"]


async def test_a_broken_reply_starts_again_and_only_the_whole_one_shows(
    server: OpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.enqueue(Drop(after_chunks=3), Reply("Cash, mostly. Always cash."))
    monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
    app = make_app(persona=sample_persona())
    posted = Recorder()
    async with app.run_test(size=(80, 24), message_hook=posted) as pilot:
        chat = app.screen
        assert isinstance(chat, ChatScreen)
        await exchange(pilot, posted, "What's on your mind these days?")
        names = posted.names(*REPLY_MESSAGES)
        assert names.index("ReplyReset") < names.index("ReplyFinished")
        assert "ReplyFailed" not in names
        assert chat.query(CustomerMessage).last().text == "Cash, mostly. Always cash."


async def test_ending_mid_reply_takes_the_unanswered_message_back(
    server: OpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    slow = "Well, where do I start with this quarter, honestly, there is a lot going on."
    server.enqueue(Reply("Busy."), Reply(slow, chunk_delay=0.2))
    monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
    app = make_app(persona=sample_persona())
    posted = Recorder()
    async with app.run_test(size=(80, 24), message_hook=posted) as pilot:
        chat = app.screen
        assert isinstance(chat, ChatScreen)
        await exchange(pilot, posted, "How are things?")
        await type_and_send(pilot, "What's on your plate?")
        await wait_until(pilot, lambda: len(posted.of(ReplyChunkReceived)) > 1)
        await chat.action_end()
        await wait_until(pilot, lambda: isinstance(app.screen, QuizScreen))
        assert chat.session is not None
        assert [t.text for t in chat.session.turns[1:]] == ["How are things?", "Busy."]
        assert chat.session.transcript.ended_at is not None


async def test_offline_command_goes_on_with_the_scripted_customer(
    server: OpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.default = Fail(500)
    monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
    app = make_app(persona=sample_persona())
    posted = Recorder()
    async with app.run_test(size=(80, 24), message_hook=posted) as pilot:
        chat = app.screen
        assert isinstance(chat, ChatScreen)
        said = "What's on your plate this quarter?"
        await exchange(pilot, posted, said)
        assert posted.of(ReplyFailed) and chat.query_one("#say", Input).value == said
        await type_and_send(pilot, "/offline")
        await pilot.pause()
        assert chat.session is not None and chat.session.voice.kind == "scripted"
        assert chat.sub_title == "scripted customer (from now on)"
        await exchange(pilot, posted, said)
        assert posted.of(ReplyFinished)
        assert chat.session.turns[-1].text == "Month end is always a scramble for us."
        assert chat.session.transcript.engine is not None
        assert chat.session.transcript.engine.offline_from == 1


async def test_ending_needs_something_said_and_quitting_saves() -> None:
    app = make_app(persona=sample_persona())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert isinstance(app.screen, ChatScreen)
        await pilot.press("ctrl+q")
    [path] = app.saved
    assert load(path).ended_at is not None


async def test_scorecard_keys_practise_again_or_pick_another() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.report = fixed_report()
        await app.show(ScorecardScreen(app.report, live=True))
        await pilot.press("p")
        await wait_until(pilot, lambda: isinstance(app.screen, ChatScreen))
        chat = app.screen
        assert isinstance(chat, ChatScreen) and chat.persona.id == "sample-cfo"
        await wait_until(pilot, lambda: chat.session is not None)
        await app.show(ScorecardScreen(fixed_report(), live=True))
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, PickerScreen))
        # The session left for the picker was ended and saved.
        assert chat.session is not None and chat.session.transcript.ended_at is not None
        await pilot.pause()
