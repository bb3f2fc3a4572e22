"""The record's phase predicates: one definition of where a flight is, which the poll schedule,
the cache's TTL policy and the change differ all read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from flight_agent.cache import TtlPolicy
from flight_agent.changes import diff_snapshots
from flight_agent.models import FOLLOW_UP_HORIZON, FlightStatus, FlightStatusData
from flight_agent.monitoring import PollSchedule
from tests.monitoring.records import DEPARTURE, NOON, record

NOW = NOON
MINUTE = timedelta(minutes=1)
POLICY = TtlPolicy()
SCHEDULE = PollSchedule()


def en_route(arriving_in: timedelta, **overrides: Any) -> FlightStatusData:
    """Airborne for an hour, its gate arrival ``arriving_in`` after ``NOW``."""
    fields: dict[str, Any] = {
        "status": FlightStatus.EN_ROUTE,
        "actual_out": NOW - timedelta(hours=1),
        "scheduled_in": NOW + arriving_in,
    }
    return record(**(fields | overrides))


@pytest.mark.parametrize(
    ("overrides", "reached"),
    [
        pytest.param({}, (False, False, False, False), id="scheduled"),
        pytest.param({"status": FlightStatus.BOARDING}, (False,) * 4, id="boarding"),
        pytest.param({"status": FlightStatus.DEPARTED}, (True, False, False, False), id="status"),
        pytest.param({"actual_out": NOW}, (True, False, False, False), id="out-status-lagging"),
        pytest.param({"actual_off": NOW}, (True, True, False, False), id="off-without-out"),
        pytest.param({"status": FlightStatus.EN_ROUTE}, (True, True, False, False), id="en-route"),
        pytest.param({"status": FlightStatus.DIVERTED}, (True, True, False, False), id="diverted"),
        pytest.param({"actual_on": NOW}, (True, True, True, False), id="on"),
        pytest.param({"status": FlightStatus.LANDED}, (True, True, True, False), id="landed"),
        pytest.param(
            {"status": FlightStatus.LANDED, "actual_in": NOW}, (True,) * 4, id="in-status-lagging"
        ),
        pytest.param({"status": FlightStatus.ARRIVED}, (True,) * 4, id="arrived"),
    ],
)
def test_each_milestone_implies_the_ones_before(
    overrides: dict[str, Any], reached: tuple[bool, bool, bool, bool]
) -> None:
    """Departed, taken off, landed, arrived: from an actual time or the status, whichever
    comes first, and each implies the earlier ones."""
    flight = record(**overrides)
    assert (
        flight.has_departed,
        flight.has_taken_off,
        flight.has_landed,
        flight.has_arrived,
    ) == reached


@pytest.mark.parametrize(
    ("flight", "near"),
    [
        pytest.param(en_route(46 * MINUTE), False, id="46-min-out"),
        pytest.param(en_route(45 * MINUTE), True, id="45-min-out"),
        pytest.param(en_route(-20 * MINUTE), True, id="overdue"),
        pytest.param(en_route(4 * timedelta(hours=1), actual_on=NOW), True, id="landed-early"),
        pytest.param(en_route(4 * timedelta(hours=1), scheduled_in=None), False, id="no-eta"),
    ],
)
def test_arrival_is_near_from_45_minutes_before_the_gate(
    flight: FlightStatusData, near: bool
) -> None:
    """The one arrival horizon: the schedule polls every 5 minutes and the cache keeps answers
    2 minutes exactly where ``arrival_near`` holds."""
    assert flight.arrival_near(NOW) is near
    assert (SCHEDULE.next_interval(flight, NOW) == SCHEDULE.arrival_interval) is near
    assert (POLICY.fresh_for(flight, NOW) == POLICY.arriving) is near


@pytest.mark.parametrize(
    ("flight", "ends"),
    [
        pytest.param(record(), DEPARTURE + FOLLOW_UP_HORIZON, id="expected-departure"),
        pytest.param(
            record(estimated_out=DEPARTURE + timedelta(hours=5)),
            DEPARTURE + timedelta(hours=5) + FOLLOW_UP_HORIZON,
            id="a-delay-moves-it",
        ),
        pytest.param(en_route(timedelta(hours=3)), NOW + timedelta(hours=15), id="departed"),
        pytest.param(
            record(scheduled_out=None, scheduled_in=None),
            datetime(2026, 11, 30, tzinfo=UTC),
            id="no-times-two-days-after-the-date",
        ),
    ],
)
def test_following_a_flight_without_news_ends_12_hours_after_its_expected_gate_time(
    flight: FlightStatusData, ends: datetime
) -> None:
    """The one stop-polling horizon; without a time, the latest a flight of that date can leave
    (noon UTC the next day, the date's end at UTC-12) plus 12 hours."""
    assert flight.follow_up_ends == ends
    assert not flight.finished_for_polling(ends - MINUTE)
    assert flight.finished_for_polling(ends)
    assert SCHEDULE.next_interval(flight, ends - MINUTE) is not None
    assert SCHEDULE.next_interval(flight, ends) is None


def test_a_flight_at_its_gate_is_finished_for_every_reader() -> None:
    """A gate arrival time with the status still "landed" is arrived for all: no more polls,
    the final freshness, and a moved estimate is no change."""
    at_gate = en_route(-5 * MINUTE, status=FlightStatus.LANDED, actual_in=NOW - MINUTE)
    assert at_gate.finished_for_polling(NOW)
    assert SCHEDULE.next_interval(at_gate, NOW) is None
    assert POLICY.fresh_for(at_gate, NOW) == POLICY.final
    moved = at_gate.model_copy(update={"estimated_in": NOW + timedelta(hours=1)})
    assert diff_snapshots(at_gate, moved, now=NOW) == []


@pytest.mark.parametrize(
    ("overrides", "reported"),
    [
        pytest.param({}, False, id="scheduled"),
        pytest.param({"status": FlightStatus.CANCELLED}, True, id="cancelled"),
        pytest.param({"cancellation_uncertain": True}, True, id="possibly-cancelled"),
    ],
)
def test_a_cancellation_is_reported_by_the_status_or_the_uncertain_flag(
    overrides: dict[str, Any], reported: bool
) -> None:
    """Either is a (provisional) cancellation; the schedule then polls a flight leaving in ten
    hours every 10 minutes rather than every 30."""
    flight = record(scheduled_out=NOW + timedelta(hours=10), **overrides)
    assert flight.cancellation_reported is reported
    interval = SCHEDULE.next_interval(flight, NOW)
    assert interval is not None
    assert (interval <= SCHEDULE.cancellation_interval) is reported
