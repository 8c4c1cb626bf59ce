"""A big heuristic batch runs in worker processes: same results, same order, clean Ctrl-C."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from simulator.cli import main
from simulator.evaluation import Evaluation
from simulator.judge_pool import MIN_FILES

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").rglob("*.json"))


def team_folder(folder: Path, count: int) -> Path:
    """`count` calls cycled from the calibration seeds, each under a name of its own."""
    folder.mkdir(parents=True)
    for index in range(count):
        seed = SEEDS[index % len(SEEDS)]
        shutil.copyfile(seed, folder / f"{index:05}-{seed.name}")
    return folder


def test_worker_processes_give_the_results_of_one_process_in_file_order(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = team_folder(tmp_path / "calls", MIN_FILES + 50)
    (folder / "00007-broken.json").write_text("{")
    (folder / "00900-empty.txt").write_text("")
    results = {}
    for concurrency in ("1", "2"):
        code = main(["evaluate", str(folder), "--format", "jsonl", "--concurrency", concurrency])
        captured = capsys.readouterr()
        assert code == 1
        assert captured.err.splitlines() == [
            f"{folder / '00007-broken.json'}: invalid JSON: Expecting property name enclosed "
            "in double quotes at line 1 column 2",
            f"{folder / '00900-empty.txt'}: empty file",
            f"{MIN_FILES + 50} evaluated, 2 skipped",
        ]
        results[concurrency] = captured.out
    assert results["2"] == results["1"]
    lines = results["2"].splitlines()
    assert [Evaluation.model_validate_json(line).source for line in lines] == [
        str(path) for path in sorted(folder.iterdir()) if path.stat().st_size > 1
    ]
    verdicts = {Evaluation.model_validate_json(line).verdict for line in lines}
    assert verdicts == {"deeper", "mixed", "pitch"}


def test_ctrl_c_stops_the_workers_and_keeps_complete_lines(tmp_path: Path) -> None:
    folder = team_folder(tmp_path / "calls", 6000)
    out_file = tmp_path / "results.jsonl"
    command = [sys.executable, "-m", "simulator", "evaluate", str(folder), "--format", "jsonl"]
    command += ["--out", str(out_file), "--concurrency", "2"]
    # A group of its own: Ctrl-C in a terminal signals the whole group, workers included.
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env={**os.environ},
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    partial = out_file.parent / f".{out_file.name}"
    deadline = time.monotonic() + 60
    # The results reach the temporary file as they come: wait for the first ones.
    while not any(p.stat().st_size > 0 for p in tmp_path.glob(f"{partial.name}*")):
        assert process.poll() is None and time.monotonic() < deadline
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGINT)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 130, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    lines = out_file.read_text(encoding="utf-8").splitlines()
    assert 1 <= len(lines) < 6000
    assert all(Evaluation.model_validate_json(line).judge == "heuristic" for line in lines)
    assert err.strip().endswith(f"{out_file} holds the {len(lines)} complete results"), len(lines)
