"""Saved sessions: the history screen and `deeper history`."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from textual.widgets import DataTable

from simulator.cli import main
from simulator.scripted_voice import ScriptedVoice
from simulator.session import Session
from simulator.store import sessions_dir
from simulator.tui.report import grade
from simulator.tui.screens.history import HistoryScreen
from simulator.tui.screens.picker import PickerScreen
from simulator.tui.screens.scorecard import ScorecardScreen
from simulator.tui.widgets.scorecard import ScorecardView
from tests.support.sample import sample_persona
from tests.tui.helpers import make_app, wait_until


async def saved_session(home: Path, *said: str, quiz: bool) -> Path:
    session = Session(sample_persona(), ScriptedVoice(), sessions_dir(home))
    for text in said:
        session.send(text)
        async for _ in session.reply():
            pass
    session.end()
    if quiz:
        grade(session, [("daily cash", "a covenant scare")], timed_out=False, left=30.0)
    assert session.path is not None
    return session.path


@pytest.fixture
def history(isolated_env: Path) -> list[Path]:
    async def make() -> list[Path]:
        graded = await saved_session(
            isolated_env, "What's on your plate?", "Why does that matter?", quiz=True
        )
        plain = await saved_session(isolated_env, "Would a demo help?", quiz=False)
        return [graded, plain]

    paths = asyncio.run(make())
    folder = sessions_dir(isolated_env)
    (folder / "broken.json").write_text("{not json")
    (folder / "other.json").write_text('{"hello": "world"}')
    return paths


def test_cli_lists_sessions_and_skips_bad_files(
    history: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["history"])
    out, err = capsys.readouterr()
    assert code == 1  # some files could not be read; the rest are listed
    header, *rows = out.splitlines()
    assert header.split() == ["date", "persona", "verdict", "score", "turns", "file"]
    assert len(rows) == 2
    names = {path.name for path in history}
    assert {row.split()[-1] for row in rows} == names
    graded = next(row for row in rows if history[0].name in row)
    assert "Dana Reyes" in graded and "2025-03-14 09:30" in graded
    assert any(verdict in graded for verdict in ("deeper", "mixed", "pitch"))
    ungraded = next(row for row in rows if history[1].name in row)
    assert "  -  " in ungraded
    warnings = err.splitlines()
    assert len(warnings) == 2
    assert all(line.startswith("warning: skipped ") for line in warnings)
    assert any("broken.json" in line for line in warnings)


def test_cli_with_no_sessions(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["history"]) == 0
    out, err = capsys.readouterr()
    assert out == "" and "no saved sessions" in err


async def test_history_screen_opens_scorecards(history: list[Path]) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press("ctrl+o")
        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen))
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        table = screen.query_one(DataTable)
        assert table.row_count == 2
        skipped = [n.message for n in app._notifications if "skipped" in n.message]
        assert len(skipped) == 2

        opened = {}
        for row in range(2):
            table.move_cursor(row=row)
            await pilot.press("enter")
            await wait_until(pilot, lambda: isinstance(app.screen, ScorecardScreen))
            card = app.screen
            assert isinstance(card, ScorecardScreen) and not card.live
            assert card.query_one(ScorecardView)
            opened[card.report.path] = card.report
            await pilot.press("escape")
            await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen))
        graded, plain = (opened[path] for path in history)
        assert graded.quiz is not None and graded.quiz.score is not None
        assert graded.quiz.answers[0] == ("daily cash", "a covenant scare")
        # Saved without a scorecard: judged on opening, and there is no quiz to show.
        assert plain.quiz is None and plain.evaluation.turns
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, PickerScreen))
