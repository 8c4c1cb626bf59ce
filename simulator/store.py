"""Where sessions live on disk, written atomically so a killed session loses nothing said."""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

from simulator.transcript import Transcript


def sessions_dir(home: Path) -> Path:
    return home / "sessions"


def new_session_id(transcript_started: str, persona_id: str) -> str:
    return f"{transcript_started}-{persona_id}-{secrets.token_hex(3)}"


def write_atomic(path: Path, text: str) -> None:
    """Write `text` to `path` so that readers see the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        # No fsync: a rename is atomic against a killed process, which is the failure
        # that matters here, and fsync costs milliseconds per turn on a busy disk.
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def dumps(transcript: Transcript) -> str:
    return transcript.model_dump_json(indent=2, exclude_none=True) + "\n"


def save(transcript: Transcript, path: Path) -> None:
    write_atomic(path, dumps(transcript))


def load(path: Path) -> Transcript:
    return Transcript.model_validate_json(path.read_bytes())
