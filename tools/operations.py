"""The tool operations on the service: shared by the LangChain tools, the MCP server and the CLI.

Each takes the service and validated arguments and returns a typed payload, raising a
``FlightDataError`` the adapters turn into messages with a hint.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from flight_agent.airports import find_airport
from flight_agent.errors import (
    FlightDataError,
    FlightDateOutOfRangeError,
    FlightNotFoundError,
    InvalidFlightQueryError,
    UnknownProviderError,
)
from flight_agent.flight_query import FlightQuery
from flight_agent.irops import detect_disruptions
from flight_agent.models import FlightStatusData
from flight_agent.outcomes import gather_outcomes
from flight_agent.services import EnhancedFlightMonitoringService
from tools.payloads import (
    BatchItem,
    BatchStatusResult,
    ErrorKind,
    FlightStatusResult,
    ProviderHealthEntry,
    ProviderHealthResult,
    ResolvedFlight,
)
from tools.schemas import RELATIVE_DAYS, BatchStatusInput, FlightRef, ProviderHealthInput

Lookup = tuple[FlightQuery, str, FlightStatusData | None]
"""A flight's query as run, the note on how its date was read, and its record if any."""


def resolve_day(text: str | None, origin: str | None, now: dt.datetime) -> tuple[dt.date, str]:
    """The local date meant by 'today', 'tomorrow', 'yesterday' or YYYY-MM-DD at ``origin``.

    Relative dates are read in the origin's zone, or in UTC when no origin is known.

    Returns:
        The date and a note saying how it was read, e.g. 'today at LHR'.
    """
    text = text or "today"
    offset = RELATIVE_DAYS.get(text)
    if offset is None:
        return dt.date.fromisoformat(text), "as given"
    airport = find_airport(origin) if origin else None
    zone = airport.zone if airport is not None else None
    local_now = now.astimezone(zone) if zone is not None else now.astimezone(dt.UTC)
    day = local_now.date() + dt.timedelta(days=offset)
    return day, (f"{text} at {airport.code}" if airport is not None else f"{text} (UTC)")


def check_covered(service: EnhancedFlightMonitoringService, day: dt.date) -> None:
    """Refuse a date no provider answers for, as a status lookup is refused.

    The providers' date ranges (``supported_dates``) count together, as the failover engine
    counts them when every provider refuses a status lookup's date. Called before any date
    arithmetic: 9999-12-31 is refused, not an ``OverflowError``.

    Raises:
        FlightDateOutOfRangeError: No provider answers for ``day``; the message gives the
            dates they cover together.
    """
    earliest, latest = service.supported_dates()
    if not earliest <= day <= latest:
        raise FlightDateOutOfRangeError(
            "no provider answers for that date; together they cover "
            f"{earliest.isoformat()} to {latest.isoformat()}",
            earliest=earliest,
            latest=latest,
        )


def resolve_query(ref: FlightRef, now: dt.datetime) -> tuple[FlightQuery, str]:
    """The query meant by ``ref``, with relative dates read at the origin (UTC without one)."""
    day, note = resolve_day(ref.date, ref.origin, now)
    return FlightQuery.parse(ref.flight_number, day, origin=ref.origin), note


def resolved(query: FlightQuery, note: str) -> ResolvedFlight:
    """The payload form of a query."""
    return ResolvedFlight(
        flight_number=query.flight_id, date=query.flight_date, origin=query.origin, date_note=note
    )


async def lookup(
    service: EnhancedFlightMonitoringService, ref: FlightRef, *, batch: bool = False
) -> Lookup:
    query, note = resolve_query(ref, service.now())
    record = await service.get_status(query, batch=batch)
    if record is not None and ref.date in (None, *RELATIVE_DAYS) and ref.origin is None:
        # "today" was read in UTC for want of an origin; the record names the origin, so read
        # the date there and ask again if it is a different local day.
        local = record.origin.code
        again, local_note = resolve_query(ref.model_copy(update={"origin": local}), service.now())
        if again.flight_date != query.flight_date:
            query, note = again, local_note
            record = await service.get_status(query, batch=batch)
        else:
            note = local_note
    return query, note, record


