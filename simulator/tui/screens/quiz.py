"""The 90-second quiz: the top three things the customer cares about, and why."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label

from simulator.tui.widgets.countdown import Clock, Countdown
from simulator.tui.widgets.title_bar import TitleBar

SLOTS = 3


class QuizScreen(Screen[None]):
    BINDINGS = [Binding("ctrl+s", "submit", "Submit answers")]

    class Submitted(Message):
        """The rep's answers, in slot order: (what they care about, why), blanks kept."""

        def __init__(self, answers: list[tuple[str, str]], *, timed_out: bool, left: float):
            super().__init__()
            self.answers = answers
            self.timed_out = timed_out
            self.left = left

    def __init__(self, name: str, *, seconds: float, clock: Clock) -> None:
        super().__init__()
        self.customer = name
        self.seconds = seconds
        self.clock = clock
        self.submitted = False
        self.title = "Quiz"
        self.sub_title = f"what does {name} care about?"

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Vertical(id="quiz"):
            yield Label(
                f"What are the top three things {self.customer} cares about, and why?",
                id="quiz-question",
            )
            yield Countdown(self.seconds, self.clock, id="countdown")
            with Horizontal(classes="quiz-head"):
                yield Label("", classes="slot-number")
                yield Label("what they care about", classes="slot-head")
                yield Label("why it matters to them", classes="slot-head")
            for slot in range(1, SLOTS + 1):
                with Horizontal(classes="quiz-slot"):
                    yield Label(f"{slot}.", classes="slot-number")
                    yield Input(id=f"care-{slot}", classes="care")
                    yield Input(id=f"why-{slot}", classes="why")
            yield Button("Submit answers", id="quiz-submit", variant="primary")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#care-1", Input).focus()

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        if event.input.id == f"why-{SLOTS}":
            self.action_submit()
        else:
            self.focus_next(Input)

    @on(Button.Pressed, "#quiz-submit")
    def _pressed(self) -> None:
        self.action_submit()

    def on_countdown_expired(self, message: Countdown.Expired) -> None:
        self._submit(timed_out=True)

    def action_submit(self) -> None:
        self._submit(timed_out=False)

    def answers(self) -> list[tuple[str, str]]:
        return [
            (
                self.query_one(f"#care-{slot}", Input).value.strip(),
                self.query_one(f"#why-{slot}", Input).value.strip(),
            )
            for slot in range(1, SLOTS + 1)
        ]

    def _submit(self, *, timed_out: bool) -> None:
        if self.submitted:
            return
        self.submitted = True
        countdown = self.query_one(Countdown)
        countdown.stop()
        self.post_message(
            self.Submitted(self.answers(), timed_out=timed_out, left=countdown.remaining)
        )
