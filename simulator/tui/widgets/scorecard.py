"""The scorecard: verdict, score, metrics, the hidden priorities, the quiz, evidence, coaching."""

from __future__ import annotations

from collections.abc import Iterator

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Label, Static

from simulator.evaluation import Evaluation, Metrics
from simulator.persona import Level, Persona, Priority
from simulator.tui.format import VERDICT_STYLE, level_bar, percent
from simulator.tui.report import Report

VERDICT_LINE = {
    "deeper": "You went deeper.",
    "mixed": "Part of the way deeper.",
    "pitch": "You jumped to the pitch.",
}
MAX_EVIDENCE = 8


class Row(Horizontal):
    """A key column and a value that wraps in its own column, under itself."""

    def __init__(self, key: Content | str, value: Content | str, *, kind: str) -> None:
        super().__init__(classes=f"row {kind}")
        self.key = key
        self.value = value

    def compose(self) -> ComposeResult:
        yield Static(self.key, classes="key", markup=False)
        yield Static(self.value, classes="value", markup=False)


def muted(text: str) -> Static:
    return Static(Content.styled(text, "$foreground-muted"), classes="note")


class ScorecardView(VerticalScroll):
    def __init__(self, report: Report, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.report = report

    def compose(self) -> ComposeResult:
        report = self.report
        evaluation = report.evaluation
        yield Static(verdict(evaluation), id="verdict")
        for note in report.notes:
            yield muted(note)
        yield Label("Score", classes="section-title")
        yield from score_parts(evaluation)
        yield Label("Metrics", classes="section-title")
        yield from metrics(evaluation.metrics)
        name = report.persona.name if report.persona else "the customer"
        yield Label(f"What {name} cared about", classes="section-title")
        yield from priorities(evaluation, report.persona)
        yield Label("Your quiz", classes="section-title")
        yield from quiz(report)
        yield Label("Evidence", classes="section-title")
        yield from evidence(report)
        yield Label("Coaching", classes="section-title")
        yield from coaching(evaluation)


def verdict(evaluation: Evaluation) -> Content:
    style = VERDICT_STYLE[evaluation.verdict]
    return Content.assemble(
        (f" {evaluation.verdict.upper()} ", f"bold $text on {style}"),
        "  ",
        (f"{evaluation.score}", "bold"),
        ("/100  ", "$foreground-muted"),
        VERDICT_LINE[evaluation.verdict],
        "\n",
        (evaluation.summary or "", "$foreground-muted"),
    ).rstrip()


def score_parts(evaluation: Evaluation) -> Iterator[Widget]:
    if not evaluation.score_parts:
        yield muted("no breakdown")
    for part in evaluation.score_parts:
        key = Content.assemble(
            (f"{part.points:>3}/{part.max:<3} ", "bold"), (part.name, "$text-accent")
        )
        yield Row(key, Content.styled(part.why, "$foreground-muted"), kind="wide")


def metrics(m: Metrics) -> Iterator[Widget]:
    first_pitch = "never" if m.first_pitch_turn is None else f"turn {m.first_pitch_turn}"
    lines = [
        [
            ("questions", f"{m.rep_questions} ({m.open_questions} open, {percent(m.open_share)})"),
            ("longest follow-up chain", str(m.longest_followup_chain)),
            ("reflections", str(m.reflections)),
        ],
        [
            ("first pitch", first_pitch),
            ("pitches", str(m.pitches)),
            ("self-serving", str(m.self_serving)),
            ("assumptions", str(m.assumptions)),
        ],
        [
            ("your share of the talk", percent(m.rep_talk_share)),
            ("longest monologue", f"{m.longest_rep_monologue} words"),
        ],
    ]
    for line in lines:
        parts: list[str | tuple[str, str]] = []
        for label, value in line:
            if parts:
                parts.append(("  ·  ", "$foreground-muted"))
            parts.extend([(f"{label} ", "$foreground-muted"), (value, "bold")])
        yield Static(Content.assemble(*parts), classes="metrics")


def held_back(priority: Priority, level: Level) -> list[tuple[str, str]]:
    """What the customer kept to themselves about `priority`: its why and its fear."""
    content = {Level.why: priority.why, Level.fear: priority.fear}
    return [(name.value, text) for name, text in content.items() if name.rank > level.rank]


def priorities(evaluation: Evaluation, persona: Persona | None) -> Iterator[Widget]:
    if persona is None or not evaluation.priorities:
        yield muted("No persona: the hidden priorities are unknown.")
        return
    for priority in persona.priorities:
        result = evaluation.priorities.get(priority.id)
        level = result.level if result else Level.hidden
        notes = []
        if result and result.turn is not None:
            notes.append(f"turn {result.turn}")
        if level.rank < Level.stated.rank:
            notes.append("never said plainly")
        where = f"  ({', '.join(notes)})" if notes else ""
        title = Content.assemble((priority.label, "bold"), (where, "$foreground-muted"))
        yield Row(level_bar(level), title, kind="level")
        kept = held_back(priority, level)
        if not kept:
            yield Row("", Content.styled("told you everything", "$text-success"), kind="level")
        for name, text in kept:
            key = Content.styled(f"held back: {name}", "$text-warning")
            yield Row(key, text, kind="level")


def mark(ok: bool) -> tuple[str, str]:
    return ("✓", "$text-success") if ok else ("✗", "$text-error")


def said(care: str, why: str) -> Content:
    return Content.assemble(
        ("you: ", "$foreground-muted"),
        care or "(blank)",
        (" — why: ", "$foreground-muted"),
        why or "(blank)",
    )


def quiz(report: Report) -> Iterator[Widget]:
    record = report.quiz
    if record is None:
        yield muted("No quiz answers for this session.")
        return
    if record.timed_out:
        yield Static(
            Content.styled("Time ran out: these are the answers you had.", "$text-warning")
        )
    persona = report.persona
    score = record.score
    if score is None or persona is None:
        for number, (care, why) in enumerate(record.answers, 1):
            yield Row(f"{number}.", said(care, why), kind="narrow")
        return
    yield Static(
        Content.assemble(
            ("quiz ", "$foreground-muted"), (f"{score.points}/{score.max_points}", "bold")
        ),
        classes="metrics",
    )
    for result in score.priorities:
        priority = persona.priority(result.id)
        key = Content.assemble(mark(result.named), " named  ", mark(result.why_right), " why")
        lines: list[str | Content | tuple[str, str]] = [(priority.label, "bold"), "\n"]
        if result.matched is not None:
            lines.append(said(result.matched.care, result.matched.why))
        else:
            lines.append(("not in your answers", "$foreground-muted"))
        lines.extend(["\n", ("truth: ", "$foreground-muted"), (priority.why, "$foreground-muted")])
        yield Row(key, Content.assemble(*lines), kind="quiz")
    for index in score.unmatched:
        care, why = record.answers[index] if index < len(record.answers) else ("", "")
        if care or why:
            yield Row(Content.styled("not theirs", "$text-warning"), said(care, why), kind="quiz")


def evidence(report: Report) -> Iterator[Widget]:
    items = report.evaluation.evidence
    if not items:
        yield muted("Nothing to quote.")
    for item in items[:MAX_EVIDENCE]:
        mark, style = ("✓", "$text-success") if item.kind == "good" else ("✗", "$text-error")
        said = Content.assemble(
            (f"{report.speaker(item.turn)}: ", "$foreground-muted"),
            (f"“{item.quote}”", "italic"),
            "\n",
            (item.claim, style),
        )
        yield Row(Content.styled(f"{mark} turn {item.turn}", style), said, kind="turn")
    more = len(items) - MAX_EVIDENCE
    if more > 0:
        yield muted(f"… and {more} more in the saved evaluation")


def coaching(evaluation: Evaluation) -> Iterator[Widget]:
    if not evaluation.coaching:
        yield muted("Nothing to add: keep going deeper.")
    for tip in evaluation.coaching:
        yield Row(Content.styled("→", "$text-accent"), tip.text, kind="narrow")
