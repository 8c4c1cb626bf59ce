"""The trainer's commands: `deeper personas list|show|check|schema|new` and `deeper selfplay`.

Each returns the exit code and prints its own output: results on stdout, problems on
stderr, one line each. 0 success, 1 some inputs failed, 2 usage or configuration.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
import textwrap
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path
from string import Template
from typing import Literal

from pydantic import TypeAdapter, ValidationError

from simulator.library import (
    PersonaClash,
    UnknownPersona,
    library_entries,
    library_files,
    resolve_persona,
    source_of,
    user_dir,
)
from simulator.persona import REVEALED_LEVELS, Persona, Slug
from simulator.persona_files import (
    PersonaFileError,
    Problem,
    expand_paths,
    locator,
    read_persona_file,
)
from simulator.persona_schema import SCHEMA_FILE, modeline, schema_text
from simulator.persona_warnings import PersonaWarning, warnings_for
from simulator.scripted_reps import RepStyle
from simulator.selfplay import SelfPlay, describe_levels, gate, play
from simulator.settings import SettingsError, load_settings
from simulator.voice import Voice, VoiceError

OK, FAILED, USAGE = 0, 1, 2
ROLE_WIDTH = 34
_SLUG: TypeAdapter[str] = TypeAdapter(Slug)


def _error(message: str) -> int:
    print(f"deeper: {message}", file=sys.stderr)
    return USAGE


def _width() -> int:
    return max(60, min(shutil.get_terminal_size((100, 24)).columns, 120))


# --- list ----------------------------------------------------------------------------------


def list_command() -> int:
    try:
        entries = library_entries()
    except PersonaClash as exc:
        return _error(str(exc))
    rows = [("id", "name", "role", "kind", "priorities", "source")]
    broken: list[Path] = []
    for persona_id in sorted(entries):
        entry = entries[persona_id]
        if entry.persona is None:
            broken.append(entry.path)
            continue
        persona = entry.persona
        rows.append(
            (
                persona.id,
                persona.name,
                _clip(persona.role, ROLE_WIDTH),
                persona.kind,
                str(len(persona.priorities)),
                source_of(entry.path),
            )
        )
    _table(rows)
    print(f"\nyour own personas: {user_dir()} (set DEEPER_PERSONAS_DIR to move it)")
    for path in broken:
        print(f"{path}: not loaded; `deeper personas check {path}` says why", file=sys.stderr)
    return FAILED if broken else OK


def _table(rows: Sequence[Sequence[str]]) -> None:
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    for row in rows:
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


# --- show ----------------------------------------------------------------------------------


def show_command(persona_arg: str, reveal: bool) -> int:
    found = _resolve(persona_arg)
    if isinstance(found, int):
        return found
    persona, path = found
    print(render_card(persona, path, _width()))
    if reveal:
        print()
        print(render_hidden(persona, _width()))
    else:
        count = len(persona.priorities)
        print(f"\n{count} hidden priorities; `--reveal` shows them (for trainers)")
    return OK


def _resolve(persona_arg: str) -> tuple[Persona, Path | None] | int:
    """The persona and its library file (None for a path given directly), or an exit code."""
    try:
        persona = resolve_persona(persona_arg)
        # A file named directly is shown as it is, whatever state the library is in.
        files = {} if Path(persona_arg).expanduser().is_file() else library_files()
    except (UnknownPersona, PersonaClash) as exc:
        return _error(str(exc))
    except PersonaFileError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return USAGE
    path = files.get(persona_arg)
    return persona, path


def render_card(persona: Persona, path: Path | None, width: int) -> str:
    """The public card: everything a rep could know before the call."""
    source = f"{source_of(path)}: {path}" if path is not None else "file given directly"
    fields = [
        ("id", f"{persona.id} ({persona.kind.replace('_', ' ')}; {source})"),
        ("situation", persona.situation),
        ("offering", persona.offering.summary),
        ("terms", ", ".join(persona.offering.terms)),
        ("voice", f"{persona.voice.tone} ({persona.voice.verbosity})"),
        ("opening", f'"{persona.opening}"'),
        *[("pet peeve", peeve) for peeve in persona.pet_peeves],
    ]
    return "\n".join([persona.headline, *_fields(fields, width, indent="")])


def render_hidden(persona: Persona, width: int) -> str:
    """The hidden priorities with every level's lines: for trainers, never for the rep."""
    out = [f"hidden priorities (trust starts at {persona.trust.start:.2f})"]
    for priority in persona.priorities:
        out.append(f"\n  {priority.id}: {priority.label}")
        notes = [("why", priority.why), ("fear", priority.fear)]
        out += _fields([*notes, ("signals", ", ".join(priority.signals))], width, indent="    ")
        out.append("    lines the scripted customer says, level by level:")
        lines = [
            (level.value, line)
            for level in REVEALED_LEVELS
            for line in priority.reveals.lines(level)
        ]
        out += _fields(lines, width, indent="      ")
    return "\n".join(out)


