"""A scripted provider for tests of everything above the provider layer."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TypeVar

from flight_agent.airports import get_airport
from flight_agent.errors import ProviderUnavailableError
from flight_agent.flight_query import FlightQuery
from flight_agent.models import FlightStatusData
from flight_agent.providers.interfaces import FlightDataProvider

HANG = float("inf")
"""A latency that never ends: the call hangs until cancelled."""

Step = Exception | None | bool
T = TypeVar("T")


def _pick(items: Sequence[T], n: int) -> T:
    return items[min(n, len(items) - 1)]


def flight(query: FlightQuery, source: str) -> FlightStatusData:
    """A plain on-time record for ``query``."""
    return FlightStatusData(
        flight_id=query.flight_id,
        flight_date=query.flight_date,
        origin=get_airport("LHR"),
        destination=get_airport("JFK"),
        source=source,
        fetched_at=datetime(2026, 11, 28, 12, tzinfo=UTC),
    )


class StubProvider(FlightDataProvider):
    """Answers after ``latency`` seconds (loop time) according to a script.

    ``script`` items are consumed one per call (the last one repeats): ``True`` answers a
    record, ``None`` answers "not found", an exception (a provider error, or a bug) is raised.
    ``latency`` may be ``HANG``.
    """

    def __init__(
        self,
        name: str,
        priority: int = 0,
        script: Sequence[Step] | None = None,
        *,
        latency: float | list[float] = 0.0,
        max_concurrency: int = 8,
    ) -> None:
        super().__init__(name, priority, max_concurrency=max_concurrency)
        self.script: Sequence[Step] = script if script is not None else [True]
        self.latency = latency
        self.calls = 0
        self.call_times: list[float] = []
        self.in_flight = 0
        self.peak_in_flight = 0
        self.cancelled = 0
        self.probe_healthy = True
        self.probes = 0

    async def _fetch(self, query: FlightQuery) -> FlightStatusData | None:
        n = self.calls
        self.calls += 1
        self.call_times.append(asyncio.get_running_loop().time())
        latency = self.latency if isinstance(self.latency, float | int) else _pick(self.latency, n)
        self.in_flight += 1
        self.peak_in_flight = max(self.peak_in_flight, self.in_flight)
        try:
            if latency == HANG:
                await asyncio.Event().wait()
            elif latency:
                await asyncio.sleep(latency)
        except asyncio.CancelledError:
            self.cancelled += 1
            raise
        finally:
            self.in_flight -= 1
        outcome = _pick(self.script, n)
        if isinstance(outcome, Exception):
            raise outcome
        if outcome is None:
            return None
        return flight(query, self.name)

    async def _probe(self) -> str | None:
        self.probes += 1
        await asyncio.sleep(0.01)
        if not self.probe_healthy:
            raise ProviderUnavailableError("probe failed", provider=self.name)
        return "ok"
