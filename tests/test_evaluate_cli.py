"""`deeper evaluate` as a user runs it: formats, bad files, `--out`, exit codes."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from simulator.cli import main
from simulator.evaluation import Evaluation
from simulator.output_file import OutputFile
from simulator.report_formats import csv_header
from tests.support.conversations import PITCHY, write_call, write_transcript
from tests.support.sample import sample_persona

ROOT = Path(__file__).resolve().parent.parent

Run = tuple[int, str, str]


def evaluate(capsys: pytest.CaptureFixture[str], *args: str | Path) -> Run:
    code = main(["evaluate", *map(str, args)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Two saved sessions with the persona inside, and two calls by two named reps."""
    root = tmp_path / "calls"
    write_transcript(root / "a-curious.json", persona=sample_persona())
    write_transcript(root / "b-pitchy.json", PITCHY, persona=sample_persona())
    write_call(root / "team" / "c-sam.txt", rep="Sam Patel")
    write_call(root / "team" / "d-lee.txt", rep="Lee Wong")
    return root


def sources(lines: list[str]) -> list[str]:
    return [json.loads(line)["source"] for line in lines]


def test_jsonl_one_result_per_line_in_file_order(
    capsys: pytest.CaptureFixture[str], folder: Path
) -> None:
    write_call(folder / "team" / "c-sam.txt", rep="Rep")
    write_call(folder / "team" / "d-lee.txt", rep="Rep")
    code, out, err = evaluate(capsys, folder, "--format", "jsonl")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    results = [Evaluation.model_validate_json(line) for line in lines]
    assert sources(lines) == [
        str(folder / "a-curious.json"),
        str(folder / "b-pitchy.json"),
        str(folder / "team" / "c-sam.txt"),
        str(folder / "team" / "d-lee.txt"),
    ]
    assert results[0].persona == "sample-cfo" and results[2].persona is None
    assert results[1].metrics.first_pitch_turn == 1
    assert all(result.judge == "heuristic" for result in results)


def test_rep_names_the_rep_of_each_call(capsys: pytest.CaptureFixture[str], folder: Path) -> None:
    code, out, err = evaluate(capsys, folder / "team", "--rep", "Sam Patel", "--format", "jsonl")
    assert code == 1
    [line] = out.splitlines()
    assert json.loads(line)["rep"] == "Sam Patel"
    d_lee = folder / "team" / "d-lee.txt"
    assert err.splitlines()[0] == (
        f"{d_lee}: no rep turns: no speaker is named 'Sam Patel'; speakers: Dana Reyes, Lee Wong"
    )


def test_persona_option_gives_priorities_to_imports(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, folder: Path
) -> None:
    persona_file = tmp_path / "dana.yaml"
    persona_file.write_text(json.dumps(sample_persona().model_dump(mode="json")))
    call = folder / "team" / "c-sam.txt"
    code, out, _ = evaluate(
        capsys, call, "--rep", "Sam Patel", "--persona", persona_file, "--format", "json"
    )
    assert code == 0
    [result] = json.loads(out)
    assert result["persona"] == "sample-cfo"
    assert set(result["priorities"]) == {"cash", "team", "audit"}


def test_table_shows_rows_totals_and_groups(
    capsys: pytest.CaptureFixture[str], folder: Path
) -> None:
    write_call(folder / "team" / "d-lee.txt", rep="Sam Patel")
    code, out, err = evaluate(capsys, folder, "--rep", "Sam Patel")
    assert (code, err) == (0, "")
    sections = out.split("\n\n")
    assert [section.splitlines()[0] for section in sections[::2]] == [
        "Transcripts",
        "Totals",
        "By rep",
        "By persona",
    ]
    header, *rows = sections[1].splitlines()
    assert header.split()[:4] == ["source", "rep", "persona", "verdict"]
    assert "follow-up chain" in header and "first pitch" in header
    assert len(rows) == 4 and rows[0].startswith(str(folder / "a-curious.json"))
    totals = sections[3].splitlines()
    assert totals[0].split()[:4] == ["transcripts", "deeper", "mixed", "pitch"]
    assert totals[1].split()[0] == "4"
    assert sum(map(int, totals[1].split()[1:4])) == 4
    by_rep = sections[5].splitlines()
    assert by_rep[1].split()[:3] == ["Sam", "Patel", "2"]
    assert by_rep[2].split()[:2] == ["(unknown)", "2"]
    by_persona = sections[7].splitlines()
    assert by_persona[1].split()[:2] == ["sample-cfo", "2"]


