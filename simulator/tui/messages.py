"""What the chat screen posts while the customer answers: one typed message per event.

They stay with the chat screen (no bubbling): the app has nothing to do with them.
"""

from __future__ import annotations

from textual.message import Message


class ReplyStarted(Message):
    """The rep's message is on its way; the customer's answer will stream in."""

    bubble = False

    def __init__(self, rep_text: str) -> None:
        super().__init__()
        self.rep_text = rep_text


class ReplyChunkReceived(Message):
    """A piece of the customer's answer, to append to what is shown."""

    bubble = False

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class ReplyReset(Message):
    """The answer broke off and starts again: what was shown of it goes."""

    bubble = False

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


class ReplyFinished(Message):
    """The customer's answer is complete and saved in the transcript."""

    bubble = False

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class ReplyFailed(Message):
    """No answer could be had; `error` is one line, safe to show the rep."""

    bubble = False

    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error
