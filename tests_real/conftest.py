"""The integration suite's fixtures: one real llama.cpp server for the whole run, always stopped."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests_real.llama_server import MODEL_ALIAS, LlamaServer

MODEL_ENV = ("OPENAI_API_KEY", "OPENAI_BASE_URL", "DEEPER_MODEL", "DEEPER_JUDGE_MODEL")
# A busy two-core machine can take a minute over one judgement; a timeout here is no finding.
TIMEOUT = "300"


@pytest.fixture(scope="session")
def llama(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LlamaServer]:
    """The server for every test; its finalizer ends the process group whatever happened."""
    server = LlamaServer(log=tmp_path_factory.mktemp("llama") / "server.log")
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Every test has its own data dir and no user personas, and talks to no other server."""
    for name in MODEL_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DEEPER_TIMEOUT", TIMEOUT)
    home = tmp_path / "home"
    monkeypatch.setenv("DEEPER_HOME", str(home))
    monkeypatch.setenv("DEEPER_PERSONAS_DIR", str(tmp_path / "user-personas"))
    return home


@pytest.fixture
def model_env(llama: LlamaServer, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The environment that points deeper at the real model, also set for this process."""
    env = {"OPENAI_BASE_URL": llama.base_url, "DEEPER_MODEL": MODEL_ALIAS}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env
