"""Building the stack under test: real providers pointed at the fake upstream, and the service.

Every benchmark that goes over the network builds its providers here, so they all talk to the
upstream the same way (the real ``FlightAwareProvider`` and ``AeroDataBoxProvider`` classes,
keep-alive connections, the library's own timeouts).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, time, timedelta

from benchmarks.upstream import RemoteUpstream, upstream_process
from flight_agent.cache import FlightCache, MemoryCache
from flight_agent.clock import SYSTEM_CLOCK
from flight_agent.flight_query import FlightQuery
from flight_agent.providers import (
    AeroDataBoxProvider,
    FailoverConfig,
    FailoverManager,
    FlightAwareProvider,
)
from flight_agent.providers.interfaces import FlightDataProvider
from flight_agent.services import EnhancedFlightMonitoringService
from flight_agent.settings import Settings
from flight_agent.testing import FakeUpstream

CARRIERS = ("BA", "AA", "LH", "AF", "DL", "UA", "KL", "EK")
"""Carriers of the benchmark flights; the simulation flies every number below 9900 daily."""


def today() -> date:
    """Today's date in UTC: every benchmark flight departs on it."""
    return datetime.now(UTC).date()


def flight_numbers(count: int, start: int = 0) -> list[str]:
    """``count`` distinct designators (BA100, AA100, ... BA101, ...), from position ``start``."""
    return [
        f"{CARRIERS[i % len(CARRIERS)]}{100 + i // len(CARRIERS)}"
        for i in range(start, start + count)
    ]


def flightaware(
    upstream: RemoteUpstream, *, concurrency: int = 8, base_url: str | None = None
) -> FlightAwareProvider:
    """The AeroAPI provider (priority 10) on the upstream, or on ``base_url`` when given."""
    return FlightAwareProvider(
        api_key=upstream.api_key,
        base_url=base_url or upstream.base_url("flightaware"),
        max_concurrency=concurrency,
    )


def aerodatabox(upstream: RemoteUpstream, *, concurrency: int = 8) -> AeroDataBoxProvider:
    """The AeroDataBox provider (priority 5) on the upstream."""
    return AeroDataBoxProvider(
        api_key=upstream.api_key,
        marketplace="rapidapi",
        base_url=upstream.base_url("aerodatabox"),
        max_concurrency=concurrency,
    )


def in_process_pair(
    primary: FakeUpstream, secondary: FakeUpstream, config: FailoverConfig
) -> FailoverManager:
    """FlightAware on ``primary`` in front of AeroDataBox on ``secondary``, both called in
    process (no socket), behind a manager: for benchmarks on virtual time."""
    return FailoverManager(
        [
            FlightAwareProvider(
                api_key=primary.api_key,
                base_url=primary.base_url("flightaware"),
                transport=primary.transport(),
            ),
            AeroDataBoxProvider(
                api_key=secondary.api_key,
                marketplace="rapidapi",
                base_url=secondary.base_url("aerodatabox"),
                transport=secondary.transport(),
            ),
        ],
        config,
    )


def service(
    providers: list[FlightDataProvider],
    *,
    config: FailoverConfig | None = None,
    cache: FlightCache | None = None,
) -> EnhancedFlightMonitoringService:
    """The service over exactly these providers, a memory cache and no Redis."""
    return EnhancedFlightMonitoringService(
        providers=providers,
        cache=cache or MemoryCache(max_entries=100_000),
        settings=Settings(redis_url=None),
        clock=SYSTEM_CLOCK,
        config=config,
    )


def aeroapi_request(ident: str, day: date) -> tuple[str, dict[str, str]]:
    """The path and parameters ``FlightAwareProvider`` sends for a flight on a date.

    The same window the provider asks for (the UTC day padded by 14 h each side, for a query
    without origin), so a bare client fetches exactly the same answer.
    """
    query = FlightQuery.parse(ident, day)
    designator = query.designator.ident_icao or query.designator.ident_iata
    start = datetime.combine(day, time(), UTC) - timedelta(hours=14)
    end = datetime.combine(day + timedelta(days=1), time(), UTC) + timedelta(hours=14)
    params = {
        "ident_type": "designator",
        "start": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "end": end.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "max_pages": "1",
    }
    return f"/flights/{designator}", params


@asynccontextmanager
async def remote(upstream: RemoteUpstream | None) -> AsyncIterator[RemoteUpstream]:
    """The given upstream (reset first), or a fresh child-process upstream for the block."""
    if upstream is not None:
        await upstream.reset()
        yield upstream
        return
    async with upstream_process() as started:
        yield started
