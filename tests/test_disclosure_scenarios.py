"""The four conversations the engine must tell apart, in real words, with the scripted customer."""

from __future__ import annotations

import pytest

from simulator.library import list_personas
from simulator.persona import Level, Persona
from simulator.scripted_voice import ScriptedVoice
from simulator.session import Session

PERSONAS = list_personas()

CURIOUS = [
    "What's on your plate at the moment?",
    "Tell me more about that. What makes it hard?",
    "Why does that matter so much to you?",
    "What worries you most about it?",
    "What else is on your mind these days?",
    "How so? What's behind that?",
    "Why is that important to you personally?",
    "What scares you about it, if anything?",
    "What else are you trying to get done this year?",
    "Say more about that. What does it look like day to day?",
    "Why does that one matter?",
    "What would happen if it went wrong?",
]
PITCHY = [
    "Thanks for the time! Let me tell you about our platform and what it does for teams.",
    "Our customers usually see results in the first month. Would you like a demo?",
    "We can also offer a discount if you sign this quarter. What do you think of our pricing?",
    "Would a tool that automates all of this help you?",
    "Can I send you a case study and set up a free trial?",
    "What if you could get all of that with our solution?",
]
CHECKLIST = [
    "Do you have a process for this today?",
    "How many people are on your team?",
    "Is that handled manually?",
    "Are you happy with how it works now?",
    "Do you have a budget set aside?",
    "Which system do you use?",
    "Is your team in one office?",
    "Have you looked at alternatives?",
    "Do you track it every week?",
    "Is this a priority for you this year?",
    "Does anyone else own it?",
    "Is it getting worse?",
]
BURNED = [
    "What would it take to earn your business?",
    "I see you're in the manufacturing space, so I'm sure supply chain keeps you up at night.",
    "Who else signs off on a purchase like this?",
]


def play(persona: Persona, lines: list[str]) -> Session:
    session = Session(persona, ScriptedVoice(), None)
    for line in lines:
        session.send(line)
        for _ in _drain(session):
            pass
    return session


def _drain(session: Session) -> list[object]:
    import asyncio

    async def collect() -> list[object]:
        return [event async for event in session.reply()]

    return asyncio.run(collect())


def deepest(session: Session) -> int:
    return max(level.rank for level in session.state.levels.values())


@pytest.mark.parametrize("persona", PERSONAS, ids=lambda p: p.id)
def test_curious_rep_reaches_why_on_two_priorities_in_twelve_turns(persona: Persona) -> None:
    session = play(persona, CURIOUS)
    why = [pid for pid, level in session.state.levels.items() if level.rank >= Level.why.rank]
    assert len(why) >= 2, session.state.log
    assert session.state.trust > persona.trust.start


@pytest.mark.parametrize("persona", PERSONAS, ids=lambda p: p.id)
def test_pitching_from_the_first_turn_gets_nothing_past_hint(persona: Persona) -> None:
    session = play(persona, PITCHY * 2)
    assert deepest(session) <= Level.hint.rank
    assert session.state.trust < persona.trust.start


@pytest.mark.parametrize("persona", PERSONAS, ids=lambda p: p.id)
def test_closed_checklist_gets_nothing_past_stated(persona: Persona) -> None:
    session = play(persona, CHECKLIST)
    assert deepest(session) <= Level.stated.rank


@pytest.mark.parametrize("persona", PERSONAS, ids=lambda p: p.id)
def test_self_serving_and_wrong_assumptions_cost_trust_and_slow_what_follows(
    persona: Persona,
) -> None:
    clean = play(persona, CURIOUS[:8])
    burned = play(persona, BURNED + CURIOUS[:8])
    first_penalties = [entry.reason for entry in burned.state.log if entry.turn <= 5]
    assert any(reason.startswith("self-serving") for reason in first_penalties)
    assert any(reason.startswith("assumption") for reason in first_penalties)
    assert burned.state.trust < clean.state.trust

    def score(s: Session) -> int:
        return sum(level.rank for level in s.state.levels.values())

    assert score(burned) < score(clean)
