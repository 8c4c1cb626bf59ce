"""The one error every importer raises: a reason a user can act on, shown as `path: reason`."""

from __future__ import annotations

from pathlib import Path


class TranscriptImportError(Exception):
    """A file that cannot be read as a conversation; `str()` is one line."""

    def __init__(self, reason: str, path: Path | None = None) -> None:
        reason = " ".join(reason.split())
        super().__init__(f"{path}: {reason}" if path is not None else reason)
        self.reason = reason
        self.path = path

    def at(self, path: Path) -> TranscriptImportError:
        return TranscriptImportError(self.reason, path)
