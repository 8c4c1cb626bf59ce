from pathlib import Path

import pytest

from simulator.persona_files import (
    PersonaFileError,
    Problem,
    check_paths,
    load_persona,
    read_persona_file,
)

PERSONAS = Path(__file__).resolve().parent.parent / "personas"

HEAD = """\
id: test-persona
name: Test Person
role: Buyer
company: Acme
situation: A test.
offering:
  summary: Widgets
  terms: [widget, demo]
voice: {tone: plain}
opening: Hello.
trust: {start: 0.3}
priorities:
"""
# Starts on line 13; `signals` is line 17, `reveals` 18, `hint` 19, `stated` 20, `fear` 22.
PRIORITY = """\
  - id: cash
    label: Cash
    why: Because.
    fear: Running out.
    signals: [cash]
    reveals:
      hint: Money is tight.
      stated: I need cash.
      why: We nearly ran out.
      fear: I fear running out.
"""
VALID = HEAD + PRIORITY


def problems(tmp_path: Path, content: str | bytes) -> list[Problem]:
    path = tmp_path / "p.yaml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(PersonaFileError) as caught:
        load_persona(path)
    return caught.value.problems


def only(tmp_path: Path, content: str | bytes) -> tuple[int, str, str]:
    [problem] = problems(tmp_path, content)
    assert problem.path == tmp_path / "p.yaml"
    return problem.line, problem.field, problem.message


@pytest.mark.parametrize("path", sorted(PERSONAS.glob("*.yaml")), ids=lambda path: path.stem)
def test_shipped_persona_loads(path: Path) -> None:
    assert load_persona(path).id == path.stem


def test_shipped_library_has_no_problems() -> None:
    assert len(list(PERSONAS.glob("*.yaml"))) >= 3
    assert check_paths([PERSONAS]) == []


def test_valid_file_loads(tmp_path: Path) -> None:
    path = tmp_path / "ok.yaml"
    path.write_text(VALID)
    persona = load_persona(path)
    assert persona.priorities[0].reveals.hint == ["Money is tight."]


def test_problem_str_is_path_line_field_message() -> None:
    problem = Problem(Path("a.yaml"), 3, "trust.start", "must be between 0 and 1")
    assert str(problem) == "a.yaml:3: trust.start: must be between 0 and 1"


def test_yaml_syntax_error(tmp_path: Path) -> None:
    line, field, message = only(tmp_path, VALID.replace("Test Person", "Test: Person"))
    assert (line, field) == (2, "-")
    assert message.startswith("YAML syntax error: mapping values are not allowed")


def test_missing_field_at_the_mapping_that_lacks_it(tmp_path: Path) -> None:
    assert only(tmp_path, VALID.replace("opening: Hello.\n", "")) == (
        1,
        "opening",
        "field required",
    )
    no_fear = VALID.replace("      fear: I fear running out.\n", "")
    assert only(tmp_path, no_fear) == (19, "priorities.0.reveals.fear", "field required")


def test_wrong_types(tmp_path: Path) -> None:
    line, field, message = only(tmp_path, VALID.replace("signals: [cash]", "signals: 5"))
    assert (line, field, message) == (
        17,
        "priorities.0.signals",
        "expected a list of text lines, got a number",
    )
    line, field, message = only(tmp_path, VALID.replace("{start: 0.3}", "{start: high}"))
    assert (line, field) == (11, "trust.start")
    assert message.startswith("must be a number between 0 and 1")


def test_duplicate_priority_id_at_the_second_id(tmp_path: Path) -> None:
    expected = (23, "priorities.1.id", "duplicate priority id 'cash'")
    assert only(tmp_path, VALID + PRIORITY) == expected


def test_unknown_key_suggests_the_right_one(tmp_path: Path) -> None:
    found = problems(tmp_path, VALID.replace("    reveals:", "    reveal:"))
    unknown = Problem(
        tmp_path / "p.yaml",
        18,
        "priorities.0.reveal",
        "unknown key 'reveal' (did you mean 'reveals'?)",
    )
    assert unknown in found
    assert Problem(tmp_path / "p.yaml", 13, "priorities.0.reveals", "field required") in found


