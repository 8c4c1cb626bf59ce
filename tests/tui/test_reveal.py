"""--reveal: the hidden state beside the conversation, updated as the rep talks."""

from __future__ import annotations

from textual.widgets import Static

from simulator.tui.screens.chat import ChatScreen
from simulator.tui.widgets.reveal_panel import RevealPanel
from tests.support.sample import sample_persona
from tests.tui.helpers import Recorder, exchange, make_app


def shown(panel: RevealPanel, part: str) -> str:
    return str(panel.query_one(f"#reveal-{part}", Static).render())


async def test_panel_follows_trust_levels_and_labels() -> None:
    app = make_app(persona=sample_persona(), reveal=True)
    posted = Recorder()
    async with app.run_test(size=(110, 30), message_hook=posted) as pilot:
        chat = app.screen
        assert isinstance(chat, ChatScreen)
        panel = chat.query_one(RevealPanel)
        assert "trust ▰▰▰" in shown(panel, "trust") and "0.30" in shown(panel, "trust")
        assert shown(panel, "levels").count("hidden") == 3
        assert shown(panel, "labels") == "(nothing said yet)"

        await exchange(pilot, posted, "What's on your plate this quarter?")
        session = chat.session
        assert session is not None
        levels = shown(panel, "levels")
        rows = levels.splitlines()
        for priority, level in session.state.levels.items():
            assert rows[rows.index(priority) + 1].endswith(f" {level.value}")
        assert any(level.value != "hidden" for level in session.state.levels.values())
        assert f"{session.state.trust:.2f}" in shown(panel, "trust")
        labels = shown(panel, "labels")
        assert labels.startswith("question: open")
        assert "· " in labels  # what the turn changed, with the engine's reason

        await exchange(pilot, posted, "Would a demo of our invoice automation help?")
        assert "pitch" in shown(panel, "labels")

        await pilot.press("ctrl+r")
        assert not panel.display
        await pilot.press("ctrl+r")
        assert panel.display


async def test_without_reveal_there_is_no_panel() -> None:
    app = make_app(persona=sample_persona())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not app.screen.query(RevealPanel)
        active = app.screen.active_bindings.values()
        assert not [a for a in active if a.binding.action == "toggle_reveal" and a.enabled]
