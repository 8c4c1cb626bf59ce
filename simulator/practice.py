"""`deeper practice`: pick the persona and the voice, then hold the conversation."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import TextIO

from simulator import store
from simulator.library import PersonaClash, UnknownPersona, list_personas, resolve_persona
from simulator.llm_voice import LLMVoice
from simulator.persona import Persona
from simulator.persona_files import PersonaFileError
from simulator.plain import HELP, converse
from simulator.preflight import server_problem
from simulator.scripted_voice import ScriptedVoice
from simulator.session import Session
from simulator.settings import OFFLINE_NOTICE, Settings, SettingsError, load_settings
from simulator.store import sessions_dir
from simulator.voice import Voice


def choose_voice(settings: Settings, offline: bool) -> Voice:
    if offline or not settings.online:
        return ScriptedVoice()
    return LLMVoice(settings)


def describe_voice(voice: Voice) -> str:
    return f"model {voice.model} at {voice.where}" if voice.kind == "llm" else "scripted customer"


def pick_persona(stdin: TextIO, out: TextIO) -> Persona | None:
    """Ask which persona to practise with when none was named."""
    personas = list_personas()
    for number, persona in enumerate(personas, 1):
        out.write(f"{number:>2}. {persona.id}: {persona.headline}\n")
    out.write("Persona number or id: ")
    out.flush()
    answer = stdin.readline().strip()
    if answer.isdigit() and 1 <= int(answer) <= len(personas):
        return personas[int(answer) - 1]
    return next((p for p in personas if p.id == answer), None)


def run_practice(
    persona_arg: str | None,
    *,
    offline: bool,
    stdin: TextIO | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    stdin = stdin or sys.stdin
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        settings = load_settings()
        persona = resolve_persona(persona_arg) if persona_arg else pick_persona(stdin, out)
    except (SettingsError, UnknownPersona, PersonaClash) as exc:
        err.write(f"deeper: {exc}\n")
        return 2
    except PersonaFileError as exc:
        for problem in exc.problems:
            err.write(f"{problem}\n")
        return 2
    if persona is None:
        err.write("deeper: no such persona; `deeper personas list` shows the library\n")
        return 2
    voice = choose_voice(settings, offline)
    if voice.kind == "scripted" and not offline:
        err.write(OFFLINE_NOTICE + "\n")
    elif voice.kind == "llm":
        unusable = server_problem(settings)
        if unusable is not None:
            err.write(f"deeper: {unusable}\n")
            return 2
    session = Session(persona, voice, sessions_dir(settings.home))
    if session.save_error:
        err.write(f"warning: {session.save_error}; the conversation goes on\n")
    out.write(f"{persona.headline} · {describe_voice(voice)}\n{HELP}\n\n")
    converse(session, stdin, out, err, prompt=stdin.isatty())
    path = session.end()
    if path is None:
        # The data dir is unwritable: the conversation still must not be lost.
        path = Path(tempfile.gettempdir()) / f"deeper-{session.transcript.id}.json"
        try:
            store.save(session.transcript, path)
        except OSError as exc:
            err.write(f"deeper: the transcript could not be saved anywhere: {exc.strerror}\n")
            return 1
        err.write(f"warning: {session.save_error}; saved to {path} instead\n")
    out.write(f"Transcript saved: {path}\n")
    out.flush()
    return 0
