"""The two kinds of message in the conversation log.

A said message is one Static (speaker and words): a long conversation stays a light
layout. Only the reply in progress is a Markdown document fed by a Markdown stream.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Label, Markdown, Static
from textual.widgets.markdown import MarkdownStream


def said(speaker: str, text: str, style: str) -> Content:
    return Content.assemble((speaker, f"bold {style}"), "\n", text)


class RepMessage(Static):
    """What the rep said, exactly as typed."""

    def __init__(self, text: str) -> None:
        super().__init__(said("You", text, "$text-secondary"), classes="message rep")
        self.text = text


class CustomerMessage(Vertical):
    """What the customer said; a reply in progress streams in chunk by chunk.

    Chunks are gathered and handed to the Markdown stream at most every FLUSH_SECONDS:
    a reply at hundreds of tokens a second must not re-wrap and repaint the log per token.
    When the reply is complete it is rendered once more, whole, as plain spoken text
    (the customer's prompt asks for spoken sentences, not formatting).
    """

    FLUSH_SECONDS = 0.2
    # Room kept below a streaming reply, as a share of the log's height: the text fills it
    # without moving the log, which then scrolls once per stretch instead of every flush
    # (a scroll repaints the whole log).
    ROOM = 0.5

    def __init__(self, speaker: str, text: str = "", *, streaming: bool = False) -> None:
        super().__init__(classes="message customer")
        self.speaker = speaker
        self.text = text
        self.streaming = streaming
        self._stream: MarkdownStream | None = None
        self._pending: list[str] = []
        self._flush_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        if self.streaming:
            yield Label(self.speaker, classes="speaker")
            yield Markdown(classes="body")
        else:
            yield self._final()

    def _final(self) -> Static:
        return Static(said(self.speaker, self.text, "$text-primary"), classes="said")

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
            self._stream = Markdown.get_stream(self.query_one(Markdown))
        fragment = "".join(self._pending)
        self._pending.clear()
        await self._stream.write(fragment)
        self.call_after_refresh(self._make_room)

    def _make_room(self) -> None:
        """Keep blank room below the text; grow it by a stretch when the text reaches it."""
        if not self.streaming or self.parent is None:
            return
        used = self.query_one(Markdown).outer_size.height + 1  # the speaker's line
        reserved = self.styles.min_height
        if reserved is not None and used < reserved.value - 1:
            return
        viewport = self.parent.size.height if isinstance(self.parent, Widget) else 0
        self.styles.min_height = used + max(3, int(viewport * self.ROOM))

    async def finish(self, text: str) -> None:
        """The reply is complete: one render of the final text replaces the stream."""
        await self._stop()
        self.text = text
        self.streaming = False
        self.styles.min_height = None
        await self.remove_children()
        await self.mount(self._final())

    async def clear(self) -> None:
        """The reply starts again: what was shown of it goes."""
        await self._stop()
        self.text = ""
        await self.query_one(Markdown).update("")

    async def _stop(self) -> None:
        if self._flush_timer is not None:
            self._flush_timer.stop()
            self._flush_timer = None
        self._pending.clear()
        if self._stream is not None:
            await self._stream.stop()
            self._stream = None
