"""Departure boards for the monitor: where they come from, when a flight takes off as a board
filters it, how big a board's windows should be, and finding a watched flight on a board.

A board lists one airport's departures of one airline in a window; the monitor asks one when its
result sets cost less than polling the flights one by one (``FlightMonitor``). How many result
sets a window takes depends on how busy the board is, which the monitor cannot know beforehand:
``BoardPlanner`` learns each board's departures per hour (and the provider's page size) from the
boards it is answered, and splits the flights due together into windows that each fit the
result sets they can afford, so boards come back complete at any fleet size. It is hand-written
because it is the monitor's own cost model; nothing in the libraries plans paged queries.
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol

from flight_agent.models import FlightStatusData
from flight_agent.monitoring.state import WatchState
from flight_agent.providers.interfaces import DepartureBoard

BOARD_MARGIN = timedelta(minutes=5)
"""A board's window reaches this far beyond its flights' scheduled take-offs."""

BOARD_BACKOFF = timedelta(hours=6)
"""After a board failed or missed most of its flights, its airport and airline are polled
flight by flight this long."""

_HOUR = timedelta(hours=1)

BoardKey = tuple[str, str]
"""A departure board: the airport's ICAO code and the operating airline's ICAO code."""


class BoardSource(Protocol):
    """Where departure boards come from (``EnhancedFlightMonitoringService.departure_board``)."""

    def __call__(
        self,
        airport: str,
        start: datetime,
        end: datetime,
        *,
        airline: str | None = None,
        max_pages: int = 1,
    ) -> Awaitable[DepartureBoard]: ...


def takeoff_window(record: FlightStatusData | None) -> tuple[datetime, datetime] | None:
    """When the flight is scheduled to take off, as a board filters it: the scheduled take-off,
    else the hour after the scheduled gate departure."""
    if record is None:
        return None
    if record.scheduled_off is not None:
        return record.scheduled_off, record.scheduled_off
    if record.scheduled_out is not None:
        return record.scheduled_out, record.scheduled_out + timedelta(hours=1)
    return None


_Listing = tuple[str, date, str]
"""A board record's identity: a designator (IATA or ICAO), its date and its origin's code."""


class BoardIndex:
    """A board's records by designator, date and origin, so each watched flight is found in
    O(1) however long the board."""

    def __init__(self, board: DepartureBoard) -> None:
        self._records: dict[_Listing, FlightStatusData] = {}
        for record in board.records:
            for ident in (record.ident_iata, record.ident_icao):
                if ident is not None:
                    listing = (ident, record.flight_date, record.origin.code)
                    self._records.setdefault(listing, record)

    def find(self, state: WatchState) -> FlightStatusData | None:
        """The board's record of the watched flight (operating designator, date and airport),
        as the watch knows it: under its own designator, with the legs it knew."""
        known = state.last_snapshot
        assert known is not None
        for ident in (known.ident_iata, known.ident_icao):
            if ident is None:
                continue
            record = self._records.get((ident, known.flight_date, known.origin.code))
            if record is not None:
                update = {"flight_id": known.flight_id, "legs": known.legs}
                return record.model_copy(update=update)
        return None


@dataclass(frozen=True, slots=True)
class BoardWindow:
    """One board call the planner chose: its window, the result sets it may take, its flights."""

    start: datetime
    end: datetime
    pages: int
    states: tuple[WatchState, ...]


@dataclass(slots=True)
class BoardLoad:
    """What the planner learned of one board: departures listed per hour (None: not yet)."""

    per_hour: float | None = None


class BoardPlanner:
    """Learns how busy each board is and plans board windows that come back complete.

    Args:
        page_cost: What one result set costs, in single-flight lookups (at least 1).

    A window of ``h`` hours of a board listing ``r`` departures an hour needs
    ``ceil(r * h / page_size)`` result sets; it pays when those cost less than polling its
    watched flights one by one. Until a board has answered, its listings are taken to be the
    watched flights themselves, and until a provider has cut a board short, its page size is
    unknown: the window then takes every result set its flights can afford, and what comes back
    teaches both.
    """

    def __init__(self, page_cost: float = 4.0) -> None:
        if page_cost < 1:
            raise ValueError("board_page_cost must be at least 1")
        self.page_cost = page_cost
        self.page_size: int | None = None
        self._loads: dict[BoardKey, BoardLoad] = {}

    def affordable(self, flights: int) -> int:
        """The most result sets a board may take to stay cheaper than polling ``flights``
        flights one by one (0: polling them is cheaper)."""
        return math.ceil(flights / self.page_cost) - 1

    def per_hour(self, key: BoardKey) -> float | None:
        """The board's learned departures per hour (None before its first answer)."""
        load = self._loads.get(key)
        return None if load is None else load.per_hour

    def plan(self, key: BoardKey, states: Sequence[WatchState]) -> list[BoardWindow]:
        """Board windows answering as many of ``states`` as pays; the flights left out of
        every window are to be polled one by one. Flights without a take-off window are left
        out."""
        timed = sorted(
            (
                (window, state)
                for state in states
                if (window := takeoff_window(state.last_snapshot))
            ),
            key=lambda item: item[0][0],
        )
        windows: list[BoardWindow] = []
        first = 0
        while first < len(timed):
            # The largest window from this flight that pays. A longer window never needs fewer
            # result sets, so once it needs more than all the flights left could afford, stop.
            most = self.affordable(len(timed) - first)
            start = timed[first][0][0] - BOARD_MARGIN
            end = start
            best: tuple[int, datetime, int] | None = None  # last flight, window end, pages
            for last in range(first, len(timed)):
                end = max(end, timed[last][0][1] + BOARD_MARGIN)
                flights = last - first + 1
                pages = self._pages(key, start, end, flights)
                if pages > most:
                    break
                if 1 <= pages <= self.affordable(flights):
                    best = (last, end, pages)
            if best is None:
                first += 1
                continue
            last, end, pages = best
            chosen = tuple(state for _, state in timed[first : last + 1])
            windows.append(BoardWindow(start, end, pages, chosen))
            first = last + 1
        return windows

    def learn(self, key: BoardKey, window: BoardWindow, board: DepartureBoard) -> None:
        """Take in what one board call showed: how many departures an hour it lists and,
        when it was cut short, how many flights a result set holds."""
        records = len(board.records)
        covered = window.end - window.start
        if not board.complete and board.pages >= 1 and records:
            self.page_size = max(self.page_size or 0, records // board.pages)
            takeoffs = [r.scheduled_off for r in board.records if r.scheduled_off is not None]
            if takeoffs:
                covered = max(max(takeoffs) - window.start, BOARD_MARGIN)
        seen = records / (covered / _HOUR)
        load = self._loads.setdefault(key, BoardLoad())
        load.per_hour = seen if load.per_hour is None else (load.per_hour + seen) / 2

    def _pages(self, key: BoardKey, start: datetime, end: datetime, flights: int) -> int:
        """The result sets a window is expected to take; every affordable one while the board's
        load or the page size is unknown."""
        per_hour = self.per_hour(key)
        if per_hour is None or self.page_size is None:
            return self.affordable(flights)
        listed = max(flights, per_hour * ((end - start) / _HOUR))
        return max(1, math.ceil(listed / self.page_size))
