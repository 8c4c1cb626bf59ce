"""`deeper evaluate --judge llm` over real HTTP to our scripted OpenAI-compatible server."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from simulator.cli import main
from simulator.evaluation import Evaluation
from tests.support.conversations import CURIOUS, judgement, write_transcript
from tests.support.openai_server import (
    Dynamic,
    Empty,
    Fail,
    Json,
    OpenAIServer,
    Reply,
    Step,
)
from tests.support.sample import sample_persona

ROOT = Path(__file__).resolve().parent.parent
LLAMA_CPP_REJECTION = "Input should be 'text' or 'json_object'"


@pytest.fixture
def model(server: OpenAIServer, monkeypatch: pytest.MonkeyPatch) -> OpenAIServer:
    monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
    monkeypatch.setenv("DEEPER_JUDGE_MODEL", "judge-model")
    server.default = Json(judgement())
    return server


def judge_files(
    capsys: pytest.CaptureFixture[str], *args: str | Path
) -> tuple[int, list[Evaluation], str]:
    code = main(["evaluate", *map(str, args), "--judge", "llm", "--format", "jsonl"])
    captured = capsys.readouterr()
    results = [Evaluation.model_validate_json(line) for line in captured.out.splitlines()]
    return code, results, captured.err


def formats(server: OpenAIServer) -> list[dict[str, Any]]:
    return [
        request.body["response_format"]
        for request in server.requests
        if request.body is not None and request.path == "/v1/chat/completions"
    ]


def test_json_schema_accepted(
    capsys: pytest.CaptureFixture[str], model: OpenAIServer, tmp_path: Path
) -> None:
    path = write_transcript(tmp_path / "a.json")
    code, [result], err = judge_files(capsys, path)
    assert (code, err) == (0, "")
    assert result.judge == "llm" and result.structured_output == "json_schema"
    assert result.verdict == "deeper" and result.score == 80
    assert [turn.turn for turn in result.turns] == [1, 3, 5]
    assert result.metrics.rep_questions == 3 and result.metrics.longest_followup_chain == 2
    # Evidence must quote the turn it points at; the invented quote is dropped.
    assert [item.claim for item in result.evidence] == ["followed up"]
    [body] = [request.body for request in model.chat_requests]
    assert body is not None
    assert body["model"] == "judge-model" and body["temperature"] == 0
    assert body["response_format"]["type"] == "json_schema"
    schema = body["response_format"]["json_schema"]["schema"]
    assert "priorities" not in schema["properties"]  # no persona: nothing hidden to judge
    prompt = body["messages"][1]["content"]
    assert "[1] Rep: Before anything else, what's on your plate this quarter?" in prompt


def test_persona_priorities_go_to_the_judge(
    capsys: pytest.CaptureFixture[str], model: OpenAIServer, tmp_path: Path
) -> None:
    persona = sample_persona()
    path = write_transcript(tmp_path / "a.json", persona=persona)
    model.default = Json(judgement(persona=persona, levels={"cash": "why"}))
    code, [result], _ = judge_files(capsys, path)
    assert code == 0
    assert result.priorities["cash"].level == "why" and result.priorities["cash"].why_reached
    assert result.priorities["team"].level == "hidden" and result.priorities["team"].turn is None
    body = model.chat_requests[0].body
    assert body is not None
    prompt = body["messages"][1]["content"]
    assert "SECRET-WHY-CASH" in prompt and "`audit`" in prompt
    schema = body["response_format"]["json_schema"]["schema"]
    assert schema["$defs"]["PriorityLevel"]["properties"]["id"]["enum"] == ["cash", "team", "audit"]


def test_llama_cpp_rejection_falls_back_once_for_the_whole_batch(
    capsys: pytest.CaptureFixture[str], model: OpenAIServer, tmp_path: Path
) -> None:
    model.enqueue(Fail(500, LLAMA_CPP_REJECTION))
    paths = [write_transcript(tmp_path / f"{name}.json") for name in "abc"]
    code, results, err = judge_files(capsys, *paths, "--concurrency", "3")
    assert (code, err) == (0, "")
    assert [result.structured_output for result in results] == ["json_object+schema"] * 3
    kinds = [item["type"] for item in formats(model)]
    assert kinds.count("json_schema") == 1 and kinds[0] == "json_schema"
    assert kinds[1:] == ["json_object"] * 3
    assert all("schema" in item for item in formats(model)[1:])


def test_bare_json_object_carries_the_schema_in_the_prompt(
    capsys: pytest.CaptureFixture[str], model: OpenAIServer, tmp_path: Path
) -> None:
    model.enqueue(
        Fail(500, LLAMA_CPP_REJECTION),
        Fail(400, "response_format.schema: unknown field"),
    )
    code, [result], _ = judge_files(capsys, write_transcript(tmp_path / "a.json"))
    assert code == 0 and result.structured_output == "json_object"
    assert formats(model)[-1] == {"type": "json_object"}
    body = model.requests[-1].body
    assert body is not None and '"verdict"' in body["messages"][1]["content"]


def test_invalid_answer_gets_one_repair(
    capsys: pytest.CaptureFixture[str], model: OpenAIServer, tmp_path: Path
) -> None:
    wrong = judgement()
    wrong["verdict"] = "great"
    del wrong["turns"][0]
    model.enqueue(Json(wrong))
    code, [result], _ = judge_files(capsys, write_transcript(tmp_path / "a.json"))
    assert code == 0
    assert result.structured_output == "json_schema+repair" and result.verdict == "deeper"
    repair = model.chat_requests[1].body
    assert repair is not None
    *_, sent, request = repair["messages"]
    assert sent == {"role": "assistant", "content": json.dumps(wrong)}
    assert (
        "verdict" in request["content"] and "rep turns 1 have no labels" not in request["content"]
    )


def test_unparseable_answer_then_repair(
    capsys: pytest.CaptureFixture[str], model: OpenAIServer, tmp_path: Path
) -> None:
    model.enqueue(Reply("Sure! Here is my verdict: deeper."))
    code, [result], _ = judge_files(capsys, write_transcript(tmp_path / "a.json"))
    assert code == 0 and result.structured_output == "json_schema+repair"
    repair = model.chat_requests[1].body
    assert repair is not None and "not valid JSON" in repair["messages"][-1]["content"]


def test_answer_still_invalid_after_repair_fails_that_file_only(
    capsys: pytest.CaptureFixture[str], model: OpenAIServer, tmp_path: Path
) -> None:
    model.enqueue(Reply("no"), Reply("still no"))
    bad = write_transcript(tmp_path / "a.json")
    good = write_transcript(tmp_path / "b.json")
    code, results, err = judge_files(capsys, bad, good, "--concurrency", "1")
    assert code == 1
    assert [result.source for result in results] == [str(good)]
    assert err.splitlines()[0].startswith(
        f"{bad}: the model's judgement did not fit the schema, even after one repair"
    )


def test_fenced_json_from_a_local_model_is_read(
    capsys: pytest.CaptureFixture[str], model: OpenAIServer, tmp_path: Path
) -> None:
    model.enqueue(Reply("```json\n" + json.dumps(judgement()) + "\n```"))
    code, [result], _ = judge_files(capsys, write_transcript(tmp_path / "a.json"))
    assert code == 0 and result.structured_output == "json_schema"


def test_cross_check_lists_disagreements(
    capsys: pytest.CaptureFixture[str], model: OpenAIServer, tmp_path: Path
) -> None:
    persona = sample_persona()
    path = write_transcript(tmp_path / "a.json", persona=persona)
    model.default = Json(
        judgement(persona=persona, verdict="pitch", score=5, pitch_at=3, levels={"audit": "fear"})
    )
    code, [result], _ = judge_files(capsys, path)
    assert code == 0
    check = result.cross_check
    assert check is not None and check.verdict == "deeper"
    found = {item.field: (item.llm, item.heuristic) for item in check.disagreements}
    assert found["verdict"] == ("pitch", "deeper")
    assert found["metrics.first_pitch_turn"] == ("3", "null")
    assert found["priorities.audit.level"] == ("fear", "hidden")
    assert found["turns.3.pitch"] == ("true", "false")
    assert "score" in found


def test_runs_report_agreement(
    capsys: pytest.CaptureFixture[str], model: OpenAIServer, tmp_path: Path
) -> None:
    model.enqueue(
        Json(judgement(verdict="mixed", score=50)),
        Json(judgement(verdict="deeper", score=82)),
        Json(judgement(verdict="deeper", score=78)),
    )
    path = write_transcript(tmp_path / "a.json")
    code, [result], _ = judge_files(capsys, path, "--runs", "3")
    assert code == 0
    assert result.verdict == "deeper" and result.score == 82
    assert result.agreement is not None
    assert result.agreement.verdicts == ["mixed", "deeper", "deeper"]
    assert result.agreement.agreement == pytest.approx(0.667)
    model.enqueue(*(Json(judgement(verdict=v)) for v in ("mixed", "deeper", "deeper")))
    main(["evaluate", str(path), "--judge", "llm", "--runs", "3"])
    table = capsys.readouterr().out.split("\n\n")[1].splitlines()
    assert table[0].split()[-2:] == ["agreement", "heuristic"]
    assert table[1].split()[-2:] == ["67%", "deeper"]


def test_empty_reply_is_retried(
    capsys: pytest.CaptureFixture[str], model: OpenAIServer, tmp_path: Path
) -> None:
    model.enqueue(Empty())
    code, [result], err = judge_files(capsys, write_transcript(tmp_path / "a.json"))
    assert (code, err) == (0, "")
    assert result.verdict == "deeper"
    assert len(model.chat_requests) == 2


def test_concurrency_overlaps_requests(
    capsys: pytest.CaptureFixture[str], model: OpenAIServer, tmp_path: Path
) -> None:
    arrivals: list[float] = []
    lock = threading.Lock()

    def slow(body: dict[str, Any]) -> Step:
        with lock:
            arrivals.append(time.monotonic())
        return Reply(json.dumps(judgement()), delay=0.5)

    model.default = Dynamic(slow)
    paths = [write_transcript(tmp_path / f"{index}.json") for index in range(5)]
    code, results, _ = judge_files(capsys, *paths, "--concurrency", "4")
    assert code == 0 and len(results) == 5
    # The first request finds the output mode alone; the other four then go out together,
    # each before any of them is answered (one at a time, they would be 0.5 s apart).
    assert arrivals[1] - arrivals[0] >= 0.45
    assert max(arrivals[1:]) - min(arrivals[1:]) < 0.4


def test_wrong_key_stops_the_batch(
    capsys: pytest.CaptureFixture[str], model: OpenAIServer, tmp_path: Path
) -> None:
    model.default = Fail(401, "Incorrect API key provided.")
    paths = [write_transcript(tmp_path / f"{index}.json") for index in range(3)]
    code, results, err = judge_files(capsys, *paths, "--concurrency", "1")
    assert code == 2 and results == []
    [line] = err.splitlines()
    assert line.startswith("deeper: stopped after 0 of 3: the model server at")
    assert "HTTP 401" in line and len(model.chat_requests) == 1


def test_interrupted_batch_keeps_complete_lines(server: OpenAIServer, tmp_path: Path) -> None:
    server.default = Reply(json.dumps(judgement()), delay=0.15)
    folder = tmp_path / "calls"
    for index in range(40):
        write_transcript(folder / f"{index:02}.json", CURIOUS)
    out_file = tmp_path / "results.jsonl"
    command = [sys.executable, "-m", "simulator", "evaluate", str(folder), "--judge", "llm"]
    command += ["--format", "jsonl", "--out", str(out_file), "--concurrency", "2"]
    env = {**os.environ, "OPENAI_BASE_URL": server.base_url}
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 30
    while len(server.requests) < 8 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 130, err
    assert "Traceback" not in err
    lines = out_file.read_text().splitlines()
    assert 1 <= len(lines) < 40
    assert all(Evaluation.model_validate_json(line).judge == "llm" for line in lines)
    assert err.strip().endswith(f"{out_file} holds the {len(lines)} complete results")
    assert [path.name for path in tmp_path.iterdir() if path.name.endswith(".tmp")] == []
