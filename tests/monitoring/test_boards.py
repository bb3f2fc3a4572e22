"""Board window planning: a board's departures per hour and the provider's page size are
learned from the boards answered, and windows are sized so each pays and comes back complete."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from flight_agent.models import FlightStatusData
from flight_agent.monitoring import Watch, WatchState
from flight_agent.monitoring.boards import BOARD_MARGIN, BoardPlanner, BoardWindow
from flight_agent.providers import DepartureBoard
from tests.monitoring.records import DAY, DEPARTURE, NOON, minutes, record

BOARD = ("EGLL", "BAW")


def due(*offsets: float) -> list[WatchState]:
    """Watched flights scheduled to take off ``offsets`` minutes after 18:00."""
    return [
        WatchState(
            watch=Watch(flight_id=f"BA{100 + i}", flight_date=DAY),
            created_at=NOON,
            next_due=NOON,
            last_snapshot=record(
                flight_id=f"BA{100 + i}", scheduled_off=DEPARTURE + minutes(offset)
            ),
        )
        for i, offset in enumerate(offsets)
    ]


def listing(count: int, start: datetime, every: timedelta) -> tuple[FlightStatusData, ...]:
    """``count`` board records taking off ``every`` apart from ``start``."""
    return tuple(
        record(flight_id=f"BA{900 + i}", scheduled_off=start + i * every) for i in range(count)
    )


def test_a_board_never_answered_takes_every_flight_and_every_result_set_they_afford() -> None:
    """Nine flights afford two result sets (a set costs four lookups): one window over all."""
    planner = BoardPlanner(page_cost=4)
    [window] = planner.plan(BOARD, due(*range(0, 90, 10)))
    assert (window.pages, len(window.states)) == (2, 9)
    assert window.start == DEPARTURE - BOARD_MARGIN
    assert window.end == DEPARTURE + minutes(80) + BOARD_MARGIN


def test_four_flights_or_fewer_never_pay_for_a_board() -> None:
    """Four lookups cost what one result set costs: no window."""
    assert BoardPlanner(page_cost=4).plan(BOARD, due(0, 1, 2, 3)) == []


def test_a_board_cut_short_teaches_the_page_size_and_the_departures_per_hour() -> None:
    """Two result sets of ten flights, the last taking off 38 min into the window: ten a page,
    20 in 38 min, about 32 an hour."""
    planner = BoardPlanner()
    states = due(*range(0, 90, 10))
    [window] = planner.plan(BOARD, states)
    board = DepartureBoard(listing(20, DEPARTURE - minutes(5), minutes(2)), pages=2, complete=False)
    planner.learn(BOARD, window, board)
    assert planner.page_size == 10
    per_hour = planner.per_hour(BOARD)
    assert per_hour is not None
    assert per_hour == pytest.approx(20 / (38 / 60))


def test_a_busy_board_is_split_into_windows_that_each_pay() -> None:
    """At about 60 departures an hour and ten a page, two clusters of twelve flights (taking
    off half a minute apart) an hour apart take two result sets each; the lone flight between
    them is left to a single poll."""
    planner = BoardPlanner()
    window = BoardWindow(DEPARTURE, DEPARTURE + timedelta(hours=1), 6, ())
    planner.learn(BOARD, window, DepartureBoard(listing(60, DEPARTURE, minutes(1)), 6, False))
    planner.page_size = 10
    cluster = [i / 2 for i in range(12)]
    states = due(*cluster, 35, *(70 + offset for offset in cluster))
    windows = planner.plan(BOARD, states)
    assert [(w.pages, len(w.states)) for w in windows] == [(2, 12), (2, 12)]
    planned = {s.key for w in windows for s in w.states}
    assert {s.key for s in states} - planned == {states[12].key}


def test_a_quiet_board_takes_the_whole_fleet_in_one_window() -> None:
    """A complete board teaches its departures per hour: at two an hour, twenty flights over
    ten hours need two result sets of fifteen."""
    planner = BoardPlanner()
    planner.page_size = 15
    ten_hours = BoardWindow(DEPARTURE, DEPARTURE + timedelta(hours=10), 2, ())
    planner.learn(BOARD, ten_hours, DepartureBoard(listing(20, DEPARTURE, minutes(30)), 2, True))
    assert planner.per_hour(BOARD) == pytest.approx(2.0)
    [window] = planner.plan(BOARD, due(*range(0, 600, 30)))
    assert (window.pages, len(window.states)) == (2, 20)


def test_a_page_cost_below_one_lookup_is_refused() -> None:
    with pytest.raises(ValueError, match="board_page_cost must be at least 1"):
        BoardPlanner(page_cost=0.5)