def _fields(fields: Iterable[tuple[str, str]], width: int, indent: str) -> list[str]:
    label_width = 12
    lines: list[str] = []
    for label, text in fields:
        lines += textwrap.wrap(
            text,
            width=width,
            initial_indent=f"{indent}{label + ':':<{label_width}}",
            subsequent_indent=indent + " " * label_width,
            break_on_hyphens=False,
        ) or [f"{indent}{label}:"]
    return lines


# --- check ---------------------------------------------------------------------------------


def check_command(paths: list[Path], selfplay: bool) -> int:
    if not paths:
        try:
            paths = sorted(set(library_files().values()))
        except PersonaClash as exc:
            return _error(str(exc))
    files = _unique(expand_paths(paths))
    ids: dict[str, Path] = {}
    problems = warnings = failures = 0
    for path in files:
        found, failed = _check_file(path, selfplay, ids)
        for item in found:
            print(item)
        for failure in failed:
            print(f"{path}: selfplay: {failure}")
        problems += sum(isinstance(item, Problem) for item in found)
        warnings += sum(isinstance(item, PersonaWarning) for item in found)
        failures += len(failed)
    summary = f"{len(files)} persona file(s) checked: {_count(problems, 'problem')}, "
    summary += _count(warnings, "warning")
    if selfplay:
        summary += f", {_count(failures, 'self-play failure')}"
    print(summary, file=sys.stderr)
    return FAILED if problems or failures else OK


def _check_file(
    path: Path, selfplay: bool, ids: dict[str, Path]
) -> tuple[list[Problem | PersonaWarning], list[str]]:
    """One file's problems and warnings by line, and its self-play failures if asked for."""
    entry = read_persona_file(path)
    persona = entry.persona
    if persona is None:
        return list(entry.problems), []
    locate = locator(path)
    found: list[Problem | PersonaWarning] = list(warnings_for(path, persona, locate))
    first = ids.setdefault(persona.id, path)
    if first != path:
        line, field = locate(("id",))
        found.append(Problem(path, line, field, f"id {persona.id!r} is also used by {first}"))
    found.sort(key=lambda item: item.line)
    clean = not any(isinstance(item, Problem) for item in found)
    return found, gate(persona).failures if selfplay and clean else []


def _unique(paths: list[Path]) -> list[Path]:
    seen: dict[Path, Path] = {}
    for path in paths:
        seen.setdefault(path.resolve(), path)
    return list(seen.values())


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


# --- schema and new ------------------------------------------------------------------------


def schema_command() -> int:
    sys.stdout.write(schema_text())
    return OK


