"""Departure boards in the monitor: flights leaving one airport with one airline together are
answered by one board call when that is cheaper than polling each, and polled alone otherwise."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from flight_agent.airports import get_airport
from flight_agent.clock import FakeClock
from flight_agent.errors import AllProvidersFailedError, ProviderUnavailableError
from flight_agent.flight_query import FlightQuery
from flight_agent.models import FlightStatus, FlightStatusData
from flight_agent.monitoring import ChangeKind
from flight_agent.providers import DepartureBoard, FlightDataProvider, MockFlightDataProvider
from flight_agent.services import EnhancedFlightMonitoringService
from flight_agent.settings import Settings

NOON = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
HALF_HOUR = timedelta(minutes=30)


def departure(number: int, **overrides: Any) -> FlightStatusData:
    """BA{number} LHR-JFK leaving 6 h after noon (one minute apart), as a provider maps it."""
    leaves = NOON + timedelta(hours=6, minutes=number % 60)
    fields: dict[str, Any] = {
        "flight_id": f"BA{number}",
        "ident_iata": f"BA{number}",
        "ident_icao": f"BAW{number}",
        "carrier_iata": "BA",
        "carrier_icao": "BAW",
        "flight_date": NOON.date(),
        "origin": get_airport("LHR"),
        "destination": get_airport("JFK"),
        "scheduled_out": leaves,
        "scheduled_off": leaves + timedelta(minutes=15),
        "scheduled_in": leaves + timedelta(hours=8),
        "status": FlightStatus.SCHEDULED,
        "source": "Fleet",
        "fetched_at": NOON,
    }
    return FlightStatusData(**(fields | overrides))


class Fleet(FlightDataProvider):
    """A provider of a few flights with departure boards, counting its calls."""

    supports_departure_boards = True

    def __init__(self, clock: FakeClock, numbers: range) -> None:
        super().__init__("Fleet", 10, clock=clock)
        self.flights = {f"BA{n}": departure(n) for n in numbers}
        self.fetches = 0
        self.boards: list[dict[str, Any]] = []
        self.board_error: Exception | None = None
        self.board_page = 15

    def change(self, ident: str, **update: Any) -> None:
        self.flights[ident] = self.flights[ident].model_copy(update=update)

    async def _fetch(self, query: FlightQuery) -> FlightStatusData | None:
        self.fetches += 1
        return self.flights.get(query.flight_id)

    async def departure_board(
        self,
        airport: str,
        start: datetime,
        end: datetime,
        *,
        airline: str | None = None,
        max_pages: int = 1,
    ) -> DepartureBoard:
        self.boards.append({"airport": airport, "airline": airline, "max_pages": max_pages})
        if self.board_error is not None:
            raise self.board_error
        listed = [
            record
            for record in self.flights.values()
            if record.origin.icao == airport
            and record.carrier_icao == airline
            and record.actual_off is None
            and record.scheduled_off is not None
            and start <= record.scheduled_off < end
        ]
        shown = listed[: self.board_page * max_pages]
        return DepartureBoard(tuple(shown), pages=max_pages, complete=len(shown) == len(listed))

    async def _probe(self) -> str | None:
        return "fleet"


async def watching(
    count: int, clock: FakeClock, *, only: Iterable[int] | None = None
) -> tuple[Fleet, EnhancedFlightMonitoringService]:
    """A service watching BA1..BA{count} (or ``only`` those of them, the board listing all),
    past its baseline poll, at the next half hour."""
    fleet = Fleet(clock, range(1, count + 1))
    service = EnhancedFlightMonitoringService(
        providers=[fleet], settings=Settings(redis_url=None), clock=clock
    )
    for number in range(1, count + 1) if only is None else only:
        await service.watch(f"BA{number}", NOON.date())
    await service.monitor.poll_due()  # the baseline, from the cache
    fleet.fetches = 0
    clock.set(NOON + HALF_HOUR)
    return fleet, service


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOON)


async def test_flights_leaving_together_are_answered_by_one_board(clock: FakeClock) -> None:
    """Six flights due together: one board call (1 result set), no single polls, and the
    board's news reaches the change feed and the cache."""
    fleet, service = await watching(6, clock)
    fleet.change("BA2", gate_origin="B32")
    changes = await service.monitor.poll_due()
    assert fleet.boards == [{"airport": "EGLL", "airline": "BAW", "max_pages": 1}]
    assert fleet.fetches == 0
    assert [(c.flight_id, c.kind) for c in changes] == [("BA2", ChangeKind.GATE)]
    cached = await service.get_flight_status_with_failover("BA2", NOON.date())
    assert cached is not None
    assert cached.gate_origin == "B32"
    assert fleet.fetches == 0
    stats = service.monitor.stats()
    assert (stats.board_polls, stats.board_pages, stats.polls) == (1, 1, 6)
    await service.aclose()


async def test_a_board_is_asked_for_only_when_cheaper_than_polling_each_flight(
    clock: FakeClock,
) -> None:
    """A result set costs four lookups: four flights are polled one by one."""
    fleet, service = await watching(4, clock)
    await service.monitor.poll_due()
    assert (fleet.boards, fleet.fetches) == ([], 4)
    await service.aclose()


