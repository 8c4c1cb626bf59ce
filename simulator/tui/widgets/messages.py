"""The two kinds of message in the conversation log.

A said message is one Static (speaker and words): a long conversation stays a light
layout. The reply in progress is one StreamedText, appended to as chunks arrive.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import ScrollableContainer, Vertical
from textual.content import Content
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.timer import Timer
from textual.visual import RenderOptions
from textual.widget import Widget
from textual.widgets import Label, Static


def said(speaker: str, text: str, style: str) -> Content:
    return Content.assemble((speaker, f"bold {style}"), "\n", text)


class RepMessage(Static):
    """What the rep said, exactly as typed."""

    def __init__(self, text: str) -> None:
        super().__init__(said("You", text, "$text-secondary"), classes="message rep")
        self.text = text


class StreamedText(Widget):
    """Text that grows at its end, painted as cheaply as the terminal allows.

    Each line of the text (up to a newline) is wrapped once and its rows kept; a chunk
    re-wraps only the line it extends and repaints only the rows from there on. Blank
    rows are reserved below the text, a share ROOM of the log's height: while the text
    fills them the widget keeps its height, so a chunk needs no layout and the log does
    not scroll (a scroll repaints the whole log). Wrapping is Content's, as in a Static,
    so the finished reply shows the same rows.
    """

    DEFAULT_CSS = """
    StreamedText {
        height: auto;
    }
    """

    ROOM = 0.5

    def __init__(self, *, classes: str | None = None) -> None:
        self._lines = [""]
        self._rows: list[list[Strip]] = []  # per line, wrapped at self._width
        self._width = 0
        self._reserved = 0
        super().__init__(classes=classes)  # which may restyle, and so clear the rows

    @property
    def text(self) -> str:
        return "\n".join(self._lines)

    @property
    def row_count(self) -> int:
        return sum(len(rows) for rows in self._rows)

    def append(self, text: str) -> None:
        """Add `text` at the end; repaint what it changed."""
        if not text:
            return
        first = len(self._lines) - 1
        head, *rest = text.split("\n")
        self._lines[-1] += head
        self._lines.extend(rest)
        if not self._width:
            # Not laid out yet: the first layout wraps it all.
            self.refresh(layout=True)
            return
        top = sum(len(rows) for rows in self._rows[:first])
        del self._rows[first:]
        self._wrap(self._width)
        if self.row_count > self._reserved:
            self._reserved = self.row_count + self._room()
            self.refresh(layout=True)
        else:
            self.refresh(Region(0, top, self._width, self._reserved - top))

    def clear(self) -> None:
        self._lines = [""]
        self._rows.clear()
        self._reserved = 0
        self.refresh(layout=True)

    def _room(self) -> int:
        log = next((a for a in self.ancestors if isinstance(a, ScrollableContainer)), None)
        height = log.scrollable_content_region.height if log is not None else 0
        return max(3, int(height * self.ROOM))

    def _wrap(self, width: int) -> None:
        """Wrap the lines not yet wrapped at `width` (all of them for a new width)."""
        if width != self._width:
            self._width = width
            self._rows.clear()
        if len(self._rows) == len(self._lines):
            return
        options = RenderOptions(self._get_style, self.styles.get_render_rules())
        style = self.visual_style
        for line in self._lines[len(self._rows) :]:
            self._rows.append(Content(line).render_strips(width, None, style, options))

    def notify_style_update(self) -> None:
        # A new theme or class: the kept rows carry the old colours.
        super().notify_style_update()
        self._rows.clear()

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        if not width:
            return 0
        self._wrap(width)
        if self.row_count > self._reserved:
            self._reserved = self.row_count + self._room()
        return self._reserved

    def render_line(self, y: int) -> Strip:
        self._wrap(self.size.width)
        for rows in self._rows:
            if y < len(rows):
                return rows[y]
            y -= len(rows)
        return Strip.blank(self.size.width, self.visual_style.rich_style)


class CustomerMessage(Vertical):
    """What the customer said; a reply in progress streams in chunk by chunk.

    Chunks are gathered and appended at most every FLUSH_SECONDS: at hundreds of tokens
    a second, one repaint per token would crowd out the keys. When the reply is complete
    it is shown once more, whole, as one Static like every said message.
    """

    FLUSH_SECONDS = 0.2

    def __init__(self, speaker: str, text: str = "", *, streaming: bool = False) -> None:
        super().__init__(classes="message customer")
        self.speaker = speaker
        self.text = text
        self.streaming = streaming
        self._pending: list[str] = []
        self._flush_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        if self.streaming:
            yield Label(self.speaker, classes="speaker")
            yield StreamedText(classes="body")
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

    def _flush(self) -> None:
        self._flush_timer = None
        fragment = "".join(self._pending)
        self._pending.clear()
        self.query_one(StreamedText).append(fragment)

    async def finish(self, text: str) -> None:
        """The reply is complete: one render of the final text replaces the stream."""
        self._stop()
        self.text = text
        self.streaming = False
        await self.remove_children()
        await self.mount(self._final())

    async def clear(self) -> None:
        """The reply starts again: what was shown of it goes."""
        self._stop()
        self.text = ""
        self.query_one(StreamedText).clear()

    def _stop(self) -> None:
        if self._flush_timer is not None:
            self._flush_timer.stop()
            self._flush_timer = None
        self._pending.clear()
