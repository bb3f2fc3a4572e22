"""The provider interface every flight-data source implements, and its result types.

A provider answers "status of flight X on local date D": a ``FlightStatusData``, ``None`` when
it knows no such flight, or a ``FlightDataError``. It does not retry; retries and failover live
in one layer above it (``FailoverManager``).
"""

from __future__ import annotations

import asyncio
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from types import TracebackType
from typing import ClassVar, Self

from flight_agent.clock import SYSTEM_CLOCK, Clock
from flight_agent.errors import (
    FlightDataError,
    FlightDateOutOfRangeError,
    UnsupportedCapabilityError,
)
from flight_agent.flight_query import FlightQuery, QueryLike, parse_queries
from flight_agent.models import FlightStatus, FlightStatusData, ScheduledFlight
from flight_agent.outcomes import gather_outcomes
from flight_agent.providers.alerts import AlertApi
from flight_agent.providers.metrics import ProviderMetrics

__all__ = [
    "DepartureBoard",
    "FlightDataProvider",
    "FlightStatus",
    "FlightStatusData",
    "ProviderHealth",
    "QueryOutcome",
]


@dataclass(frozen=True, slots=True)
class QueryOutcome:
    """What one query of a batch came to: a record, ``None`` (not found), or an error."""

    query: FlightQuery
    result: FlightStatusData | None = None
    error: FlightDataError | None = None

    @property
    def ok(self) -> bool:
        """True when the provider answered (found or definitely not found)."""
        return self.error is None

    @classmethod
    async def gather(
        cls,
        queries: Sequence[FlightQuery],
        fetch: Callable[[FlightQuery], Awaitable[FlightStatusData | None]],
    ) -> list[QueryOutcome]:
        """``fetch`` every query concurrently: one outcome per query, in order; a failing
        query does not affect the others."""
        answers = await gather_outcomes(queries, fetch)
        return [
            cls(query, error=answer) if isinstance(answer, FlightDataError) else cls(query, answer)
            for query, answer in zip(queries, answers, strict=True)
        ]


@dataclass(frozen=True, slots=True)
class DepartureBoard:
    """The flights one provider lists as leaving an airport in a window.

    Attributes:
        records: The flights, each as ``fetch`` would map it (``flight_id`` is the operating
            designator, ``legs`` only the one departing this airport).
        pages: Result sets the provider returned (what a per-page price bills).
        complete: False when the provider had more pages than were asked for.
    """

    records: tuple[FlightStatusData, ...]
    pages: int
    complete: bool


@dataclass(frozen=True, slots=True)
class ProviderHealth:
    """The result of one health probe."""

    provider: str
    healthy: bool
    checked_at: datetime
    latency_ms: float | None = None
    detail: str | None = None


