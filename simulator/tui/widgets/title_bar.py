"""The line at the top of every screen: what this is, and (in the chat) who is answering."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static


class TitleBar(Static):
    """The screen's title and sub-title, kept up to date as they change."""

    def __init__(self) -> None:
        super().__init__(id="title-bar")

    def on_mount(self) -> None:
        screen = self.screen
        self.watch(screen, "title", self._show, init=False)
        self.watch(screen, "sub_title", self._show, init=False)
        self._show()

    def _show(self) -> None:
        screen = self.screen
        title = screen.title or self.app.title
        sub_title = screen.sub_title or ""
        parts: list[str | tuple[str, str]] = [(title, "bold")]
        if sub_title:
            parts.extend([("  ·  ", "$foreground-muted"), (sub_title, "$foreground-muted")])
        self.update(Content.assemble(*parts))