async def test_a_flight_the_board_no_longer_lists_is_polled_on_its_own(clock: FakeClock) -> None:
    """A flight that took off is off the board; its own poll reports the departure."""
    fleet, service = await watching(5, clock)
    fleet.change("BA3", actual_out=NOON + HALF_HOUR, actual_off=NOON + HALF_HOUR)
    changes = await service.monitor.poll_due()
    assert len(fleet.boards) == 1
    assert fleet.fetches == 1
    assert [(c.flight_id, c.kind) for c in changes] == [("BA3", ChangeKind.DEPARTED)]
    await service.aclose()


async def test_a_failing_board_falls_back_to_polling_each_flight(clock: FakeClock) -> None:
    """No board answer: every due flight is polled on its own and nothing is missed."""
    fleet, service = await watching(5, clock)
    fleet.board_error = ProviderUnavailableError("boards down", provider="Fleet")
    fleet.change("BA5", gate_origin="C1")
    changes = await service.monitor.poll_due()
    assert fleet.fetches == 5
    assert [(c.flight_id, c.kind) for c in changes] == [("BA5", ChangeKind.GATE)]
    await service.aclose()


async def test_a_board_too_busy_for_its_flights_goes_back_to_single_polls(
    clock: FakeClock,
) -> None:
    """Nine flights may spend two result sets of three flights: the board is cut short, the
    flights past it are polled alone, and having learned that the board needs three result sets
    for them, the next pass polls all nine alone."""
    fleet, service = await watching(9, clock)
    fleet.board_page = 3
    await service.monitor.poll_due()
    assert [board["max_pages"] for board in fleet.boards] == [2]
    assert fleet.fetches == 3
    clock.advance(HALF_HOUR.total_seconds())
    await service.monitor.poll_due()
    assert (len(fleet.boards), fleet.fetches) == (1, 3 + 9)
    await service.aclose()


async def test_a_board_cut_short_teaches_the_monitor_to_split_its_window(
    clock: FakeClock,
) -> None:
    """The board lists a departure a minute (BA1..BA59), of which the monitor watches two
    clusters of twelve (BA1-12 and BA48-59). One board over both needs six result sets of ten;
    the 24 flights afford five, so the first is cut short. From it the monitor learns the
    board's departures per hour and the page size, and the next pass asks two boards of two
    result sets, one per cluster: both complete, no flight polled alone."""
    fleet, service = await watching(59, clock, only=[*range(1, 13), *range(48, 60)])
    fleet.board_page = 10
    await service.monitor.poll_due()
    assert [board["max_pages"] for board in fleet.boards] == [5]
    assert fleet.fetches == 9  # BA51..BA59, past the five result sets
    planner = service.monitor.boards.planner
    assert planner.page_size == 10
    per_hour = planner.per_hour(("EGLL", "BAW"))
    assert per_hour is not None
    assert 50 <= per_hour <= 70  # one departure a minute
    fleet.boards.clear()
    clock.advance(HALF_HOUR.total_seconds())
    await service.monitor.poll_due()
    assert [board["max_pages"] for board in fleet.boards] == [2, 2]
    assert fleet.fetches == 9
    stats = service.monitor.stats()
    assert (stats.board_polls, stats.board_pages) == (3, 5 + 2 + 2)
    await service.aclose()


async def test_the_service_asks_the_first_usable_provider_with_boards(clock: FakeClock) -> None:
    """Providers without boards are passed over; with none answering, the attempts say why."""
    fleet = Fleet(clock, range(1, 3))
    simulated = MockFlightDataProvider("Simulated", priority=20, clock=clock)
    service = EnhancedFlightMonitoringService(
        providers=[simulated, fleet], settings=Settings(redis_url=None), clock=clock
    )
    board = await service.departure_board(
        "EGLL", NOON, NOON + timedelta(hours=12), airline="BAW", max_pages=1
    )
    assert [record.flight_id for record in board.records] == ["BA1", "BA2"]
    fleet.board_error = ProviderUnavailableError("down", provider="Fleet")
    with pytest.raises(AllProvidersFailedError, match="no provider with departure boards"):
        await service.departure_board("EGLL", NOON, NOON + timedelta(hours=12))
    await service.aclose()


async def test_a_board_that_breaks_unexpectedly_costs_no_poll_and_is_rested(
    clock: FakeClock,
) -> None:
    """A bug behind the board: its flights are polled alone, and the board is not asked again
    in the next pass."""
    fleet, service = await watching(5, clock)
    fleet.board_error = RuntimeError("mapping bug")
    fleet.change("BA4", gate_origin="D7")
    changes = await service.monitor.poll_due()
    assert [(c.flight_id, c.kind) for c in changes] == [("BA4", ChangeKind.GATE)]
    assert fleet.fetches == 5
    clock.advance(HALF_HOUR.total_seconds())
    await service.monitor.poll_due()
    assert (len(fleet.boards), fleet.fetches) == (1, 10)
    await service.aclose()