class FlightDataProvider(ABC):
    """A source of flight status.

    Subclasses implement ``_fetch`` (one validated query) and ``_probe`` (a cheap liveness
    call); this base validates input, checks the date range before any request, records
    metrics, bounds batch concurrency and manages the async context.

    Args:
        name: Display name, used in logs, errors and provenance.
        priority: Higher is tried first by the failover manager.
        max_concurrency: At most this many requests in flight for a batch.
        clock: Time source for metrics and date ranges.
    """

    supports_lookup_by_id: ClassVar[bool] = False
    """Whether ``get_flight_by_id`` works (e.g. to follow an ``inbound_flight_id``)."""
    supports_schedules: ClassVar[bool] = False
    """Whether ``find_flights`` works (published schedules, for alternative flights)."""
    supports_departure_boards: ClassVar[bool] = False
    """Whether ``departure_board`` works (an airport's departures, one call for many flights)."""
    supports_alerts: ClassVar[bool] = False
    """Whether ``alerts()`` works (push alerts: the provider calls back when a flight moves)."""
    answers_locally: ClassVar[bool] = False
    """Whether answers come from this process, not a remote service (the simulated world): a
    call costs no upstream request, so a request's ``max_attempts`` never keeps it unasked."""

    def __init__(
        self,
        name: str,
        priority: int = 0,
        *,
        max_concurrency: int = 8,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        if max_concurrency < 1:
            raise ValueError("max_concurrency must be at least 1")
        self.name = name
        self.priority = priority
        self.max_concurrency = max_concurrency
        self.clock = clock
        self.metrics = ProviderMetrics(clock)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r}, priority={self.priority})"

    def supported_dates(self, today: date) -> tuple[date, date]:
        """The first and last local departure dates this provider can answer for."""
        return today - timedelta(days=365), today + timedelta(days=365)

    def check_date(self, query: FlightQuery) -> None:
        """Raise ``FlightDateOutOfRangeError`` when the provider cannot answer for the date."""
        earliest, latest = self.supported_dates(self.clock.now().date())
        if not earliest <= query.flight_date <= latest:
            raise FlightDateOutOfRangeError(
                f"{self.name} answers for departure dates from {earliest.isoformat()} to "
                f"{latest.isoformat()}; {query.flight_date.isoformat()} is outside that range. "
                "Ask for a date inside it.",
                earliest=earliest,
                latest=latest,
                provider=self.name,
            )

    async def get_flight_status(
        self, ident: str, departure_date: date | datetime, *, origin: str | None = None
    ) -> FlightStatusData | None:
        """Status of one flight on its local departure date; ``None`` when the flight is unknown.

        Args:
            ident: Designator such as 'BA117', 'BAW117' or 'U2 1234'.
            departure_date: Local departure date, or an aware datetime on that date.
            origin: IATA or ICAO code of the departure airport, to pick one leg of a
                multi-leg flight number.

        Raises:
            InvalidFlightQueryError: Malformed designator, naive datetime, unknown airport,
                or a date outside the provider's range (no request is sent).
            ProviderError: The provider failed to answer.
        """
        return await self.fetch(FlightQuery.parse(ident, departure_date, origin=origin))

    async def fetch(self, query: FlightQuery) -> FlightStatusData | None:
        """Answer one validated query, recording its outcome in ``metrics``.

        The failover engine calls ``answer`` instead: it checks the date and accounts for
        each attempt itself.
        """
        try:
            self.check_date(query)
        except FlightDataError as error:
            self.metrics.record_error(error)
            raise
        started = self.clock.monotonic()
        try:
            result = await self.answer(query)
        except FlightDataError as error:
            self.metrics.record_error(error, self.clock.monotonic() - started)
            raise
        self.metrics.record_success(self.clock.monotonic() - started, found=result is not None)
        return result

    async def get_flight_statuses(self, queries: Iterable[QueryLike]) -> list[QueryOutcome]:
        """Answer many queries concurrently (at most ``max_concurrency`` at once).

        One outcome per query, in order; a failing query does not affect the others.

        Raises:
            InvalidFlightQueryError: An item is malformed (checked before any request; the
                message names its position).
        """
        semaphore = asyncio.Semaphore(self.max_concurrency)

        async def one(query: FlightQuery) -> FlightStatusData | None:
            async with semaphore:
                return await self.fetch(query)

        return await QueryOutcome.gather(parse_queries(queries), one)

    async def answer(self, query: FlightQuery) -> FlightStatusData | None:
        """Answer one query whose date was checked, recording nothing: the caller measures."""
        return await self._fetch(query)

    async def get_flight_by_id(self, provider_flight_id: str) -> FlightStatusData | None:
        """One flight by this provider's own id; see ``supports_lookup_by_id``."""
        raise NotImplementedError(f"{self.name} cannot look flights up by id")

    async def find_flights(
        self, origin: str, destination: str, start: datetime, end: datetime
    ) -> list[ScheduledFlight]:
        """Scheduled flights departing in [start, end); see ``supports_schedules``."""
        raise NotImplementedError(f"{self.name} has no schedules")

    async def departure_board(
        self,
        airport: str,
        start: datetime,
        end: datetime,
        *,
        airline: str | None = None,
        max_pages: int = 1,
    ) -> DepartureBoard:
        """Flights scheduled to take off from ``airport`` in [start, end) that have not taken
        off yet (recent cancellations included), optionally of one operating airline (ICAO
        code); at most ``max_pages`` result sets. See ``supports_departure_boards``.
        """
        raise NotImplementedError(f"{self.name} has no departure boards")

    def alerts(self) -> AlertApi:
        """This provider's alert management; see ``supports_alerts``.

        Raises:
            UnsupportedCapabilityError: The provider cannot push alerts.
        """
        raise UnsupportedCapabilityError(
            f"{self.name} cannot push flight alerts; only FlightAware AeroAPI can "
            "(set FLIGHTAWARE_API_KEY). Flights are polled instead.",
            capability="alerts",
            provider=self.name,
        )

    async def health_check(self) -> ProviderHealth:
        """Probe the provider once with its cheapest call."""
        started = self.clock.monotonic()
        checked_at = self.clock.now()
        try:
            detail = await self._probe()
        except FlightDataError as error:
            return ProviderHealth(self.name, False, checked_at, detail=str(error))
        latency_ms = (self.clock.monotonic() - started) * 1000.0
        return ProviderHealth(self.name, True, checked_at, latency_ms=latency_ms, detail=detail)

    @abstractmethod
    async def _fetch(self, query: FlightQuery) -> FlightStatusData | None:
        """Fetch and normalize one flight; ``None`` when the provider has no such flight."""

    @abstractmethod
    async def _probe(self) -> str | None:
        """Make the cheapest call that proves the provider answers; return a short detail."""

    async def aclose(self) -> None:  # noqa: B027 - a no-op default; HTTP providers close clients
        """Release connections."""

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
