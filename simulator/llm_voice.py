"""The customer played by any OpenAI-compatible model, told only what it may say now."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Literal

from openai import AsyncOpenAI

from simulator import customer_prompt
from simulator.customer_view import CustomerView
from simulator.llm_client import make_client, stream_chat
from simulator.settings import Settings
from simulator.transcript import Turn


class LLMVoice:
    kind: Literal["llm", "scripted"] = "llm"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.model: str | None = settings.model
        self.where = settings.endpoint
        self._client: AsyncOpenAI | None = None

    @property
    def client(self) -> AsyncOpenAI:
        # Built on first use: constructing the app never needs a key or a server.
        if self._client is None:
            self._client = make_client(self.settings)
        return self._client

    async def reply(self, view: CustomerView, history: Sequence[Turn]) -> AsyncIterator[str]:
        messages = customer_prompt.messages(view, history)
        async for text in stream_chat(self.client, self.settings.model, messages):
            yield text

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.close()
            self._client = None
