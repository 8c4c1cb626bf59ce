"""The heuristic judge on conversations written for these tests, and on a live session."""

from __future__ import annotations

import asyncio
import json
import re

import pytest

from simulator.evaluation import Evaluation
from simulator.judge import judge
from simulator.library import resolve_persona
from simulator.persona import Level, Persona
from simulator.scripted_voice import ScriptedVoice
from simulator.session import Session
from simulator.transcript import Speaker, Transcript, Turn
from tests.support.sample import sample_persona

PERSONA = sample_persona()

DEEPER: list[tuple[Speaker, str]] = [
    ("customer", "I have fifteen minutes. What's this about?"),
    ("rep", "Mostly I'd like to understand your world first. What's taking up your week?"),
    ("customer", "Month end is always a scramble for us. The close eats everything."),
    ("rep", "A scramble how? What happens in that last week?"),
    ("customer", "Honestly, I need to see where our cash stands every day, and I can't."),
    ("rep", "Why does a daily view of cash matter that much to you right now?"),
    ("customer", "We nearly breached a covenant last year. The bank noticed before we did."),
    ("rep", "That sounds like a close call. What worries you about it happening again?"),
    ("customer", "The board would not forgive a second time. Neither would I, frankly."),
    ("rep", "The board not forgiving a second time. Say more about that?"),
    ("customer", "It would be my credibility gone, after one year in the job."),
]
EARLY_PITCH: list[tuple[Speaker, str]] = [
    ("customer", "I have fifteen minutes. What's this about?"),
    ("rep", "Great! Our invoice automation platform reads every invoice with OCR."),
    ("customer", "Okay."),
    ("rep", "Teams like yours save ten hours a week. Want me to book a demo?"),
    ("customer", "Maybe later."),
    ("rep", "I'll send pricing over today. Is there budget for this quarter?"),
    ("customer", "It's early for that."),
]
INTERROGATION: list[tuple[Speaker, str]] = [
    ("customer", "I have fifteen minutes. What's this about?"),
    ("rep", "How many people are on your finance team?"),
    ("customer", "Six."),
    ("rep", "Which ERP do you run?"),
    ("customer", "NetSuite."),
    ("rep", "Do you close monthly or quarterly?"),
    ("customer", "Monthly."),
    ("rep", "How many invoices a month?"),
    ("customer", "About four thousand."),
    ("rep", "Is approval done by email?"),
    ("customer", "Mostly."),
]


def conversation(turns: list[tuple[Speaker, str]], persona: Persona | None = None) -> Transcript:
    return Transcript(
        id="t", persona=persona, turns=[Turn(speaker=who, text=text) for who, text in turns]
    )


def flat(text: str) -> str:
    return " ".join(text.split())


def quoted_from(quote: str, text: str) -> bool:
    """A quote is the turn itself, or a piece of it cut at a word boundary with an ellipsis."""
    return quote.rstrip("\u2026") in flat(text)


def test_a_conversation_that_goes_deeper_is_judged_deeper() -> None:
    result = judge(conversation(DEEPER), PERSONA, "deeper.json")
    assert result.verdict == "deeper", result.summary
    assert result.metrics.first_pitch_turn is None
    assert result.metrics.longest_followup_chain >= 2
    assert result.priorities["cash"].why_reached
    assert result.priorities["cash"].turn is not None
    assert result.score >= 70
    assert result.score == round(
        100 * sum(p.points for p in result.score_parts) / sum(p.max for p in result.score_parts)
    )


def test_evidence_quotes_real_turns_and_coaching_points_at_them() -> None:
    transcript = conversation(DEEPER)
    result = judge(transcript, PERSONA, "deeper.json")
    assert result.evidence
    for item in result.evidence:
        assert 0 <= item.turn < len(transcript.turns)
        assert len(item.quote) <= 120
        assert quoted_from(item.quote, transcript.turns[item.turn].text), item
    assert 2 <= len(result.coaching) <= 4
    for line in result.coaching:
        assert 0 <= line.turn < len(transcript.turns)
        named = [int(n) for n in re.findall(r"turn (\d+)", line.text)]
        assert named and all(0 <= n < len(transcript.turns) for n in named)
        assert "you could have asked" in line.text


def test_coaching_builds_the_question_from_the_customers_words() -> None:
    turns = [
        ("customer", "I have fifteen minutes. What's this about?"),
        ("rep", "What's on your plate this quarter?"),
        ("customer", "Month end is always a scramble for us."),
        ("rep", "Got it. Would you like a demo of our invoice automation?"),
        ("customer", "Not really."),
    ]
    result = judge(conversation(turns), PERSONA, "c.json")  # type: ignore[arg-type]
    line = next(line for line in result.coaching if line.turn == 3)
    assert 'After turn 2 ("Month end is always a scramble for us.")' in line.text
    assert "month end" in line.text.split("you could have asked")[1].lower()


