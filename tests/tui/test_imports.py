"""Only `simulator/tui/` imports Textual; the practice room's first screen loads little."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "simulator"
TUI = PACKAGE / "tui"


def imported_modules(code: str) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", code + "\nimport json, sys; print(json.dumps(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=True,
    )
    loaded: list[str] = json.loads(result.stdout.splitlines()[-1])
    return loaded


def test_no_module_outside_the_tui_imports_textual() -> None:
    core = sorted(
        ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for path in PACKAGE.rglob("*.py")
        if TUI not in path.parents and path.name != "__main__.py"
    )
    names = [name.removesuffix(".__init__") for name in core]
    loaded = imported_modules(
        "import importlib\n"
        "import simulator.cli\n"
        "simulator.cli.build_parser()\n"
        f"for name in {names!r}:\n"
        "    importlib.import_module(name)\n"
    )
    assert "simulator.cli" in loaded and "simulator.session" in loaded
    assert [name for name in loaded if name.split(".")[0] == "textual"] == []


def test_no_source_outside_the_tui_mentions_textual_imports() -> None:
    for path in PACKAGE.rglob("*.py"):
        if TUI in path.parents:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                modules = [node.module or ""]
            else:
                continue
            assert not any(m.split(".")[0] == "textual" for m in modules), path


def test_first_screen_does_not_wait_for_the_model_sdk_or_the_judge() -> None:
    # What the picker needs is all that loads before it paints (bench/tui_latency.py).
    loaded = imported_modules("import simulator.tui.launch, simulator.tui.app")
    heavy = {"openai", "simulator.session", "simulator.judge", "simulator.quiz", "markdown_it"}
    heavy |= {"simulator.transcript", "simulator.engine"}
    assert sorted(heavy & set(loaded)) == []
