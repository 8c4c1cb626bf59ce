"""The API key goes to the server and nowhere else: no file, no output, no error, no log.

A marker key is used for a practice session and an evaluation, in this process (with every
logger writing to a file at DEBUG) and as real processes (with the SDK's own debug log on),
and also against a server that refuses it and quotes it back in its error message.
"""

from __future__ import annotations

import io
import logging
import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from simulator.cli import main
from simulator.library import resolve_persona
from simulator.practice import run_practice
from simulator.settings import load_settings
from tests.support.conversations import CURIOUS, judgement, write_transcript
from tests.support.openai_server import Fail, Json, OpenAIServer, Reply
from tests.support.typed_input import Typed

ROOT = Path(__file__).resolve().parent.parent
MARKER = f"sk-deeper-marker-{secrets.token_hex(12)}"
QUESTIONS = ("What's on your plate this quarter?", "Why does that matter?", "What worries you?")


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    """Every logger of this process, the SDK's and httpx's included, into one file at DEBUG."""
    path = tmp_path / "debug.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s %(args)s"))
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield path
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
        handler.close()


@pytest.fixture
def keyed(server: OpenAIServer, monkeypatch: pytest.MonkeyPatch) -> OpenAIServer:
    monkeypatch.setenv("OPENAI_API_KEY", MARKER)
    monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
    return server


def practise(questions: tuple[str, ...] = QUESTIONS) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_practice(
        "maria-freight-cfo", offline=False, stdin=Typed(*questions), out=out, err=err
    )
    return code, out.getvalue() + err.getvalue()


def evaluate(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["evaluate", *args, "--judge", "llm"])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def run(*args: str, stdin: str = "") -> str:
    """A real `deeper` process with the SDK's debug log on; its stdout and stderr."""
    env = {**os.environ, "OPENAI_LOG": "debug"}
    result = subprocess.run(
        [sys.executable, "-m", "simulator", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env=env,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result.stdout + result.stderr


def files_holding_the_key(folder: Path) -> list[Path]:
    needle = MARKER.encode()
    return [path for path in folder.rglob("*") if path.is_file() and needle in path.read_bytes()]


def test_the_key_is_sent_and_never_written_or_shown(
    keyed: OpenAIServer,
    log_file: Path,
    isolated_env: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    shown: list[str] = []
    keyed.default = Reply("Month end is always a scramble here.")
    code, said = practise()
    assert code == 0
    shown.append(said)
    [session] = (isolated_env / "sessions").glob("*.json")
    shown.append(run("practice", "maria-freight-cfo", "--plain", stdin="\n".join(QUESTIONS)))

    maria = resolve_persona("maria-freight-cfo")
    keyed.default = Json(judgement(CURIOUS, persona=maria))
    for form in ("json", "jsonl", "csv"):
        out_file = tmp_path / f"results.{form}"
        code, said = evaluate(capsys, str(session), "--format", form, "--out", str(out_file))
        assert code == 0, said
        shown.append(said)
    shown.append(run("evaluate", str(session), "--judge", "llm", "--format", "json"))
    shown.append(repr(load_settings()) + str(load_settings()))

    # The key did reach the server, in the header and only there.
    chats = keyed.chat_requests
    assert len(chats) >= 2 * len(QUESTIONS) + 4
    assert {request.headers["authorization"] for request in keyed.requests} == {f"Bearer {MARKER}"}
    assert all(MARKER not in str(request.body) for request in keyed.requests)

    assert log_file.stat().st_size > 0
    assert files_holding_the_key(tmp_path) == []
    assert all(MARKER not in text for text in shown)


def test_a_refused_key_quoted_back_by_the_server_is_not_repeated(
    keyed: OpenAIServer,
    log_file: Path,
    isolated_env: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    quoted = f"Incorrect API key provided: {MARKER}. You can find your API key at example."
    shown: list[str] = []

    # Refused mid-session (the check before the session passed).
    keyed.default = Fail(401, quoted)
    code, said = practise(QUESTIONS[:1])
    assert code == 0 and "refused the API key (HTTP 401)" in said
    shown.append(said)
    transcript = str(write_transcript(tmp_path / "call.json"))
    code, said = evaluate(capsys, transcript, "--format", "jsonl")
    assert code == 2 and "refused the API key (HTTP 401)" in said
    shown.append(said)

    # Refused at the start.
    keyed.models_failure = Fail(401, quoted)
    code, said = practise()
    assert code == 2 and "refused the API key (HTTP 401)" in said
    shown.append(said)
    shown.append(run("practice", "maria-freight-cfo", "--plain", stdin="Hello?\n"))
    shown.append(run("evaluate", transcript, "--judge", "llm"))
    assert all("refused the API key (HTTP 401)" in text for text in shown[-2:])

    assert files_holding_the_key(tmp_path) == []
    assert all(MARKER not in text for text in shown)
