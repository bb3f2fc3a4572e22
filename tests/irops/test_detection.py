"""detect_disruptions: every kind beyond the section 5 scenarios, and missing data."""

from __future__ import annotations

from datetime import timedelta

import pytest

from flight_agent.airports import get_airport
from flight_agent.irops import DisruptionKind, Severity, detect_disruptions
from flight_agent.models import FlightStatus, FlightStatusData
from tests.irops.factories import flight, utc

OUT, IN = utc("2025-07-15 12:00"), utc("2025-07-15 20:00")
NOW = utc("2025-07-15 10:00")


def base(**fields: object) -> FlightStatusData:
    """LH400 FRA-JFK, scheduled 12:00Z to 20:00Z."""
    return flight("LH400", "FRA-JFK", "2025-07-15", scheduled_out=OUT, scheduled_in=IN, **fields)


def kinds(
    current: FlightStatusData, previous: FlightStatusData | None = None
) -> list[DisruptionKind]:
    """The kinds detected, in order."""
    return [d.kind for d in detect_disruptions(current, previous, now=NOW)]


def test_first_cancellation_report_is_provisional() -> None:
    """A cancellation seen once may be "no longer tracked": provisional, high, not critical."""
    (cancelled,) = detect_disruptions(base(status=FlightStatus.CANCELLED), now=NOW)
    assert cancelled.kind is DisruptionKind.CANCELLATION
    assert cancelled.provisional
    assert cancelled.severity is Severity.HIGH


def test_cancellation_persisting_ten_minutes_is_confirmed() -> None:
    """Cancelled in two snapshots 10 min apart: confirmed and critical; 9 min is not enough."""
    first = base(status=FlightStatus.CANCELLED, fetched_at=utc("2025-07-15 09:00"))
    for minutes, provisional in ((9, True), (10, False)):
        later = first.model_copy(
            update={"fetched_at": first.fetched_at + timedelta(minutes=minutes)}
        )
        (cancelled,) = detect_disruptions(later, first, now=NOW)
        assert cancelled.provisional is provisional
    assert cancelled.severity is Severity.CRITICAL


def test_uncertain_cancellation_flag_stays_provisional() -> None:
    """A provider's "possible cancellation" is reported, but never as confirmed."""
    record = base(cancellation_uncertain=True)
    (cancelled,) = detect_disruptions(record, record, now=NOW)
    assert cancelled.provisional


def test_cancelled_flight_reports_no_delays() -> None:
    """Once cancelled, stale delay estimates are not reported as well."""
    record = base(status=FlightStatus.CANCELLED, estimated_out=OUT + timedelta(hours=3))
    assert kinds(record) == [DisruptionKind.CANCELLATION]


def test_diversion_names_the_new_airport_and_skips_the_arrival_delay() -> None:
    """Diverted to BOS: a diversion, and no arrival delay at JFK."""
    record = base(
        status=FlightStatus.DIVERTED,
        diverted_to=get_airport("BOS"),
        estimated_in=IN + timedelta(hours=2),
    )
    (diversion,) = detect_disruptions(record, now=NOW)
    assert diversion.kind is DisruptionKind.DIVERSION
    assert diversion.evidence["diverted_to"] == "BOS"
    assert "Diverted to BOS instead of JFK" in diversion.explanation


def test_diversion_back_to_the_origin_is_an_air_turnback() -> None:
    """A diversion whose new destination is the origin is an air turnback."""
    record = base(status=FlightStatus.DIVERTED, diverted_to=get_airport("FRA"))
    assert kinds(record) == [DisruptionKind.AIR_TURNBACK]


@pytest.mark.parametrize(
    ("early", "detected"),
    [
        pytest.param(timedelta(minutes=9, seconds=59), False, id="9m59s"),
        pytest.param(timedelta(minutes=10), True, id="10m00s"),
    ],
)
def test_departure_ten_minutes_early_is_an_early_departure(
    early: timedelta, detected: bool
) -> None:
    """Leaving 10 min or more before schedule is reported; less is tolerated."""
    found = kinds(base(estimated_out=OUT - early))
    assert (found == [DisruptionKind.EARLY_DEPARTURE]) is detected
    assert (found == []) is not detected


def test_reported_delay_minutes_are_used_when_times_are_missing() -> None:
    """With no estimated time, the provider's delay minutes still classify the delay."""
    (delay,) = detect_disruptions(base(departure_delay_minutes=75), now=NOW)
    assert delay.evidence["delay_minutes"] == 75
    assert delay.explanation.endswith("(as reported).")


def test_return_to_gate_is_seen_when_a_new_pushback_follows_the_first() -> None:
    """Out at 12:05, then a new out at 13:00 without take-off: return to gate."""
    first = base(actual_out=OUT + timedelta(minutes=5))
    second = base(actual_out=OUT + timedelta(hours=1))
    assert DisruptionKind.RETURN_TO_GATE in kinds(second, first)


