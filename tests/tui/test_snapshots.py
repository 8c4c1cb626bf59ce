"""SVG snapshots of the practice room (pytest-textual-snapshot).

Deterministic by construction: personas built in code, a fixed voice, a clock that does
not move (the quiz countdown stays at 1:30), fixed timestamps, the cursor not blinking.
Update after a deliberate change with `pytest tests/tui --snapshot-update`.
"""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from simulator.tui.screens.chat import ChatScreen
from simulator.tui.screens.quiz import QuizScreen
from simulator.tui.screens.scorecard import ScorecardScreen
from tests.support.sample import sample_persona
from tests.tui.helpers import (
    FakeClock,
    FixedVoice,
    fixed_report,
    make_app,
    no_blink,
    type_and_send,
    wait_until,
)

SnapCompare = Any  # the plugin's fixture is untyped

LINES = [
    "Month end is always a scramble for us, and the close keeps slipping.",
    "Because last year we nearly breached a covenant: we saw the cash position far too "
    "late, and the board noticed. I would rather not live through that again, honestly.",
]


def chat_app() -> Any:
    return make_app(FakeClock(), persona=sample_persona(), voice=FixedVoice(LINES))


async def talk(pilot: Pilot[Any], *messages: str) -> ChatScreen:
    screen = pilot.app.screen
    assert isinstance(screen, ChatScreen)
    await wait_until(pilot, lambda: screen.session is not None)
    for number, text in enumerate(messages, 1):
        await type_and_send(pilot, text)
        await wait_until(
            pilot,
            lambda n=number: screen.rep_turns == n and not screen.replying,  # type: ignore[misc]
        )
    await pilot.pause()
    return screen


def test_picker(snap_compare: SnapCompare) -> None:
    """You should see two persona cards (Dana Reyes, CFO; Sam Okoro, a direct report),
    the filter focused and the footer with Start, History and Quit."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        no_blink(pilot)

    assert snap_compare(make_app(), run_before=run_before, terminal_size=(80, 24))


def test_chat_mid_conversation(snap_compare: SnapCompare) -> None:
    """You should see the opening, two questions and two answers (the second wrapping over
    three lines), the log scrolled to the bottom, the empty input and End & quiz."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await talk(pilot, "What's on your plate this quarter?", "Why does that matter to you?")
        no_blink(pilot)

    assert snap_compare(chat_app(), run_before=run_before, terminal_size=(80, 24))


def test_quiz(snap_compare: SnapCompare) -> None:
    """You should see the question, the countdown at 1:30 with a full bar, three slots
    with the first answer typed, and Submit."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await talk(pilot, "What's on your plate this quarter?")
        await pilot.press("ctrl+t")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, QuizScreen))
        await pilot.pause()
        await pilot.press(*"daily cash", "tab", *"the covenant scare")
        no_blink(pilot)

    assert snap_compare(chat_app(), run_before=run_before, terminal_size=(80, 24))


async def show_scorecard(pilot: Pilot[Any]) -> None:
    app = pilot.app
    await app.show(ScorecardScreen(fixed_report(), live=True))  # type: ignore[attr-defined]
    await pilot.pause()


def test_scorecard(snap_compare: SnapCompare) -> None:
    """You should see MIXED 58/100 with its summary, the five score parts with their
    reasons wrapped in their own column, and the metrics below."""
    assert snap_compare(make_app(), run_before=show_scorecard, terminal_size=(80, 24))


def test_scorecard_whole_on_light_theme(snap_compare: SnapCompare) -> None:
    """You should see the whole scorecard on the light theme, every colour readable:
    priorities with their level bars and what was held back, the quiz beside the truth,
    evidence with ✓ and ✗, and the coaching line."""

    async def run_before(pilot: Pilot[Any]) -> None:
        pilot.app.theme = "textual-light"
        await show_scorecard(pilot)

    assert snap_compare(make_app(), run_before=run_before, terminal_size=(110, 64))
