"""Every provider call the service makes takes the failover engine's one path: departure
boards, schedules and inbound lookups meet the same breakers, Retry-After cool-downs and
metrics as status lookups, so what one kind of call learns about a provider, the others honour.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import respx

from flight_agent.cache import MemoryCache
from flight_agent.clock import FakeClock
from flight_agent.errors import AllProvidersFailedError, ProviderUnavailableError
from flight_agent.providers import FlightAwareProvider, FlightDataProvider, MockFlightDataProvider
from flight_agent.providers.flightaware_provider import AEROAPI_BASE_URL
from flight_agent.services import EnhancedFlightMonitoringService
from flight_agent.settings import Settings
from tests.conftest import load_fixture

NOON = datetime(2026, 11, 28, 12, tzinfo=UTC)  # the clock fixture's now
KEY = "fa-test-key-0123456789"


@pytest.fixture
def api() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=AEROAPI_BASE_URL, assert_all_called=False) as router:
        yield router


def service_over(
    clock: FakeClock, *providers: FlightDataProvider
) -> EnhancedFlightMonitoringService:
    return EnhancedFlightMonitoringService(
        providers=providers,
        cache=MemoryCache(clock=clock),
        settings=Settings(redis_url=None),
        clock=clock,
    )


async def test_a_429_on_a_departure_board_cools_the_provider_for_the_next_status_lookup(
    api: respx.MockRouter, clock: FakeClock
) -> None:
    """AeroAPI answers a board with 429 and 'Retry-After: 30': the next status lookup skips
    FlightAware without a request and the backup answers; FlightAware's metrics count the
    board call; once the 30 s are over, FlightAware answers status lookups again."""
    api.get("/airports/KJFK/flights/scheduled_departures").respond(
        429, headers={"Retry-After": "30"}
    )
    status = api.get("/flights/BAW117").respond(
        json=load_fixture("aeroapi/flights_BAW117_en_route.json")
    )
    flightaware = FlightAwareProvider(api_key=KEY, clock=clock)
    service = service_over(clock, flightaware, MockFlightDataProvider("Backup", 5, clock=clock))

    with pytest.raises(AllProvidersFailedError, match="no provider with departure boards"):
        await service.departure_board("JFK", NOON, NOON + timedelta(hours=12))
    record = await service.get_flight_status_with_failover("BA117", NOON.date())

    assert record is not None
    assert [(a.provider, a.outcome) for a in record.attempts] == [
        ("FlightAware", "cooling_down"),
        ("Backup", "success"),
    ]
    assert not status.called
    stats = service.get_provider_stats()["FlightAware"]
    assert (stats.calls, stats.outcomes) == ({"departure_board": 1}, {"rate_limited": 1})
    assert stats.cooldown_left_s == 30
    clock.advance(30)
    again = await service.get_flight_status_with_failover("BA117", NOON.date(), refresh=True)
    assert again is not None
    assert again.source == "FlightAware"
    await service.aclose()


async def test_failing_schedule_lookups_open_the_breaker_that_status_lookups_obey(
    clock: FakeClock,
) -> None:
    """Ten schedule lookups failing with 503 (the default circuit_breaker_threshold) open the
    primary's breaker, each answered by the backup; the next status lookup skips the primary
    without calling it."""
    primary = MockFlightDataProvider("Primary", 10, clock=clock)
    service = service_over(clock, primary, MockFlightDataProvider("Backup", 5, clock=clock))
    primary.fail_next(10, ProviderUnavailableError("HTTP 503", provider="Primary"))
    start = NOON + timedelta(days=1)
    for _ in range(10):
        flights = await service.find_alternative_flights("LHR", "JFK", start, start + timedelta(1))
        assert {flight.source for flight in flights} == {"Backup"}
    calls = primary.calls

    record = await service.get_flight_status_with_failover("BA117", start.date())

    assert record is not None
    assert [(a.provider, a.outcome) for a in record.attempts] == [
        ("Primary", "circuit_open"),
        ("Backup", "success"),
    ]
    assert primary.calls == calls
    assert service.get_provider_stats()["Primary"].calls == {"schedules": 10}
    await service.aclose()


async def test_the_inbound_flight_is_asked_of_its_provider_through_its_breaker(
    clock: FakeClock,
) -> None:
    """The inbound aircraft's flight comes from the provider that named it, counted in its
    metrics; while that provider's breaker is forced open it is not asked (and the inbound is
    simply unknown)."""
    primary = MockFlightDataProvider("Primary", 10, clock=clock)
    service = service_over(clock, primary, MockFlightDataProvider("Backup", 5, clock=clock))
    record = await service.get_flight_status_with_failover("BA456", NOON.date())
    assert record is not None
    assert record.inbound_flight_id is not None

    service.failover_manager.breaker("Primary").force_open()
    calls = primary.calls
    assert await service.get_inbound_flight(record) is None
    assert primary.calls == calls
    service.failover_manager.breaker("Primary").reset()
    inbound = await service.get_inbound_flight(record)

    assert inbound is not None
    assert inbound.source == "Primary"
    assert service.get_provider_stats()["Primary"].calls == {"status": 1, "flight_by_id": 1}
    await service.aclose()
