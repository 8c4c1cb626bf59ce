"""A visible countdown that posts Expired once at zero."""

from __future__ import annotations

from collections.abc import Callable

from textual.content import Content
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Static

from simulator.tui.format import clock, meter

Clock = Callable[[], float]
LOW = 15.0


class Countdown(Static):
    """Seconds left, read from `clock` (monotonic seconds): a frozen clock freezes it."""

    class Expired(Message):
        pass

    def __init__(self, seconds: float, clock: Clock, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.seconds = seconds
        self.clock = clock
        self.remaining = seconds
        self._started = 0.0
        self._timer: Timer | None = None
        self._expired = False

    def on_mount(self) -> None:
        self._started = self.clock()
        self._timer = self.set_interval(0.25, self.tick)
        self.tick()

    def tick(self) -> None:
        if self._expired:
            return
        self.remaining = max(0.0, self.seconds - (self.clock() - self._started))
        self.set_class(self.remaining <= LOW, "low")
        self.update(
            Content.assemble(
                (f"{clock(self.remaining)} left", "bold"),
                "  ",
                meter(self.remaining / self.seconds if self.seconds else 0.0, 30),
            )
        )
        if self.remaining <= 0:
            self.stop()
            self._expired = True
            self.post_message(self.Expired())

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
