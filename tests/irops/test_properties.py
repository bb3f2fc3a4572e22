"""Properties: detection never fails on any mix of fields; rights never fall as delay grows."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from flight_agent.airports import Airport, get_airport
from flight_agent.irops import (
    Cause,
    ItineraryFacts,
    RightsResult,
    assess_connection,
    assess_rights,
    canada_appr,
    detect_disruptions,
    eu261,
    programme_effects,
    uk261,
    us_dot_refund,
)
from flight_agent.irops.nas_status import AirportProgramme, NasStatus, ProgrammeKind
from flight_agent.models import FlightStatus, FlightStatusData

DAY = date(2025, 7, 15)
START = datetime(2025, 7, 14, tzinfo=UTC)

airports = st.sampled_from(
    [get_airport(code) for code in ("LHR", "JFK", "CDG", "YYZ", "EWR", "SFO")]
    + [Airport(iata="ZZZ"), Airport(icao="XXXX", timezone="Europe/Paris")]
)
instants = st.none() | st.integers(0, 3 * 24 * 60).map(lambda m: START + timedelta(minutes=m))
small_text = st.none() | st.sampled_from(["A1", "B2", "3", "5", ""])


@st.composite
def records(draw: st.DrawFn) -> FlightStatusData:
    """A flight record with any combination of optional fields."""
    times = {
        f"{kind}_{event}": draw(instants)
        for kind in ("scheduled", "estimated", "actual")
        for event in ("out", "off", "on", "in")
    }
    fields: dict[str, Any] = {
        "flight_id": "XX1",
        "carrier_iata": draw(st.none() | st.sampled_from(["BA", "AC", "DL", "ZZ"])),
        "flight_date": DAY,
        "origin": draw(airports),
        "destination": draw(airports),
        "diverted_to": draw(st.none() | airports),
        "departure_delay_minutes": draw(st.none() | st.integers(-600, 2000)),
        "arrival_delay_minutes": draw(st.none() | st.integers(-600, 2000)),
        "status": draw(st.sampled_from(list(FlightStatus))),
        "cancellation_uncertain": draw(st.booleans()),
        "gate_origin": draw(small_text),
        "gate_destination": draw(small_text),
        "terminal_origin": draw(small_text),
        "terminal_destination": draw(small_text),
        "registration": draw(st.none() | st.sampled_from(["N1", "N2"])),
        "aircraft_type": draw(st.none() | st.sampled_from(["A321", "B789", "ZZZZ"])),
        "source": "hypothesis",
        "fetched_at": draw(instants) or START,
    }
    return FlightStatusData(**fields, **times)


@settings(max_examples=300, deadline=None)
@given(
    current=records(),
    previous=st.none() | records(),
    inbound=st.none() | records(),
    now=instants.map(lambda t: t or START),
)
def test_detection_never_raises_whatever_fields_are_missing(
    current: FlightStatusData,
    previous: FlightStatusData | None,
    inbound: FlightStatusData | None,
    now: datetime,
) -> None:
    """Any combination of present and missing fields yields disruptions, never an exception."""
    for disruption in detect_disruptions(current, previous, now=now, inbound=inbound):
        assert disruption.explanation


@settings(max_examples=200, deadline=None)
@given(inbound=records(), onward=records())
def test_connection_and_programmes_never_raise(
    inbound: FlightStatusData, onward: FlightStatusData
) -> None:
    """Connection checks and programme effects accept any record."""
    assert assess_connection(inbound, onward).explanation
    stop = AirportProgramme(kind=ProgrammeKind.GROUND_STOP, airport="JFK", ends_at=START)
    delay = AirportProgramme(kind=ProgrammeKind.ARRIVAL_DELAY, airport="EWR", max_delay_minutes=30)
    status = NasStatus(updated_at=None, programmes=(stop, delay))
    for effect in programme_effects(inbound, status):
        assert effect.explanation


@settings(max_examples=200, deadline=None)
@given(legs=st.lists(records(), min_size=1, max_size=3), cause=st.sampled_from(list(Cause)))
def test_rights_never_raise_and_amounts_are_never_negative(
    legs: list[FlightStatusData], cause: Cause
) -> None:
    """Facts built from any records give a result per regime with no negative amount."""
    for result in assess_rights(ItineraryFacts.from_legs(legs, cause=cause)):
        assert result.amount is None or result.amount >= 0
        assert result.reasons


REGIMES = st.sampled_from(
    [
        (eu261, "AMS-JFK", "KL"),
        (eu261, "HEL-LPA", "AY"),
        (eu261, "MAD-BCN", "IB"),
        (eu261, "JFK-CDG", "AF"),
        (uk261, "LHR-JFK", "BA"),
        (uk261, "LHR-LIS", "BA"),
        (us_dot_refund, "JFK-LAX", "AA"),
        (us_dot_refund, "JFK-LHR", "BA"),
        (canada_appr, "YYZ-YVR", "AC"),
        (canada_appr, "YVR-YYZ", "4N"),
    ]
)


def payable(result: RightsResult) -> tuple[int, int, int]:
    """What the passenger gets at least, at most, and whether a refund right exists."""
    assert result.amount is not None
    floor = result.reduced_amount if result.reduced_amount is not None else result.amount
    return floor, result.amount, len(result.refund)


@settings(max_examples=300, deadline=None)
@given(
    regime=REGIMES,
    cause=st.sampled_from(list(Cause)),
    first=st.integers(-120 * 60, 20 * 3600),
    extra=st.integers(0, 20 * 3600),
)
def test_more_delay_never_lowers_what_is_owed(
    regime: tuple[Any, str, str], cause: Cause, first: int, extra: int
) -> None:
    """Within one regime, a later arrival never gives a smaller amount or loses a refund."""
    rights, route, carrier = regime
    origin, destination = (get_airport(code) for code in route.split("-"))
    scheduled_in = datetime(2025, 7, 15, 16, tzinfo=UTC)

    def owed(delay_seconds: int) -> tuple[int, int, int]:
        facts = ItineraryFacts(
            origin=origin,
            destination=destination,
            flight_date=DAY,
            operating_carrier=carrier,
            scheduled_out=scheduled_in - timedelta(hours=8),
            scheduled_in=scheduled_in,
            actual_in=scheduled_in + timedelta(seconds=delay_seconds),
            cause=cause,
        )
        return payable(rights(facts))

    sooner, later = owed(first), owed(first + extra)
    assert all(a <= b for a, b in zip(sooner, later, strict=True))
