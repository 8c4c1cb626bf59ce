from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.openai_server import OpenAIServer

MODEL_ENV = ("OPENAI_API_KEY", "OPENAI_BASE_URL", "DEEPER_MODEL", "DEEPER_JUDGE_MODEL")


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Every test starts offline, with its own data dir and no user personas."""
    for name in (*MODEL_ENV, "DEEPER_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    home = tmp_path / "home"
    monkeypatch.setenv("DEEPER_HOME", str(home))
    monkeypatch.setenv("DEEPER_PERSONAS_DIR", str(tmp_path / "user-personas"))
    return home


@pytest.fixture
def server() -> Iterator[OpenAIServer]:
    with OpenAIServer() as running:
        yield running
