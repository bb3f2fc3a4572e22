"""AviationStack: real-time (and, on paid plans, historical) flight status (failover provider).

Endpoint: ``GET /flights?flight_iata=...`` with the key in the ``access_key`` query parameter.
Three quirks shape this adapter:

* times are airport-local wall-clock times falsely labelled ``+00:00``: the offset is dropped
  and each time is placed in its airport's zone;
* errors arrive in a ``{"error": {"code", "message"}}`` envelope, sometimes with HTTP 200, and
  429 means either "slow down" or "quota used up": the code in the body decides;
* one record per marketing number: codeshare copies are folded onto the operating flight.

The free "real-time" feed ignores dates and can return yesterday's flight, so records are
always filtered by their own ``flight_date``.
"""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from flight_agent.airports import Airport, resolve_airport
from flight_agent.clock import SYSTEM_CLOCK, Clock
from flight_agent.errors import (
    AuthenticationError,
    FlightDataError,
    InvalidFlightQueryError,
    ProviderError,
    ProviderUnavailableError,
    QuotaExhaustedError,
    RateLimitedError,
)
from flight_agent.flight_query import FlightQuery
from flight_agent.models import FlightStatus, FlightStatusData
from flight_agent.providers.http import DEFAULT_MAX_BODY_BYTES, redact
from flight_agent.providers.http_provider import HttpFlightDataProvider
from flight_agent.providers.mapping import (
    as_dict,
    choose_leg,
    compact_ident,
    expect_list,
    local_date,
    merge_codeshares,
    minutes_between,
    parse_wall_clock,
    text,
    zone_of,
)

AVIATIONSTACK_BASE_URL = "https://api.aviationstack.com/v1"
HISTORICAL_ENV = "AVIATIONSTACK_HISTORICAL"
PAGE_LIMIT = "100"  # the maximum below the Professional plan; one page is one billed request
REALTIME_DAYS = 1  # the real-time feed holds roughly yesterday to tomorrow
HISTORY_DAYS = 90  # ``flight_date`` reaches back three months on paid plans

_ERROR_TYPES: dict[str, type[FlightDataError]] = {
    "invalid_access_key": AuthenticationError,
    "missing_access_key": AuthenticationError,
    "inactive_user": AuthenticationError,
    "https_access_restricted": AuthenticationError,
    "function_access_restricted": AuthenticationError,
    "usage_limit_reached": QuotaExhaustedError,
    "rate_limit_reached": RateLimitedError,
    "validation_error": InvalidFlightQueryError,
    "internal_error": ProviderUnavailableError,
    "404_not_found": ProviderError,
    "invalid_api_function": ProviderError,
}

_STATUS = {
    "scheduled": FlightStatus.SCHEDULED,
    "active": FlightStatus.EN_ROUTE,
    "landed": FlightStatus.ARRIVED,
    "cancelled": FlightStatus.CANCELLED,
    "diverted": FlightStatus.DIVERTED,
    "incident": FlightStatus.UNKNOWN,
}


def api_error(
    body: Any,
    *,
    provider: str,
    status_code: int,
    retry_after: float | None = None,
) -> FlightDataError | None:
    """The error an AviationStack error envelope stands for, or None when there is none.

    The message names AviationStack's code (e.g. ``usage_limit_reached``) and quotes its
    message with registered keys masked, in case the message echoes one. Of ``context``
    only the parameter names are kept: its values repeat the request. Unknown codes are a
    generic ``ProviderError``.
    """
    error = as_dict(body).get("error")
    if not isinstance(error, dict):
        return None
    code = text(error.get("code")) or "unknown_error"
    message = redact(text(error.get("message")) or "no message")[:200]
    # Only the names of rejected parameters are quoted from the context, never their values.
    context = as_dict(error.get("context"))
    fields = f" (parameters: {', '.join(sorted(map(str, context)))})" if context else ""
    detail = f"API error {code} (HTTP {status_code}): {message}{fields}"
    kind = _ERROR_TYPES.get(code, ProviderError)
    if issubclass(kind, RateLimitedError):
        return kind(detail, provider=provider, status_code=status_code, retry_after=retry_after)
    return kind(detail, provider=provider, status_code=status_code)


def is_marketing_copy(record: dict[str, Any]) -> bool:
    """Whether a record is a codeshare copy: its ``flight.codeshared`` names the operator."""
    return bool(as_dict(as_dict(record.get("flight")).get("codeshared")))


