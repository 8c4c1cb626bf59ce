from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

import simulator.retry
import simulator.session
from tests.tui.helpers import FIXED_NOW


@pytest.fixture(autouse=True)
def steady(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fixed wall clock and time zone, and quick retries: what the screens show stays put."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    monkeypatch.setattr(simulator.session, "now", lambda: FIXED_NOW)
    monkeypatch.setattr(simulator.retry, "BASE_WAIT", 0.01)
    yield
    monkeypatch.undo()
    time.tzset()
