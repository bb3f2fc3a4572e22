"""PollSchedule: the interval table, boundary clamping, stopping, and what it costs."""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import pairwise
from typing import Any

import pytest

from flight_agent.models import FlightStatus, FlightStatusData
from flight_agent.monitoring import PollSchedule
from tests.monitoring.records import NOON, minutes, record

HOUR = timedelta(hours=1)
SCHEDULE = PollSchedule()


def leaving_in(left: timedelta, **overrides: Any) -> FlightStatusData:
    """A flight whose departure is ``left`` after NOON and which flies two hours."""
    fields: dict[str, Any] = {"scheduled_out": NOON + left, "scheduled_in": NOON + left + 2 * HOUR}
    return record(**(fields | overrides))


def arriving_in(left: timedelta, **overrides: Any) -> FlightStatusData:
    """A flight that left the gate an hour ago and arrives ``left`` after NOON."""
    fields: dict[str, Any] = {
        "scheduled_out": NOON - HOUR,
        "actual_out": NOON - HOUR,
        "status": FlightStatus.EN_ROUTE,
        "scheduled_in": NOON + left,
    }
    return record(**(fields | overrides))


@pytest.mark.parametrize(
    ("snapshot", "expected"),
    [
        pytest.param(None, minutes(15), id="no-record-yet"),
        pytest.param(record(scheduled_out=None, scheduled_in=None), minutes(15), id="no-times"),
        pytest.param(leaving_in(72 * HOUR), minutes(30), id="far-3-days"),
        pytest.param(
            leaving_in(24 * HOUR + minutes(10)), minutes(10), id="far-clamped-to-24h-boundary"
        ),
        pytest.param(leaving_in(24 * HOUR), minutes(30), id="day-at-24h"),
        pytest.param(leaving_in(10 * HOUR), minutes(30), id="day-10h"),
        pytest.param(leaving_in(3 * HOUR + minutes(10)), minutes(10), id="day-clamped-to-3h"),
        pytest.param(leaving_in(3 * HOUR), minutes(5), id="final-at-3h"),
        pytest.param(leaving_in(HOUR), minutes(5), id="final-1h"),
        pytest.param(leaving_in(-minutes(30)), minutes(5), id="departure-overdue"),
        pytest.param(
            leaving_in(2 * HOUR, estimated_out=NOON + 5 * HOUR),
            minutes(30),
            id="estimate-moves-the-window",
        ),
        pytest.param(arriving_in(4 * HOUR), minutes(30), id="en-route"),
        pytest.param(arriving_in(HOUR), minutes(15), id="en-route-clamped-to-45m"),
        pytest.param(arriving_in(minutes(45)), minutes(5), id="arrival-at-45m"),
        pytest.param(arriving_in(-minutes(20)), minutes(5), id="arrival-overdue"),
        pytest.param(
            arriving_in(2 * HOUR, actual_on=NOON, status=FlightStatus.LANDED),
            minutes(5),
            id="landed-taxiing-in",
        ),
        pytest.param(arriving_in(HOUR, scheduled_in=None), minutes(30), id="en-route-no-eta"),
        pytest.param(
            arriving_in(4 * HOUR, actual_out=None), minutes(30), id="en-route-by-status-only"
        ),
        pytest.param(
            leaving_in(10 * HOUR, status=FlightStatus.CANCELLED),
            minutes(10),
            id="cancel-pending-far",
        ),
        pytest.param(
            leaving_in(HOUR, cancellation_uncertain=True), minutes(5), id="cancel-pending-final"
        ),
        pytest.param(arriving_in(-HOUR, actual_in=NOON), None, id="arrived-at-gate"),
        pytest.param(arriving_in(HOUR, status=FlightStatus.ARRIVED), None, id="arrived-status"),
        pytest.param(leaving_in(-12 * HOUR), None, id="gave-up-12h-after-departure"),
        pytest.param(arriving_in(-12 * HOUR), None, id="gave-up-12h-after-arrival"),
    ],
)
def test_the_interval_table(snapshot: FlightStatusData | None, expected: timedelta | None) -> None:
    """Each phase gets its documented interval, clamped at the next phase boundary."""
    assert SCHEDULE.next_interval(snapshot, NOON) == expected


