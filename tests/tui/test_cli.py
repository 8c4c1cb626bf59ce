"""`deeper practice` without --plain: the practice room needs a terminal."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def deeper(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "simulator", *args],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )


def test_without_a_terminal_it_points_at_plain_mode() -> None:
    result = deeper("practice", "maria-freight-cfo", "--offline")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == "deeper: the practice room needs a terminal; use --plain for scripts\n"


def test_reveal_is_for_the_practice_room() -> None:
    result = deeper("practice", "maria-freight-cfo", "--plain", "--reveal")
    assert result.returncode == 2
    assert "--reveal" in result.stderr and "Traceback" not in result.stderr