def test_empty_reveal_lines(tmp_path: Path) -> None:
    empty_hint = VALID.replace("hint: Money is tight.", 'hint: ""')
    assert only(tmp_path, empty_hint) == (19, "priorities.0.reveals.hint", "line must not be empty")
    empty_item = VALID.replace(
        "stated: I need cash.", 'stated:\n        - I need cash.\n        - ""'
    )
    assert only(tmp_path, empty_item) == (
        22,
        "priorities.0.reveals.stated.1",
        "line must not be empty",
    )


def test_trust_out_of_range(tmp_path: Path) -> None:
    broken = VALID.replace("{start: 0.3}", "{start: 1.5}")
    assert only(tmp_path, broken) == (11, "trust.start", "must be between 0 and 1")


def test_all_problems_of_a_file_are_reported_in_line_order(tmp_path: Path) -> None:
    broken = (
        VALID.replace("opening: Hello.\n", "")
        .replace("{start: 0.3}", "{start: 1.5}")
        .replace("signals: [cash]", "signals: 5")
        + PRIORITY
    )
    found = [(problem.line, problem.field) for problem in problems(tmp_path, broken)]
    assert found == [
        (1, "opening"),
        (10, "trust.start"),
        (16, "priorities.0.signals"),
        (22, "priorities.1.id"),
    ]


def test_duplicate_yaml_key(tmp_path: Path) -> None:
    broken = VALID.replace("opening: Hello.\n", "opening: Hello.\nopening: Hi.\n")
    assert only(tmp_path, broken) == (11, "opening", "duplicate key 'opening'")


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        (b"id: x\n\x00\x01\x02binary", 2, "binary file, not YAML text"),
        (b"id: caf\xe9\n", 1, "not UTF-8 text"),
        ("", 1, "file is empty"),
        ("# only a comment\n\n", 1, "file is empty"),
        (
            "- id: a\n- id: b\n",
            1,
            "expected persona fields (key: value) at the top level, found a list",
        ),
        ("just words\n", 1, "expected persona fields (key: value) at the top level, found text"),
        ("a: &a [*a]\n", 1, "aliases expand to too much data or refer to themselves"),
        ("a: " + "[" * 1_500 + "]" * 1_500, 1, "YAML nesting too deep"),
    ],
    ids=["binary", "latin-1", "empty", "comments-only", "list", "scalar", "self-alias", "deep"],
)
def test_files_that_are_not_personas(
    tmp_path: Path, content: str | bytes, line: int, message: str
) -> None:
    assert only(tmp_path, content) == (line, "-", message)


def test_unreadable_paths(tmp_path: Path) -> None:
    [missing] = check_paths([tmp_path / "nope.yaml"])
    assert str(missing) == f"{tmp_path / 'nope.yaml'}:1: -: file not found"
    folder = tmp_path / "folder.yaml"
    folder.mkdir()
    assert read_persona_file(folder).problems[0].message == "is a folder, not a persona file"


def test_no_traceback_for_any_truncation(tmp_path: Path) -> None:
    # Every prefix of a persona is some kind of broken file; each must come back as problems.
    text = (PERSONAS / "maria-freight-cfo.yaml").read_text()
    path = tmp_path / "cut.yaml"
    for end in range(0, len(text), 11):
        path.write_text(text[:end])
        result = read_persona_file(path)
        assert (result.persona is None) == bool(result.problems)
        last_line = text[:end].count("\n") + 1
        assert all(1 <= problem.line <= last_line for problem in result.problems)


def test_check_paths_walks_folders_recursively(tmp_path: Path) -> None:
    (tmp_path / "nested").mkdir()
    (tmp_path / "nested" / "b.yml").write_text("")
    (tmp_path / "a.yaml").write_text("- list\n")
    (tmp_path / "notes.txt").write_text("not a persona")
    found = [problem.path for problem in check_paths([tmp_path])]
    assert found == [tmp_path / "a.yaml", tmp_path / "nested" / "b.yml"]
