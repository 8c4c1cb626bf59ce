"""Standard input for a conversation in tests: lines typed in order, with faults in between."""

from __future__ import annotations

import io
from collections import deque
from collections.abc import Callable

Action = Callable[[], None]


class Typed(io.StringIO):
    """Each string is a line the rep types; each callable runs when reached (a fault strikes).

    After the last item it reads as end of input, like Ctrl-D.
    """

    def __init__(self, *items: str | Action) -> None:
        super().__init__()
        self.items: deque[str | Action] = deque(items)

    # typeshed gives StringIO two clashing readline signatures (its own and _IOBase's).
    def readline(self, size: int | None = -1, /) -> str:  # type: ignore[override]
        while self.items:
            item = self.items.popleft()
            if isinstance(item, str):
                return item + "\n"
            item()
        return ""

    def isatty(self) -> bool:
        return False
