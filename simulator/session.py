"""One practice conversation: analyser, engine and voice in turn, saved after every turn.

Front ends (plain mode, the TUI, self-play) drive a Session; it owns the transcript
and never prints. A reply is retried from scratch when it fails, and only a complete
reply ever becomes a customer turn.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from simulator import customer_view, engine, store
from simulator.analysis import analyse_turn
from simulator.labels import TurnLabels
from simulator.llm_client import describe_failure
from simulator.persona import Persona
from simulator.retry import ATTEMPTS, EmptyReply, policy
from simulator.transcript import (
    EngineInfo,
    EngineState,
    Snapshot,
    Speaker,
    Transcript,
    Turn,
    now,
)
from simulator.voice import Voice, VoiceError

log = logging.getLogger("simulator.session")


@dataclass(frozen=True)
class ReplyChunk:
    text: str


@dataclass(frozen=True)
class ReplyRestarted:
    """The reply broke off and starts again: front ends drop what they showed of it."""

    reason: str


ReplyEvent = ReplyChunk | ReplyRestarted


class Session:
    def __init__(
        self, persona: Persona, voice: Voice, folder: Path | None, *, attempts: int = ATTEMPTS
    ) -> None:
        self.persona = persona
        self.voice = voice
        self.attempts = attempts
        self.state: EngineState = engine.start(persona)
        started = now()
        self.transcript = Transcript(
            id=store.new_session_id(started.strftime("%Y%m%d-%H%M%S"), persona.id),
            persona=persona,
            engine=EngineInfo(voice=voice.kind, model=voice.model),
            started_at=started,
        )
        self.path: Path | None = folder / f"{self.transcript.id}.json" if folder else None
        # Set when saving failed: the conversation goes on in memory.
        self.save_error: str | None = None
        self._before_rep: EngineState | None = None
        self._append("customer", persona.opening, state=self._snapshot(-1))

    @property
    def turns(self) -> list[Turn]:
        return self.transcript.turns

    @property
    def awaiting_reply(self) -> bool:
        return bool(self.turns) and self.turns[-1].speaker == "rep"

    def send(self, text: str) -> TurnLabels:
        """Record the rep's turn and move the engine; the customer's reply comes next."""
        if self.awaiting_reply:
            raise RuntimeError("the customer has not answered the last message yet")
        turn = len(self.turns)
        said = [t.text for t in self.turns if t.speaker == "customer"]
        labels = analyse_turn(text, said[-1] if said else None, self.persona, said)
        self._before_rep = self.state
        self.state = engine.step(self.state, self.persona, labels, turn)
        self._append("rep", text, labels=labels)
        return labels

    async def reply(self) -> AsyncIterator[ReplyEvent]:
        """Stream the customer's reply to the rep's last turn, retrying from scratch.

        Raises VoiceError with a one-line message when every attempt failed; the
        rep's turn stays unanswered, to be retried or taken back with `retract`.
        """
        if not self.awaiting_reply:
            raise RuntimeError("there is no rep message to answer")
        rep_turn = len(self.turns) - 1
        view = customer_view.view(self.persona, self.state, rep_turn, self.turns[-1].labels)
        history = list(self.turns)
        attempt_number = 0
        parts: list[str] = []
        last_error: BaseException | None = None
        try:
            async for attempt in policy(self.attempts):
                with attempt:
                    attempt_number += 1
                    if parts:
                        yield ReplyRestarted(
                            f"reply interrupted ({_name(last_error)}); starting again"
                        )
                    parts = []
                    try:
                        async for text in self.voice.reply(view, history):
                            parts.append(text)
                            yield ReplyChunk(text)
                        if not "".join(parts).strip():
                            # Whitespace is no answer: retried, never an empty customer turn.
                            raise EmptyReply("the reply held nothing but whitespace")
                    except Exception as exc:
                        last_error = exc
                        raise
        except Exception as exc:
            log.warning("reply failed: %s", type(exc).__name__)
            raise VoiceError(describe_failure(exc, self.voice.where, attempt_number)) from exc
        text = "".join(parts).strip()
        self._append("customer", text, state=self._snapshot(rep_turn))

    def retract(self) -> str:
        """Take back the unanswered rep turn and the engine move it made; return its text."""
        if not self.awaiting_reply or self._before_rep is None:
            raise RuntimeError("there is no unanswered rep message")
        turn = self.turns.pop()
        self.state = self._before_rep
        self._before_rep = None
        self._save()
        return turn.text

    def switch_voice(self, voice: Voice) -> Voice:
        """Let `voice` answer from now on; return the old one, for the caller to close.

        Used to go on with the scripted customer when the model server is gone: the
        transcript records the turn from which the scripted voice answered.
        """
        old, self.voice = self.voice, voice
        engine_info = self.transcript.engine
        if engine_info is not None and voice.kind == "scripted" and old.kind == "llm":
            engine_info.offline_from = len(self.turns)
            self._save()
        return old

    def end(self) -> Path | None:
        self.transcript.ended_at = datetime.now(UTC)
        self._save()
        return self.path if self.save_error is None else None

    def attach(
        self, *, quiz: dict[str, Any] | None = None, evaluation: dict[str, Any] | None = None
    ) -> Path | None:
        """Save the quiz and the evaluation with the transcript, once the conversation is over."""
        if quiz is not None:
            self.transcript.quiz = quiz
        if evaluation is not None:
            self.transcript.evaluation = evaluation
        self._save()
        return self.path if self.save_error is None else None

    def _snapshot(self, rep_turn: int) -> Snapshot:
        return Snapshot(
            trust=self.state.trust,
            levels=dict(self.state.levels),
            changes=engine.changes(self.state, rep_turn),
        )

    def _append(
        self,
        speaker: Speaker,
        text: str,
        *,
        labels: TurnLabels | None = None,
        state: Snapshot | None = None,
    ) -> None:
        turn = Turn(speaker=speaker, text=text, at=now(), labels=labels, state=state)
        self.turns.append(turn)
        self._save()

    def _save(self) -> None:
        if self.path is None:
            return
        try:
            store.save(self.transcript, self.path)
        except OSError as exc:
            # Told once; the conversation itself must not be lost to a disk problem.
            if self.save_error is None:
                self.save_error = (
                    f"cannot save the transcript to {self.path}: {exc.strerror or exc}"
                )
            return
        self.save_error = None


def _name(exc: BaseException | None) -> str:
    return type(exc).__name__ if exc else "unknown error"
