"""What the scorecard shows, judged and saved; no Textual here, so it is plain to test.

The judge and the quiz scorer are imported where they are used: this module is loaded
early, and they are not needed until a conversation ends.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from simulator import store
from simulator.evaluation import Evaluation
from simulator.history import SavedSession
from simulator.persona import Persona
from simulator.transcript import Transcript

if TYPE_CHECKING:
    from simulator.quiz import QuizScore
    from simulator.session import Session

Answer = tuple[str, str]


@dataclass(frozen=True)
class QuizRecord:
    """The rep's quiz: (what they care about, why) answers, blanks kept, and their score."""

    answers: list[Answer]
    score: QuizScore | None = None
    timed_out: bool = False
    seconds_left: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "answers": [{"care": care, "why": why} for care, why in self.answers],
            "timed_out": self.timed_out,
            "seconds_left": round(self.seconds_left, 1),
        }
        if self.score is not None:
            data["score"] = self.score.model_dump(mode="json")
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any], persona: Persona | None) -> QuizRecord | None:
        """A saved quiz; scored again when it was saved without a score it can be read from."""
        raw = data.get("answers")
        if not isinstance(raw, list):
            return None
        answers = [
            (str(item.get("care", "")), str(item.get("why", "")))
            for item in raw
            if isinstance(item, dict)
        ]
        from simulator import quiz

        score: QuizScore | None = None
        try:
            score = quiz.QuizScore.model_validate(data["score"]) if "score" in data else None
        except ValidationError:
            score = None
        if score is None and persona is not None:
            score = score_answers(answers, persona)
        return cls(
            answers,
            score,
            timed_out=bool(data.get("timed_out", False)),
            seconds_left=float(data.get("seconds_left", 0.0) or 0.0),
        )


def score_answers(answers: Sequence[Answer], persona: Persona) -> QuizScore:
    from simulator.quiz import QuizAnswer, score_quiz

    return score_quiz([QuizAnswer(care=care, why=why) for care, why in answers], persona)


@dataclass(frozen=True)
class Report:
    transcript: Transcript
    evaluation: Evaluation
    quiz: QuizRecord | None
    path: Path | None
    save_error: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def persona(self) -> Persona | None:
        return self.transcript.persona

    @property
    def when(self) -> str:
        return self.transcript.started_at.astimezone().strftime("%Y-%m-%d %H:%M")

    def speaker(self, turn: int) -> str:
        turns = self.transcript.turns
        if not 0 <= turn < len(turns):
            return "?"
        if turns[turn].speaker == "rep":
            return "you"
        return self.persona.name if self.persona else "customer"


def grade(session: Session, answers: Sequence[Answer], *, timed_out: bool, left: float) -> Report:
    """Judge the ended conversation, score the quiz, save both with the transcript."""
    from simulator.judge import judge

    score = score_answers(answers, session.persona)
    record = QuizRecord(list(answers), score, timed_out=timed_out, seconds_left=left)
    source = str(session.path) if session.path else session.transcript.id
    evaluation = judge(session.transcript, session.persona, source)
    path = session.attach(quiz=record.as_dict(), evaluation=evaluation.model_dump(mode="json"))
    error = None
    if path is None:
        error = session.save_error
        path = rescue(session)
    return Report(session.transcript, evaluation, record, path, save_error=error)


def rescue(session: Session) -> Path | None:
    """The data dir is unwritable: the transcript still must not be lost."""
    path = Path(tempfile.gettempdir()) / f"deeper-{session.transcript.id}.json"
    try:
        store.save(session.transcript, path)
    except OSError:
        return None
    return path


def saved_report(saved: SavedSession) -> Report:
    """A saved session's scorecard; judged now when it was saved without one."""
    from simulator.judge import judge

    transcript = saved.transcript
    notes: list[str] = []
    evaluation: Evaluation | None = None
    if transcript.evaluation is not None:
        try:
            evaluation = Evaluation.model_validate(transcript.evaluation)
        except ValidationError:
            notes.append("The saved evaluation could not be read: judged again.")
    if evaluation is None:
        evaluation = judge(transcript, transcript.persona, str(saved.path))
    quiz = None
    if transcript.quiz:
        quiz = QuizRecord.from_dict(transcript.quiz, transcript.persona)
    return Report(transcript, evaluation, quiz, saved.path, notes=notes)