def _airport(movement: dict[str, Any]) -> Airport | None:
    return resolve_airport(
        iata=text(movement.get("iata")),
        icao=text(movement.get("icao")),
        name=text(movement.get("airport")),
        timezone=text(movement.get("timezone")),
    )


def _minutes(value: Any) -> int | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return round(value)
    return None


def _times(
    movement: dict[str, Any], zone: ZoneInfo | None, gate: str, runway: str
) -> dict[str, Any]:
    """The five times of one end of the flight, read as local wall-clock in ``zone``."""

    def at(field: str) -> datetime | None:
        return parse_wall_clock(movement.get(field), zone)

    return {
        f"scheduled_{gate}": at("scheduled"),
        f"estimated_{gate}": at("estimated"),
        f"actual_{gate}": at("actual"),
        f"estimated_{runway}": at("estimated_runway"),
        f"actual_{runway}": at("actual_runway"),
    }


def _status(raw: str | None, times: dict[str, Any]) -> FlightStatus:
    """The status table (``_STATUS``); ``active`` and ``landed`` are refined by the actual times."""
    status = _STATUS.get(raw or "", FlightStatus.UNKNOWN)
    if status is FlightStatus.EN_ROUTE and times["actual_out"] and not times["actual_off"]:
        return FlightStatus.DEPARTED  # left the gate, no take-off time yet
    if status is FlightStatus.ARRIVED and times["actual_in"] is None:
        return FlightStatus.LANDED  # landed, no gate arrival time yet
    return status


def _operating(record: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any], tuple[str, ...]]:
    """The operating flight's ``flight`` and ``airline`` objects, and the marketing idents.

    A marketing copy's ``codeshared`` names the operating flight (in lower case in real data;
    ``compact_ident`` upper-cases it later); the copy's own ident becomes a codeshare.
    """
    flight, airline = as_dict(record.get("flight")), as_dict(record.get("airline"))
    operating = as_dict(flight.get("codeshared"))
    if not operating:
        return flight, airline, ()
    marketing = compact_ident(flight.get("iata")) or compact_ident(flight.get("icao"))
    return (
        {
            "iata": operating.get("flight_iata"),
            "icao": operating.get("flight_icao"),
            "number": operating.get("flight_number"),
        },
        {"iata": operating.get("airline_iata"), "icao": operating.get("airline_icao")},
        (marketing,) if marketing else (),
    )


def _flight_date(value: Any, scheduled_out: datetime | None, origin: Airport) -> date | None:
    raw = text(value)
    if raw:
        try:
            return date.fromisoformat(raw)
        except ValueError:
            pass
    return local_date(scheduled_out, origin) if scheduled_out else None


def map_flight(
    record: dict[str, Any], *, flight_id: str, source: str, fetched_at: datetime
) -> FlightStatusData | None:
    """Normalize one AviationStack flight; None when an airport or the date is missing.

    A marketing copy (non-null ``flight.codeshared``) is described as the operating flight it
    copies, with its own ident in ``codeshares``.
    """
    departure, arrival = as_dict(record.get("departure")), as_dict(record.get("arrival"))
    origin, destination = _airport(departure), _airport(arrival)
    if origin is None or destination is None:
        return None
    # The feed's own zone name is what its wall-clock times were written in; the airport
    # table only fills in when it is missing.
    times = _times(departure, zone_of(departure.get("timezone")) or origin.zone, "out", "off")
    times |= _times(arrival, zone_of(arrival.get("timezone")) or destination.zone, "in", "on")
    flight_date = _flight_date(record.get("flight_date"), times["scheduled_out"], origin)
    if flight_date is None:
        return None
    flight, airline, codeshares = _operating(record)
    ident_iata, ident_icao = compact_ident(flight.get("iata")), compact_ident(flight.get("icao"))
    aircraft = as_dict(record.get("aircraft"))
    departure_delay, arrival_delay = (
        _minutes(departure.get("delay")),
        _minutes(arrival.get("delay")),
    )
    raw_status = text(record.get("flight_status"))
    ident = ident_iata or ident_icao
    return FlightStatusData(
        flight_id=flight_id,
        ident_iata=ident_iata,
        ident_icao=ident_icao,
        carrier_iata=compact_ident(airline.get("iata")),
        carrier_icao=compact_ident(airline.get("icao")),
        flight_number=text(flight.get("number")),
        flight_date=flight_date,
        origin=origin,
        destination=destination,
        **times,
        departure_delay_minutes=departure_delay
        if departure_delay is not None
        else minutes_between(times["scheduled_out"], times["actual_out"] or times["estimated_out"]),
        arrival_delay_minutes=arrival_delay
        if arrival_delay is not None
        else minutes_between(times["scheduled_in"], times["actual_in"] or times["estimated_in"]),
        status=_status(raw_status, times),
        status_text=raw_status,
        gate_origin=text(departure.get("gate")),
        gate_destination=text(arrival.get("gate")),
        terminal_origin=text(departure.get("terminal")),
        terminal_destination=text(arrival.get("terminal")),
        baggage_claim=text(arrival.get("baggage")),
        registration=text(aircraft.get("registration")),
        aircraft_type=text(aircraft.get("icao")) or text(aircraft.get("iata")),
        codeshares=codeshares,
        provider_flight_id=f"{ident}-{flight_date.isoformat()}" if ident else None,
        source=source,
        fetched_at=fetched_at,
    )


