"""What the customer may say now: the only thing a voice ever sees of the persona.

Each priority's content is cut at its unlocked level, so no prompt, however it is
attacked, can carry what the engine has not yet released.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from simulator import engine
from simulator.labels import TurnLabels
from simulator.persona import Level, Persona
from simulator.transcript import EngineState


class Shareable(BaseModel):
    """One priority as far as the customer will go today."""

    id: str
    level: Level
    hints: list[str] = Field(default_factory=list)
    label: str | None = None
    stated: list[str] = Field(default_factory=list)
    why: str | None = None
    why_lines: list[str] = Field(default_factory=list)
    fear: str | None = None
    fear_lines: list[str] = Field(default_factory=list)

    def lines(self, level: Level) -> list[str]:
        by_level = {
            Level.hint: self.hints,
            Level.stated: self.stated,
            Level.why: self.why_lines,
            Level.fear: self.fear_lines,
        }
        return by_level.get(level, [])


class PublicSelf(BaseModel):
    kind: str
    name: str
    role: str
    company: str
    situation: str
    tone: str
    verbosity: str
    opening: str
    pet_peeves: list[str]
    # What the other side brings: lets the customer recognise a pitch as such.
    offering: str


class CustomerView(BaseModel):
    persona: PublicSelf
    turn: int
    labels: TurnLabels | None = None
    trust: float
    shareable: list[Shareable]
    # Priorities this rep turn raised, with their new level.
    unlocked: dict[str, Level] = Field(default_factory=dict)
    # Priorities the rep reached for but the customer is not ready to open up on.
    held: list[str] = Field(default_factory=list)
    focus: str | None = None


def shareable(persona: Persona, levels: dict[str, Level]) -> list[Shareable]:
    out: list[Shareable] = []
    for priority in persona.priorities:
        level = levels.get(priority.id, Level.hidden)
        if level is Level.hidden:
            continue
        item = Shareable(id=priority.id, level=level, hints=priority.reveals.hint)
        if level.rank >= Level.stated.rank:
            item.label = priority.label
            item.stated = priority.reveals.stated
        if level.rank >= Level.why.rank:
            item.why = priority.why
            item.why_lines = priority.reveals.why
        if level.rank >= Level.fear.rank:
            item.fear = priority.fear
            item.fear_lines = priority.reveals.fear
        out.append(item)
    return out


def view(
    persona: Persona, state: EngineState, turn: int, labels: TurnLabels | None = None
) -> CustomerView:
    """The customer's view after the rep's turn `turn` moved the engine to `state`."""
    unlocked = {
        entry.priority: entry.after
        for entry in engine.raised(state, turn)
        if entry.priority is not None and entry.after is not None
    }
    held = [
        entry.priority
        for entry in engine.changes(state, turn)
        if entry.priority is not None and entry.before == entry.after
    ]
    return CustomerView(
        persona=PublicSelf(
            kind=persona.kind,
            name=persona.name,
            role=persona.role,
            company=persona.company,
            situation=persona.situation,
            tone=persona.voice.tone,
            verbosity=persona.voice.verbosity,
            opening=persona.opening,
            pet_peeves=list(persona.pet_peeves),
            offering=persona.offering.summary,
        ),
        turn=turn,
        labels=labels,
        trust=state.trust,
        shareable=shareable(persona, state.levels),
        unlocked=unlocked,
        held=held,
        focus=state.focus,
    )