def test_markdown_tables(capsys: pytest.CaptureFixture[str], folder: Path) -> None:
    code, out, _ = evaluate(capsys, folder / "a-curious.json", "--format", "markdown")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "### Transcripts"
    assert lines[2].startswith("| source | rep | persona | verdict | score |")
    assert lines[3].startswith("|---|---|---|---|---:|")
    assert lines[4].startswith(f"| {folder / 'a-curious.json'} | - | sample-cfo |")
    assert "### Totals" in lines and "### By persona" in lines and "### By rep" not in lines


def test_csv_one_flat_row_per_transcript(capsys: pytest.CaptureFixture[str], folder: Path) -> None:
    code, out, _ = evaluate(capsys, folder, "--format", "csv", "--rep", "Sam Patel")
    assert code == 1  # d-lee.txt has no Sam Patel
    header, *rows = list(csv.reader(io.StringIO(out)))
    assert header == csv_header()
    assert {"source", "verdict", "score", "open_share", "first_pitch_turn"} <= set(header)
    assert len(rows) == 3 and all(len(row) == len(header) for row in rows)
    pitchy = dict(zip(header, rows[1], strict=True))
    assert pitchy["source"] == str(folder / "b-pitchy.json")
    assert pitchy["first_pitch_turn"] == "1" and pitchy["persona"] == "sample-cfo"


def test_json_is_one_list(capsys: pytest.CaptureFixture[str], folder: Path) -> None:
    code, out, _ = evaluate(
        capsys, folder / "a-curious.json", folder / "b-pitchy.json", "--format", "json"
    )
    assert code == 0
    results = json.loads(out)
    assert [item["source"] for item in results] == [
        str(folder / "a-curious.json"),
        str(folder / "b-pitchy.json"),
    ]


def test_bad_files_are_reported_and_the_rest_evaluated(
    capsys: pytest.CaptureFixture[str], folder: Path
) -> None:
    (folder / "broken.json").write_text('{"format": "deeper-transcript", ')
    (folder / "other.json").write_text('{"hello": "world"}')
    (folder / "empty.txt").write_text("")
    (folder / "binary.vtt").write_bytes(b"WEBVTT\x00\x01\x02")
    (folder / "latin1.txt").write_bytes(b"Rep: caf\xe9?\n")
    write_transcript(folder / "quiet.json", [("customer", "Hello?")])
    (folder / "empty-folder").mkdir()
    code, out, err = evaluate(
        capsys, folder, folder / "empty-folder", "--format", "jsonl", "--rep", "Sam Patel"
    )
    assert code == 1
    assert "Traceback" not in err
    problems = err.splitlines()[:-1]
    assert sorted(problems) == sorted(
        [
            f"{folder / 'empty-folder'}: no transcript files (.json, .txt, .vtt) in this folder",
            f"{folder / 'binary.vtt'}: binary file, not a transcript",
            f"{folder / 'broken.json'}: invalid JSON: Expecting property name enclosed in "
            "double quotes at line 1 column 33",
            f"{folder / 'empty.txt'}: empty file",
            f"{folder / 'latin1.txt'}: not UTF-8 text (byte 0xe9 on line 1); save it as UTF-8",
            f"{folder / 'other.json'}: unknown format: JSON but not a deeper transcript "
            '(no "format": "deeper-transcript")',
            f"{folder / 'quiet.json'}: no rep turns: only the customer speaks",
            f"{folder / 'team' / 'd-lee.txt'}: no rep turns: no speaker is named 'Sam Patel'; "
            "speakers: Dana Reyes, Lee Wong",
        ]
    )
    assert err.splitlines()[-1] == "3 evaluated, 8 skipped"
    assert sources(out.splitlines()) == [
        str(folder / "a-curious.json"),
        str(folder / "b-pitchy.json"),
        str(folder / "team" / "c-sam.txt"),
    ]


