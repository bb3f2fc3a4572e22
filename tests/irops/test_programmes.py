"""Effects of FAA programmes on flights not yet departed."""

from __future__ import annotations

from datetime import timedelta

from flight_agent.irops import NasStatus, ProgrammeKind, parse_nas_status, programme_effects
from flight_agent.models import FlightStatus, FlightStatusData
from tests.irops.factories import FIXTURES, flight, utc

OUT = utc("2025-07-15 20:00")


def status() -> NasStatus:
    """The all-programmes fixture read at 19:00Z."""
    return parse_nas_status(
        (FIXTURES / "nas_all_programmes.xml").read_bytes(), received_at=utc("2025-07-15 19:00")
    )


def leg(route: str, **fields: object) -> FlightStatusData:
    """A two-hour flight out at 20:00Z."""
    values: dict[str, object] = {"scheduled_out": OUT, "scheduled_in": OUT + timedelta(hours=2)}
    return flight("UA9", route, "2025-07-15", **(values | fields))


def test_departure_delay_at_origin_moves_both_ends() -> None:
    """ORD departures 16-30 min late: out and in move by 16 min, worst case 30."""
    (effect,) = programme_effects(leg("ORD-SFO"), status())
    assert effect.programme.kind is ProgrammeKind.DEPARTURE_DELAY
    assert not effect.at_destination
    assert effect.predicted_out == OUT + timedelta(minutes=16)
    assert effect.worst_in == OUT + timedelta(hours=2, minutes=30)
    assert not effect.extension_risk


def test_arrival_delay_at_destination_moves_only_the_arrival() -> None:
    """DFW arrivals 31-45 min late: the departure stays, the arrival moves."""
    (effect,) = programme_effects(leg("DEN-DFW"), status())
    assert effect.programme.kind is ProgrammeKind.ARRIVAL_DELAY
    assert effect.predicted_out == OUT
    assert effect.predicted_in == OUT + timedelta(hours=2, minutes=31)
    assert effect.worst_out is None
    assert effect.worst_in == OUT + timedelta(hours=2, minutes=45)


def test_closure_at_destination_holds_the_flight_until_it_can_land_after_reopening() -> None:
    """ASE closed to 23:59Z: a 2 h flight cannot leave before 21:59Z."""
    (effect,) = programme_effects(leg("DEN-ASE"), status())
    assert effect.predicted_in == utc("2025-07-15 23:59")
    assert effect.predicted_out == utc("2025-07-15 21:59")
    assert effect.added_delay_minutes == 119


def test_ground_stop_without_end_time_says_no_figure() -> None:
    """An open-ended ground stop is reported without invented times."""
    (effect,) = programme_effects(leg("DEN-LGA"), status())
    assert (effect.predicted_out, effect.added_delay_minutes) == (None, None)
    assert "no figure" in effect.explanation


def test_departed_cancelled_or_unaffected_flights_have_no_effect() -> None:
    """Only scheduled flights still at the gate, to or from the airports, are held."""
    assert programme_effects(leg("DEN-LGA", actual_out=OUT), status()) == ()
    assert programme_effects(leg("SEA-PDX"), status()) == ()
    cancelled = leg("DEN-LGA", status=FlightStatus.CANCELLED)
    assert programme_effects(cancelled, status()) == ()
    assert programme_effects(flight("UA9", "DEN-LGA", "2025-07-15"), status()) == ()


def test_ground_stop_ending_before_departure_has_no_effect() -> None:
    """A stop that ends before the flight's own departure does not delay it."""
    ewr = parse_nas_status(
        (FIXTURES / "nas_s22_ground_stop.xml").read_bytes(), received_at=utc("2025-07-15 19:00")
    )
    assert programme_effects(leg("ORD-EWR", scheduled_out=utc("2025-07-15 21:00")), ewr) == ()
