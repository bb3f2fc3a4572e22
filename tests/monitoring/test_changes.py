"""diff_snapshots: which differences are changes, in which order, and what they carry."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from flight_agent.airports import get_airport
from flight_agent.models import FlightStatus, FlightStatusData
from flight_agent.monitoring import ChangeKind, FlightChange, diff_snapshots
from tests.monitoring.records import ARRIVAL, DEPARTURE, NOON, amend, minutes, record

Row = tuple[ChangeKind, str, str | int | None, str | int | None]


def rows(changes: list[FlightChange]) -> list[Row]:
    return [(change.kind, change.field, change.old, change.new) for change in changes]


def at(offset_minutes: float) -> datetime:
    return NOON + minutes(offset_minutes)


def test_a_scripted_day_yields_exactly_the_expected_changes_in_order() -> None:
    """A flight's snapshots from gate assignment to arrival yield the expected changes only."""
    base = record(registration="G-XWBA")
    script: list[tuple[dict[str, Any], list[Row]]] = [
        (
            {"gate_origin": "A10", "terminal_origin": "5"},
            [
                (ChangeKind.GATE, "gate_origin", None, "A10"),
                (ChangeKind.TERMINAL, "terminal_origin", None, "5"),
            ],
        ),
        (
            {
                "departure_delay_minutes": 40,
                "estimated_out": DEPARTURE + minutes(40),
                "arrival_delay_minutes": 35,
                "estimated_in": ARRIVAL + minutes(35),
            },
            [
                (ChangeKind.DELAY, "departure_delay_minutes", None, 40),
                (ChangeKind.DELAY, "arrival_delay_minutes", None, 35),
                (
                    ChangeKind.ESTIMATED_DEPARTURE,
                    "estimated_out",
                    DEPARTURE.isoformat(),
                    (DEPARTURE + minutes(40)).isoformat(),
                ),
                (
                    ChangeKind.ESTIMATED_ARRIVAL,
                    "estimated_in",
                    ARRIVAL.isoformat(),
                    (ARRIVAL + minutes(35)).isoformat(),
                ),
            ],
        ),
        ({"departure_delay_minutes": 45, "estimated_out": DEPARTURE + minutes(45)}, []),
        (
            {"status": FlightStatus.BOARDING, "gate_origin": "C64"},
            [
                (ChangeKind.STATUS, "status", "scheduled", "boarding"),
                (ChangeKind.GATE, "gate_origin", "A10", "C64"),
            ],
        ),
        (
            {
                "status": FlightStatus.DEPARTED,
                "actual_out": DEPARTURE + minutes(45),
                "estimated_out": DEPARTURE + minutes(45),
            },
            [
                (ChangeKind.DEPARTED, "actual_out", None, (DEPARTURE + minutes(45)).isoformat()),
                (ChangeKind.STATUS, "status", "boarding", "departed"),
            ],
        ),
        (
            {"status": FlightStatus.EN_ROUTE, "actual_off": DEPARTURE + minutes(60)},
            [(ChangeKind.STATUS, "status", "departed", "en_route")],
        ),
        (
            {"gate_destination": "B7", "registration": "G-XWBB"},
            [
                (ChangeKind.GATE, "gate_destination", None, "B7"),
                (ChangeKind.AIRCRAFT, "registration", "G-XWBA", "G-XWBB"),
            ],
        ),
        (
            {"status": FlightStatus.LANDED, "actual_on": ARRIVAL + minutes(20)},
            [
                (ChangeKind.ARRIVED, "actual_on", None, (ARRIVAL + minutes(20)).isoformat()),
                (ChangeKind.STATUS, "status", "en_route", "landed"),
            ],
        ),
        (
            {"status": FlightStatus.ARRIVED, "actual_in": ARRIVAL + minutes(30)},
            [(ChangeKind.STATUS, "status", "landed", "arrived")],
        ),
    ]
    assert diff_snapshots(None, base, now=NOON) == []
    previous = base
    for step, (overrides, expected) in enumerate(script, start=1):
        current = amend(previous, **overrides)
        changes = diff_snapshots(previous, current, now=at(30 * step))
        assert rows(changes) == expected, f"step {step}"
        assert all(change.detected_at == at(30 * step) for change in changes)
        previous = current


