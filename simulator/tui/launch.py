"""`deeper practice` without --plain: check the arguments, then open the practice room.

Only what the first screen needs is imported before it paints; the model client, the
session and the judge load in the background while the rep reads it.
"""

from __future__ import annotations

import sys

from simulator.library import PersonaClash, UnknownPersona, list_personas, resolve_persona
from simulator.persona_files import PersonaFileError
from simulator.settings import SettingsError, load_settings


def run_practice_app(persona_arg: str | None, *, offline: bool, reveal: bool) -> int:
    """The practice room, with the picker when no persona is named."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        sys.stderr.write("deeper: the practice room needs a terminal; use --plain for scripts\n")
        return 2
    try:
        settings = load_settings()
        persona = resolve_persona(persona_arg) if persona_arg else None
        personas = None if persona else list_personas()
    except (SettingsError, UnknownPersona, PersonaClash) as exc:
        sys.stderr.write(f"deeper: {exc}\n")
        return 2
    except PersonaFileError as exc:
        for problem in exc.problems:
            sys.stderr.write(f"{problem}\n")
        return 2
    from simulator.tui.app import run_app

    saved = run_app(settings, persona=persona, personas=personas, offline=offline, reveal=reveal)
    for path in saved:
        sys.stdout.write(f"Transcript saved: {path}\n")
    return 0
