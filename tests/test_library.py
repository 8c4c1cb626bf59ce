from pathlib import Path

import pytest

from simulator.library import (
    PersonaClash,
    UnknownPersona,
    builtin_dir,
    library_files,
    list_personas,
    resolve_persona,
)
from simulator.persona_files import PersonaFileError

BUILTIN = Path(__file__).resolve().parent.parent / "personas"
BUILTIN_IDS = ["jonas-senior-engineer", "maria-freight-cfo", "priya-nursing-ops"]
MARIA = (BUILTIN / "maria-freight-cfo.yaml").read_text()


@pytest.fixture
def user_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "user-personas"
    folder.mkdir()
    monkeypatch.setenv("DEEPER_PERSONAS_DIR", str(folder))
    return folder


def write_persona(folder: Path, name: str, persona_id: str) -> Path:
    path = folder / name
    path.write_text(MARIA.replace("id: maria-freight-cfo", f"id: {persona_id}"))
    return path


def test_builtin_personas_are_listed(user_dir: Path) -> None:
    assert builtin_dir() == BUILTIN
    assert set(BUILTIN_IDS) <= set(library_files())
    ids = [persona.id for persona in list_personas()]
    assert ids == sorted(ids)


def test_resolve_by_id(user_dir: Path) -> None:
    assert resolve_persona("maria-freight-cfo").name == "Maria Okafor"


def test_resolve_by_path_outside_the_library(user_dir: Path, tmp_path: Path) -> None:
    path = write_persona(tmp_path, "elsewhere.yaml", "elsewhere")
    assert resolve_persona(str(path)).id == "elsewhere"
    with pytest.raises(PersonaFileError, match="file not found"):
        resolve_persona(str(tmp_path / "missing.yml"))


def test_unknown_id_lists_known_ids(user_dir: Path) -> None:
    with pytest.raises(UnknownPersona) as caught:
        resolve_persona("nobody")
    known = ", ".join(sorted(library_files()))
    assert str(caught.value) == f"unknown persona 'nobody'; known: {known}"
    assert "maria-freight-cfo" in known


def test_user_persona_is_found(user_dir: Path) -> None:
    (user_dir / "team").mkdir()
    path = write_persona(user_dir / "team", "mine.yaml", "my-own")
    assert library_files()["my-own"] == path
    assert resolve_persona("my-own").id == "my-own"
    assert "my-own" in [persona.id for persona in list_personas()]


def test_missing_user_folder_means_no_user_personas(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DEEPER_PERSONAS_DIR", str(tmp_path / "does-not-exist"))
    assert sorted(library_files()) == sorted(path.stem for path in BUILTIN.glob("*.yaml"))


def test_broken_user_persona_is_listed_but_not_loaded(user_dir: Path) -> None:
    (user_dir / "half-done.yaml").write_text("id: half-done\nname: Someone\n")
    (user_dir / "garbled.yaml").write_text("id: [unclosed\n")
    files = library_files()
    assert files["half-done"] == user_dir / "half-done.yaml"
    assert files["garbled"] == user_dir / "garbled.yaml"
    assert "half-done" not in [persona.id for persona in list_personas()]
    with pytest.raises(PersonaFileError, match="opening: field required"):
        resolve_persona("half-done")


def test_id_clash_with_builtin_names_both_files(user_dir: Path) -> None:
    copy = write_persona(user_dir, "copy.yaml", "maria-freight-cfo")
    with pytest.raises(PersonaClash) as caught:
        list_personas()
    assert str(copy) in str(caught.value)
    assert str(BUILTIN / "maria-freight-cfo.yaml") in str(caught.value)


def test_id_clash_between_user_files(user_dir: Path) -> None:
    first = write_persona(user_dir, "a.yaml", "twin")
    second = write_persona(user_dir, "b.yml", "twin")
    with pytest.raises(PersonaClash, match="'twin'") as caught:
        resolve_persona("twin")
    assert str(first) in str(caught.value) and str(second) in str(caught.value)