def test_missing_path_is_a_bad_input(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = evaluate(capsys, tmp_path / "nowhere.json")
    assert (code, out) == (1, "")
    assert err.splitlines()[0] == f"{tmp_path / 'nowhere.json'}: file not found"


def leftovers(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if path.name.endswith(".tmp"))


def test_out_is_written_whole_and_leaves_no_temp_file(
    capsys: pytest.CaptureFixture[str], folder: Path, tmp_path: Path
) -> None:
    out_file = tmp_path / "results.jsonl"
    out_file.write_text("old results\n")
    code, out, err = evaluate(
        capsys, folder, "--format", "jsonl", "--out", out_file, "--rep", "Sam Patel"
    )
    assert code == 1 and out == ""
    assert err.splitlines()[-1] == f"3 evaluated, 1 skipped; results in {out_file}"
    assert len(out_file.read_text().splitlines()) == 3
    assert leftovers(tmp_path) == []
    assert oct(out_file.stat().st_mode & 0o777) != oct(0o600)


def test_out_inside_the_evaluated_folder_is_not_read_back(
    capsys: pytest.CaptureFixture[str], folder: Path
) -> None:
    out_file = folder / "results.json"
    for _ in range(2):
        code, _, err = evaluate(
            capsys,
            folder / "a-curious.json",
            folder,
            "--format",
            "json",
            "--out",
            out_file,
            "--rep",
            "Sam Patel",
        )
        assert "results.json" not in err.splitlines()[0]
    assert len(json.loads(out_file.read_text())) == 4


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--persona", "nobody"], "--persona: unknown persona 'nobody'"),
        (["--runs", "3"], "--runs repeats the LLM judge"),
        (["--concurrency", "0"], "--concurrency must be at least 1"),
        (["--judge", "llm"], "--judge llm needs a model: set OPENAI_API_KEY"),
    ],
)
def test_usage_errors_exit_2_and_write_nothing(
    capsys: pytest.CaptureFixture[str], folder: Path, args: list[str], message: str
) -> None:
    out_file = folder / "results.jsonl"
    code, out, err = evaluate(capsys, folder, "--out", out_file, *args)
    assert (code, out) == (2, "")
    [line] = err.splitlines()
    assert line.startswith(f"deeper: {message}")
    assert not out_file.exists() and leftovers(folder) == []


def test_out_in_a_missing_folder_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], folder: Path
) -> None:
    code, _, err = evaluate(capsys, folder, "--out", folder / "no" / "such" / "r.csv")
    assert code == 2 and "does not exist" in err


def test_interrupted_output_keeps_only_complete_lines(tmp_path: Path) -> None:
    target = tmp_path / "r.jsonl"
    output = OutputFile(target)
    output.handle.write('{"a": 1}\n{"b": 2}\n{"c": ')
    assert output.commit_complete_lines() == 2
    assert target.read_text() == '{"a": 1}\n{"b": 2}\n'
    assert leftovers(tmp_path) == []


def test_real_process_reports_bad_files_on_stderr_only(folder: Path) -> None:
    (folder / "broken.json").write_text("{")
    result = subprocess.run(
        [sys.executable, "-m", "simulator", "evaluate", str(folder), "--format", "jsonl"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env={**os.environ},
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"{folder / 'broken.json'}: invalid JSON" in result.stderr
    assert len(result.stdout.splitlines()) == 2  # the two calls name people: they need --rep


def test_readme_example_runs_on_the_shipped_transcripts(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    code, out, err = evaluate(capsys, "transcripts/", "--rep", "Alex Romero", "--format", "jsonl")
    assert (code, err) == (0, "")
    results = {Path(item["source"]).name: item for item in map(json.loads, out.splitlines())}
    assert set(results) == {
        "maria-curious-session.json",
        "maria-pitchy-session.json",
        "priya-discovery-call.txt",
        "maria-recorded-call.vtt",
    }
    assert results["maria-curious-session.json"]["verdict"] == "deeper"
    assert results["maria-pitchy-session.json"]["verdict"] == "pitch"
    assert results["priya-discovery-call.txt"]["rep"] == "Alex Romero"
