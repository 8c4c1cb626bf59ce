"""The heuristic judge against the labelled seeds: the accuracy is printed and asserted.

`python -m simulator.calibration` prints the same table with every disagreement.
"""

from __future__ import annotations

import pytest

from simulator.calibration import (
    SEEDS_DIR,
    TARGETS,
    Report,
    calibrate,
    disagreements,
    judge_seed,
    seeds_in,
    table,
)
from simulator.store import load

MIN_SEEDS = 40


@pytest.fixture(scope="module")
def report() -> Report:
    return calibrate(SEEDS_DIR)


def test_the_judge_agrees_with_the_seeds(
    report: Report, record_property: pytest.RecordProperty
) -> None:
    summary = table(report)
    # Printed for `pytest -s`, shown with any failure, and kept in the junit report.
    print("\n" + summary)
    record_property("calibration", summary)
    assert report.seeds >= MIN_SEEDS
    missed = {
        name: round(report.accuracy(name), 3)
        for name, target in TARGETS.items()
        if report.accuracy(name) < target
    }
    assert not missed, summary + "\n\n" + disagreements(report, missed)


def test_every_seed_gets_evidence_from_its_turns_and_two_to_four_coaching_lines() -> None:
    for seed in seeds_in(SEEDS_DIR):
        turns = load(seed.path).turns
        result = judge_seed(seed)
        assert 2 <= len(result.coaching) <= 4, seed.id
        for line in result.coaching:
            assert 0 <= line.turn < len(turns), seed.id
        for item in result.evidence:
            text = " ".join(turns[item.turn].text.split())
            assert item.quote.rstrip("\u2026") in text, (seed.id, item)
