"""What the turn analyser says about one rep turn."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

QuestionKind = Literal["open", "closed", "none"]


class TurnLabels(BaseModel):
    model_config = ConfigDict(frozen=True)

    question: QuestionKind = "none"
    # Builds on the customer's previous answer and invites more.
    followup: bool = False
    # The offering's terms, product talk, demo or price pushes, also as a question.
    pitch: bool = False
    # Serves the seller's deal rather than the customer (budget, decision, "earn your business").
    self_serving: bool = False
    # Tells the customer about themselves without ground in what they said.
    assumption: bool = False
    # Mirrors the customer's words back and invites more, question mark or not.
    reflection: bool = False
    # A broad open question about the customer's world (goals, worries, their job).
    world: bool = False
    # Ids of the persona's priorities the turn touches, in persona order.
    priorities: list[str] = Field(default_factory=list)

    @property
    def curious(self) -> bool:
        """A turn that invites the customer to say more about themselves."""
        return not (self.pitch or self.self_serving or self.assumption) and (
            self.question != "none" or self.reflection
        )
