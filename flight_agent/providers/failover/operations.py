"""The kinds of call the failover engine makes to providers, each described once.

Status lookups, schedules, departure boards, lookups by a provider's own id and health probes
all take one path (``FailoverManager.call``): the same permits, timeouts, Retry-After cool-downs
and accounting. An ``Operation`` says only what differs between them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from flight_agent.flight_query import FlightQuery
from flight_agent.models import FlightStatusData, ScheduledFlight
from flight_agent.providers.interfaces import DepartureBoard, FlightDataProvider, ProviderHealth

T = TypeVar("T")


def _always(_: object) -> bool:
    return True


def _is_record(value: FlightStatusData | None) -> bool:
    return value is not None


@dataclass(frozen=True, slots=True)
class Operation(Generic[T]):
    """One kind of provider call.

    Attributes:
        name: The call's kind in metrics (``status``, ``departure_board``, ...).
        what: What the call asks for, in messages ("departure boards").
        failure: The message head when no provider answered.
        call: Makes the call on one provider.
        offered_by: Whether a provider can make the call (its ``supports_*`` flag).
        query: The flight asked about: a provider whose date range excludes it is skipped
            without a call.
        found: False for a "no such flight" answer: the next provider is asked, and the
            answer stands only when every provider that answered agreed.
        persistent: The request retries a provider after a backoff once every provider was
            asked, and asks each one once anyway when every breaker is open (panic mode).
            Calls that refine or shortcut other calls ask each provider once.
        traffic: A call made for a caller: it needs the breaker's permit and its outcome is
            judged by the breaker and the provider's metrics. A health probe is not traffic:
            it is how an open provider is re-admitted, so no breaker may refuse it.
    """

    name: str
    what: str
    failure: str
    call: Callable[[FlightDataProvider], Awaitable[T]]
    offered_by: Callable[[FlightDataProvider], bool] = _always
    query: FlightQuery | None = None
    found: Callable[[T], bool] = _always
    persistent: bool = False
    traffic: bool = True


def status(query: FlightQuery) -> Operation[FlightStatusData | None]:
    """The status of one flight on its local date."""
    return Operation(
        name="status",
        what="flight status",
        failure=f"no provider could answer for {query}",
        call=lambda provider: provider.answer(query),
        query=query,
        found=_is_record,
        persistent=True,
    )


def schedules(
    origin: str, destination: str, start: datetime, end: datetime
) -> Operation[list[ScheduledFlight]]:
    """Scheduled flights from ``origin`` to ``destination`` departing in [start, end)."""
    return Operation(
        name="schedules",
        what="schedules",
        failure="no provider with schedules answered",
        call=lambda provider: provider.find_flights(origin, destination, start, end),
        offered_by=lambda provider: provider.supports_schedules,
    )


def departure_board(
    airport: str, start: datetime, end: datetime, *, airline: str | None, max_pages: int
) -> Operation[DepartureBoard]:
    """The flights leaving ``airport`` in [start, end) (see ``FlightDataProvider``)."""
    return Operation(
        name="departure_board",
        what="departure boards",
        failure="no provider with departure boards answered",
        call=lambda provider: provider.departure_board(
            airport, start, end, airline=airline, max_pages=max_pages
        ),
        offered_by=lambda provider: provider.supports_departure_boards,
    )


def flight_by_id(provider_name: str, flight_id: str) -> Operation[FlightStatusData | None]:
    """One flight by the id ``provider_name`` gave it (ids mean nothing to other providers)."""
    return Operation(
        name="flight_by_id",
        what=f"lookups by id at {provider_name}",
        failure=f"{provider_name} could not look up {flight_id}",
        call=lambda provider: provider.get_flight_by_id(flight_id),
        offered_by=lambda provider: (
            provider.name == provider_name and provider.supports_lookup_by_id
        ),
        found=_is_record,
    )


PROBE: Operation[ProviderHealth] = Operation(
    name="probe",
    what="health probes",
    failure="no provider answered its health probe",
    call=lambda provider: provider.health_check(),
    traffic=False,
)
"""A health probe: the provider's cheapest call (``FlightDataProvider.health_check``)."""
