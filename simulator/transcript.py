"""The saved conversation: DESIGN's transcript JSON as pydantic models."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from simulator.labels import TurnLabels
from simulator.persona import Level, Persona

Speaker = Literal["rep", "customer"]


def now() -> datetime:
    return datetime.now(UTC)


class Transition(BaseModel):
    """One change of the engine's state and the rep turn that caused it."""

    turn: int
    priority: str | None = None
    before: Level | None = None
    after: Level | None = None
    trust_before: float
    trust_after: float
    reason: str


class EngineState(BaseModel):
    """Trust and every priority's level; `log` holds every transition so far."""

    trust: float
    levels: dict[str, Level]
    # The priority the customer last spoke about: what a follow-up builds on.
    focus: str | None = None
    log: list[Transition] = Field(default_factory=list)


class Snapshot(BaseModel):
    """The engine's state saved with a customer turn, with what the rep's turn changed."""

    trust: float
    levels: dict[str, Level]
    changes: list[Transition] = Field(default_factory=list)


class Turn(BaseModel):
    speaker: Speaker
    text: str
    at: datetime | None = None
    labels: TurnLabels | None = None
    state: Snapshot | None = None


class EngineInfo(BaseModel):
    voice: Literal["llm", "scripted"]
    model: str | None = None
    # The first turn after the rep switched to the scripted voice when the model server failed.
    offline_from: int | None = None


class Transcript(BaseModel):
    format: Literal["deeper-transcript"] = "deeper-transcript"
    version: Literal[1] = 1
    id: str
    persona: Persona | None = None
    # The rep's name when known (imported calls); practice sessions leave it out.
    rep: str | None = None
    engine: EngineInfo | None = None
    started_at: datetime = Field(default_factory=now)
    ended_at: datetime | None = None
    turns: list[Turn] = Field(default_factory=list)
    quiz: dict[str, Any] | None = None
    evaluation: dict[str, Any] | None = None
