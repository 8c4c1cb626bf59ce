"""`deeper selfplay` and the self-play gate: scripted reps against real sessions."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from simulator.cli import main
from simulator.library import library_files, list_personas
from simulator.persona import Level, Persona
from simulator.selfplay import GATE_TURNS, gate, play_scripted
from tests.support.openai_server import OpenAIServer, Reply
from tests.support.sample import sample_persona

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = list_personas()


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_library_has_at_least_nine_personas_in_different_worlds() -> None:
    assert len(LIBRARY) >= 9
    kinds = [persona.kind for persona in LIBRARY]
    assert kinds.count("direct_report") >= 2
    assert len({persona.company for persona in LIBRARY}) == len(LIBRARY)
    for persona in LIBRARY:
        assert 3 <= len(persona.priorities) <= 4, persona.id
        for priority in persona.priorities:
            for level in ("hint", "stated", "why", "fear"):
                assert len(getattr(priority.reveals, level)) >= 2, (persona.id, priority.id, level)


@pytest.mark.parametrize("persona", LIBRARY, ids=lambda persona: persona.id)
def test_every_shipped_persona_passes_the_gate(persona: Persona) -> None:
    result = gate(persona)
    assert result.failures == [], f"{library_files()[persona.id]}: {result.failures}"
    curious = result.plays["curious"]
    assert sum(level.rank >= Level.why.rank for level in curious.levels.values()) >= 2
    assert curious.trust > persona.trust.start > result.plays["pitchy"].trust


def test_table_shows_each_turn_and_what_it_unlocked(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "selfplay", "maria-freight-cfo", "--rep", "curious")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].startswith("Maria Okafor, CFO at Brightline Freight")
    assert "curious rep · scripted customer · 12 rep turns" in lines[0]
    assert lines[2].split() == [
        "turn",
        "speaker",
        "trust",
        "said,",
        "and",
        "what",
        "it",
        "unlocked",
    ]
    assert lines[3].split()[:2] == ["0", "customer"]
    assert "I've got about twenty minutes." in lines[3]
    assert lines[4].split()[:3] == ["1", "rep", "0.35"]
    assert "↑ cash-visibility: hidden → hint (open question about the customer's world)" in out
    assert "↑ cash-visibility: stated → why (follow-up on the customer's own answer)" in out
    assert "Last year we nearly breached a covenant" in out or "The bank gave us" in out
    assert lines[-2].startswith("levels: cash-visibility=why, team-burnout=")
    assert lines[-1].startswith("trust:  0.30 → ")


def test_json_has_the_turns_final_levels_and_trust(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "selfplay", "jonas-senior-engineer", "--rep", "curious", "--turns", "4",
        "--format", "json",
    )  # fmt: skip
    assert code == 0
    result = json.loads(out)
    assert set(result) == {"persona", "rep", "turns", "levels", "trust"}
    assert (result["persona"], result["rep"]) == ("jonas-senior-engineer", "curious")
    turns = result["turns"]
    assert [turn["turn"] for turn in turns] == list(range(9))
    assert [turn["speaker"] for turn in turns] == ["customer"] + ["rep", "customer"] * 4
    assert all(set(turn) == {"turn", "speaker", "text", "unlocked"} for turn in turns)
    assert turns[0]["text"] == "Hey. You wanted to chat? Sure, I've got time."
    assert turns[1]["unlocked"] == [
        {
            "priority": "father-care",
            "before": "hidden",
            "after": "hint",
            "reason": "open question about the customer's world",
        }
    ]
    assert all(turn["unlocked"] == [] for turn in turns if turn["speaker"] == "customer")
    assert result["levels"] == {
        "father-care": "why",
        "building-things": "hint",
        "being-heard": "hidden",
    }
    assert result["trust"] == pytest.approx(0.45)


@pytest.mark.parametrize(
    ("rep", "ceiling"),
    [("pitchy", "hint"), ("interrogator", "stated"), ("self-serving", "hint"), ("assumer", "hint")],
)
def test_the_resisted_styles_get_little(
    capsys: pytest.CaptureFixture[str], rep: str, ceiling: str
) -> None:
    code, out, _ = run(capsys, "selfplay", "priya-nursing-ops", "--rep", rep, "--format", "json")
    assert code == 0
    result = json.loads(out)
    assert len([turn for turn in result["turns"] if turn["speaker"] == "rep"]) == 12
    assert all(Level(level).rank <= Level(ceiling).rank for level in result["levels"].values())


def test_a_persona_file_outside_the_library_can_be_played(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "dana.yaml"
    path.write_text(yaml.safe_dump(sample_persona().model_dump(mode="json"), sort_keys=False))
    code, out, _ = run(capsys, "selfplay", str(path), "--turns", "2")
    assert code == 0
    assert "Dana Reyes, CFO at Northwind Haulage" in out


def test_llm_voice_without_a_model_is_one_line_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "selfplay", "maria-freight-cfo", "--voice", "llm")
    assert code == 2 and out == ""
    assert err.count("\n") == 1
    assert err.startswith("deeper: --voice llm needs a model") and "OPENAI_BASE_URL" in err


def test_llm_voice_plays_against_a_configured_server(
    capsys: pytest.CaptureFixture[str],
    server: OpenAIServer,
    monkeypatch: pytest.MonkeyPatch,
    isolated_env: Path,
) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
    monkeypatch.setenv("DEEPER_MODEL", "test-model")
    server.enqueue(Reply("Month end is always a scramble."), Reply("I need a daily cash view."))
    code, out, err = run(
        capsys, "selfplay", "maria-freight-cfo", "--voice", "llm", "--turns", "2",
        "--format", "json",
    )  # fmt: skip
    assert code == 0, err
    texts = [turn["text"] for turn in json.loads(out)["turns"] if turn["speaker"] == "customer"]
    assert texts[1:] == ["Month end is always a scramble.", "I need a daily cash view."]
    # Self-play is a trainer's tool: nothing lands in the rep's session history.
    assert not (isolated_env / "sessions").exists()


def test_a_real_process_prints_json(isolated_env: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "simulator", "selfplay", "kwame-hotel-gm", "--rep", "pitchy",
         "--format", "json"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env=os.environ.copy(),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    played = json.loads(result.stdout)
    assert played["persona"] == "kwame-hotel-gm" and played["rep"] == "pitchy"
    assert set(played["levels"].values()) <= {"hidden", "hint"}
    assert played["trust"] < 0.3


def test_gate_names_what_a_weak_persona_lets_through() -> None:
    data = sample_persona().model_dump(mode="json")
    # Signals so broad that every open question lands on the first priority, and a
    # customer so guarded that the other two never get past a hint.
    data["trust"] = {"start": 0.1}
    data["priorities"][0]["signals"] = ["mind", "plate", "achieve", "week", "job", "matter"]
    result = gate(Persona.model_validate(data))
    assert result.failures == [
        f"curious rep reached why on 1 priority in {GATE_TURNS} turns, needs 2 "
        "(cash=fear, team=hint, audit=hint)"
    ]


def test_scripted_self_play_is_deterministic() -> None:
    persona = LIBRARY[0]
    assert play_scripted(persona, "curious") == play_scripted(persona, "curious")
