"""How well the heuristic judge agrees with the labelled seeds in `seeds/`.

    python -m simulator.calibration [SEEDS_DIR] [--only ID ...] [--field NAME ...] [--quiet]

prints the accuracy table, then every disagreement seed by seed, so tuning a rule shows at
once what it fixed and what it broke. The test suite asserts the same figures.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from simulator.evaluation import Evaluation, TurnResult
from simulator.judge import judge
from simulator.library import resolve_persona
from simulator.store import load

SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"
EXPECTED_SUFFIX = ".expected.yaml"
TURN_FIELDS = ("question", "followup", "pitch", "self_serving", "assumption", "reflection")
# The table's rows, in order: per conversation, per rep turn, per priority.
FIELDS = ("verdict", *TURN_FIELDS, "first_pitch_turn", "uncovered", "why")
TARGETS = {
    "verdict": 0.90,
    "question": 0.95,
    "followup": 0.85,
    "pitch": 0.95,
    "self_serving": 0.90,
}


@dataclass(frozen=True)
class Seed:
    id: str
    path: Path
    expected: dict[str, Any]


@dataclass
class Tally:
    right: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.right += ok
        self.total += 1

    @property
    def share(self) -> float:
        return self.right / self.total if self.total else 1.0


@dataclass
class Miss:
    seed: str
    field: str
    turn: int | None
    expected: object
    got: object
    text: str = ""


@dataclass
class Report:
    tallies: dict[str, Tally] = field(default_factory=lambda: {name: Tally() for name in FIELDS})
    misses: list[Miss] = field(default_factory=list)
    seeds: int = 0

    def accuracy(self, name: str) -> float:
        return self.tallies[name].share


def seeds_in(folder: Path) -> list[Seed]:
    found = []
    for expected in sorted(folder.glob("*" + EXPECTED_SUFFIX)):
        seed_id = expected.name.removesuffix(EXPECTED_SUFFIX)
        data = yaml.safe_load(expected.read_text(encoding="utf-8"))
        found.append(Seed(seed_id, folder / f"{seed_id}.json", data))
    return found


def judge_seed(seed: Seed) -> Evaluation:
    transcript = load(seed.path)
    return judge(transcript, resolve_persona(seed.expected["persona"]), str(seed.path))


def compare(seed: Seed, evaluation: Evaluation, texts: Sequence[str], report: Report) -> None:
    expected = seed.expected
    report.seeds += 1

    def check(name: str, want: object, got: object, turn: int | None = None) -> None:
        ok = want == got
        report.tallies[name].add(ok)
        if not ok:
            text = texts[turn] if turn is not None and turn < len(texts) else ""
            report.misses.append(Miss(seed.id, name, turn, want, got, text))

    check("verdict", expected["verdict"], evaluation.verdict)
    check("first_pitch_turn", expected.get("first_pitch_turn"), evaluation.metrics.first_pitch_turn)
    by_turn: dict[int, TurnResult] = {item.turn: item for item in evaluation.turns}
    for want in expected.get("turns", []):
        got = by_turn.get(want["turn"])
        for name in TURN_FIELDS:
            check(name, want[name], getattr(got, name, None), want["turn"])
    for name, attribute in (("uncovered", "uncovered"), ("why", "why_reached")):
        wanted = set(expected.get(name) or [])
        for pid, result in evaluation.priorities.items():
            check(name, pid in wanted, getattr(result, attribute), None)


def calibrate(folder: Path = SEEDS_DIR, only: Iterable[str] = ()) -> Report:
    chosen = set(only)
    report = Report()
    for seed in seeds_in(folder):
        if chosen and seed.id not in chosen:
            continue
        evaluation = judge_seed(seed)
        texts = [turn.text for turn in load(seed.path).turns]
        compare(seed, evaluation, texts, report)
    return report


def table(report: Report) -> str:
    lines = [
        f"calibration on {report.seeds} seeds",
        f"{'field':<18}{'right':>12}{'share':>8}  target",
    ]
    for name in FIELDS:
        tally = report.tallies[name]
        target = TARGETS.get(name)
        mark = (
            ""
            if target is None
            else (f">= {target:.2f}" + ("" if tally.share >= target else "  MISSED"))
        )
        lines.append(f"{name:<18}{tally.right:>6}/{tally.total:<5}{tally.share:>8.3f}  {mark}")
    return "\n".join(lines)


def disagreements(report: Report, fields: Iterable[str] = ()) -> str:
    wanted = set(fields)
    lines = []
    for miss in report.misses:
        if wanted and miss.field not in wanted:
            continue
        where = f" turn {miss.turn}" if miss.turn is not None else ""
        line = f"{miss.seed}{where}: {miss.field} expected {miss.expected!r}, got {miss.got!r}"
        if miss.text:
            line += f"\n    {miss.text}"
        lines.append(line)
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m simulator.calibration", description=__doc__)
    parser.add_argument("folder", nargs="?", type=Path, default=SEEDS_DIR)
    parser.add_argument("--only", nargs="*", default=[], help="seed ids to judge")
    parser.add_argument("--field", nargs="*", default=[], help="disagreements on these fields")
    parser.add_argument("--quiet", action="store_true", help="the table only")
    args = parser.parse_args(argv)
    report = calibrate(args.folder, args.only)
    print(table(report))
    if not args.quiet:
        print()
        print(disagreements(report, args.field))
    return 0


if __name__ == "__main__":
    sys.exit(main())