def test_a_confirmed_cancellation_stops_polling() -> None:
    """Once the debouncer confirmed the cancellation there is nothing left to watch."""
    cancelled = leaving_in(HOUR, status=FlightStatus.CANCELLED)
    assert SCHEDULE.next_interval(cancelled, NOON, cancellation_confirmed=True) is None


def test_every_field_can_be_overridden() -> None:
    """A custom table is used as given."""
    schedule = PollSchedule(final_window=2 * HOUR, final_interval=minutes(2), day_interval=HOUR)
    assert schedule.next_interval(leaving_in(150 * minutes(1)), NOON) == minutes(30)
    assert schedule.next_interval(leaving_in(2 * HOUR), NOON) == minutes(2)
    assert schedule.next_interval(leaving_in(10 * HOUR), NOON) == HOUR
    sparse_far = PollSchedule(far_interval=6 * HOUR)
    assert sparse_far.next_interval(leaving_in(72 * HOUR), NOON) == 6 * HOUR
    assert sparse_far.next_interval(leaving_in(26 * HOUR), NOON) == 2 * HOUR


def test_polls_fall_on_the_interval_grid_so_flights_share_them() -> None:
    """Flights polled at different moments fall due together on the grid of their interval
    (counted from the epoch), never later than the interval; a boundary clamp is kept."""
    first = SCHEDULE.next_poll(leaving_in(10 * HOUR), NOON + minutes(7))
    second = SCHEDULE.next_poll(leaving_in(12 * HOUR), NOON + minutes(21))
    assert first == second == NOON + minutes(30)
    assert SCHEDULE.next_poll(leaving_in(HOUR), NOON + minutes(2)) == NOON + minutes(5)
    assert SCHEDULE.next_poll(leaving_in(3 * HOUR + minutes(10)), NOON) == NOON + minutes(10)
    assert SCHEDULE.next_poll(arriving_in(-HOUR, actual_in=NOON), NOON) is None
    boundary = NOON + 3 * HOUR + minutes(17) + timedelta(seconds=23)
    off_grid = leaving_in(boundary - NOON + 3 * HOUR)
    assert SCHEDULE.next_poll(off_grid, NOON + 3 * HOUR) == boundary


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        pytest.param(
            {"final_window": 24 * HOUR}, "shorter than far_window", id="windows-do-not-nest"
        ),
        pytest.param({"final_interval": timedelta(0)}, "greater than 0", id="zero-interval"),
    ],
)
def test_unsafe_tables_are_refused(overrides: dict[str, Any], error: str) -> None:
    """Windows must nest and every interval must be positive."""
    with pytest.raises(ValueError, match=error):
        PollSchedule(**overrides)


def simulate(watch_from: timedelta, block: timedelta) -> list[datetime]:
    """Poll one flight from ``watch_from`` before departure until the schedule stops.

    The flight leaves on time at ``departure`` and arrives ``block`` later; each poll sees the
    actual times that have happened by then.
    """
    departure = NOON + 48 * HOUR
    arrival = departure + block
    now = departure - watch_from
    polls: list[datetime] = []
    interval: timedelta | None = timedelta(0)
    while interval is not None:
        now += interval
        polls.append(now)
        snapshot = record(
            scheduled_out=departure,
            scheduled_in=arrival,
            actual_out=departure if now >= departure else None,
            actual_in=arrival if now >= arrival else None,
        )
        interval = SCHEDULE.next_interval(snapshot, now)
    return polls


def longest_gap(polls: list[datetime], start: datetime, end: datetime) -> timedelta:
    """The longest wait a change between ``start`` and ``end`` can have until the next poll."""
    covering = [
        later - earlier for earlier, later in pairwise(polls) if later > start and earlier < end
    ]
    return max(covering)


