"""Tarmac clocks: US domestic and international limits, Canada's extension, no rule elsewhere."""

from __future__ import annotations

from datetime import timedelta

from flight_agent.irops import Regime, tarmac_clock
from tests.irops.factories import flight, utc

DOOR = utc("2025-07-15 12:00")


def test_us_international_departure_has_a_four_hour_limit() -> None:
    """JFK-LHR: 4 h from door closure, food and water by 2 h."""
    clock = tarmac_clock(flight("BA112", "JFK-LHR", "2025-07-15", actual_out=DOOR), now=DOOR)
    assert clock is not None
    assert clock.regime is Regime.US_DOT
    assert clock.limit_at == DOOR + timedelta(hours=4)
    assert clock.food_water_due_at == DOOR + timedelta(hours=2)


def test_canadian_airport_has_a_three_hour_limit_extendable_by_45_minutes() -> None:
    """YYZ: APPR 3 h, 3 h 45 if take-off is imminent."""
    clock = tarmac_clock(
        flight("AC101", "YYZ-YVR", "2025-07-15", actual_out=DOOR), now=DOOR + timedelta(hours=1)
    )
    assert clock is not None
    assert (clock.regime, clock.elapsed_minutes) == (Regime.CANADA_APPR, 60)
    assert clock.limit_at == DOOR + timedelta(hours=3)
    assert clock.extended_limit_at == DOOR + timedelta(hours=3, minutes=45)
    assert clock.food_water_due_at is None


def test_airport_without_a_tarmac_rule_keeps_the_clock_without_limit() -> None:
    """LHR: no statutory tarmac limit, the clock still runs."""
    clock = tarmac_clock(flight("BA1", "LHR-JFK", "2025-07-15", actual_out=DOOR), now=DOOR)
    assert clock is not None
    assert (clock.regime, clock.limit_at) == (None, None)


def test_airborne_flight_has_no_tarmac_clock() -> None:
    """After take-off, or before pushback, nothing is held on the tarmac."""
    airborne = flight("B6100", "JFK-BOS", "2025-07-15", actual_out=DOOR, actual_off=DOOR)
    assert tarmac_clock(airborne, now=DOOR + timedelta(hours=1)) is None
    assert tarmac_clock(flight("B6100", "JFK-BOS", "2025-07-15"), now=DOOR) is None


def test_clock_ignores_a_now_before_the_door_closed() -> None:
    """A ``now`` before door closure (clock skew) gives no clock rather than a negative one."""
    pushed = flight("B6100", "JFK-BOS", "2025-07-15", actual_out=DOOR)
    assert tarmac_clock(pushed, now=DOOR - timedelta(minutes=1)) is None