async def found(
    service: EnhancedFlightMonitoringService, ref: FlightRef, *, batch: bool = False
) -> tuple[FlightQuery, str, FlightStatusData]:
    """Like ``lookup``, but a flight no provider knows is an error.

    Raises:
        FlightNotFoundError: The providers agree there is no such flight on that date.
    """
    query, note, record = await lookup(service, ref, batch=batch)
    if record is None:
        raise FlightNotFoundError(
            f"No provider knows {query.flight_id} on {query.flight_date.isoformat()} "
            f"({note}). Check the flight number and the local departure date; a flight "
            "number that flies several legs may need the origin airport."
        )
    return query, note, record


async def found_all(
    service: EnhancedFlightMonitoringService, refs: Sequence[FlightRef]
) -> list[FlightStatusData]:
    """Every flight's record, fetched together, for a question that needs them all.

    Raises:
        FlightDataError: A flight that cannot be asked for (a bad airport, a date no provider
            covers), found before any is fetched; else the error of the first flight (in the
            order given) without a record.
    """
    for ref in refs:  # every flight must be askable before any is asked
        query, _ = resolve_query(ref, service.now())
        check_covered(service, query.flight_date)
    records = []
    for outcome in await gather_outcomes(refs, lambda ref: found(service, ref, batch=True)):
        if isinstance(outcome, FlightDataError):
            raise outcome
        records.append(outcome[2])
    return records


def data_age(service: EnhancedFlightMonitoringService, record: FlightStatusData) -> float:
    return max(0.0, (service.now() - record.fetched_at).total_seconds())


async def flight_status(
    service: EnhancedFlightMonitoringService, ref: FlightRef
) -> FlightStatusResult:
    """One flight's status.

    Raises:
        InvalidFlightQueryError: Bad designator, date or airport.
        FlightNotFoundError: The providers agree there is no such flight on that date.
        AllProvidersFailedError: No provider answered and no earlier copy exists.
    """
    query, note, record = await found(service, ref)
    return FlightStatusResult(
        query=resolved(query, note),
        flight=record,
        disruptions=detect_disruptions(record, now=service.now()),
        data_age_seconds=round(data_age(service, record), 1),
        stale=record.stale,
    )


def error_kind(error: FlightDataError) -> ErrorKind:
    """The class of an error, as the model is told it."""
    if isinstance(error, FlightDateOutOfRangeError):
        return "date_out_of_range"
    if isinstance(error, InvalidFlightQueryError):
        return "invalid_query"
    if isinstance(error, FlightNotFoundError):
        return "not_found"
    return "providers_down"


async def batch_status(
    service: EnhancedFlightMonitoringService, args: BatchStatusInput
) -> BatchStatusResult:
    """Many flights; each item answers or says why not, and one bad item spoils nothing."""
    return BatchStatusResult.of(await batch_items(service, args.flights))


async def batch_items(
    service: EnhancedFlightMonitoringService,
    refs: Sequence[FlightRef],
    answered: Callable[[], None] = lambda: None,
) -> list[BatchItem]:
    """Each flight's batch item, in order, calling ``answered`` as each flight answers."""

    async def one(ref: FlightRef) -> Lookup:
        try:
            return await lookup(service, ref, batch=True)
        finally:
            answered()

    outcomes = await gather_outcomes(refs, one)
    return [batch_item(index, outcome) for index, outcome in enumerate(outcomes)]


def batch_item(index: int, outcome: Lookup | FlightDataError) -> BatchItem:
    """The batch item of one flight's lookup: its record, or why there is none."""
    if isinstance(outcome, FlightDataError):
        return BatchItem(index=index, error_kind=error_kind(outcome), error=outcome.message)
    query, note, record = outcome
    if record is None:
        return BatchItem(
            index=index,
            query=resolved(query, note),
            error_kind="not_found",
            error=f"No provider knows {query.flight_id} on {query.flight_date.isoformat()}.",
        )
    return BatchItem(index=index, query=resolved(query, note), flight=record)


async def provider_health(
    service: EnhancedFlightMonitoringService, args: ProviderHealthInput
) -> ProviderHealthResult:
    """The providers' breaker state, success rate, latency and last error.

    Raises:
        UnknownProviderError: ``provider`` is not configured (the message lists the names).
    """
    stats = service.get_provider_stats()
    if (provider := args.provider) is not None:
        by_folded = {name.casefold(): name for name in stats}
        name = by_folded.get(provider.strip().casefold())
        if name is None:
            raise UnknownProviderError(
                f"Unknown provider {provider!r}; configured providers: {', '.join(stats)}."
            )
        stats = {name: stats[name]}
    return ProviderHealthResult(
        providers=[ProviderHealthEntry.of(name, entry) for name, entry in stats.items()]
    )
