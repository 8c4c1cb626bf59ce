"""`deeper evaluate` output: one report per format, fed one Evaluation at a time.

json, jsonl and csv write each result as it arrives and keep nothing, so memory stays
flat over any number of files. table and markdown need every row for column widths,
totals and groups, so they keep one small Row per transcript, never the Evaluation.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol, TextIO, get_args

from simulator.evaluation import Evaluation, Metrics, Verdict

Format = Literal["table", "json", "jsonl", "csv", "markdown"]
FORMATS: tuple[Format, ...] = get_args(Format)
VERDICTS: tuple[Verdict, ...] = get_args(Verdict)
NONE = "-"
UNKNOWN = "(unknown)"


class Report(Protocol):
    # True when an interrupted output still holds whole, usable lines (jsonl, csv).
    line_oriented: bool

    def add(self, evaluation: Evaluation) -> None: ...

    def finish(self) -> None: ...


def make_report(fmt: Format, out: TextIO) -> Report:
    if fmt == "jsonl":
        return JsonLinesReport(out)
    if fmt == "json":
        return JsonReport(out)
    if fmt == "csv":
        return CsvReport(out)
    return TableReport(out, markdown=fmt == "markdown")


class JsonLinesReport:
    line_oriented = True

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def add(self, evaluation: Evaluation) -> None:
        # One write per line, flushed: a reader following the file sees whole results.
        self.out.write(evaluation.model_dump_json() + "\n")
        self.out.flush()

    def finish(self) -> None:
        self.out.flush()


class JsonReport:
    """A JSON list, written item by item."""

    line_oriented = False

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.count = 0

    def add(self, evaluation: Evaluation) -> None:
        body = evaluation.model_dump_json(indent=2).replace("\n", "\n  ")
        self.out.write(("[\n  " if self.count == 0 else ",\n  ") + body)
        self.count += 1

    def finish(self) -> None:
        self.out.write("[]\n" if self.count == 0 else "\n]\n")
        self.out.flush()


def _metric_columns() -> list[str]:
    return list(Metrics.model_fields)


CSV_LEAD = ["source", "judge", "rep", "persona", "verdict", "score"]
CSV_TAIL = [
    "priorities_uncovered",
    "priorities_why",
    "structured_output",
    "agreement",
    "heuristic_verdict",
    "heuristic_score",
    "disagreements",
]


def csv_header() -> list[str]:
    return CSV_LEAD + _metric_columns() + CSV_TAIL


def csv_row(evaluation: Evaluation) -> list[object]:
    metrics = evaluation.metrics.model_dump()
    check = evaluation.cross_check
    priorities = evaluation.priorities.values()
    known = bool(evaluation.priorities)
    return [
        evaluation.source,
        evaluation.judge,
        evaluation.rep,
        evaluation.persona,
        evaluation.verdict,
        evaluation.score,
        *(metrics[name] for name in _metric_columns()),
        sum(item.uncovered for item in priorities) if known else None,
        sum(item.why_reached for item in priorities) if known else None,
        evaluation.structured_output,
        evaluation.agreement.agreement if evaluation.agreement else None,
        check.verdict if check else None,
        check.score if check else None,
        len(check.disagreements) if check else None,
    ]


class CsvReport:
    line_oriented = True

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.writer = csv.writer(out, lineterminator="\n")
        self.writer.writerow(csv_header())

    def add(self, evaluation: Evaluation) -> None:
        # Flat columns only; a line break inside a field would split a row when cut short.
        row = csv_row(evaluation)
        self.writer.writerow(["" if v is None else " ".join(str(v).split()) for v in row])

    def finish(self) -> None:
        self.out.flush()


@dataclass(frozen=True, slots=True)
class Row:
    """What the table shows of one transcript."""

    source: str
    rep: str | None
    persona: str | None
    verdict: Verdict
    score: int
    questions: int
    open_share: float
    chain: int
    first_pitch: int | None
    agreement: float | None
    heuristic: Verdict | None

    @classmethod
    def of(cls, evaluation: Evaluation) -> Row:
        metrics = evaluation.metrics
        return cls(
            source=evaluation.source,
            rep=evaluation.rep,
            persona=evaluation.persona,
            verdict=evaluation.verdict,
            score=evaluation.score,
            questions=metrics.rep_questions,
            open_share=metrics.open_share,
            chain=metrics.longest_followup_chain,
            first_pitch=metrics.first_pitch_turn,
            agreement=evaluation.agreement.agreement if evaluation.agreement else None,
            heuristic=evaluation.cross_check.verdict if evaluation.cross_check else None,
        )


def _percent(share: float) -> str:
    return f"{round(share * 100)}%"


def _mean(values: Iterable[float]) -> float:
    items = list(values)
    return sum(items) / len(items) if items else 0.0


Table = tuple[list[str], list[list[str]]]


def transcript_table(rows: Sequence[Row]) -> Table:
    header = ["source", "rep", "persona", "verdict", "score", "questions", "open share"]
    header += ["follow-up chain", "first pitch"]
    agreement = any(row.agreement is not None for row in rows)
    heuristic = any(row.heuristic is not None for row in rows)
    if agreement:
        header.append("agreement")
    if heuristic:
        header.append("heuristic")
    body = []
    for row in rows:
        cells = [
            row.source,
            row.rep or NONE,
            row.persona or NONE,
            row.verdict,
            str(row.score),
            str(row.questions),
            _percent(row.open_share),
            str(row.chain),
            NONE if row.first_pitch is None else str(row.first_pitch),
        ]
        if agreement:
            cells.append(NONE if row.agreement is None else _percent(row.agreement))
        if heuristic:
            cells.append(row.heuristic or NONE)
        body.append(cells)
    return header, body


def group_table(rows: Sequence[Row], name: str | None, key: Callable[[Row], str | None]) -> Table:
    """Totals per group; with no `name`, one line of totals over everything."""
    groups: dict[str, list[Row]] = {}
    for row in rows:
        groups.setdefault(key(row) or UNKNOWN, []).append(row)
    header = ["transcripts", *VERDICTS, "mean score", "mean questions", "mean open share"]
    body = []
    # Named groups in order, the unknown last.
    for group, members in sorted(groups.items(), key=lambda item: (item[0] == UNKNOWN, item[0])):
        counts = [sum(1 for row in members if row.verdict == verdict) for verdict in VERDICTS]
        body.append(
            [
                *([group] if name else []),
                str(len(members)),
                *map(str, counts),
                f"{_mean(row.score for row in members):.0f}",
                f"{_mean(row.questions for row in members):.1f}",
                _percent(_mean(row.open_share for row in members)),
            ]
        )
    return ([name, *header] if name else header), body


NUMERIC = frozenset(
    {"score", "questions", "follow-up chain", "first pitch", "transcripts", "mean score"}
    | {"mean questions", "mean open share", "open share", "agreement", *VERDICTS}
)


def text_table(table: Table) -> list[str]:
    header, body = table
    widths = [max(len(cell) for cell in column) for column in zip(header, *body, strict=True)]

    def line(cells: list[str]) -> str:
        parts = [
            cell.rjust(width) if name in NUMERIC else cell.ljust(width)
            for cell, width, name in zip(cells, widths, header, strict=True)
        ]
        return "  ".join(parts).rstrip()

    return [line(header), *(line(cells) for cells in body)]


def markdown_table(table: Table) -> list[str]:
    header, body = table

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"

    rule = ["---:" if name in NUMERIC else "---" for name in header]
    return [line(header), "|" + "|".join(rule) + "|", *(line(cells) for cells in body)]


class TableReport:
    line_oriented = False

    def __init__(self, out: TextIO, *, markdown: bool) -> None:
        self.out = out
        self.markdown = markdown
        self.rows: list[Row] = []

    def add(self, evaluation: Evaluation) -> None:
        self.rows.append(Row.of(evaluation))

    def finish(self) -> None:
        rows = sorted(self.rows, key=lambda row: row.source)
        if not rows:
            self.out.flush()
            return
        sections: list[tuple[str, Table]] = [("Transcripts", transcript_table(rows))]
        sections.append(("Totals", group_table(rows, None, lambda row: "all")))
        if any(row.rep for row in rows):
            sections.append(("By rep", group_table(rows, "rep", lambda row: row.rep)))
        if any(row.persona for row in rows):
            sections.append(("By persona", group_table(rows, "persona", lambda row: row.persona)))
        render = markdown_table if self.markdown else text_table
        blocks = []
        for title, table in sections:
            heading = f"### {title}" if self.markdown else title
            blocks.append("\n".join([heading, "", *render(table)]))
        self.out.write("\n\n".join(blocks) + "\n")
        self.out.flush()
