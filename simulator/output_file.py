"""An output file written under a temporary name and renamed into place: never seen half-written.

Interrupted, a line-oriented output (jsonl, csv) keeps its complete lines; any other is
dropped and the file that was there before stays as it was.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

# Reading back this much from the end is enough to find the last line break of any result.
TAIL_CHUNK = 64 * 1024


def _mode_for(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        # mkstemp makes the file private; a new output gets the permissions a plain open would.
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


class OutputFile:
    def __init__(self, path: Path) -> None:
        self.path = path
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        self.temp = Path(name)
        self.handle = os.fdopen(fd, "w", encoding="utf-8", newline="")

    def commit(self) -> None:
        self._close()
        self._replace()

    def commit_complete_lines(self) -> int:
        """Keep everything up to the last line break; a line cut short is not kept.

        Returns the number of lines kept: what the file holds, whatever was counted on
        the way (an interrupt can land between writing a line and counting it).
        """
        self._close()
        with self.temp.open("r+b") as handle:
            end = handle.seek(0, os.SEEK_END)
            keep = 0
            position = end
            while position > 0:
                start = max(0, position - TAIL_CHUNK)
                handle.seek(start)
                chunk = handle.read(position - start)
                newline = chunk.rfind(b"\n")
                if newline >= 0:
                    keep = start + newline + 1
                    break
                position = start
            handle.truncate(keep)
            handle.seek(0)
            lines = sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(TAIL_CHUNK), b""))
        self._replace()
        return lines

    def discard(self) -> None:
        try:
            self.handle.close()
        finally:
            self.temp.unlink(missing_ok=True)

    def _close(self) -> None:
        self.handle.flush()
        os.fsync(self.handle.fileno())
        self.handle.close()

    def _replace(self) -> None:
        try:
            os.chmod(self.temp, _mode_for(self.path))
            os.replace(self.temp, self.path)
        except BaseException:
            self.temp.unlink(missing_ok=True)
            raise
