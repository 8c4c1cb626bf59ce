"""The practice room: picker → chat → quiz → scorecard, and the history of saved sessions.

The first screen paints before the heavy modules (the model SDK, the session, the judge)
are imported; they load in a thread meanwhile, and a session opens once they are there.
"""

from __future__ import annotations

import asyncio
import gc
import importlib
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from simulator.library import PersonaClash, list_personas
from simulator.persona import Persona
from simulator.persona_files import PersonaFileError
from simulator.settings import Settings
from simulator.tui import voices
from simulator.tui.screens.picker import PickerScreen

if TYPE_CHECKING:
    from simulator.session import Session
    from simulator.tui.report import Report
    from simulator.tui.screens.chat import ChatScreen
    from simulator.tui.screens.quiz import QuizScreen
    from simulator.tui.widgets.countdown import Clock
    from simulator.voice import Voice

QUIZ_SECONDS = 90.0
# Loaded in a thread after the first paint: the screens after the picker, the session
# (which brings the model SDK) and the judge. The chat screen is imported at once when
# it is the first screen.
HEAVY_MODULES = (
    "simulator.tui.screens.chat",
    "simulator.tui.screens.quiz",
    "simulator.tui.screens.scorecard",
    "simulator.tui.screens.history",
    "simulator.session",
    "simulator.judge",
    "simulator.quiz",
    "simulator.tui.report",
)


def _import_heavy(online: bool) -> None:
    for name in (*HEAVY_MODULES, *(("simulator.llm_voice",) if online else ())):
        importlib.import_module(name)


