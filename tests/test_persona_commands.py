"""`deeper personas list|show|check|schema|new` as a trainer uses them: output and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from simulator.cli import main
from simulator.library import builtin_dir
from simulator.persona_schema import SCHEMA_FILE, persona_schema
from tests.support.sample import SECRET_MARKERS, sample_persona

BUILTIN = Path(__file__).resolve().parent.parent / "personas"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def write_sample(path: Path, **changes: object) -> Path:
    data = sample_persona().model_dump(mode="json")
    data.update(changes)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def user_dir(isolated_env: Path, tmp_path: Path) -> Path:
    # conftest points DEEPER_PERSONAS_DIR here; the folder itself starts missing.
    folder = tmp_path / "user-personas"
    folder.mkdir()
    return folder


# --- list ----------------------------------------------------------------------------------


def test_list_is_a_table_of_builtin_and_user_personas(
    capsys: pytest.CaptureFixture[str], user_dir: Path
) -> None:
    write_sample(user_dir / "dana.yaml")
    code, out, err = run(capsys, "personas", "list")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].split() == ["id", "name", "role", "kind", "priorities", "source"]
    rows = {line.split()[0]: line for line in lines[1:] if line and not line.startswith("your")}
    assert len(rows) >= 10
    maria = rows["maria-freight-cfo"]
    assert "Maria Okafor" in maria and "CFO" in maria and "customer" in maria
    assert maria.split()[-2:] == ["4", "builtin"]
    assert "direct_report" in rows["jonas-senior-engineer"]
    assert rows["sample-cfo"].split()[-2:] == ["3", "user"]
    assert f"your own personas: {user_dir}" in out


def test_list_names_a_broken_user_file_and_exits_1(
    capsys: pytest.CaptureFixture[str], user_dir: Path
) -> None:
    (user_dir / "half.yaml").write_text("id: half\nname: Half Done\n")
    code, out, err = run(capsys, "personas", "list")
    assert code == 1
    assert "maria-freight-cfo" in out and "half" not in out.split("your own")[0]
    assert err.strip() == (
        f"{user_dir / 'half.yaml'}: not loaded; `deeper personas check {user_dir / 'half.yaml'}`"
        " says why"
    )


@pytest.mark.parametrize(
    "args",
    [
        ("personas", "list"),
        ("personas", "show", "maria-freight-cfo"),
        ("personas", "check"),
        ("selfplay", "maria-freight-cfo"),
        ("personas", "new", "someone-new"),
    ],
)
def test_an_id_clash_is_exit_2_naming_both_files(
    capsys: pytest.CaptureFixture[str], user_dir: Path, args: tuple[str, ...]
) -> None:
    copy = write_sample(user_dir / "copy.yaml", id="maria-freight-cfo")
    code, out, err = run(capsys, *args)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert str(copy) in err and str(BUILTIN / "maria-freight-cfo.yaml") in err


# --- show ----------------------------------------------------------------------------------


def test_show_prints_the_public_card_and_keeps_priorities_hidden(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "personas", "show", "maria-freight-cfo")
    assert code == 0 and err == ""
    assert out.startswith("Maria Okafor, CFO at Brightline Freight")
    assert "I've got about twenty minutes." in out
    assert "Accounts-payable automation software" in out
    assert "being pitched before she has said what she needs" in out
    assert "4 hidden priorities; `--reveal` shows them" in out
    for hidden in ("cash-visibility", "covenant", "Denise", "Month end is always a scramble"):
        assert hidden not in out


def test_show_reveal_adds_every_priority_with_its_lines_and_levels(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write_sample(tmp_path / "dana.yaml")
    code, out, _ = run(capsys, "personas", "show", str(path), "--reveal")
    assert code == 0
    assert "file given directly" in out
    assert "trust starts at 0.30" in out
    persona = sample_persona()
    for priority in persona.priorities:
        assert f"{priority.id}: {priority.label}" in out
        assert priority.why in out and priority.fear in out
        for level in ("hint", "stated", "why", "fear"):
            for line in getattr(priority.reveals, level):
                assert f"{level}:" in out and line in out
    assert all(marker in out for marker in SECRET_MARKERS)


def test_show_unknown_persona_is_one_line_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "personas", "show", "nobody-here")
    assert code == 2 and out == ""
    assert err.startswith("deeper: unknown persona 'nobody-here'; known: ")
    assert err.count("\n") == 1


# --- schema --------------------------------------------------------------------------------


def test_schema_prints_the_json_schema_from_the_model(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "personas", "schema")
    assert code == 0
    schema = json.loads(out)
    assert schema == persona_schema()
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert set(schema["required"]) >= {"id", "name", "offering", "priorities"}
    assert schema["additionalProperties"] is False
    # A one-line reveal is allowed by the loader, so the schema must allow it too.
    hint = schema["$defs"]["Reveals"]["properties"]["hint"]
    assert {option["type"] for option in hint["anyOf"]} == {"string", "array"}


def test_committed_schema_file_is_up_to_date() -> None:
    assert json.loads(SCHEMA_FILE.read_text(encoding="utf-8")) == persona_schema(), (
        "regenerate it: deeper personas schema > simulator/persona.schema.json"
    )


def test_shipped_personas_point_editors_at_the_schema() -> None:
    folder = builtin_dir()
    assert folder is not None
    for path in sorted(folder.glob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../simulator/persona.schema.json", path
        assert (path.parent / "../simulator/persona.schema.json").resolve() == SCHEMA_FILE


# --- new -----------------------------------------------------------------------------------


def test_new_writes_a_commented_template_that_passes_check_and_the_gate(
    capsys: pytest.CaptureFixture[str], user_dir: Path
) -> None:
    code, out, err = run(capsys, "personas", "new", "my-buyer")
    target = user_dir / "my-buyer.yaml"
    assert code == 0 and err == ""
    assert out.splitlines()[0] == f"wrote {target}"
    text = target.read_text(encoding="utf-8")
    assert text.startswith(f"# yaml-language-server: $schema={SCHEMA_FILE.as_uri()}\n")
    assert "\nid: my-buyer\n" in text
    assert text.count("\n#") >= 10  # it explains itself

    code, out, err = run(capsys, "personas", "check", str(target), "--selfplay")
    assert (code, out) == (0, "")
    assert "0 problems, 0 warnings, 0 self-play failures" in err
    # It is in the library straight away.
    code, out, _ = run(capsys, "personas", "list")
    assert any(line.startswith("my-buyer ") and line.endswith("user") for line in out.splitlines())


def test_new_refuses_to_overwrite(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "mine.yaml"
    target.write_text("keep me")
    code, out, err = run(capsys, "personas", "new", "fresh-one", "--out", str(target))
    assert code == 2 and out == ""
    assert err == f"deeper: {target} already exists; not overwriting it\n"
    assert target.read_text() == "keep me"


def test_new_into_a_folder_names_the_file_after_the_id(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, _ = run(capsys, "personas", "new", "fresh-one", "--out", str(tmp_path))
    assert code == 0
    assert "id: fresh-one" in (tmp_path / "fresh-one.yaml").read_text()


@pytest.mark.parametrize("bad", ["Maria", "has space", "dots.in.id", "under_score", "x" * 65])
def test_new_with_an_invalid_id_is_exit_2(
    capsys: pytest.CaptureFixture[str], user_dir: Path, bad: str
) -> None:
    code, out, err = run(capsys, "personas", "new", bad)
    assert code == 2 and out == ""
    assert err.startswith(f"deeper: invalid persona id {bad!r}")
    assert list(user_dir.iterdir()) == []


def test_new_with_an_id_already_in_the_library_is_exit_2(
    capsys: pytest.CaptureFixture[str], user_dir: Path
) -> None:
    code, _, err = run(capsys, "personas", "new", "maria-freight-cfo")
    assert code == 2
    assert err == (
        "deeper: persona id 'maria-freight-cfo' is already used by "
        f"{BUILTIN / 'maria-freight-cfo.yaml'}\n"
    )


# --- check ---------------------------------------------------------------------------------


def test_check_of_the_shipped_library_has_no_problems_and_no_warnings(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "personas", "check", str(BUILTIN))
    assert code == 0
    assert out == ""
    assert err.endswith("persona file(s) checked: 0 problems, 0 warnings\n")


def test_check_prints_warnings_but_exits_0(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = sample_persona().model_dump(mode="json")
    cash = data["priorities"][0]
    cash["reveals"]["hint"] = [cash["why"].replace("SECRET-WHY-CASH ", "")]
    path = write_sample(tmp_path / "leaky.yaml", priorities=data["priorities"])
    code, out, err = run(capsys, "personas", "check", str(path))
    assert code == 0
    [line] = out.splitlines()
    where, field, rest = line.split(": ", 2)
    assert where.startswith(f"{path}:") and int(where.rsplit(":", 1)[1]) > 1
    assert field == "priorities.0.reveals.hint.0"
    assert rest.startswith("warning: this hint line gives away the why early")
    assert "0 problems, 1 warning" in err


def test_check_errors_still_exit_1_next_to_warnings(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    good = write_sample(tmp_path / "good.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text(good.read_text().replace("opening:", "openin:"))
    code, out, err = run(capsys, "personas", "check", str(tmp_path))
    assert code == 1
    assert f"{bad}:" in out and "unknown key 'openin'" in out
    assert f"{good}:" not in out
    assert "2 persona file(s) checked: 2 problems" in err


def test_check_finds_two_files_with_one_id(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    first = write_sample(tmp_path / "a.yaml")
    second = write_sample(tmp_path / "b.yaml")
    code, out, _ = run(capsys, "personas", "check", str(first), str(second))
    assert code == 1
    assert out.strip() == f"{second}:1: id: id 'sample-cfo' is also used by {first}"


def test_check_selfplay_passes_the_library_and_fails_a_weak_persona(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = run(capsys, "personas", "check", str(BUILTIN), "--selfplay")
    assert (code, out) == (0, "")
    assert "0 self-play failures" in err

    data = sample_persona().model_dump(mode="json")
    # Signals so generic that every broad question lands on the first priority.
    data["priorities"][0]["signals"] = ["mind", "plate", "achieve", "week", "job", "matter"]
    weak = write_sample(tmp_path / "weak.yaml", priorities=data["priorities"])
    code, out, err = run(capsys, "personas", "check", str(weak), "--selfplay")
    assert code == 1
    warning, failure = out.splitlines()
    # `check` already says why: none of those words is ever said by this customer.
    assert warning.startswith(f"{weak}:") and "priorities.0.signals: warning: none of" in warning
    assert failure.startswith(
        f"{weak}: selfplay: curious rep reached why on 1 priority in 12 turns"
    )
    assert "1 self-play failure" in err
