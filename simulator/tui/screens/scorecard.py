"""The scorecard after the quiz, or of a saved session opened from the history."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer

from simulator.tui.report import Report
from simulator.tui.widgets.scorecard import ScorecardView
from simulator.tui.widgets.title_bar import TitleBar


class ScorecardScreen(Screen[None]):
    BINDINGS = [
        Binding("p", "again", "Practise again"),
        Binding("n", "pick", "Other persona"),
        Binding("h", "history", "History"),
        Binding("escape", "back", "Back"),
        Binding("q", "app.quit", "Quit", show=False),
    ]

    def __init__(self, report: Report, *, live: bool) -> None:
        super().__init__()
        self.report = report
        self.live = live
        persona = report.transcript.persona
        self.title = f"Scorecard · {persona.name}" if persona else "Scorecard"
        self.sub_title = report.when

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield ScorecardView(self.report, id="scorecard")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one(ScorecardView).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Live, the way on is a new session; from the history, back to the list.
        if action == "back":
            return not self.live
        if action in ("again", "pick", "history"):
            return self.live
        return True

    async def action_again(self) -> None:
        await self.app.run_action("practise_again")

    async def action_pick(self) -> None:
        await self.app.run_action("pick_persona")

    async def action_history(self) -> None:
        await self.app.run_action("history")

    def action_back(self) -> None:
        self.dismiss()
