"""`deeper practice --plain` as a user runs it: a real process, stdin in, stdout and a file out."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import yaml

from tests.support.openai_server import Fail, OpenAIServer, Reply
from tests.support.sample import sample_persona

ROOT = Path(__file__).resolve().parent.parent


def persona_file(tmp_path: Path) -> Path:
    path = tmp_path / "dana.yaml"
    path.write_text(yaml.safe_dump(sample_persona().model_dump(mode="json"), sort_keys=False))
    return path


def deeper(
    *args: str, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "simulator", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
    )


def saved_sessions(home: Path) -> list[Path]:
    return sorted((home / "sessions").glob("*.json"))


def test_offline_conversation_is_printed_and_saved(tmp_path: Path, isolated_env: Path) -> None:
    lines = [
        "What's on your plate this quarter?",
        "Why does that matter to you?",
        "/end",
        "ignored",
    ]
    result = deeper(
        "practice", str(persona_file(tmp_path)), "--plain", stdin="\n".join(lines) + "\n"
    )
    assert result.returncode == 0, result.stderr
    # No endpoint configured: one line says so and how to connect a model.
    assert (
        result.stderr.count("\n") == 1
        and "offline" in result.stderr
        and "OPENAI_BASE_URL" in result.stderr
    )
    out = result.stdout
    assert "Dana Reyes, CFO at Northwind Haulage" in out and "scripted customer" in out
    assert "Dana Reyes: I have fifteen minutes. What's this about?" in out
    assert "Dana Reyes: Month end is always a scramble for us." in out
    [path] = saved_sessions(isolated_env)
    assert out.rstrip().endswith(f"Transcript saved: {path}")
    saved = json.loads(path.read_text())
    assert saved["format"] == "deeper-transcript" and saved["version"] == 1
    assert saved["persona"]["id"] == "sample-cfo"
    assert saved["engine"] == {"voice": "scripted"}
    assert [t["speaker"] for t in saved["turns"]] == [
        "customer",
        "rep",
        "customer",
        "rep",
        "customer",
    ]
    assert saved["turns"][3]["text"] == "Why does that matter to you?"
    assert saved["turns"][4]["state"]["levels"]["cash"] == "stated"
    assert "ended_at" in saved


def test_end_of_input_ends_cleanly_and_offline_flag_is_quiet(
    tmp_path: Path, isolated_env: Path
) -> None:
    result = deeper(
        "practice", str(persona_file(tmp_path)), "--plain", "--offline", stdin="Hello there?\n"
    )
    assert result.returncode == 0
    assert result.stderr == ""
    [path] = saved_sessions(isolated_env)
    assert len(json.loads(path.read_text())["turns"]) == 3


def test_llm_voice_streams_through_plain_mode(tmp_path: Path, server: OpenAIServer) -> None:
    server.default = Reply("It has been a long quarter, honestly.", chunk_delay=0.01)
    env = {"OPENAI_BASE_URL": server.base_url, "DEEPER_MODEL": "tiny-model"}
    result = deeper(
        "practice", str(persona_file(tmp_path)), "--plain", stdin="How are things?\n/end\n", env=env
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert f"model tiny-model at {server.base_url}" in result.stdout
    assert "Dana Reyes: It has been a long quarter, honestly." in result.stdout


def test_unknown_persona_lists_the_known_ones() -> None:
    result = deeper("practice", "no-such-persona", "--plain", "--offline")
    assert result.returncode == 2
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert "unknown persona 'no-such-persona'" in line and "maria-freight-cfo" in line


def test_failed_reply_keeps_the_message_to_send_again(
    tmp_path: Path, isolated_env: Path, server: OpenAIServer
) -> None:
    server.default = Fail(503, "overloaded")
    env = {"OPENAI_BASE_URL": server.base_url}
    stdin = "What keeps you busy?\n/end\n"
    result = deeper("practice", str(persona_file(tmp_path)), "--plain", stdin=stdin, env=env)
    assert result.returncode == 0
    assert "Traceback" not in result.stderr
    assert f"error: the model server at {server.base_url} answered HTTP 503" in result.stderr
    assert "press Enter to send it again" in result.stderr


def test_unreachable_server_is_said_before_the_conversation() -> None:
    env = {"OPENAI_BASE_URL": "http://127.0.0.1:9/v1"}
    result = deeper("practice", "maria-freight-cfo", "--plain", stdin="Hello?\n", env=env)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == "deeper: could not reach the model server at http://127.0.0.1:9/v1\n"


def wait_for_reply(process: subprocess.Popen[str]) -> None:
    """Read until the customer's whole reply has been printed."""
    assert process.stdout is not None
    while True:
        line = process.stdout.readline()
        assert line, f"deeper exited early: {process.stderr.read() if process.stderr else ''}"
        if line.startswith("Dana Reyes: "):
            return


def test_killed_session_leaves_every_completed_turn_on_disk(
    tmp_path: Path, isolated_env: Path
) -> None:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "simulator",
            "practice",
            str(persona_file(tmp_path)),
            "--plain",
            "--offline",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert process.stdin is not None and process.stdout is not None
    try:
        wait_for_reply(process)  # the header, then the customer's opening line
        for question in ["What's on your plate?", "Why does that matter?", "What worries you?"]:
            process.stdin.write(question + "\n")
            process.stdin.flush()
            wait_for_reply(process)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
    [path] = saved_sessions(isolated_env)
    saved = json.loads(path.read_text())
    assert [t["speaker"] for t in saved["turns"]] == ["customer"] + ["rep", "customer"] * 3
    assert saved["turns"][5]["text"] == "What worries you?"
    assert not list((isolated_env / "sessions").glob(".*.tmp"))


def test_ctrl_c_ends_cleanly_and_saves(tmp_path: Path, isolated_env: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "simulator", "practice", str(persona_file(tmp_path)), "--plain"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert process.stdin is not None and process.stdout is not None
    wait_for_reply(process)
    process.stdin.write("What's on your plate?\n")
    process.stdin.flush()
    wait_for_reply(process)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=20)
    assert process.returncode == 0
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    [path] = saved_sessions(isolated_env)
    assert f"Transcript saved: {path}" in out
    assert len(json.loads(path.read_text())["turns"]) == 3


def test_unwritable_home_warns_once_and_keeps_the_conversation(tmp_path: Path) -> None:
    home = tmp_path / "home-is-a-file"
    home.write_text("not a folder")
    result = deeper(
        "practice",
        str(persona_file(tmp_path)),
        "--plain",
        "--offline",
        stdin="What's on your plate?\n",
        env={"DEEPER_HOME": str(home)},
    )
    assert result.returncode == 0
    warnings = [line for line in result.stderr.splitlines() if "cannot save" in line]
    assert len(warnings) == 2  # once at the start, once saying where it went instead
    saved_line = result.stdout.strip().splitlines()[-1]
    fallback = Path(saved_line.removeprefix("Transcript saved: "))
    assert fallback.exists() and len(json.loads(fallback.read_text())["turns"]) == 3
    fallback.unlink()
