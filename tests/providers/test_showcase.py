"""The showcase: documented flights the simulated world disrupts the same way on every date.

Each test checks one line of ``flight-agent scenarios`` on dates across the year (winter, the
weeks when UK and US clocks differ by four hours, summer), on the default simulated provider.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from flight_agent.clock import FakeClock
from flight_agent.irops import Applicability, assess_trip
from flight_agent.models import FlightStatus, FlightStatusData
from flight_agent.providers import MockFlightDataProvider
from flight_agent.providers.simulation import SHOWCASE, Scenario

DAYS = [date(2026, 11, 29), date(2027, 3, 20), date(2027, 7, 1)]
LONDON = ZoneInfo("Europe/London")

every_day = pytest.mark.parametrize("day", DAYS, ids=str)


def at(day: date, hour: int, minute: int = 0, zone: ZoneInfo | None = None) -> FakeClock:
    """A clock reading that time on ``day`` (UTC unless a zone is given)."""
    return FakeClock(datetime.combine(day, time(hour, minute), zone or UTC))


async def status(clock: FakeClock, ident: str, day: date, seed: int = 0) -> FlightStatusData:
    record = await MockFlightDataProvider(seed=seed, clock=clock).get_flight_status(ident, day)
    assert record is not None
    return record


@every_day
@pytest.mark.parametrize("seed", [0, 7])
async def test_ba117_is_3_h_30_late_in_every_world(day: date, seed: int) -> None:
    """Departure and arrival exactly 210 minutes late, whatever the date and seed."""
    record = await status(at(day, 6), "BA117", day, seed)
    assert record.route == "LHR-JFK"
    assert (record.departure_delay_minutes, record.arrival_delay_minutes) == (210, 210)
    assert record.is_disrupted


@every_day
async def test_aa1830_leaves_on_time_to_the_minute(day: date) -> None:
    """BA117's onward connection is never late: the missed connection is BA117's doing."""
    record = await status(at(day, 6), "AA1830", day)
    assert record.route == "JFK-BOS"
    assert record.estimated_out == record.scheduled_out
    assert record.estimated_in == record.scheduled_in


@every_day
async def test_lh400_is_cancelled_and_owed_eur_600_unless_told_two_weeks_ahead(day: date) -> None:
    """Cancelled; told 3 days ahead EU261 owes EUR 600, told 14 days ahead nothing."""
    clock = at(day, 6)
    record = await status(clock, "LH400", day)
    assert record.status is FlightStatus.CANCELLED

    def eu261(notice_days: int) -> int | None:
        trip = assess_trip([record], now=clock.now(), notice=timedelta(days=notice_days))
        [verdict] = [r for r in trip.rights if r.regime == "EU261"]
        return verdict.amount

    assert (eu261(3), eu261(14)) == (600, 0)


@every_day
async def test_ba456_is_1_h_30_late_because_its_aircraft_comes_in_late(day: date) -> None:
    """The inbound aircraft lands late; the minimum turn (45 min, A320) sets the departure."""
    provider = MockFlightDataProvider(clock=at(day, 6))
    record = await provider.get_flight_status("BA456", day)
    assert record is not None
    assert record.departure_delay_minutes == 90
    assert record.inbound_flight_id is not None
    inbound = await provider.get_flight_by_id(record.inbound_flight_id)
    assert inbound is not None
    assert (inbound.arrival_delay_minutes or 0) >= 90
    assert inbound.estimated_in is not None
    assert record.estimated_out == inbound.estimated_in + timedelta(minutes=45)


@every_day
async def test_af1080_is_25_min_late_and_owed_nothing(day: date) -> None:
    """Disrupted, yet every regime that applies owes nothing."""
    clock = at(day, 12)
    record = await status(clock, "AF1080", day)
    assert (record.departure_delay_minutes, record.arrival_delay_minutes) == (25, 25)
    assert record.is_disrupted
    applying = [
        r
        for r in assess_trip([record], now=clock.now()).rights
        if r.applicability is Applicability.APPLIES
    ]
    assert applying
    assert all(r.amount == 0 for r in applying)


@every_day
async def test_qr1_shows_its_diversion_to_stansted_only_once_it_lands(day: date) -> None:
    """En route to LHR at 11:30 UTC, diverted to STN at 12:15 UTC; yesterday's always is."""
    airborne = await status(at(day, 11, 30), "QR1", day)
    assert (airborne.status, airborne.diverted_to) == (FlightStatus.EN_ROUTE, None)
    landed = await status(at(day, 12, 15), "QR1", day)
    assert landed.status is FlightStatus.DIVERTED
    assert landed.diverted_to is not None
    assert landed.diverted_to.code == "STN"
    yesterdays = await status(at(day, 0), "QR1", day - timedelta(days=1))
    assert yesterdays.status is FlightStatus.DIVERTED


@every_day
async def test_ba1440_changes_gate_at_0710_london_time_and_leaves_on_time(day: date) -> None:
    """Same gate until 07:09 London time, another gate from 07:10; no delay."""
    before = await status(at(day, 7, 9, LONDON), "BA1440", day)
    after = await status(at(day, 7, 10, LONDON), "BA1440", day)
    assert before.gate_origin != after.gate_origin
    assert after.departure_delay_minutes == 0
    assert not after.is_disrupted


@every_day
async def test_numbers_9900_to_9999_are_never_found(day: date) -> None:
    """The showcase's 'not found' example answers None."""
    provider = MockFlightDataProvider(clock=at(day, 6))
    assert await provider.get_flight_status("BA9999", day) is None


def test_the_showcase_lists_each_flight_once_with_its_scenario() -> None:
    """One line per flight, in the documented order; only the 'not found' one has no pin."""
    assert [(f.designator, f.pin.scenario if f.pin else None) for f in SHOWCASE] == [
        ("BA117", Scenario.MAJOR_DELAY),
        ("AA1830", Scenario.ON_TIME),
        ("LH400", Scenario.CANCELLED),
        ("BA456", Scenario.LATE_INBOUND),
        ("AF1080", Scenario.MINOR_DELAY),
        ("QR1", Scenario.DIVERTED),
        ("BA1440", Scenario.GATE_CHANGE),
        ("BA9999", None),
    ]


async def test_a_scenario_given_for_a_showcase_flight_replaces_its_pin() -> None:
    """Explicit scenarios win per designator; clearing one brings the showcase pin back."""
    clock = at(DAYS[0], 6)
    provider = MockFlightDataProvider(clock=clock, scenarios={"BA117": "cancelled"})
    cancelled = await provider.get_flight_status("BA117", DAYS[0])
    assert cancelled is not None
    assert cancelled.status is FlightStatus.CANCELLED
    provider.set_scenario("BA117", None)
    restored = await provider.get_flight_status("BA117", DAYS[0])
    assert restored is not None
    assert restored.departure_delay_minutes == 210
