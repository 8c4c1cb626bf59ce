"""Saved practice sessions: what `deeper history` and the TUI's history screen list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pydantic import ValidationError

from simulator import store
from simulator.transcript import Transcript


@dataclass(frozen=True)
class SavedSession:
    path: Path
    transcript: Transcript

    @property
    def persona(self) -> str:
        persona = self.transcript.persona
        return persona.name if persona else "(no persona)"

    @property
    def persona_id(self) -> str | None:
        persona = self.transcript.persona
        return persona.id if persona else None

    @property
    def started_at(self) -> datetime:
        return self.transcript.started_at

    @property
    def date(self) -> str:
        return self.started_at.astimezone().strftime("%Y-%m-%d %H:%M")

    @property
    def verdict(self) -> str | None:
        evaluation = self.transcript.evaluation or {}
        verdict = evaluation.get("verdict")
        return verdict if isinstance(verdict, str) else None

    @property
    def score(self) -> int | None:
        evaluation = self.transcript.evaluation or {}
        score = evaluation.get("score")
        return score if isinstance(score, int) else None

    @property
    def rep_turns(self) -> int:
        return sum(1 for turn in self.transcript.turns if turn.speaker == "rep")


@dataclass(frozen=True)
class History:
    sessions: list[SavedSession]
    # One line per file that could not be read, for stderr or a notification.
    problems: list[str]


def load_history(folder: Path) -> History:
    """Every readable session in `folder`, newest first; unreadable files become problems."""
    sessions: list[SavedSession] = []
    problems: list[str] = []
    paths = sorted(folder.glob("*.json")) if folder.is_dir() else []
    for path in paths:
        try:
            transcript = store.load(path)
        except OSError as exc:
            problems.append(f"{path}: cannot read: {exc.strerror or exc}")
        except ValidationError as exc:
            problems.append(f"{path}: not a deeper transcript: {_first_error(exc)}")
        else:
            sessions.append(SavedSession(path, transcript))
    # A hand-edited file may carry a time without a zone: read as local time, as `date` does,
    # since naive and aware times cannot be compared.
    sessions.sort(key=lambda saved: (saved.started_at.astimezone(), saved.path.name), reverse=True)
    return History(sessions, problems)


def table(sessions: list[SavedSession]) -> list[str]:
    """The sessions as aligned text lines under a header, for the command line."""
    rows = [("date", "persona", "verdict", "score", "turns", "file")]
    for saved in sessions:
        rows.append(
            (
                saved.date,
                saved.persona,
                saved.verdict or "-",
                "-" if saved.score is None else str(saved.score),
                str(saved.rep_turns),
                saved.path.name,
            )
        )
    widths = [max(len(row[col]) for row in rows) for col in range(len(rows[0]))]
    return [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]


def _first_error(exc: ValidationError) -> str:
    errors = exc.errors()
    if not errors:
        return "invalid"
    first = errors[0]
    where = ".".join(str(part) for part in first.get("loc", ()))
    message = str(first.get("msg", "invalid"))
    return f"{where}: {message}" if where else message
