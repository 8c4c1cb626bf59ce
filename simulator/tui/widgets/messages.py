"""The two kinds of message in the conversation log."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.timer import Timer
from textual.widgets import Label, Markdown, Static
from textual.widgets.markdown import MarkdownStream


class RepMessage(Vertical):
    """What the rep said, exactly as typed."""

    def __init__(self, text: str) -> None:
        super().__init__(classes="message rep")
        self.text = text

    def compose(self) -> ComposeResult:
        yield Label("You", classes="speaker")
        yield Static(self.text, markup=False, classes="body")


class CustomerMessage(Vertical):
    """What the customer said; a reply in progress streams in chunk by chunk.

    Chunks are gathered and handed to the Markdown stream at most every FLUSH_SECONDS:
    a reply at hundreds of tokens a second must not re-wrap and repaint the log per token.
    """

    FLUSH_SECONDS = 0.1

    def __init__(self, speaker: str, text: str = "") -> None:
        super().__init__(classes="message customer")
        self.speaker = speaker
        self.text = text
        self._stream: MarkdownStream | None = None
        self._pending: list[str] = []
        self._flush_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Label(self.speaker, classes="speaker")
        yield Markdown(self.text, classes="body")

    @property
    def body(self) -> Markdown:
        return self.query_one(Markdown)

    def write(self, chunk: str) -> None:
        """Append a chunk; it shows with the next flush."""
        self.text += chunk
        self._pending.append(chunk)
        if self._flush_timer is None:
            self._flush_timer = self.set_timer(self.FLUSH_SECONDS, self._flush)

    async def _flush(self) -> None:
        self._flush_timer = None
        if not self._pending:
            return
        if self._stream is None:
            self._stream = Markdown.get_stream(self.body)
        fragment = "".join(self._pending)
        self._pending.clear()
        await self._stream.write(fragment)

    async def finish(self, text: str) -> None:
        """The reply is complete: one full render of the final text."""
        await self._stop()
        self.text = text
        await self.body.update(text)

    async def clear(self) -> None:
        await self._stop()
        self.text = ""
        await self.body.update("")

    async def _stop(self) -> None:
        if self._flush_timer is not None:
            self._flush_timer.stop()
            self._flush_timer = None
        self._pending.clear()
        if self._stream is not None:
            await self._stream.stop()
            self._stream = None
