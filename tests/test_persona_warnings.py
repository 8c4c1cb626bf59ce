"""Warnings for personas that load but play badly, each at the file line a trainer must edit."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from simulator.persona_files import load_persona, locator
from simulator.persona_warnings import PersonaWarning, warnings_for
from tests.support.sample import sample_persona


def sample_data() -> dict[str, Any]:
    return sample_persona().model_dump(mode="json")


def warnings(tmp_path: Path, data: dict[str, Any]) -> list[PersonaWarning]:
    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, width=200), encoding="utf-8")
    return warnings_for(path, load_persona(path), locator(path))


def line_of(tmp_path: Path, text: str) -> int:
    lines = (tmp_path / "p.yaml").read_text(encoding="utf-8").splitlines()
    [number] = [index + 1 for index, line in enumerate(lines) if text in line]
    return number


def test_the_sample_persona_has_no_warnings(tmp_path: Path) -> None:
    assert warnings(tmp_path, sample_data()) == []


def test_a_hint_that_tells_the_why_is_flagged_at_its_line(tmp_path: Path) -> None:
    data = sample_data()
    leaky = "Honestly we nearly breached a loan covenant last year, that's the thing."
    data["priorities"][0]["reveals"]["hint"] = ["Month end is a scramble.", leaky]
    [warning] = warnings(tmp_path, data)
    assert warning.line == line_of(tmp_path, leaky)
    assert warning.field == "priorities.0.reveals.hint.1"
    assert str(warning) == (
        f"{tmp_path / 'p.yaml'}:{warning.line}: priorities.0.reveals.hint.1: warning: this hint "
        "line gives away the why early (it repeats 'breached', 'loan', 'nearly' from `why:`)"
    )


def test_a_why_line_that_tells_the_fear_is_flagged(tmp_path: Path) -> None:
    data = sample_data()
    data["priorities"][2]["fear"] = "A qualified opinion read out in front of the lenders."
    data["priorities"][2]["reveals"]["why"] = ["They read a qualified opinion to the lenders."]
    [warning] = warnings(tmp_path, data)
    assert warning.field == "priorities.2.reveals.why.0"
    assert "gives away the fear early" in warning.message


def test_one_shared_everyday_word_is_not_a_leak(tmp_path: Path) -> None:
    data = sample_data()
    # "year" is in the why as well, but it says nothing of what is hidden.
    data["priorities"][0]["reveals"]["hint"] = ["It has been a long year for cash."]
    assert warnings(tmp_path, data) == []


def test_signals_that_never_occur_in_the_priority_lines(tmp_path: Path) -> None:
    data = sample_data()
    data["priorities"][1]["signals"] = ["headcount", "attrition"]
    data["priorities"][1]["reveals"]["why"] = ["Two of them quit last spring."]
    [warning] = warnings(tmp_path, data)
    assert warning.field == "priorities.1.signals"
    assert warning.line == line_of(tmp_path, "- headcount") - 1
    assert "none of these signals occurs in the priority's own lines" in warning.message


def test_two_priorities_sharing_a_signal(tmp_path: Path) -> None:
    data = sample_data()
    data["priorities"][2]["signals"] = ["audit", "controls", "cash forecast"]
    [warning] = warnings(tmp_path, data)
    assert warning.field == "priorities.2.signals.2"
    assert warning.line == line_of(tmp_path, "- cash forecast")
    assert warning.message == (
        "'cash forecast' is also a signal of cash: a rep who says it moves cash"
    )


def test_a_line_that_only_names_another_priority_sends_follow_ups_astray(tmp_path: Path) -> None:
    data = sample_data()
    stray = "Mostly I think about how the team copes."
    data["priorities"][2]["reveals"]["stated"] = ["A clean audit matters to me.", stray]
    # The same words at the fear level are fine: nothing is deeper, the talk may move on.
    data["priorities"][2]["reveals"]["fear"] = ["If the audit fails, the team goes with it."]
    [warning] = warnings(tmp_path, data)
    assert warning.field == "priorities.2.reveals.stated.1"
    assert warning.line == line_of(tmp_path, stray)
    assert warning.message == (
        "this line has none of its priority's signals but 'team', a signal of team: "
        "a follow-up on it moves team instead"
    )