def new_command(persona_id: str, out: Path | None) -> int:
    try:
        _SLUG.validate_python(persona_id)
    except ValidationError:
        return _error(
            f"invalid persona id {persona_id!r}: use lowercase letters, digits and hyphens, "
            "like 'maria-freight-cfo'"
        )
    if out is None:
        try:
            taken = library_files().get(persona_id)
        except PersonaClash as exc:
            return _error(str(exc))
        if taken is not None:
            return _error(f"persona id {persona_id!r} is already used by {taken}")
        target = user_dir() / f"{persona_id}.yaml"
    else:
        target = out / f"{persona_id}.yaml" if out.is_dir() else out
    if target.exists():
        return _error(f"{target} already exists; not overwriting it")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("x", encoding="utf-8") as handle:
            handle.write(template_text(persona_id, target.name))
    except OSError as exc:
        return _error(f"cannot write {target}: {exc.strerror or exc}")
    print(f"wrote {target}")
    print(f"next: edit it, then `deeper personas check {target} --selfplay`")
    return OK


def template_text(persona_id: str, filename: str) -> str:
    text = resources.files("simulator").joinpath("persona_template.yaml").read_text("utf-8")
    return Template(text).substitute(
        id=persona_id, filename=filename, modeline=modeline(SCHEMA_FILE.as_uri())
    )


# --- selfplay ------------------------------------------------------------------------------

VoiceChoice = Literal["scripted", "llm"]


def selfplay_command(
    persona_arg: str, rep: RepStyle, voice_choice: VoiceChoice, turns: int, fmt: str
) -> int:
    if turns < 1:
        return _error(f"--turns must be at least 1, got {turns}")
    found = _resolve(persona_arg)
    if isinstance(found, int):
        return found
    persona, _ = found
    try:
        settings = load_settings()
    except SettingsError as exc:
        return _error(str(exc))
    voice: Voice
    if voice_choice == "llm":
        if not settings.online:
            return _error(
                "--voice llm needs a model: set OPENAI_API_KEY (OpenAI) or OPENAI_BASE_URL "
                "(Ollama, vLLM, llama.cpp, LM Studio), and DEEPER_MODEL"
            )
        from simulator.llm_voice import LLMVoice

        voice = LLMVoice(settings)
    else:
        from simulator.scripted_voice import ScriptedVoice

        voice = ScriptedVoice()
    try:
        result = asyncio.run(_play(persona, rep, voice, turns))
    except VoiceError as exc:
        print(f"deeper: selfplay stopped: {exc}", file=sys.stderr)
        return FAILED
    if fmt == "json":
        print(result.model_dump_json(indent=2))
    else:
        print(render_selfplay(result, persona, voice, _width()))
    return OK


async def _play(persona: Persona, rep: RepStyle, voice: Voice, turns: int) -> SelfPlay:
    try:
        return await play(persona, rep, voice, turns)
    finally:
        await voice.aclose()


def render_selfplay(result: SelfPlay, persona: Persona, voice: Voice, width: int) -> str:
    heard = f"model {voice.model}" if voice.kind == "llm" else "scripted customer"
    rep_turns = sum(1 for turn in result.turns if turn.speaker == "rep")
    out = [f"{persona.headline} · {result.rep} rep · {heard} · {rep_turns} rep turns", ""]
    out.append(f"{'turn':>4}  {'speaker':<8}  {'trust':>5}  said, and what it unlocked")
    margin = " " * len(f"{0:>4}  {'':<8}  {'':>5}  ")
    for turn in result.turns:
        trust = f"{turn.trust:.2f}" if turn.trust is not None else ""
        lead = f"{turn.turn:>4}  {turn.speaker:<8}  {trust:>5}  "
        out += textwrap.wrap(turn.text, width, initial_indent=lead, subsequent_indent=margin)
        for unlock in turn.unlocked:
            change = f"↑ {unlock.priority}: {unlock.before.value} → {unlock.after.value}"
            out += textwrap.wrap(
                f"{change} ({unlock.reason})",
                width,
                initial_indent=margin,
                subsequent_indent=margin + "  ",
            )
    out += ["", f"levels: {describe_levels(result.levels)}"]
    out.append(f"trust:  {persona.trust.start:.2f} → {result.trust:.2f}")
    return "\n".join(out)
