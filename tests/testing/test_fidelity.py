"""Real providers pointed at the fake upstream return the flight the mock provider returns.

This proves the renderers are faithful: each provider's own parser reads them back into the
record ``MockFlightDataProvider`` builds from the same seed, scenarios and clock, as far as
the provider's shape can say it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from flight_agent.clock import FakeClock
from flight_agent.models import FlightStatus, FlightStatusData, ScheduledFlight
from flight_agent.providers import MockFlightDataProvider
from flight_agent.providers.http_provider import HttpFlightDataProvider
from flight_agent.testing import FakeUpstream
from tests.testing.conftest import KEY, PROVIDERS, make_provider

NOV = 11
COMMON_FIELDS = (
    "flight_id",
    "ident_iata",
    "ident_icao",
    "carrier_iata",
    "carrier_icao",
    "flight_number",
    "flight_date",
    "route",
    "legs",
    "scheduled_out",
    "scheduled_in",
    "actual_out",
    "actual_off",
    "actual_on",
    "status",
    "departure_delay_minutes",
    "arrival_delay_minutes",
    "is_disrupted",
    "gate_origin",
    "terminal_origin",
    "gate_destination",
    "terminal_destination",
    "baggage_claim",
    "registration",
    "aircraft_type",
)
"""Fields every provider's shape carries."""

AEROAPI_FIELDS = (
    *COMMON_FIELDS,
    "scheduled_off",
    "scheduled_on",
    "estimated_out",
    "estimated_off",
    "estimated_on",
    "estimated_in",
    "actual_in",
    "status_text",
    "diverted_to",
    "codeshares",
    "provider_flight_id",
    "inbound_flight_id",
)
"""AeroAPI carries the whole record."""

CASES = [
    pytest.param("BA117", 28, None, None, id="en-route"),
    pytest.param("BA117", 27, None, None, id="arrived-late"),
    pytest.param("BA117", 28, "major_delay", None, id="major-delay"),
    pytest.param("BA117", 28, "cancelled", None, id="cancelled"),
    pytest.param("BA117", 27, "diverted", None, id="diverted"),
    pytest.param("BA117", 28, "unknown", None, id="unknown"),
    pytest.param("BA178", 28, "terminal_change", None, id="terminal-change"),
    pytest.param("QF1", 28, None, "SIN", id="second-leg"),
    pytest.param("LH400", 29, "minor_delay", None, id="tomorrow-with-codeshares"),
]


def key_fields(record: FlightStatusData, fields: tuple[str, ...]) -> dict[str, object]:
    return {field: getattr(record, field) for field in fields}


@pytest.mark.parametrize("name", PROVIDERS)
@pytest.mark.parametrize(("ident", "day", "scenario", "origin"), CASES)
async def test_provider_reads_back_the_mock_record(
    name: str, ident: str, day: int, scenario: str | None, origin: str | None, clock: FakeClock
) -> None:
    """The provider's record equals the mock's on every field its shape carries."""
    scenarios = {ident: scenario} if scenario else None
    upstream = FakeUpstream(seed=0, clock=clock, scenarios=scenarios, api_key=KEY)
    mock = MockFlightDataProvider(seed=0, clock=clock, scenarios=scenarios)
    async with make_provider(name, upstream, clock=clock) as provider:
        got = await provider.get_flight_status(ident, date(2026, NOV, day), origin=origin)
    expected = await mock.get_flight_status(ident, date(2026, NOV, day), origin=origin)
    assert got is not None
    assert expected is not None
    fields = AEROAPI_FIELDS if name == "flightaware" else COMMON_FIELDS
    assert key_fields(got, fields) == key_fields(expected, fields)


@pytest.mark.parametrize("seed", [1, 7, 42])
@pytest.mark.parametrize("name", PROVIDERS)
async def test_other_seeds_give_the_mock_flight_too(name: str, seed: int, clock: FakeClock) -> None:
    """Generated routes and drawn scenarios of any seed come through unchanged."""
    upstream = FakeUpstream(seed=seed, clock=clock, api_key=KEY)
    mock = MockFlightDataProvider(seed=seed, clock=clock)
    async with make_provider(name, upstream, clock=clock) as provider:
        for ident in ("UA900", "AF1234", "EK7"):
            got = await provider.get_flight_status(ident, date(2026, NOV, 28))
            expected = await mock.get_flight_status(ident, date(2026, NOV, 28))
            assert got is not None
            assert expected is not None
            assert key_fields(got, COMMON_FIELDS) == key_fields(expected, COMMON_FIELDS)


def phase_times(record: FlightStatusData) -> list[tuple[FlightStatus, datetime]]:
    """One moment inside each phase of an operating flight, in order."""
    out, off = record.estimated_out, record.estimated_off
    on, arrive = record.estimated_on, record.estimated_in
    assert out is not None
    assert off is not None
    assert on is not None
    assert arrive is not None
    minutes = timedelta(minutes=1)
    return [
        (FlightStatus.SCHEDULED, out - 60 * minutes),
        (FlightStatus.BOARDING, out - 20 * minutes),
        (FlightStatus.DEPARTED, out + 5 * minutes),
        (FlightStatus.EN_ROUTE, off + 60 * minutes),
        (FlightStatus.LANDED, on + 3 * minutes),
        (FlightStatus.ARRIVED, arrive + 5 * minutes),
    ]


