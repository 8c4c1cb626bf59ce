"""The persona library: the built-in personas plus the user's own folder."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

import platformdirs

from simulator.persona import Persona
from simulator.persona_files import (
    PERSONA_SUFFIXES,
    PersonaFile,
    PersonaFileError,
    load_persona,
    persona_files_in,
    read_persona_file,
)

USER_DIR_ENV = "DEEPER_PERSONAS_DIR"


class UnknownPersona(LookupError):
    def __init__(self, persona_id: str, known: list[str]) -> None:
        listing = f"known: {', '.join(known)}" if known else "the library is empty"
        super().__init__(f"unknown persona {persona_id!r}; {listing}")
        self.persona_id = persona_id
        self.known = known


class PersonaClash(Exception):
    def __init__(self, persona_id: str, first: Path, second: Path) -> None:
        super().__init__(f"persona id {persona_id!r} is used twice: {first} and {second}")
        self.persona_id = persona_id
        self.first = first
        self.second = second


def builtin_dir() -> Path | None:
    here = Path(__file__).resolve().parent
    # Source or editable checkout first, then the copy a wheel carries inside the package.
    for candidate in (here.parent / "personas", here / "_library"):
        if candidate.is_dir():
            return candidate
    return None


def user_dir() -> Path:
    configured = os.environ.get(USER_DIR_ENV, "").strip()
    if configured:
        return Path(configured).expanduser()
    return platformdirs.user_data_path("deeper") / "personas"


def library_entries() -> dict[str, PersonaFile]:
    """Every library file by id, read: a broken one carries its problems instead of a persona."""
    return _scan()


def source_of(path: Path) -> Literal["builtin", "user"]:
    builtin = builtin_dir()
    return "builtin" if builtin is not None and path.is_relative_to(builtin) else "user"


def library_files() -> dict[str, Path]:
    return {persona_id: entry.path for persona_id, entry in _scan().items()}


def list_personas() -> list[Persona]:
    entries = _scan()
    personas = [entries[key].persona for key in sorted(entries)]
    return [persona for persona in personas if persona is not None]


def resolve_persona(arg: str) -> Persona:
    path = Path(arg).expanduser()
    if path.is_file() or arg.lower().endswith(PERSONA_SUFFIXES):
        return load_persona(path)
    entries = _scan()
    entry = entries.get(arg)
    if entry is None:
        raise UnknownPersona(arg, sorted(entries))
    if entry.persona is None:
        raise PersonaFileError(entry.problems)
    return entry.persona


def _folders() -> list[Path]:
    # Keyed by the real folder, so pointing DEEPER_PERSONAS_DIR at the built-ins is no clash.
    unique: dict[Path, Path] = {}
    for folder in (builtin_dir(), user_dir()):
        if folder is not None and folder.is_dir():
            unique.setdefault(folder.resolve(), folder)
    return list(unique.values())


def _scan() -> dict[str, PersonaFile]:
    """Every library file, read once, by id: a broken file's own id if readable, else its stem."""
    entries: dict[str, PersonaFile] = {}
    for folder in _folders():
        for path in persona_files_in(folder):
            entry = read_persona_file(path)
            persona_id = entry.declared_id or path.stem
            if persona_id in entries:
                raise PersonaClash(persona_id, entries[persona_id].path, path)
            entries[persona_id] = entry
    return entries
