"""The conversation: the rep types, the customer's reply streams in."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, Static
from textual.worker import Worker, WorkerCancelled, WorkerFailed, WorkerState

from simulator.persona import Persona
from simulator.tui.messages import (
    ReplyChunkReceived,
    ReplyFailed,
    ReplyFinished,
    ReplyReset,
    ReplyStarted,
)
from simulator.tui.widgets.messages import CustomerMessage, RepMessage
from simulator.tui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from simulator.session import Session
    from simulator.tui.widgets.reveal_panel import RevealPanel

END_COMMAND = "/end"
OFFLINE_COMMAND = "/offline"
RESEND = "Not answered: Enter sends it again; /offline goes on with the scripted customer."


class ChatScreen(Screen[None]):
    """One practice conversation; ends with Ctrl+T or `/end`.

    It shows the persona's opening at once; the session behind it arrives with
    `attach`, and a message typed before then is sent as soon as it does.
    """

    BINDINGS = [
        Binding("ctrl+t", "end", "End & quiz"),
        Binding("ctrl+r", "toggle_reveal", "Hidden state"),
    ]

    class Ended(Message):
        """The rep ended the conversation: the quiz comes next."""

        def __init__(self, session: Session) -> None:
            super().__init__()
            self.session = session

    def __init__(self, persona: Persona, *, voice: str, notice: str | None, reveal: bool) -> None:
        super().__init__()
        self.persona = persona
        self.session: Session | None = None
        self.voice_label = voice
        self.notice = notice
        self.reveal = reveal
        self.replying = False
        self._queued: str | None = None
        self._reply: CustomerMessage | None = None
        self._reply_worker: Worker[None] | None = None
        self._warned_save = False
        self.title = f"{persona.name} · {persona.role}"
        self.sub_title = voice

    def compose(self) -> ComposeResult:
        yield TitleBar()
        if self.notice:
            yield Static(self.notice, id="notice", markup=False)
        with Horizontal(id="chat-body"):
            with Vertical(id="conversation"):
                with VerticalScroll(id="log"):
                    yield Static(self._who(), id="context")
                    yield CustomerMessage(self.persona.name, self.persona.opening)
                yield Label("", id="status")
                yield Input(placeholder="Ask a question… (/end to finish)", id="say")
            if self.reveal:
                from simulator.tui.widgets.reveal_panel import RevealPanel

                yield RevealPanel(self.persona, id="reveal")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.log_view.anchor()
        self.query_one("#say", Input).focus()
        self._set_status("")
        if self.reveal:
            from simulator import engine

            self.reveal_panel.show(engine.start(self.persona), None, [])

    def _who(self) -> Content:
        persona = self.persona
        return Content.assemble(
            (persona.headline, "bold"),
            "\n",
            (" ".join(persona.situation.split()), "$foreground-muted"),
        )

    async def attach(self, session: Session) -> None:
        """The session is open: the conversation can start."""
        self.session = session
        self._warn_save_error()
        if self._queued is not None:
            text, self._queued = self._queued, None
            await self.send(text, shown=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "toggle_reveal":
            return self.reveal
        return True

    @property
    def reveal_panel(self) -> RevealPanel:
        from simulator.tui.widgets.reveal_panel import RevealPanel

        return self.query_one("#reveal", RevealPanel)

    @property
    def log_view(self) -> VerticalScroll:
        return self.query_one("#log", VerticalScroll)

    @property
    def rep_turns(self) -> int:
        turns = self.session.turns if self.session else []
        return sum(1 for turn in turns if turn.speaker == "rep")

    @on(Input.Submitted, "#say")
    async def _submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if text == END_COMMAND:
            event.input.clear()
            await self.action_end()
            return
        if text == OFFLINE_COMMAND:
            event.input.clear()
            await self.go_offline()
            return
        if not text:
            return
        if self.replying or self._queued is not None:
            self.app.bell()
            self._set_status(f"{self.persona.name} is still answering…")
            return
        event.input.clear()
        if self.session is None:
            self._queued = text
            await self.log_view.mount(RepMessage(text))
            self._set_status("Getting ready…")
            return
        await self.send(text)

    async def send(self, text: str, *, shown: bool = False) -> None:
        """Say `text` as the rep and stream the customer's reply; `shown`: already on screen."""
        assert self.session is not None
        self.session.send(text)
        self.replying = True
        if not shown:
            await self.log_view.mount(RepMessage(text))
        self._update_reveal()
        self._reply_worker = self.stream_reply(self.session, text)

    @work(exclusive=True, group="reply", exit_on_error=False)
    async def stream_reply(self, session: Session, rep_text: str) -> None:
        from simulator.session import ReplyChunk

        self.post_message(ReplyStarted(rep_text))
        async for event in session.reply():
            if isinstance(event, ReplyChunk):
                self.post_message(ReplyChunkReceived(event.text))
            else:
                self.post_message(ReplyReset(event.reason))
        self.post_message(ReplyFinished(session.turns[-1].text))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # Every failure of the reply worker becomes one ReplyFailed message.
        if event.worker.group == "reply" and event.state == WorkerState.ERROR:
            from simulator.voice import VoiceError

            error = event.worker.error
            if isinstance(error, VoiceError):
                self.post_message(ReplyFailed(str(error)))
            else:
                self.post_message(ReplyFailed(f"the reply failed: {type(error).__name__}"))

    async def on_reply_started(self, message: ReplyStarted) -> None:
        self._reply = CustomerMessage(self.persona.name, streaming=True)
        await self.log_view.mount(self._reply)
        self._set_status(f"{self.persona.name} is answering…")

    def on_reply_chunk_received(self, message: ReplyChunkReceived) -> None:
        if self._reply is not None:
            self._reply.write(message.text)

    async def on_reply_reset(self, message: ReplyReset) -> None:
        if self._reply is not None:
            await self._reply.clear()
        self._set_status(message.reason)

    async def on_reply_finished(self, message: ReplyFinished) -> None:
        if self._reply is not None:
            await self._reply.finish(message.text)
        self._reply = None
        self.replying = False
        self._set_status("")
        self._update_reveal()
        self._warn_save_error()
        # The header still names the scripted customer; the notice has done its job.
        await self.query("#notice").remove()

    async def on_reply_failed(self, message: ReplyFailed) -> None:
        restored = await self._take_back()
        say = self.query_one("#say", Input)
        if restored and not say.value.strip():
            say.value = restored
            say.cursor_position = len(restored)
        self._set_status(RESEND)
        self.notify(message.error, title="No reply", severity="error", timeout=10)

    async def go_offline(self) -> None:
        """Go on with the scripted customer, e.g. when the model server is gone."""
        if self.session is None or self.replying:
            self.app.bell()
            return
        if self.session.voice.kind != "scripted":
            from simulator.scripted_voice import ScriptedVoice

            await self.session.switch_voice(ScriptedVoice()).aclose()
            self.sub_title = "scripted customer (from now on)"
        self._set_status("The scripted customer answers from now on.")

    async def action_end(self) -> None:
        if self._reply_worker is not None and self._reply_worker.is_running:
            # Ending mid-reply: the unanswered message is taken back, not half-answered.
            self._reply_worker.cancel()
            with contextlib.suppress(WorkerCancelled, WorkerFailed):
                await self._reply_worker.wait()
            await self._take_back()
            self._set_status("")
        if self.session is None or self.rep_turns == 0:
            self.notify(
                f"Nothing to score yet: ask {self.persona.name} something first.",
                severity="warning",
            )
            return
        self.post_message(self.Ended(self.session))

    async def _take_back(self) -> str:
        """Remove the unanswered message and any partial reply; return the rep's text."""
        if self._reply is not None:
            await self._reply.remove()
            self._reply = None
        restored = ""
        if self.session is not None and self.session.awaiting_reply:
            restored = self.session.retract()
            rep_messages = self.log_view.query(RepMessage)
            if rep_messages:
                await rep_messages.last().remove()
        self.replying = False
        self._update_reveal()
        return restored

    def action_toggle_reveal(self) -> None:
        panel = self.reveal_panel
        panel.display = not panel.display

    def _update_reveal(self) -> None:
        if not self.reveal or self.session is None:
            return
        from simulator import engine

        turns = self.session.turns
        reps = [index for index, turn in enumerate(turns) if turn.speaker == "rep"]
        last = reps[-1] if reps else None
        labels = turns[last].labels if last is not None else None
        changes = engine.changes(self.session.state, last) if last is not None else []
        self.reveal_panel.show(self.session.state, labels, changes)

    def _set_status(self, text: str) -> None:
        status = self.query_one("#status", Label)
        status.update(text)
        status.display = bool(text)

    def _warn_save_error(self) -> None:
        if self.session is not None and self.session.save_error and not self._warned_save:
            self._warned_save = True
            self.notify(
                f"{self.session.save_error}; the conversation goes on",
                severity="warning",
                timeout=10,
            )
