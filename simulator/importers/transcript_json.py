"""Our own saved sessions: the deeper-transcript JSON, persona snapshot and engine states kept."""

from __future__ import annotations

import json

from pydantic import ValidationError

from simulator.importers.errors import TranscriptImportError
from simulator.persona import Persona
from simulator.transcript import Transcript

FORMAT = "deeper-transcript"


def parse(text: str) -> Transcript:
    try:
        # The fast path parses and validates in one pass; errors are explained below.
        transcript = Transcript.model_validate_json(text)
    except ValidationError as exc:
        raise _explain(text, exc) from None
    if not transcript.turns:
        raise TranscriptImportError("no turns: the transcript is empty")
    if transcript.persona is not None:
        transcript.persona = _shared(transcript.persona)
    return transcript


# Sessions with one persona carry equal snapshots of it. Handing out one object for them
# lets the analyser reuse what it prepared for that persona, which it caches by identity.
_PERSONAS: dict[str, Persona] = {}
_PERSONAS_LIMIT = 256


def _shared(persona: Persona) -> Persona:
    known = _PERSONAS.get(persona.id)
    if known is not None and known == persona:
        return known
    if len(_PERSONAS) >= _PERSONAS_LIMIT:
        _PERSONAS.clear()
    _PERSONAS[persona.id] = persona
    return persona


def _explain(text: str, exc: ValidationError) -> TranscriptImportError:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as bad:
        return TranscriptImportError(
            f"invalid JSON: {bad.msg} at line {bad.lineno} column {bad.colno}"
        )
    except RecursionError:
        return TranscriptImportError("invalid JSON: nested too deeply")
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return TranscriptImportError(
            f'unknown format: JSON but not a deeper transcript (no "format": "{FORMAT}")'
        )
    return TranscriptImportError(f"invalid transcript: {_first_error(exc)}")


def _first_error(exc: ValidationError) -> str:
    errors = exc.errors(include_url=False)
    first = errors[0]
    where = ".".join(str(step) for step in first["loc"]) or "top level"
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{where}: {first['msg']}{more}"