def _enabled(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


class AviationStackProvider(HttpFlightDataProvider):
    """AviationStack ``/v1/flights`` (last-resort failover provider).

    The key travels as the ``access_key`` query parameter, so it is in every request URL:
    nothing here builds a message from a URL, the HTTP layer never does either, and the key
    is registered for redaction from httpx's log lines.

    Args:
        name: Display name.
        priority: Higher is tried first.
        api_key: The access key; defaults to ``AVIATIONSTACK_API_KEY``.
        base_url: API root (the fake upstream in tests).
        historical: Send ``flight_date`` (paid plans; reaches 90 days back). None reads
            ``AVIATIONSTACK_HISTORICAL`` ("1", "true", "yes" or "on" enable it).
        timeout: Seconds per HTTP phase.
        max_concurrency: Concurrent requests for a batch.
        max_body_bytes: Larger responses are refused.
        transport: Custom httpx transport.
        clock: Time source.
    """

    key_env = "AVIATIONSTACK_API_KEY"

    def __init__(
        self,
        name: str = "AviationStack",
        priority: int = 1,
        *,
        api_key: str | None = None,
        base_url: str = AVIATIONSTACK_BASE_URL,
        historical: bool | None = None,
        timeout: float = 10.0,
        max_concurrency: int = 8,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        super().__init__(
            name,
            priority,
            base_url=base_url,
            api_key=api_key,
            timeout=timeout,
            max_concurrency=max_concurrency,
            max_body_bytes=max_body_bytes,
            transport=transport,
            clock=clock,
            # Errors come in the body, whatever the status: the HTTP layer asks us about them.
            body_error=self._body_error,
        )
        self.historical = (
            historical if historical is not None else _enabled(os.environ.get(HISTORICAL_ENV))
        )

    def _body_error(
        self, status_code: int, body: Any, retry_after: float | None
    ) -> FlightDataError | None:
        return api_error(
            body,
            provider=self.name,
            status_code=status_code,
            retry_after=retry_after,
        )

    def supported_dates(self, today: date) -> tuple[date, date]:
        """Yesterday to tomorrow on the real-time feed; 90 days back with ``historical``."""
        back = HISTORY_DAYS if self.historical else REALTIME_DAYS
        return today - timedelta(days=back), today + timedelta(days=REALTIME_DAYS)

    async def _fetch(self, query: FlightQuery) -> FlightStatusData | None:
        params = {"access_key": self.require_key(), "limit": PAGE_LIMIT}
        if query.designator.ident_iata:
            params["flight_iata"] = query.designator.ident_iata
        else:  # only an ICAO carrier code is known: flight_id is the ICAO ident then
            params["flight_icao"] = query.designator.flight_id
        if self.historical:
            params["flight_date"] = query.flight_date.isoformat()
        response = await self.http.get_json("/flights", params)
        if response.body is None:
            return None
        body = response.body if isinstance(response.body, dict) else {}
        flights = expect_list(body.get("data"), self.name, "'data'")
        fetched_at = self.clock.now()
        mapped = (
            (map_flight(f, flight_id=query.flight_id, source=self.name, fetched_at=fetched_at), f)
            for f in flights
        )
        records = merge_codeshares(
            (record, is_marketing_copy(flight)) for record, flight in mapped if record is not None
        )
        # choose_leg keeps only the requested date: the real-time feed mixes in other days.
        return choose_leg(records, query)

    async def _probe(self) -> str | None:
        """One ``/flights`` row. This costs one request of the plan's monthly quota."""
        await self.http.get_json("/flights", {"access_key": self.require_key(), "limit": "1"})
        return "flights endpoint answered"
