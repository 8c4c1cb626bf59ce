"""The calibration set in seeds/ is well formed: this checks the set itself, not the judge."""

from __future__ import annotations

import functools
from collections import Counter
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
import yaml

from simulator.library import resolve_persona
from simulator.persona import Persona
from simulator.transcript import Transcript

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
EXPECTED_SUFFIX = ".expected.yaml"
KINDS = {
    "clear-deeper",
    "early-pitch",
    "interrogation",
    "self-serving",
    "canned-personalisation",
    "mixed",
    "reflective",
}
VERDICTS = {"deeper", "mixed", "pitch"}
QUESTIONS = {"open", "closed", "none"}
FLAGS = ("followup", "pitch", "self_serving", "assumption", "reflection")
TOP_KEYS = {"persona", "kind", "verdict", "uncovered", "why", "first_pitch_turn", "turns"}
TURN_KEYS = {"turn", "question", *FLAGS}


def _stem(path: Path) -> str:
    return path.name.removesuffix(EXPECTED_SUFFIX).removesuffix(".json")


TRANSCRIPTS = sorted(SEEDS.glob("*.json"))
EXPECTED = sorted(SEEDS.glob(f"*{EXPECTED_SUFFIX}"))
SEED_IDS = sorted(_stem(path) for path in TRANSCRIPTS)


@functools.cache
def _expected(seed_id: str) -> dict[str, Any]:
    data = yaml.safe_load((SEEDS / f"{seed_id}{EXPECTED_SUFFIX}").read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{seed_id}: expected a mapping"
    return data


@functools.cache
def _persona(persona_id: str) -> Persona:
    # Called inside tests only, so the library is the built-ins (conftest isolates the user dir).
    return resolve_persona(persona_id)


def test_every_transcript_has_its_labels_and_back() -> None:
    assert {_stem(path) for path in TRANSCRIPTS} == {_stem(path) for path in EXPECTED}


@pytest.mark.parametrize("seed_id", SEED_IDS)
def test_seed_is_consistent(seed_id: str) -> None:
    raw = (SEEDS / f"{seed_id}.json").read_text(encoding="utf-8")
    transcript = Transcript.model_validate_json(raw)
    assert transcript.id == seed_id
    assert transcript.persona is None, "seeds carry no persona snapshot"
    assert all(turn.labels is None and turn.state is None for turn in transcript.turns)

    turns = transcript.turns
    assert 8 <= len(turns) <= 20
    assert turns[0].speaker == "customer"
    speakers = [turn.speaker for turn in turns]
    assert ("customer", "customer") not in pairwise(speakers)
    assert all(turn.text.strip() for turn in turns)

    expected = _expected(seed_id)
    assert set(expected) == TOP_KEYS
    assert expected["kind"] in KINDS
    assert expected["verdict"] in VERDICTS

    rep_turns = [index for index, turn in enumerate(turns) if turn.speaker == "rep"]
    labels = expected["turns"]
    assert [entry["turn"] for entry in labels] == rep_turns
    for entry in labels:
        assert set(entry) == TURN_KEYS, entry
        assert entry["question"] in QUESTIONS, entry
        assert all(isinstance(entry[flag], bool) for flag in FLAGS), entry
        # A follow-up invites more about the customer: never a pitch or a question for the deal.
        assert not (entry["followup"] and (entry["pitch"] or entry["self_serving"])), entry

    pitches = [entry["turn"] for entry in labels if entry["pitch"]]
    assert expected["first_pitch_turn"] == (pitches[0] if pitches else None)

    persona = _persona(expected["persona"])
    known = {priority.id for priority in persona.priorities}
    uncovered, why = expected["uncovered"], expected["why"]
    assert isinstance(uncovered, list) and isinstance(why, list)
    assert set(uncovered) <= known
    assert set(why) <= set(uncovered)
    assert len(set(uncovered)) == len(uncovered)


def test_set_is_large_and_varied_enough() -> None:
    assert len(SEED_IDS) >= 40
    personas = Counter(_expected(seed_id)["persona"] for seed_id in SEED_IDS)
    kinds = Counter(_expected(seed_id)["kind"] for seed_id in SEED_IDS)
    assert len(personas) >= 4, personas
    assert set(kinds) == KINDS, kinds
    assert min(kinds.values()) >= 5, kinds
