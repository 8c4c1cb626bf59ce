"""A persona's public card: what a rep could know before the call, and nothing hidden."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from simulator.persona import Persona


class PublicCard(BaseModel):
    """The persona without its priorities: no labels, signals, reveals, why or fear.

    Scripted reps are given only this and the words said so far, so what they say can
    never be drawn from what the customer has not yet told.
    """

    model_config = ConfigDict(frozen=True)

    id: str
    kind: str
    name: str
    role: str
    company: str
    situation: str
    opening: str
    tone: str
    verbosity: str
    pet_peeves: tuple[str, ...]
    # What the rep sells (or, for a direct report, what the manager wants to push).
    offering: str
    offering_terms: tuple[str, ...]

    @property
    def headline(self) -> str:
        return f"{self.name}, {self.role} at {self.company}"


def public_card(persona: Persona) -> PublicCard:
    return PublicCard(
        id=persona.id,
        kind=persona.kind,
        name=persona.name,
        role=persona.role,
        company=persona.company,
        situation=persona.situation,
        opening=persona.opening,
        tone=persona.voice.tone,
        verbosity=persona.voice.verbosity,
        pet_peeves=tuple(persona.pet_peeves),
        offering=persona.offering.summary,
        offering_terms=tuple(persona.offering.terms),
    )
