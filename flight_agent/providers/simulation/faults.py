"""Fault injection for failover, timeout and hedging demos: errors, latency, outages, stalls.

Every random draw comes from streams seeded by the provider's seed and name, so a run with
the same calls in the same order fails the same way. Each call's fate is decided when it
starts (before any sleep), which keeps the draw order fixed even when calls overlap.
"""

from __future__ import annotations

import asyncio
import math
import random
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flight_agent.clock import Clock
from flight_agent.errors import FlightDataError, ProviderUnavailableError
from flight_agent.providers.simulation.seeding import stable_rng

LatencySpec = float | Callable[[random.Random], float]
"""Seconds added to each call, or a function drawing them from a ``random.Random``."""


def lognormal_latency(median_s: float, sigma: float) -> Callable[[random.Random], float]:
    """A latency distribution with that median and log-space spread, e.g. (0.1, 0.35).

    Raises:
        ValueError: ``median_s`` is not positive or ``sigma`` is negative.
    """
    if median_s <= 0 or sigma < 0:
        raise ValueError("lognormal_latency needs median_s > 0 and sigma >= 0")
    mu = math.log(median_s)

    def sample(rng: random.Random) -> float:
        return rng.lognormvariate(mu, sigma)

    return sample


def _check_share(name: str, value: float) -> float:
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{name} must lie between 0 and 1, got {value!r}")
    return value


@dataclass(frozen=True, slots=True)
class Outage:
    """A window of clock time, ``start`` inclusive and ``end`` exclusive, when every call fails."""

    start: datetime
    end: datetime


class FaultInjector:
    """Decides, call by call, how long a simulated request takes and whether it fails.

    Args:
        provider: Provider name, put on the errors raised.
        clock: Time source for outage windows.
        seed: Seeds the error, latency and stall streams (with the provider name).
        error_rate: Probability that a call raises ``ProviderUnavailableError`` (a 503).
        latency: Seconds added to every call, or a callable drawing them.
        stall_rate: Probability that a call hangs ``stall_seconds`` more.
        stall_seconds: How long a stalled call hangs.

    Raises:
        ValueError: A rate outside [0, 1] or a negative duration.
    """

    def __init__(
        self,
        *,
        provider: str,
        clock: Clock,
        seed: int = 0,
        error_rate: float = 0.0,
        latency: LatencySpec = 0.0,
        stall_rate: float = 0.0,
        stall_seconds: float = 30.0,
    ) -> None:
        if not callable(latency) and latency < 0:
            raise ValueError("latency must be zero or more seconds")
        if stall_seconds < 0:
            raise ValueError("stall_seconds must be zero or more")
        self.provider = provider
        self.clock = clock
        self.error_rate = _check_share("error_rate", error_rate)
        self.latency: LatencySpec = latency
        self.stall_rate = _check_share("stall_rate", stall_rate)
        self.stall_seconds = stall_seconds
        self._error_rng = stable_rng(seed, "faults", "errors", provider)
        self._latency_rng = stable_rng(seed, "faults", "latency", provider)
        self._stall_rng = stable_rng(seed, "faults", "stalls", provider)
        self._queued: deque[FlightDataError | None] = deque()
        self._outages: list[Outage] = []

    def fail_next(self, n: int = 1, error: FlightDataError | None = None) -> None:
        """Make the next ``n`` calls raise ``error`` (a ``ProviderUnavailableError`` if None).

        Raises:
            ValueError: ``n`` is negative.
            TypeError: ``error`` is not a ``FlightDataError``.
        """
        if n < 0:
            raise ValueError("fail_next needs n >= 0")
        if error is not None and not isinstance(error, FlightDataError):
            raise TypeError("fail_next raises FlightDataError instances only")
        if error is not None and error.provider is None:
            error.provider = self.provider
        self._queued.extend([error] * n)

    def add_outage(self, start: datetime, end: datetime) -> None:
        """Fail every call made while the clock reads within [start, end).

        Raises:
            ValueError: Naive times, or ``end`` not after ``start``.
        """
        if start.tzinfo is None or end.tzinfo is None:
            raise ValueError("add_outage needs aware datetimes")
        if end <= start:
            raise ValueError("an outage must end after it starts")
        self._outages.append(Outage(start, end))

    def clear(self) -> None:
        """Drop queued failures and outages (rates and latency stay as set)."""
        self._queued.clear()
        self._outages.clear()

    @property
    def pending_failures(self) -> int:
        """Calls still queued to fail by ``fail_next``."""
        return len(self._queued)

    def plan(self) -> tuple[float, FlightDataError | None]:
        """Decide the current call: seconds to wait, and the error to raise after, if any.

        An outage wins over queued failures (which then stay queued); both win over the
        random error rate. Every stream is drawn on every call so that changing one knob
        does not shift the others' sequences.
        """
        now = self.clock.now()
        random_error = self._error_rng.random() < self.error_rate
        stalled = self._stall_rng.random() < self.stall_rate
        wait = self.latency(self._latency_rng) if callable(self.latency) else self.latency
        wait = max(0.0, wait) + (self.stall_seconds if stalled else 0.0)
        outage = next((o for o in self._outages if o.start <= now < o.end), None)
        if outage is not None:
            return wait, ProviderUnavailableError(
                f"simulated outage until {outage.end.isoformat()}",
                provider=self.provider,
                status_code=503,
            )
        if self._queued:
            queued = self._queued.popleft()
            return wait, queued or ProviderUnavailableError(
                "simulated failure (fail_next)", provider=self.provider, status_code=503
            )
        if random_error:
            return wait, ProviderUnavailableError(
                "simulated 503 Service Unavailable (error_rate)",
                provider=self.provider,
                status_code=503,
            )
        return wait, None

    async def apply(self) -> None:
        """Wait the planned time, then raise the planned error, if any."""
        wait, error = self.plan()
        if wait > 0:
            await asyncio.sleep(wait)
        if error is not None:
            raise error.with_traceback(None)