@pytest.mark.parametrize(
    ("old", "new", "reported"),
    [
        pytest.param(0, 14, False, id="0-to-14"),
        pytest.param(0, 15, True, id="0-to-15"),
        pytest.param(10, 24, False, id="10-to-24"),
        pytest.param(10, 25, True, id="10-to-25"),
        pytest.param(30, 16, False, id="30-to-16"),
        pytest.param(30, 15, True, id="30-to-15-recovery"),
        pytest.param(None, 14, False, id="unknown-to-14"),
        pytest.param(None, 15, True, id="unknown-to-15"),
        pytest.param(40, None, False, id="40-to-unknown"),
    ],
)
def test_a_delay_change_needs_to_move_by_the_threshold(
    old: int | None, new: int | None, reported: bool
) -> None:
    """Delays that move by less than 15 minutes, or become unknown, are noise."""
    changes = diff_snapshots(
        record(departure_delay_minutes=old), record(departure_delay_minutes=new), now=NOON
    )
    assert bool(changes) is reported
    assert all(change.kind is ChangeKind.DELAY for change in changes)


@pytest.mark.parametrize(
    ("old", "new", "reported"),
    [
        pytest.param(None, 14, False, id="schedule-to-estimate-14-later"),
        pytest.param(None, 15, True, id="schedule-to-estimate-15-later"),
        pytest.param(20, 6, False, id="estimate-14-earlier"),
        pytest.param(20, 5, True, id="estimate-15-earlier"),
        pytest.param(20, None, False, id="estimate-withdrawn-back-to-schedule-20"),
    ],
)
def test_an_estimate_change_needs_to_move_by_the_threshold(
    old: int | None, new: int | None, reported: bool
) -> None:
    """Estimated departure moves under 15 minutes are noise; no estimate means the schedule."""

    def estimated(offset: int | None) -> FlightStatusData:
        return record(estimated_out=None if offset is None else DEPARTURE + minutes(offset))

    changes = diff_snapshots(estimated(old), estimated(new), now=NOON)
    assert [change.kind for change in changes] == (
        [ChangeKind.ESTIMATED_DEPARTURE] if reported else []
    )


def test_the_threshold_is_configurable() -> None:
    """With a 30-minute threshold a 20-minute move is noise and a 30-minute move is not."""
    base = record(departure_delay_minutes=0)
    for delay, expected in ((20, []), (30, [ChangeKind.DELAY])):
        changes = diff_snapshots(
            base, record(departure_delay_minutes=delay), now=NOON, delay_threshold_minutes=30
        )
        assert [change.kind for change in changes] == expected


def test_a_cancellation_is_provisional_and_not_repeated_as_a_status_change() -> None:
    """Scheduled -> cancelled -> scheduled gives provisional cancelled, then uncancelled."""
    scheduled, cancelled = record(), record(status=FlightStatus.CANCELLED)
    down = diff_snapshots(scheduled, cancelled, now=NOON)
    back = diff_snapshots(cancelled, scheduled, now=NOON)
    assert rows(down) == [(ChangeKind.CANCELLED, "status", "scheduled", "cancelled")]
    assert rows(back) == [(ChangeKind.UNCANCELLED, "status", "cancelled", "scheduled")]
    assert down[0].provisional
    assert back[0].provisional
    assert diff_snapshots(cancelled, cancelled, now=NOON) == []


def test_an_uncertain_cancellation_is_reported_as_provisional() -> None:
    """A provider's "possibly cancelled" flag alone is a provisional cancellation."""
    changes = diff_snapshots(record(), record(cancellation_uncertain=True), now=NOON)
    assert rows(changes) == [(ChangeKind.CANCELLED, "cancellation_uncertain", "false", "true")]
    assert changes[0].provisional


def test_a_diversion_is_one_change_naming_the_alternate() -> None:
    """Becoming diverted to BOS is a diverted change only, not also a status change."""
    en_route = record(status=FlightStatus.EN_ROUTE, actual_out=DEPARTURE)
    diverted = amend(en_route, status=FlightStatus.DIVERTED, diverted_to=get_airport("BOS"))
    changes = diff_snapshots(en_route, diverted, now=NOON)
    assert rows(changes) == [(ChangeKind.DIVERTED, "diverted_to", None, "BOS")]
    assert changes[0].message == "BA117 2026-11-28: diverted to BOS"


