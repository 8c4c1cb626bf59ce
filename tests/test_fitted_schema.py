"""The LLM judge and servers that enforce its schema as a grammar, as llama.cpp does."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from simulator import llm_judgement
from simulator.cli import main
from tests.support.conversations import CURIOUS, PITCHY, judgement, transcript, write_transcript
from tests.support.openai_server import Fail, Json, OpenAIServer
from tests.support.sample import sample_persona


def constants(items: list[dict[str, Any]], field: str) -> list[Any]:
    return [item["properties"][field]["const"] for item in items]


def test_each_rep_turn_and_priority_exactly_once_and_every_list_bounded() -> None:
    base = llm_judgement.schema(sample_persona())
    before = json.dumps(base)
    fitted = llm_judgement.fitted(base, transcript(CURIOUS, persona=sample_persona()))
    properties = fitted["properties"]
    turns = properties["turns"]
    assert constants(turns["prefixItems"], "turn") == [1, 3, 5]
    assert (turns["minItems"], turns["maxItems"]) == (3, 3) and "items" not in turns
    priorities = properties["priorities"]["prefixItems"]
    assert constants(priorities, "id") == ["cash", "team", "audit"]
    assert priorities[0]["properties"]["turn"]["anyOf"][0] == {"enum": [1, 3, 5]}
    for name in ("evidence", "coaching"):
        assert properties[name]["items"]["properties"]["turn"] == {"enum": [1, 3, 5]}
        assert properties[name]["maxItems"] == llm_judgement.GRAMMAR_ITEMS[name]
    # Self-contained (a grammar has no $defs to look in), and the shared schema untouched.
    assert "$ref" not in json.dumps(fitted) and "$defs" not in fitted
    assert json.dumps(base) == before


def test_without_a_persona_there_are_no_priorities() -> None:
    fitted = llm_judgement.fitted(llm_judgement.schema(None), transcript(PITCHY))
    assert constants(fitted["properties"]["turns"]["prefixItems"], "turn") == [1, 3]
    assert "priorities" not in fitted["properties"]


def test_only_a_server_taking_a_schema_with_json_object_gets_the_fitted_one(
    capsys: pytest.CaptureFixture[str],
    server: OpenAIServer,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
    server.enqueue(Fail(500, "Input should be 'text' or 'json_object'"))
    server.default = Json(judgement())
    path = write_transcript(tmp_path / "a.json")
    assert main(["evaluate", str(path), "--judge", "llm", "--format", "jsonl"]) == 0
    capsys.readouterr()
    first, second = [r.body["response_format"] for r in server.chat_requests if r.body]
    assert "prefixItems" not in str(first["json_schema"]["schema"])
    assert constants(second["schema"]["properties"]["turns"]["prefixItems"], "turn") == [1, 3, 5]


def test_raw_line_breaks_inside_strings_are_read() -> None:
    # SmolLM2 under llama.cpp's grammar wrote one; strict JSON refuses it, its meaning is plain.
    reply = json.dumps(judgement()).replace("The rep built", "The rep\nbuilt")
    parsed = llm_judgement.parse(reply, transcript(CURIOUS), None)
    assert parsed.summary == "The rep\nbuilt on the customer's answers."
