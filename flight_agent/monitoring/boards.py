"""Departure boards for the monitor: where they come from, when a flight takes off as a board
filters it, and finding a watched flight on a board.

A board lists one airport's departures of one airline in a window; the monitor asks one when its
result sets cost less than polling the flights one by one (``FlightMonitor``).
"""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import datetime, timedelta
from typing import Protocol

from flight_agent.models import FlightStatusData
from flight_agent.monitoring.state import WatchState
from flight_agent.providers.interfaces import DepartureBoard

BOARD_MARGIN = timedelta(minutes=5)
"""A board's window reaches this far beyond its flights' scheduled take-offs."""

BOARD_BACKOFF = timedelta(hours=6)
"""After a board cut short, its airport and airline are polled flight by flight this long."""

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


def find_on_board(board: DepartureBoard, state: WatchState) -> FlightStatusData | None:
    """The board's record of the watched flight (operating designator, date and airport),
    as the watch knows it: under its own designator, with the legs it knew."""
    known = state.last_snapshot
    assert known is not None
    idents = {known.ident_iata, known.ident_icao} - {None}
    for record in board.records:
        same_flight = idents & {record.ident_iata, record.ident_icao}
        if (
            same_flight
            and record.flight_date == known.flight_date
            and record.origin.code == known.origin.code
        ):
            return record.model_copy(update={"flight_id": known.flight_id, "legs": known.legs})
    return None
