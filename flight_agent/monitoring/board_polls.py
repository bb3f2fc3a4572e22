"""Answering due flights from departure boards: which board can answer a flight, the windows
worth asking for, the call itself, and when an airport and airline go back to single polls.

Flights that fall due together, have not taken off and leave one airport with one airline can
be answered by one departure board (``EnhancedFlightMonitoringService.departure_board``) when a
provider has boards: one call instead of one per flight. A board's result set is dearer than one
flight's lookup (AeroAPI: $0.020 against $0.005, ``board_page_cost`` 4), so a board is asked for
only when it is cheaper than the polls it replaces, and for no more result sets than keep it so:
``BoardPlanner`` learns each board's departures per hour and the provider's page size from the
boards it is answered, and splits the flights due together into windows that each come back
complete. A flight no window pays for, or that its board does not list (it left, or the board
was cut short), is polled on its own. A board that fails, or misses most of its flights, sends its
airport and airline back to single polls for ``BOARD_BACKOFF``.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from flight_agent.clock import Clock
from flight_agent.errors import FlightDataError
from flight_agent.models import FlightStatusData
from flight_agent.monitoring.boards import (
    BOARD_BACKOFF,
    BoardIndex,
    BoardKey,
    BoardPlanner,
    BoardSource,
    BoardWindow,
    takeoff_window,
)
from flight_agent.monitoring.state import WatchState
from flight_agent.providers.interfaces import DepartureBoard

logger = logging.getLogger(__name__)


class BoardPolls:
    """The monitor's departure boards: planning, calling and learning.

    Args:
        source: Where boards come from; None answers every flight on its own.
        page_cost: What one board result set costs, counted in single-flight lookups.
        clock: Time source of the back-off.
    """

    def __init__(self, source: BoardSource | None, page_cost: float, clock: Clock) -> None:
        self.planner = BoardPlanner(page_cost)
        self.calls = 0
        self.pages = 0
        self._source = source
        self._clock = clock
        self._backoff: dict[BoardKey, datetime] = {}

    def split(
        self, due: Sequence[WatchState], now: datetime
    ) -> tuple[list[tuple[BoardKey, BoardWindow]], list[WatchState]]:
        """The board windows worth asking for the flights ``due``, and the flights to poll
        on their own."""
        grouped: defaultdict[BoardKey, list[WatchState]] = defaultdict(list)
        singles: list[WatchState] = []
        for state in due:
            key = self._key(state, now)
            if key is None:
                singles.append(state)
            else:
                grouped[key].append(state)
        windows: list[tuple[BoardKey, BoardWindow]] = []
        for key, states in grouped.items():
            planned: set[str] = set()
            for window in self.planner.plan(key, states):
                planned.update(state.key for state in window.states)
                windows.append((key, window))
            singles += [state for state in states if state.key not in planned]
        return windows, singles

    def pays(self, window: BoardWindow, claimed: int) -> bool:
        """Whether the window still pays for the ``claimed`` flights of it (another worker
        may have taken some)."""
        return window.pages <= self.planner.affordable(claimed)

    async def fetch(self, key: BoardKey, window: BoardWindow) -> DepartureBoard | None:
        """The departure board of the planned window, or None when none answered."""
        assert self._source is not None
        airport, airline = key
        try:
            board = await self._source(
                airport, window.start, window.end, airline=airline, max_pages=window.pages
            )
        except Exception as error:
            # Whatever went wrong, the flights are polled alone; a failing board is not
            # asked again for a while.
            self._backoff[key] = self._clock.now() + BOARD_BACKOFF
            if isinstance(error, FlightDataError):
                logger.info("departure board of %s at %s unavailable: %s", airline, airport, error)
            else:
                logger.exception("departure board of %s at %s failed", airline, airport)
            return None
        self.calls += 1
        self.pages += board.pages
        self.planner.learn(key, window, board)
        return board

    def listed(
        self, key: BoardKey, board: DepartureBoard | None, claimed: Sequence[WatchState]
    ) -> dict[str, FlightStatusData | None]:
        """Each claimed flight's record on the board (None: not listed, or no board)."""
        if board is None:
            return {}
        index = BoardIndex(board)
        listed = {state.key: index.find(state) for state in claimed}
        if board.complete and 2 * list(listed.values()).count(None) > len(claimed):
            # A complete board that misses most of its flights (codeshares, say) costs more
            # than it saves: poll these flights alone for a while.
            self._backoff[key] = self._clock.now() + BOARD_BACKOFF
        return listed

    def _key(self, state: WatchState, now: datetime) -> BoardKey | None:
        """The board that can answer this flight's poll, or None to poll it on its own."""
        record = state.last_snapshot
        if self._source is None or record is None or record.has_departed:
            return None
        if record.cancellation_reported:
            return None  # the debounce wants this flight's own answer
        if record.origin.icao is None or record.carrier_icao is None:
            return None
        if takeoff_window(record) is None:
            return None
        key = (record.origin.icao, record.carrier_icao)
        return None if self._backoff.get(key, now) > now else key
