"""Injected time: a ``Clock`` gives wall time (aware UTC) and a monotonic reading.

Breakers, caches, monitors, metrics and the simulated provider take a clock so tests can
advance a ``FakeClock`` instead of sleeping.
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """A source of time."""

    def now(self) -> datetime:
        """Current wall time, aware UTC."""
        ...

    def monotonic(self) -> float:
        """Seconds from an arbitrary origin; never goes backwards."""
        ...


class SystemClock:
    """The real clock."""

    def now(self) -> datetime:
        """Current wall time, aware UTC."""
        return datetime.now(UTC)

    def monotonic(self) -> float:
        """The running event loop's time, else ``time.monotonic()``.

        asyncio timeouts and sleeps run on loop time; reading the same source keeps deadlines,
        breakers and rate limiters consistent with them (and lets tests fast-forward the loop).
        """
        try:
            return asyncio.get_running_loop().time()
        except RuntimeError:
            return time.monotonic()


class FakeClock:
    """A clock that moves only when told to; wall and monotonic time advance together."""

    def __init__(self, start: datetime | None = None) -> None:
        start = start or datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
        if start.tzinfo is None:
            raise ValueError("FakeClock needs an aware start time")
        self._now = start.astimezone(UTC)
        self._monotonic = 0.0

    def now(self) -> datetime:
        """The fake wall time."""
        return self._now

    def monotonic(self) -> float:
        """Seconds advanced since creation."""
        return self._monotonic

    def advance(self, seconds: float) -> None:
        """Move time forward."""
        if seconds < 0:
            raise ValueError("time cannot go backwards")
        self._now += timedelta(seconds=seconds)
        self._monotonic += seconds

    def set(self, when: datetime) -> None:
        """Jump wall time forward to ``when`` (monotonic time follows)."""
        self.advance((when - self._now).total_seconds())


SYSTEM_CLOCK = SystemClock()
