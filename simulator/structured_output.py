"""Asking a server for JSON the way it understands, found once per batch.

OpenAI and vLLM take `response_format: json_schema`; llama.cpp's server rejects it
(HTTP 500 "Input should be 'text' or 'json_object'") but honours a schema attached to
`json_object`; some servers take only a bare `json_object`. We try them in that order
and remember the first the server accepts for every later request of the batch.
"""

from __future__ import annotations

import asyncio
from typing import Any, Literal

import openai

Mode = Literal["json_schema", "json_object+schema", "json_object"]
MODES: tuple[Mode, ...] = ("json_schema", "json_object+schema", "json_object")
# A server that does not know a response_format answers one of these, naming it.
REJECTION_STATUSES = (400, 422, 500)
REJECTION_WORDS = ("response_format", "json_schema", "json_object", "schema")


class FormatRejected(Exception):
    """The server refused the structured-output mode: try the next one, never retry."""


def is_format_rejection(exc: BaseException) -> bool:
    if not isinstance(exc, openai.APIStatusError):
        return False
    if exc.status_code not in REJECTION_STATUSES:
        return False
    said = f"{exc.message} {exc.body}".lower()
    return any(word in said for word in REJECTION_WORDS)


def response_format(mode: Mode, schema: dict[str, Any]) -> dict[str, Any]:
    if mode == "json_schema":
        return {
            "type": "json_schema",
            "json_schema": {"name": "evaluation", "schema": schema, "strict": True},
        }
    if mode == "json_object+schema":
        return {"type": "json_object", "schema": schema}
    return {"type": "json_object"}


class OutputModes:
    """The mode to ask for, shared by every request of a batch.

    Until one request has succeeded, requests go one at a time under `lock`, so a server
    that rejects json_schema is asked with it once, not once per file in flight.
    """

    def __init__(self) -> None:
        self._index = 0
        self.settled = False
        self.lock = asyncio.Lock()

    @property
    def mode(self) -> Mode:
        return MODES[self._index]

    def reject(self, mode: Mode) -> bool:
        """Move past `mode`; False when the server has refused every mode."""
        if mode != self.mode:  # another request already moved on
            return True
        if self._index + 1 >= len(MODES):
            return False
        self._index += 1
        return True
