"""Pick a persona: type to filter the cards, Enter to start."""

from __future__ import annotations

import re
from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, OptionList
from textual.widgets.option_list import Option

from simulator.persona import Persona
from simulator.tui.widgets.title_bar import TitleBar

KIND = {"customer": "customer", "direct_report": "direct report · coaching"}


def first_sentence(text: str) -> str:
    """The situation's first sentence: a card is for scanning, the chat shows it all."""
    flat = " ".join(text.split())
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z0-9\"'“])", flat, maxsplit=1)
    return parts[0]


def card(persona: Persona) -> Content:
    return Content.assemble(
        (persona.name, "bold"),
        "  ",
        (persona.role, "$text-accent"),
        "  ",
        (f"[{KIND.get(persona.kind, persona.kind)}]", "$foreground-muted"),
        "\n",
        persona.company,
        "\n",
        (first_sentence(persona.situation), "$foreground-muted"),
    )


def matches(persona: Persona, query: str) -> bool:
    haystack = " ".join(
        [persona.id, persona.name, persona.role, persona.company, persona.situation, persona.kind]
    ).lower()
    return all(word in haystack for word in query.lower().split())


class FilterInput(Input):
    """The filter; Enter starts the highlighted persona, after every key typed before it."""

    BINDINGS = [Binding("enter", "submit", "Start")]


class PickerScreen(Screen[None]):
    """Persona cards with name, role, company, kind and situation."""

    TITLE = "deeper"
    SUB_TITLE = "pick a persona"
    BINDINGS = [
        Binding("down", "move(1)", "Next", show=False),
        Binding("up", "move(-1)", "Previous", show=False),
        Binding("ctrl+o", "app.history", "History"),
    ]

    class Picked(Message):
        def __init__(self, persona: Persona) -> None:
            super().__init__()
            self.persona = persona

    def __init__(self, personas: Sequence[Persona]) -> None:
        super().__init__()
        self.personas = list(personas)
        self.shown: list[Persona] = list(personas)

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Label("Who would you like to practise with?", id="picker-title")
        yield FilterInput(placeholder="type to filter: name, role, company…", id="picker-filter")
        yield OptionList(id="picker-cards")
        yield Label("", id="picker-empty")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one(OptionList).can_focus = False
        # Focused before the first paint: keys typed at once must reach the filter.
        self.query_one("#picker-filter", Input).focus()
        self._refill("")

    @on(Input.Changed, "#picker-filter")
    def _filter(self, event: Input.Changed) -> None:
        self._refill(event.value)

    @on(Input.Submitted, "#picker-filter")
    def _submitted(self) -> None:
        self.action_start()

    def _refill(self, query: str) -> None:
        self.shown = [persona for persona in self.personas if matches(persona, query)]
        cards = self.query_one(OptionList)
        cards.clear_options()
        options: list[Option | None] = []
        for persona in self.shown:
            # A divider under each card but the last: None adds one.
            options.extend([Option(card(persona), id=persona.id), None])
        cards.add_options(options[:-1])
        if self.shown:
            cards.highlighted = 0
        empty = self.query_one("#picker-empty", Label)
        if not self.personas:
            empty.update("The persona library is empty: `deeper personas new ID` writes one.")
        elif not self.shown:
            empty.update(Content.assemble("No persona matches ", (repr(query.strip()), "bold")))
        else:
            empty.update("")
        empty.display = not self.shown

    def action_move(self, step: int) -> None:
        cards = self.query_one(OptionList)
        if step > 0:
            cards.action_cursor_down()
        else:
            cards.action_cursor_up()

    def action_start(self) -> None:
        highlighted = self.query_one(OptionList).highlighted
        if highlighted is None or not self.shown:
            self.app.bell()
            return
        self.post_message(self.Picked(self.shown[highlighted]))

    @on(OptionList.OptionSelected, "#picker-cards")
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        self.post_message(self.Picked(self.shown[event.option_index]))
