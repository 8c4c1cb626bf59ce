"""Input nobody should send but someone will: binary files, other encodings, huge files,
a 20,000-character message, right-to-left text and emoji. Each round-trips or fails cleanly."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from simulator.cli import main
from simulator.evaluation import Evaluation
from simulator.importers import load_conversation
from simulator.store import load
from tests.support.sample import sample_persona

ROOT = Path(__file__).resolve().parent.parent
CALL = (ROOT / "transcripts" / "priya-discovery-call.txt").read_text(encoding="utf-8")
PERSONA = (ROOT / "personas" / "maria-freight-cfo.yaml").read_text(encoding="utf-8")
RTL_AND_EMOJI = "שלום! ما الذي يقلقك أكثر في نهاية الشهر؟ 👩‍💻🇳🇬 — café ‏(RTL mark)‏ 😀"


def deeper(
    *args: str, stdin: str = "", home: Path | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **({"DEEPER_HOME": str(home)} if home else {})}
    return subprocess.run(
        [sys.executable, "-m", "simulator", *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        cwd=ROOT,
        env=env,
    )


def evaluate(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["evaluate", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def odd_files(tmp_path: Path) -> dict[str, Path]:
    files = {
        "binary.json": bytes(range(256)) * 8,
        "image.txt": b"\x89PNG\r\n\x1a\n" + bytes(range(200)),
        "latin1.txt": CALL.replace("a", "á").encode("latin-1"),
        "cp1252.vtt": b"WEBVTT\n\n00:01.000 --> 00:02.000\n<v Sam>It\x92s fine\n",
        "utf16-no-bom.txt": CALL.encode("utf-16-le"),
        "empty.json": b"",
        "blank.txt": b"\n \n\t\n",
    }
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
    return {name: tmp_path / name for name in files}


def test_unreadable_transcripts_fail_one_line_each(
    capsys: pytest.CaptureFixture[str], odd_files: dict[str, Path]
) -> None:
    code, out, err = evaluate(capsys, *map(str, odd_files.values()), "--format", "jsonl")
    assert code == 1 and out == ""
    *problems, summary = err.splitlines()
    assert summary == f"0 evaluated, {len(odd_files)} skipped"
    assert [line.split(": ", 1)[0] for line in problems] == [str(p) for p in odd_files.values()]
    reasons = dict(zip(odd_files, (line.split(": ", 1)[1] for line in problems), strict=True))
    assert reasons["binary.json"] == "binary file, not a transcript"
    assert reasons["latin1.txt"].startswith("not UTF-8 text (byte 0xe1 on line 1)")
    assert reasons["cp1252.vtt"].startswith("not UTF-8 text (byte 0x92 on line 4)")
    assert reasons["empty.json"] == reasons["blank.txt"] == "empty file"


def test_unreadable_personas_fail_one_line_each(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    files = {
        "binary.yaml": bytes(range(256)),
        "latin1.yaml": PERSONA.replace("Maria", "María").encode("latin-1"),
        "utf16-no-bom.yaml": PERSONA.encode("utf-16-le"),
    }
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
        code = main(["practice", str(tmp_path / name), "--plain", "--offline"])
        captured = capsys.readouterr()
        assert code == 2 and captured.out == ""
        [line] = captured.err.splitlines()
        assert line.startswith(f"{tmp_path / name}:")
    assert "not UTF-8 text" in line or "binary file" in line


def test_utf16_with_a_bom_is_read_like_utf8(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    call = tmp_path / "call.txt"
    call.write_bytes(CALL.encode("utf-16"))
    persona = tmp_path / "maria.yaml"
    persona.write_bytes(PERSONA.replace("Maria", "María").encode("utf-16"))
    code, out, err = evaluate(capsys, str(call), "--rep", "Alex Romero", "--format", "jsonl")
    assert (code, err) == (0, "")
    assert Evaluation.model_validate_json(out).rep == "Alex Romero"
    assert main(["personas", "check", str(persona)]) == 0
    assert main(["personas", "show", str(persona)]) == 0
    assert "María Okafor" in capsys.readouterr().out


def test_a_ten_megabyte_transcript_is_judged(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    answer = "Honestly the cash forecast takes days and I never quite trust it. " * 1500
    turns = []
    for index in range(200):
        turns.append({"speaker": "customer", "text": answer})
        turns.append({"speaker": "rep", "text": f"Why does that matter to you, part {index}?"})
    path = tmp_path / "huge.json"
    path.write_text(
        json.dumps({"format": "deeper-transcript", "version": 1, "id": "huge", "turns": turns})
    )
    assert path.stat().st_size > 10_000_000
    assert len(load_conversation(path).turns) == 400
    code, out, err = evaluate(capsys, str(path), "--format", "jsonl")
    assert (code, err) == (0, "")
    assert Evaluation.model_validate_json(out).metrics.rep_turns == 200


def test_a_transcript_beyond_any_call_is_refused_at_once(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "endless.txt"
    with path.open("wb") as handle:
        handle.truncate(60_000_000)  # sparse: no disk spent
    code, _, err = evaluate(capsys, str(path))
    assert code == 1
    assert err.splitlines()[0] == f"{path}: file too large for a transcript (60,000,000 bytes)"


def test_long_rtl_and_emoji_messages_round_trip(tmp_path: Path) -> None:
    persona = sample_persona().model_dump(mode="json")
    persona.update(name="مريم الحداد", opening="أهلاً، عندي ربع ساعة فقط. 🙂")
    persona_file = tmp_path / "mariam.yaml"
    persona_file.write_text(yaml.safe_dump(persona, allow_unicode=True), encoding="utf-8")
    long_message = ("Why does the month-end close matter so much to you? " * 400)[:20_000]
    messages = [RTL_AND_EMOJI, long_message, "מה מדאיג אותך? 😟"]
    home = tmp_path / "home"
    result = deeper(
        "practice",
        str(persona_file),
        "--plain",
        "--offline",
        stdin="\n".join(messages) + "\n",
        home=home,
    )
    assert result.returncode == 0 and result.stderr == ""
    assert "مريم الحداد: أهلاً، عندي ربع ساعة فقط. 🙂" in result.stdout
    [saved] = (home / "sessions").glob("*.json")
    transcript = load(saved)
    assert [t.text for t in transcript.turns if t.speaker == "rep"] == [
        RTL_AND_EMOJI,
        long_message.strip(),
        "מה מדאיג אותך? 😟",
    ]
    judged = deeper("evaluate", str(saved), "--format", "json")
    assert judged.returncode == 0, judged.stderr
    [evaluation] = json.loads(judged.stdout)
    assert evaluation["metrics"]["rep_questions"] >= 2


def test_rtl_speaker_names_in_calls(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    vtt = tmp_path / "call.vtt"
    vtt.write_text(
        "WEBVTT\n\n"
        "00:00:01.000 --> 00:00:04.000\n<v مريم>ما الذي يشغلك هذا الربع؟ 🤔\n\n"
        "00:00:05.000 --> 00:00:09.000\n<v דנה>הסגירה החודשית, כמו תמיד.\n\n"
        "00:00:10.000 --> 00:00:12.000\n<v مريم>لماذا يهمك ذلك؟\n",
        encoding="utf-8",
    )
    code, out, err = evaluate(capsys, str(vtt), "--rep", "مريم", "--format", "jsonl")
    assert (code, err) == (0, "")
    result = Evaluation.model_validate_json(out)
    assert result.rep == "مريم" and result.metrics.rep_turns == 2
    code, out, err = evaluate(capsys, str(vtt), "--format", "table")
    assert code == 1 and out == ""
    assert err.splitlines()[0].endswith("speakers: مريم, דנה")


def test_history_with_a_time_without_a_zone(
    capsys: pytest.CaptureFixture[str], isolated_env: Path
) -> None:
    folder = isolated_env / "sessions"
    folder.mkdir(parents=True)
    turns = [{"speaker": "customer", "text": "Hello."}, {"speaker": "rep", "text": "Hi?"}]
    for name, started in (("a", "2024-01-01T10:00:00"), ("b", "2024-01-02T10:00:00Z")):
        session = {"format": "deeper-transcript", "version": 1, "id": name, "turns": turns}
        (folder / f"{name}.json").write_text(json.dumps({**session, "started_at": started}))
    assert main(["history"]) == 0
    out = capsys.readouterr().out
    assert out.index("b.json") < out.index("a.json")


def test_a_key_with_a_line_break_is_still_a_one_line_problem(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "odd.yaml"
    path.write_text(PERSONA.replace("offering:\n", "offering:\n  ? '\n\n    '\n  : null\n", 1))
    assert main(["personas", "check", str(path)]) == 1
    [problem] = capsys.readouterr().out.splitlines()
    assert problem == f"{path}:12: offering.'\\n': unknown key '\\n' (allowed: summary, terms)"
