"""Saved sessions, newest first; Enter opens one's scorecard."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label

from simulator.history import SavedSession, load_history
from simulator.tui.report import saved_report
from simulator.tui.screens.scorecard import ScorecardScreen
from simulator.tui.widgets.title_bar import TitleBar


class HistoryScreen(Screen[None]):
    TITLE = "History"
    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder
        self.sessions: list[SavedSession] = []
        self.sub_title = str(folder)

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield DataTable(id="history", cursor_type="row", zebra_stripes=True)
        yield Label("", id="history-empty")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        history = load_history(self.folder)
        self.sessions = history.sessions
        for problem in history.problems:
            self.notify(f"skipped {problem}", severity="warning", timeout=8)
        table = self.query_one(DataTable)
        table.add_columns("date", "persona", "verdict", "score", "turns")
        for index, saved in enumerate(self.sessions):
            # Text, not markup: a persona's name may hold brackets.
            table.add_row(
                Text(saved.date),
                Text(saved.persona),
                Text(saved.verdict or "-"),
                Text("-" if saved.score is None else str(saved.score), justify="right"),
                Text(str(saved.rep_turns), justify="right"),
                key=str(index),
            )
        empty = self.query_one("#history-empty", Label)
        empty.update("" if self.sessions else "No saved sessions yet.")
        empty.display = not self.sessions
        table.display = bool(self.sessions)
        table.focus()

    @on(DataTable.RowSelected, "#history")
    async def _open(self, event: DataTable.RowSelected) -> None:
        saved = self.sessions[int(str(event.row_key.value))]
        await self.app.push_screen(ScorecardScreen(saved_report(saved), live=False))