def test_coaching_says_the_customers_words_back_to_them() -> None:
    turns = [
        ("customer", "I have fifteen minutes. What\u2019s this about?"),
        ("rep", "What's on your plate this quarter?"),
        ("customer", "I was up until two chasing cash for our US office."),
        ("rep", "Would you like a demo of our invoice automation?"),
        ("customer", "Not really."),
    ]
    result = judge(conversation(turns), PERSONA, "c.json")  # type: ignore[arg-type]
    line = next(line for line in result.coaching if line.turn == 3)
    asked = line.text.split("you could have asked")[1]
    # First person turned to second, the acronym "US" left alone.
    assert "you were up until two" in asked, asked
    assert "your US office" in asked, asked
    assert " I " not in asked and " our " not in asked, asked


def test_an_early_pitch_is_judged_pitch() -> None:
    result = judge(conversation(EARLY_PITCH), PERSONA, "pitch.json")
    assert result.verdict == "pitch", result.summary
    assert result.metrics.first_pitch_turn == 1
    assert result.metrics.pitches >= 2
    assert any(item.kind == "bad" and item.turn == 1 for item in result.evidence)
    assert result.score < 40


def test_an_interrogation_is_not_deeper() -> None:
    result = judge(conversation(INTERROGATION), PERSONA, "checklist.json")
    assert result.verdict != "deeper"
    assert result.metrics.open_questions == 0
    assert result.metrics.longest_followup_chain == 0
    assert any("closed questions in a row" in item.claim for item in result.evidence)


def test_without_a_persona_there_are_no_priorities() -> None:
    result = judge(conversation(DEEPER), None, "anon.json")
    assert result.priorities == {}
    assert result.persona is None
    assert all(part.name != "priorities" for part in result.score_parts)
    assert result.verdict == "deeper", result.summary


def test_the_transcripts_own_persona_is_used_when_none_is_given() -> None:
    result = judge(conversation(DEEPER, persona=PERSONA), None, "own.json")
    assert set(result.priorities) == {"cash", "team", "audit"}


def test_judging_is_deterministic() -> None:
    first = judge(conversation(DEEPER), PERSONA, "x")
    second = judge(conversation(DEEPER), PERSONA, "x")
    assert first.model_dump() == second.model_dump()


def test_turn_indices_count_both_speakers_from_zero() -> None:
    result = judge(conversation(DEEPER), PERSONA, "x")
    assert [item.turn for item in result.turns] == [1, 3, 5, 7, 9]


CURIOUS_LINES = [
    "What's on your plate at the moment?",
    "Tell me more about that. What makes it hard?",
    "Why does that matter so much to you?",
    "What worries you most about it?",
    "What else is on your mind these days?",
    "How so? What's behind that?",
    "Why is that important to you personally?",
    "What scares you about it, if anything?",
]


def live_session(persona: Persona, lines: list[str]) -> Session:
    session = Session(persona, ScriptedVoice(), None)

    async def talk() -> None:
        for line in lines:
            session.send(line)
            async for _ in session.reply():
                pass

    asyncio.run(talk())
    return session


def test_a_live_session_is_judged_by_the_engines_own_levels() -> None:
    persona = resolve_persona("maria-freight-cfo")
    session = live_session(persona, CURIOUS_LINES)
    result = judge(session.transcript, None, "live.json")
    assert set(result.priorities) == set(session.state.levels)
    reached = {}
    for entry in session.state.log:
        if entry.priority and entry.after and entry.before and entry.after.rank > entry.before.rank:
            reached[(entry.priority, entry.after)] = entry.turn
    for pid, item in result.priorities.items():
        assert item.source == "engine"
        assert item.level is session.state.levels[pid]
        if item.level is not Level.hidden:
            assert item.turn == reached[(pid, item.level)]
    assert any(item.why_reached for item in result.priorities.values())


def test_the_json_result_holds_the_documented_keys() -> None:
    result = judge(conversation(DEEPER), PERSONA, "deeper.json")
    data = json.loads(result.model_dump_json())
    for key in ("source", "verdict", "score", "turns", "priorities", "metrics", "evidence"):
        assert key in data
    assert "coaching" in data and "score_parts" in data
    assert data["source"] == "deeper.json"
    for item in data["turns"]:
        assert {"turn", "question", "followup", "pitch", "self_serving"} <= item.keys()
        assert {"assumption", "reflection"} <= item.keys()
    for item in data["priorities"].values():
        assert {"level", "turn", "uncovered", "why_reached", "fear_reached"} <= item.keys()
    for part in data["score_parts"]:
        assert {"name", "points", "max", "why"} <= part.keys()
    assert {"turn", "quote", "claim", "kind"} <= data["evidence"][0].keys()
    assert {"turn", "text"} <= data["coaching"][0].keys()
    assert Evaluation.model_validate(data) == result


@pytest.mark.parametrize("turns", [[], [("customer", "Hello?")]])
def test_a_conversation_without_rep_turns_is_judged_without_failing(
    turns: list[tuple[Speaker, str]],
) -> None:
    result = judge(conversation(turns), PERSONA, "empty.json")
    assert result.turns == []
    assert result.verdict == "mixed"
    assert 0 <= result.score <= 100
