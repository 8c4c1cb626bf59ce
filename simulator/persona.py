"""The persona file as data: a public self and hidden priorities, each revealed level by level."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=64)]


class Level(StrEnum):
    """How far a priority has been disclosed; the order is the order of depth."""

    hidden = "hidden"
    hint = "hint"
    stated = "stated"
    why = "why"
    fear = "fear"

    @property
    def rank(self) -> int:
        return LEVELS.index(self)


LEVELS: tuple[Level, ...] = tuple(Level)
REVEALED_LEVELS: tuple[Level, ...] = LEVELS[1:]


class Strict(BaseModel):
    # Unknown keys are errors: a typo such as `reveal:` must not pass silently.
    model_config = ConfigDict(extra="forbid", frozen=True)


class Offering(Strict):
    summary: Text = Field(description="What the rep sells, or what the manager wants to push.")
    terms: list[Text] = Field(
        min_length=1,
        description="The seller's words: turns that push them are recognised as pitches.",
    )


class Manner(Strict):
    tone: Text = Field(description="How the customer sounds, for the LLM voice.")
    verbosity: Literal["short", "medium", "long"] = "short"


class TrustSettings(Strict):
    start: float = Field(
        default=0.3,
        ge=0.0,
        le=1.0,
        description="Trust at the first turn; 'why' needs 0.4 and 'fear' 0.55.",
    )


def _as_lines(value: object) -> object:
    # One authored line may be written as a plain string.
    return [value] if isinstance(value, str) else value


Lines = Annotated[list[Text], Field(min_length=1)]


class Reveals(Strict):
    """Authored lines per level; several per level let the scripted voice vary."""

    hint: Lines = Field(description="Alludes to the priority without naming it.")
    stated: Lines = Field(description="Says plainly what the customer wants.")
    why: Lines = Field(description="The story behind it: why it matters.")
    fear: Lines = Field(description="What scares the customer about it.")

    # The schema says what the validator accepts: editors must not flag a one-line string.
    _lines = field_validator(
        "hint", "stated", "why", "fear", mode="before", json_schema_input_type=Text | Lines
    )(_as_lines)

    def lines(self, level: Level) -> list[str]:
        if level is Level.hidden:
            return []
        lines: list[str] = getattr(self, level.value)
        return lines


class Priority(Strict):
    id: Slug
    label: Text = Field(description="What the customer cares about, in a few words.")
    why: Text = Field(description="Hidden: why it matters, for the LLM voice and the quiz.")
    fear: Text = Field(description="Hidden: what scares the customer about it.")
    signals: list[Text] = Field(
        min_length=1,
        description="Words that tie a rep's turn, or the customer's last answer, to this priority.",
    )
    reveals: Reveals


class Persona(Strict):
    id: Slug
    kind: Literal["customer", "direct_report"] = Field(
        default="customer",
        description="direct_report: a team member in a one-to-one with their manager.",
    )
    name: Text
    role: Text
    company: Text = Field(description="The organisation, with its size and what it does.")
    situation: Text = Field(description="Why the conversation is happening, from their side.")
    offering: Offering
    voice: Manner
    opening: Text = Field(description="The customer's first words.")
    pet_peeves: list[Text] = Field(default_factory=list)
    trust: TrustSettings = Field(default_factory=TrustSettings)
    priorities: list[Priority] = Field(
        min_length=1, description="What the customer really cares about, revealed level by level."
    )

    @model_validator(mode="after")
    def _unique_priority_ids(self) -> Persona:
        seen: set[str] = set()
        for index, priority in enumerate(self.priorities):
            if priority.id in seen:
                raise DuplicatePriority(index, priority.id)
            seen.add(priority.id)
        return self

    def priority(self, priority_id: str) -> Priority:
        for priority in self.priorities:
            if priority.id == priority_id:
                return priority
        raise KeyError(priority_id)

    @property
    def headline(self) -> str:
        return f"{self.name}, {self.role} at {self.company}"


class DuplicatePriority(ValueError):
    """Raised inside validation; the loader points at the offending priority's `id`."""

    def __init__(self, index: int, priority_id: str) -> None:
        super().__init__(f"duplicate priority id {priority_id!r}")
        self.index = index
        self.priority_id = priority_id