# What each shape cannot say: AeroAPI and AviationStack have no boarding state; a landed
# AeroDataBox flight reads 'Arrived' with only a runway time, so its gate arrival estimate
# (and with it the arrival delay) is not sent.
SHAPE_LIMITS = {
    "flightaware": {FlightStatus.BOARDING: (FlightStatus.SCHEDULED, True)},
    "aerodatabox": {FlightStatus.LANDED: (FlightStatus.LANDED, False)},
    "aviationstack": {FlightStatus.BOARDING: (FlightStatus.SCHEDULED, True)},
}


@pytest.mark.parametrize("name", PROVIDERS)
async def test_each_phase_reads_back_as_far_as_the_shape_can_tell(name: str) -> None:
    """Walking one flight through its day, the status follows the mock's up to shape limits."""
    start = datetime(2026, NOV, 28, 4, 0, tzinfo=UTC)
    clock = FakeClock(start)
    upstream = FakeUpstream(seed=0, clock=clock, scenarios={"BA117": "minor_delay"}, api_key=KEY)
    mock = MockFlightDataProvider(seed=0, clock=clock, scenarios={"BA117": "minor_delay"})
    first = await mock.get_flight_status("BA117", date(2026, NOV, 28))
    assert first is not None
    async with make_provider(name, upstream, clock=clock) as provider:
        for phase, moment in phase_times(first):
            clock.set(moment)
            got = await provider.get_flight_status("BA117", date(2026, NOV, 28))
            expected = await mock.get_flight_status("BA117", date(2026, NOV, 28))
            assert got is not None
            assert expected is not None
            assert expected.status is phase
            status, keeps_arrival_delay = SHAPE_LIMITS[name].get(phase, (phase, True))
            assert got.status is status
            assert got.departure_delay_minutes == expected.departure_delay_minutes
            arrival = expected.arrival_delay_minutes if keeps_arrival_delay else None
            assert got.arrival_delay_minutes == arrival


@pytest.mark.parametrize("name", PROVIDERS)
async def test_unknown_flights_are_not_found_in_every_style(name: str, clock: FakeClock) -> None:
    """Flight numbers the simulation never flies (9900-9999) give None from every provider."""
    upstream = FakeUpstream(seed=0, clock=clock, api_key=KEY)
    async with make_provider(name, upstream, clock=clock) as provider:
        assert await provider.get_flight_status("BA9950", date(2026, NOV, 28)) is None


async def test_flight_by_id_follows_the_inbound_link_like_the_mock(clock: FakeClock) -> None:
    """AeroAPI's fa_flight_id lookup returns the mock's inbound flight."""
    upstream = FakeUpstream(seed=0, clock=clock, scenarios={"BA117": "late_inbound"}, api_key=KEY)
    mock = MockFlightDataProvider(seed=0, clock=clock, scenarios={"BA117": "late_inbound"})
    async with make_provider("flightaware", upstream, clock=clock) as provider:
        flight = await provider.get_flight_status("BA117", date(2026, NOV, 28))
        assert flight is not None
        assert flight.inbound_flight_id == "BA117-20261128-MOCK-INBOUND"
        inbound = await provider.get_flight_by_id(flight.inbound_flight_id)
        assert await provider.get_flight_by_id("BA117-20261128-MOCK-L5") is None
    expected = await mock.get_flight_by_id(flight.inbound_flight_id)
    assert inbound is not None
    assert expected is not None
    assert key_fields(inbound, AEROAPI_FIELDS) == key_fields(expected, AEROAPI_FIELDS)


async def test_schedules_list_the_mock_timetable(clock: FakeClock) -> None:
    """AeroAPI schedules between two airports are the mock's, flight for flight."""
    upstream = FakeUpstream(seed=0, clock=clock, api_key=KEY)
    mock = MockFlightDataProvider(seed=0, clock=clock)
    start = datetime(2026, NOV, 28, 0, 0, tzinfo=UTC)
    end = start + timedelta(days=2)
    async with make_provider("flightaware", upstream, clock=clock) as provider:
        found = await provider.find_flights("LHR", "JFK", start, end)
    expected = await mock.find_flights("LHR", "JFK", start, end)
    fields = ("ident", "route", "scheduled_out", "scheduled_in", "aircraft_type")

    def rows(flights: list[ScheduledFlight]) -> list[tuple[object, ...]]:
        return [
            tuple(
                f"{f.origin.code}-{f.destination.code}" if x == "route" else getattr(f, x)
                for x in fields
            )
            for f in flights
        ]

    assert len(found) >= 2
    assert rows(found) == rows(expected)
    assert [f.provider_flight_id for f in found] == [f.provider_flight_id for f in expected]


async def test_every_provider_probe_answers(
    provider: HttpFlightDataProvider, upstream: FakeUpstream
) -> None:
    """Each provider's health check reaches its cheap endpoint and reports healthy."""
    health = await provider.health_check()
    assert health.healthy, health.detail
    assert sum(upstream.requests.values()) == 1
