"""The one small interface every customer voice speaks through."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Literal, Protocol

from simulator.customer_view import CustomerView
from simulator.transcript import Turn


class Voice(Protocol):
    kind: Literal["llm", "scripted"]
    # The model's name, or None for the scripted voice.
    model: str | None
    # Where replies come from, for messages: the server's URL, or "scripted".
    where: str

    def reply(self, view: CustomerView, history: Sequence[Turn]) -> AsyncIterator[str]:
        """The customer's next turn as text chunks; `history` ends with the rep's turn."""
        ...

    async def aclose(self) -> None:
        """Release connections; called once, when the front end is done."""


class VoiceError(Exception):
    """A reply could not be had; the message is one line, safe to show the rep."""
