"""Injected time: a ``Clock`` gives wall time (aware UTC) and a monotonic reading.

Breakers, caches, monitors, metrics and the simulated provider take a clock so tests can
advance a ``FakeClock`` instead of sleeping, and ``flight-agent watch --speed`` can replay
simulated flights on an ``AcceleratedClock``.
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


class AcceleratedClock:
    """Wall time that runs ``speed`` times faster than ``base`` from ``start``.

    At speed 60 a simulated flight's day plays out in minutes: one minute a second. Only wall
    time is sped up: everything that reads it (a flight's progress, cache freshness, poll
    schedules) moves ``speed`` times faster, while monotonic time stays ``base``'s, so asyncio
    timeouts, breaker cool-downs and lock deadlines keep their real length.

    Args:
        speed: Wall seconds per ``base`` second; at least 1.
        start: The wall time now; ``base.now()`` when None.
        base: The clock whose elapsed time is sped up.

    Raises:
        ValueError: ``speed`` below 1, or a naive ``start``.
    """

    def __init__(
        self, speed: float, start: datetime | None = None, *, base: Clock = SYSTEM_CLOCK
    ) -> None:
        if speed < 1:
            raise ValueError(f"an accelerated clock runs at speed 1 or more, not {speed:g}")
        if start is not None and start.tzinfo is None:
            raise ValueError("AcceleratedClock needs an aware start time")
        self.speed = speed
        self._base = base
        self._start = (start or base.now()).astimezone(UTC)
        self._origin = base.monotonic()

    def now(self) -> datetime:
        """``start`` plus ``speed`` times the base time elapsed since creation."""
        elapsed = self._base.monotonic() - self._origin
        return self._start + timedelta(seconds=elapsed * self.speed)

    def monotonic(self) -> float:
        """The base clock's monotonic time, not sped up."""
        return self._base.monotonic()
