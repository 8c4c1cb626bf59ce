"""Progress of a batch on stderr: a rich bar on a terminal, nothing but problems elsewhere."""

from __future__ import annotations

from typing import Protocol, TextIO


class BatchProgress(Protocol):
    def advance(self) -> None: ...

    def problem(self, line: str) -> None: ...

    def close(self) -> None: ...


class PlainProgress:
    """For pipes and logs: only the problems, one line each."""

    def __init__(self, err: TextIO) -> None:
        self.err = err

    def advance(self) -> None:
        pass

    def problem(self, line: str) -> None:
        self.err.write(line + "\n")
        self.err.flush()

    def close(self) -> None:
        pass


class BarProgress:
    def __init__(self, err: TextIO, total: int, description: str) -> None:
        # Imported here: rich is only needed when someone is watching.
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        self.console = Console(file=err)
        self.bar = Progress(
            TextColumn("{task.description}", markup=False),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=self.console,
            transient=True,
        )
        self.task = self.bar.add_task(description, total=total)
        self.bar.start()

    def advance(self) -> None:
        self.bar.advance(self.task)

    def problem(self, line: str) -> None:
        # Printed above the bar; a file name is never read as rich markup.
        self.console.print(line, markup=False, highlight=False, soft_wrap=True)

    def close(self) -> None:
        self.bar.stop()


def progress_for(err: TextIO, total: int, description: str = "evaluating") -> BatchProgress:
    isatty = getattr(err, "isatty", None)
    if isatty is not None and isatty():
        return BarProgress(err, total, description)
    return PlainProgress(err)