def test_changes_of_one_poll_come_in_kind_order_departure_side_first() -> None:
    """Many simultaneous changes are ordered by ChangeKind, then departure before arrival."""
    before = record(gate_origin="A1", gate_destination="B1", aircraft_type="B772")
    after = amend(
        before,
        inbound_flight_id="BA116",
        aircraft_type="A35K",
        gate_destination="B2",
        gate_origin="A2",
        arrival_delay_minutes=60,
        departure_delay_minutes=60,
        status=FlightStatus.BOARDING,
    )
    changes = diff_snapshots(before, after, now=NOON)
    assert [(change.kind, change.field) for change in changes] == [
        (ChangeKind.STATUS, "status"),
        (ChangeKind.DELAY, "departure_delay_minutes"),
        (ChangeKind.DELAY, "arrival_delay_minutes"),
        (ChangeKind.GATE, "gate_origin"),
        (ChangeKind.GATE, "gate_destination"),
        (ChangeKind.AIRCRAFT, "aircraft_type"),
        (ChangeKind.INBOUND, "inbound_flight_id"),
    ]


def test_a_value_that_disappears_is_missing_data_not_a_change() -> None:
    """A gate, terminal or registration a provider stops sending is not reported."""
    full = record(gate_origin="A10", terminal_origin="5", registration="G-XWBA")
    assert diff_snapshots(full, record(), now=NOON) == []


def test_departure_is_reported_once_and_ends_estimated_departure_changes() -> None:
    """Off after out is no second departure; a departed flight's estimate is not a change."""
    pushed = record(actual_out=DEPARTURE + minutes(30), estimated_out=DEPARTURE + minutes(30))
    airborne = amend(pushed, actual_off=DEPARTURE + minutes(50))
    moved = amend(airborne, estimated_out=DEPARTURE + minutes(90))
    assert [change.kind for change in diff_snapshots(record(), pushed, now=NOON)] == [
        ChangeKind.DEPARTED
    ]
    assert diff_snapshots(pushed, airborne, now=NOON) == []
    assert diff_snapshots(airborne, moved, now=NOON) == []


def test_a_change_is_frozen_json_friendly_and_has_one_human_line() -> None:
    """A change survives a JSON round trip and its message names the flight on one line."""
    changes = diff_snapshots(record(), record(gate_origin="C64"), now=NOON)
    change = changes[0]
    assert FlightChange.model_validate_json(change.model_dump_json()) == change
    assert change.message == "BA117 2026-11-28: departure gate C64 (was not assigned)"
    assert "\n" not in change.message
    with pytest.raises(ValueError, match="frozen"):
        change.provisional = True  # type: ignore[misc]


def test_a_new_timetable_is_a_schedule_change_not_an_estimate_change() -> None:
    """A scheduled departure moved with no estimate on either side is one schedule change; an
    estimate that moves with it is an estimate change as well."""
    later = DEPARTURE + minutes(180)
    retimed = diff_snapshots(record(), record(scheduled_out=later), now=NOON)
    assert rows(retimed) == [
        (ChangeKind.SCHEDULE, "scheduled_out", DEPARTURE.isoformat(), later.isoformat())
    ]
    estimated = diff_snapshots(record(), record(scheduled_out=later, estimated_out=later), now=NOON)
    assert [change.kind for change in estimated] == [
        ChangeKind.SCHEDULE,
        ChangeKind.ESTIMATED_DEPARTURE,
    ]


def test_a_booking_moved_to_another_airport_is_an_airport_change() -> None:
    """JFK to EWR is reported with both codes, before the time changes."""
    changes = diff_snapshots(record(), record(destination=get_airport("EWR")), now=NOON)
    assert rows(changes) == [(ChangeKind.AIRPORT, "destination", "JFK", "EWR")]
    assert changes[0].message == "BA117 2026-11-28: arrival airport EWR (was JFK)"


def test_arrival_estimates_are_changes_until_the_flight_is_at_its_gate() -> None:
    """Landed and held for a gate: a 20-minute later gate arrival is news; once at the gate
    (``has_arrived``), estimates no longer are."""
    landed = record(
        status=FlightStatus.LANDED,
        actual_out=DEPARTURE,
        actual_on=ARRIVAL - minutes(10),
        estimated_in=ARRIVAL,
    )
    held = amend(landed, estimated_in=ARRIVAL + minutes(20))
    at_gate = amend(held, status=FlightStatus.ARRIVED, actual_in=ARRIVAL + minutes(20))
    assert [change.kind for change in diff_snapshots(landed, held, now=NOON)] == [
        ChangeKind.ESTIMATED_ARRIVAL
    ]
    assert (
        diff_snapshots(at_gate, amend(at_gate, estimated_in=ARRIVAL + minutes(60)), now=NOON) == []
    )