def test_changes_are_seen_within_5_minutes_late_and_30_minutes_earlier() -> None:
    """Polls are at most 5 min apart in the last 3 h and 30 min apart before that."""
    polls = simulate(watch_from=48 * HOUR, block=2 * HOUR)
    departure = NOON + 48 * HOUR
    assert longest_gap(polls, departure - 3 * HOUR, departure) == minutes(5)
    assert longest_gap(polls, departure - 48 * HOUR, departure - 3 * HOUR) == minutes(30)
    assert departure - 3 * HOUR in polls
    assert departure - 24 * HOUR in polls


@pytest.mark.parametrize(
    ("watch_from", "block", "calls", "fixed_calls"),
    [
        pytest.param(48 * HOUR, 2 * HOUR, 139, 600, id="48h-ahead-2h-block"),
        pytest.param(24 * HOUR, 2 * HOUR, 91, 312, id="24h-ahead-2h-block"),
        pytest.param(48 * HOUR, 8 * HOUR, 151, 672, id="48h-ahead-8h-block"),
    ],
)
def test_what_a_flight_costs_against_a_fixed_5_minute_poller(
    watch_from: timedelta, block: timedelta, calls: int, fixed_calls: int
) -> None:
    """The call counts quoted in PollSchedule's docstring; polling stops at arrival."""
    polls = simulate(watch_from, block)
    arrival = NOON + 48 * HOUR + block
    assert polls[-1] >= arrival
    assert polls[-1] - arrival < minutes(5)
    assert len(polls) == calls
    assert (watch_from + block) // minutes(5) == fixed_calls


def test_a_pushed_flight_is_polled_every_alert_interval_far_from_its_milestones() -> None:
    assert SCHEDULE.next_poll(leaving_in(10 * HOUR), NOON, pushed=True) == NOON + 2 * HOUR


@pytest.mark.parametrize(
    ("snapshot", "checkpoint"),
    [
        pytest.param(leaving_in(HOUR), NOON + HOUR + minutes(4), id="departure"),
        pytest.param(arriving_in(HOUR), NOON + HOUR + minutes(4), id="arrival"),
    ],
)
def test_a_pushed_flight_is_polled_just_after_its_next_milestone(
    snapshot: FlightStatusData, checkpoint: datetime
) -> None:
    assert SCHEDULE.next_poll(snapshot, NOON, pushed=True) == checkpoint


def test_a_pushed_flights_safety_net_falls_on_the_tables_grid() -> None:
    """Pushed flights leaving together fall due together, so they can share a board."""
    due = SCHEDULE.next_poll(leaving_in(10 * HOUR), NOON + minutes(7), pushed=True)
    assert due == NOON + 2 * HOUR  # 14:07 moved back to the 30-minute grid


STRICT = PollSchedule.with_safety_net("strict")


@pytest.mark.parametrize(
    ("snapshot", "now", "due"),
    [
        pytest.param(leaving_in(10 * HOUR), NOON + minutes(7), NOON + minutes(30), id="day"),
        pytest.param(leaving_in(2 * HOUR), NOON + minutes(7), NOON + minutes(10), id="final"),
        pytest.param(
            leaving_in(3 * HOUR + minutes(10)), NOON, NOON + minutes(10), id="final-window-starts"
        ),
    ],
)
def test_the_strict_safety_net_keeps_the_tables_bounds_before_departure(
    snapshot: FlightStatusData, now: datetime, due: datetime
) -> None:
    """A lost delay or gate-change push leaves no trace, so only these bounds catch it."""
    assert STRICT.next_poll(snapshot, now, pushed=True) == due


def test_the_lean_safety_net_does_not_tighten_in_the_final_window() -> None:
    assert SCHEDULE.next_poll(leaving_in(2 * HOUR + minutes(30)), NOON, pushed=True) == (
        NOON + 2 * HOUR
    )


def test_a_milestone_is_overdue_once_its_grace_passed_without_it() -> None:
    flight = leaving_in(-minutes(4))
    assert SCHEDULE.push_overdue(flight, NOON)
    assert not SCHEDULE.push_overdue(flight, NOON - minutes(1))
    assert not SCHEDULE.push_overdue(arriving_in(HOUR), NOON)
