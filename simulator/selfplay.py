"""Self-play: a scripted rep talks with a persona, and the gate every persona must pass.

The rep sees only the public card and what the customer said (see `scripted_reps`); the
customer is a real `Session`, so the analyser and the disclosure engine decide exactly as
they would for a person practising.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from pydantic import BaseModel, Field

from simulator import engine
from simulator.persona import Level, Persona
from simulator.persona_card import public_card
from simulator.scripted_reps import RepStyle, Said, next_line
from simulator.scripted_voice import ScriptedVoice
from simulator.session import Session
from simulator.transcript import Speaker
from simulator.voice import Voice

DEFAULT_TURNS = 12


class Unlock(BaseModel):
    priority: str
    before: Level
    after: Level
    reason: str


class PlayedTurn(BaseModel):
    turn: int
    speaker: Speaker
    text: str
    # On rep turns: the priorities this turn raised.
    unlocked: list[Unlock] = Field(default_factory=list)
    # Trust after a rep turn; shown in the table, left out of the JSON.
    trust: float | None = Field(default=None, exclude=True)


class SelfPlay(BaseModel):
    persona: str
    rep: RepStyle
    turns: list[PlayedTurn]
    levels: dict[str, Level]
    trust: float


async def play(persona: Persona, rep: RepStyle, voice: Voice, turns: int) -> SelfPlay:
    """`turns` rep turns against `voice`; raises VoiceError when a reply cannot be had."""
    card = public_card(persona)
    session = Session(persona, voice, None)
    conversation = [Said("customer", persona.opening)]
    played = [PlayedTurn(turn=0, speaker="customer", text=persona.opening)]
    for _ in range(turns):
        line = next_line(rep, card, conversation)
        turn = len(session.turns)
        session.send(line)
        async for _event in session.reply():
            pass
        unlocked = [
            Unlock(priority=t.priority, before=t.before, after=t.after, reason=t.reason)
            for t in engine.raised(session.state, turn)
            if t.priority is not None and t.before is not None and t.after is not None
        ]
        reply = session.turns[-1].text
        played.append(
            PlayedTurn(
                turn=turn, speaker="rep", text=line, unlocked=unlocked, trust=session.state.trust
            )
        )
        played.append(PlayedTurn(turn=turn + 1, speaker="customer", text=reply))
        conversation += [Said("rep", line), Said("customer", reply)]
    return SelfPlay(
        persona=persona.id,
        rep=rep,
        turns=played,
        levels=dict(session.state.levels),
        trust=session.state.trust,
    )


def play_scripted(persona: Persona, rep: RepStyle, turns: int = DEFAULT_TURNS) -> SelfPlay:
    """Self-play with the scripted customer: offline, deterministic, fast."""
    return asyncio.run(play(persona, rep, ScriptedVoice(), turns))


# --- the gate ------------------------------------------------------------------------------

GATE_TURNS = 12
# The curious rep must reach "why" on this many priorities within GATE_TURNS rep turns.
CURIOUS_WHY = 2
# The deepest level each resisted style may reach.
CEILINGS: dict[RepStyle, Level] = {"pitchy": Level.hint, "interrogator": Level.stated}


@dataclass(frozen=True)
class GateResult:
    plays: dict[RepStyle, SelfPlay]
    failures: list[str]


def gate(persona: Persona) -> GateResult:
    """Does the persona reward curiosity and resist pitching and checklists?"""
    curious = play_scripted(persona, "curious", GATE_TURNS)
    plays: dict[RepStyle, SelfPlay] = {"curious": curious}
    failures: list[str] = []
    deep = [pid for pid, level in curious.levels.items() if level.rank >= Level.why.rank]
    if len(deep) < CURIOUS_WHY:
        failures.append(
            f"curious rep reached why on {len(deep)} priorit{'y' if len(deep) == 1 else 'ies'}"
            f" in {GATE_TURNS} turns, needs {CURIOUS_WHY} ({describe_levels(curious.levels)})"
        )
    for rep, ceiling in CEILINGS.items():
        result = play_scripted(persona, rep, GATE_TURNS)
        plays[rep] = result
        past = {pid: lvl for pid, lvl in result.levels.items() if lvl.rank > ceiling.rank}
        if past:
            failures.append(
                f"{rep} rep got past {ceiling.value} ({describe_levels(past)}); "
                f"first on turn {_first_past(result, ceiling)}"
            )
    return GateResult(plays, failures)


def describe_levels(levels: dict[str, Level]) -> str:
    return ", ".join(f"{pid}={level.value}" for pid, level in levels.items())


def _first_past(result: SelfPlay, ceiling: Level) -> int:
    for played in result.turns:
        if any(unlock.after.rank > ceiling.rank for unlock in played.unlocked):
            return played.turn
    return -1