def test_taken_off_flight_is_not_a_return_to_gate() -> None:
    """A new out time after take-off is a data correction, not a return to gate."""
    first = base(actual_out=OUT + timedelta(minutes=5))
    second = base(actual_out=OUT + timedelta(minutes=7), actual_off=OUT + timedelta(minutes=20))
    assert DisruptionKind.RETURN_TO_GATE not in kinds(second, first)


def test_gate_change_hours_ahead_is_low_priority_and_first_assignment_counts() -> None:
    """A gate change 2 h before departure is medium, 4 h before low; a first gate is a change
    too (the traveller has to get there), rated the same way."""
    before = base(gate_origin="B20")
    (change,) = detect_disruptions(base(gate_origin="B44"), before, now=OUT - timedelta(hours=2))
    assert change.severity is Severity.MEDIUM
    (change,) = detect_disruptions(base(gate_origin="B44"), before, now=OUT - timedelta(hours=4))
    assert change.severity is Severity.LOW
    (first,) = detect_disruptions(base(gate_origin="B44"), base(), now=OUT - timedelta(minutes=40))
    assert (first.kind, first.severity) == (DisruptionKind.GATE_CHANGE, Severity.HIGH)
    assert first.explanation == "Departure gate B44 assigned, 40 min before departure."


def test_arrival_terminal_change_is_reported_against_arrival_time() -> None:
    """Arrival terminal 1 to 4 is a terminal change, timed against the arrival."""
    (change,) = detect_disruptions(
        base(terminal_destination="4"),
        base(terminal_destination="1"),
        now=IN - timedelta(minutes=30),
    )
    assert change.kind is DisruptionKind.TERMINAL_CHANGE
    assert change.severity is Severity.CRITICAL
    assert "30 min before arrival" in change.explanation


def test_schedule_moved_three_hours_later_is_a_high_schedule_change() -> None:
    """A scheduled departure moved 3 h later (DOT significant domestically) is high."""
    (change,) = detect_disruptions(
        base().model_copy(update={"scheduled_out": OUT + timedelta(hours=3)}), base(), now=NOW
    )
    assert change.kind is DisruptionKind.SCHEDULE_CHANGE
    assert change.severity is Severity.HIGH
    assert change.evidence["shift_minutes"] == 180
    assert "moved later by 3 h 00" in change.explanation


def test_small_schedule_change_is_low() -> None:
    """A 5 min retiming is reported, at low severity."""
    (change,) = detect_disruptions(
        base().model_copy(update={"scheduled_in": IN - timedelta(minutes=5)}), base(), now=NOW
    )
    assert (change.severity, change.evidence["shift_minutes"]) == (Severity.LOW, -5)


def test_aircraft_type_swap_is_medium_and_tail_swap_low() -> None:
    """A new type may change seats (medium); a new tail of the same type is low."""
    before = base(registration="D-AIXA", aircraft_type="A359")
    (swap,) = detect_disruptions(base(registration="D-AIXB", aircraft_type="A359"), before, now=NOW)
    assert (swap.kind, swap.severity) == (DisruptionKind.AIRCRAFT_SWAP, Severity.LOW)
    (swap,) = detect_disruptions(base(registration="D-ABYA", aircraft_type="B748"), before, now=NOW)
    assert swap.severity is Severity.MEDIUM
    assert swap.evidence["previous_aircraft_type"] == "A359"


def test_airport_change_is_high() -> None:
    """A booking moved from JFK to EWR is an airport change."""
    moved = base().model_copy(update={"destination": get_airport("EWR")})
    (change,) = detect_disruptions(moved, base(), now=NOW)
    assert change.kind is DisruptionKind.AIRPORT_CHANGE
    assert change.evidence == {"destination": "EWR", "previous_destination": "JFK"}


def test_record_with_no_times_at_all_raises_nothing() -> None:
    """A bare record (no times, no delays) is not a disruption and does not fail."""
    bare = flight("XX1", "FRA-JFK", "2025-07-15")
    assert detect_disruptions(bare, bare, now=NOW) == []


def test_arrival_tarmac_hold_counts_from_touchdown() -> None:
    """Landed but not at the gate for 1 h 10: an arrival tarmac delay at JFK."""
    landed = base(actual_on=utc("2025-07-15 19:50"), status=FlightStatus.LANDED)
    (tarmac,) = detect_disruptions(landed, now=utc("2025-07-15 21:00"))
    assert tarmac.kind is DisruptionKind.TARMAC_DELAY
    assert tarmac.evidence["phase"] == "arrival"
    assert "since touchdown" in tarmac.explanation


def test_short_taxi_is_not_a_tarmac_delay() -> None:
    """Under an hour between pushback and take-off is ordinary taxiing."""
    pushed = base(actual_out=OUT)
    assert detect_disruptions(pushed, now=OUT + timedelta(minutes=59)) == []
    (tarmac,) = detect_disruptions(pushed, now=OUT + timedelta(hours=1))
    assert tarmac.severity is Severity.LOW