class DeeperApp(App[None]):
    """`saved` holds the paths of the transcripts saved while it ran."""

    CSS_PATH = "deeper.tcss"
    TITLE = "deeper"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", priority=True)]

    def __init__(
        self,
        settings: Settings,
        *,
        persona: Persona | None = None,
        personas: Sequence[Persona] | None = None,
        offline: bool = False,
        reveal: bool = False,
        voice: Voice | None = None,
        clock: Clock | None = None,
        quiz_seconds: float = QUIZ_SECONDS,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.first_persona = persona
        self._personas = list(personas) if personas is not None else None
        self.offline = offline
        self.reveal = reveal
        self._voice = voice
        self.clock: Clock = clock or time.monotonic
        self.quiz_seconds = quiz_seconds
        self.session: Session | None = None
        self.saved: list[Path] = []
        self.report: Report | None = None
        self._loading: asyncio.Future[None] | None = None

    @property
    def sessions(self) -> Path:
        """Where transcripts are saved (`store.sessions_dir`, which loads after the paint)."""
        from simulator.store import sessions_dir

        return sessions_dir(self.settings.home)

    @property
    def voice_label(self) -> str:
        if self._voice is not None and self._voice.kind == "scripted":
            return "scripted customer"
        return voices.label(self.settings, self.offline)

    @property
    def notice(self) -> str | None:
        if self._voice is not None:
            return None
        return voices.notice(self.settings, self.offline)

    async def on_mount(self) -> None:
        if self.first_persona is not None:
            await self.start_session(self.first_persona)
        else:
            await self.show_picker()
        self.call_after_refresh(self.loaded)

    def loaded(self) -> asyncio.Future[None]:
        """The heavy modules, imported once in a thread; await it before using them."""
        if self._loading is None:
            online = voices.online(self.settings, self.offline) and self._voice is None
            self._loading = asyncio.ensure_future(asyncio.to_thread(_import_heavy, online))
        return self._loading

    async def voice(self) -> Voice:
        if self._voice is None:
            await self.loaded()
            self._voice = voices.make_voice(self.settings, self.offline)
        return self._voice

    async def show(self, screen: Screen[None]) -> None:
        """Make `screen` the main screen, closing any history on top."""
        while len(self.screen_stack) > 2:
            await self.pop_screen()
        if len(self.screen_stack) < 2:
            await self.push_screen(screen)
        else:
            await self.switch_screen(screen)

    def personas(self) -> list[Persona]:
        if self._personas is None:
            try:
                self._personas = list_personas()
            except (PersonaClash, PersonaFileError) as exc:
                self.notify(str(exc), title="Persona library", severity="error")
                return []
        return self._personas

    async def show_picker(self) -> None:
        self._close_session()
        await self.show(PickerScreen(self.personas()))

    async def start_session(self, persona: Persona) -> None:
        """Show the chat at once; the session behind it opens as soon as it can."""
        from simulator.tui.screens.chat import ChatScreen

        self._close_session()
        self.report = None
        screen = ChatScreen(persona, voice=self.voice_label, notice=self.notice, reveal=self.reveal)
        await self.show(screen)
        # After the paint: the imports the session needs must not hold up the first frame.
        self.call_after_refresh(self.open_session, screen)

    @work(exclusive=True, group="session", exit_on_error=False)
    async def open_session(self, screen: ChatScreen) -> None:
        voice = await self.voice()
        from simulator.session import Session

        session = Session(screen.persona, voice, self.sessions)
        self.session = session
        # What the imports built stays: later collections need not walk it again.
        gc.freeze()
        await screen.attach(session)
        if voice.kind == "llm":
            self.check_server()

    @work(exclusive=True, group="preflight", exit_on_error=False)
    async def check_server(self) -> None:
        """Say at once, not after the first question, when the model server is not there."""
        from simulator.preflight import ServerUnavailable, check_server

        try:
            await check_server(self.settings)
        except ServerUnavailable as exc:
            self.notify(
                f"{exc}. Type /offline to go on with the scripted customer.",
                title="Model server",
                severity="error",
                timeout=15,
            )

    async def on_picker_screen_picked(self, message: PickerScreen.Picked) -> None:
        await self.start_session(message.persona)

    async def on_chat_screen_ended(self, message: ChatScreen.Ended) -> None:
        from simulator.tui.screens.quiz import QuizScreen

        self._close_session()
        name = message.session.persona.name
        await self.show(QuizScreen(name, seconds=self.quiz_seconds, clock=self.clock))

    def on_quiz_screen_submitted(self, message: QuizScreen.Submitted) -> None:
        self.grade(message.answers, timed_out=message.timed_out, left=message.left)

    @work(exclusive=True, group="grade", exit_on_error=False)
    async def grade(self, answers: list[tuple[str, str]], *, timed_out: bool, left: float) -> None:
        from simulator.tui.report import grade
        from simulator.tui.screens.scorecard import ScorecardScreen

        session = self.session
        assert session is not None

        report = await asyncio.to_thread(grade, session, answers, timed_out=timed_out, left=left)
        self._remember(report.path)
        self.report = report
        if report.save_error:
            self.notify(report.save_error, severity="warning", timeout=10)
        await self.show(ScorecardScreen(report, live=True))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state != WorkerState.ERROR:
            return
        error = event.worker.error
        if event.worker.group == "grade":
            self.notify(
                f"The conversation was saved but could not be scored: {error}",
                title="Scorecard",
                severity="error",
                timeout=15,
            )
            self.call_later(self.show_picker)
        elif event.worker.group == "session":
            self.notify(f"The session could not start: {error}", severity="error", timeout=15)

    async def action_practise_again(self) -> None:
        persona = self.report.transcript.persona if self.report else None
        if persona is None:
            await self.show_picker()
        else:
            await self.start_session(persona)

    async def action_pick_persona(self) -> None:
        await self.show_picker()

    async def action_history(self) -> None:
        from simulator.tui.screens.history import HistoryScreen

        if not isinstance(self.screen, HistoryScreen):
            await self.push_screen(HistoryScreen(self.sessions))

    async def on_unmount(self) -> None:
        self._close_session()
        if self._voice is not None:
            await self._voice.aclose()

    def _close_session(self) -> None:
        """End the conversation in progress, if any, and keep where it was saved."""
        session = self.session
        if session is None or session.transcript.ended_at is not None:
            return
        path = session.end()
        if path is None:
            from simulator.tui.report import rescue

            path = rescue(session)
        self._remember(path)

    def _remember(self, path: Path | None) -> None:
        if path is not None and path not in self.saved:
            self.saved.append(path)


def settle_memory() -> None:
    """Keep the garbage collector out of the way of keys and streaming.

    Rendering allocates heavily; a full collection over the heap the imports built (the
    SDK, pydantic, Textual) stalls the event loop for 100 ms and more. Freezing that heap
    and collecting less often keeps key presses prompt while a reply streams.
    """
    gc.freeze()
    gc.set_threshold(20_000, 50, 100)


def run_app(
    settings: Settings,
    *,
    persona: Persona | None,
    personas: Sequence[Persona] | None,
    offline: bool,
    reveal: bool,
) -> list[Path]:
    app = DeeperApp(settings, persona=persona, personas=personas, offline=offline, reveal=reveal)
    settle_memory()
    app.run()
    return app.saved
