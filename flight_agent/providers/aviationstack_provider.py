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

from datetime import date, datetime, timedelta
from typing import Any, Unpack
from zoneinfo import ZoneInfo

from flight_agent.airports import Airport, resolve_airport
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
from flight_agent.providers.http_provider import HttpFlightDataProvider, HttpOptions
from flight_agent.providers.mapping import (
    CodeshareFeed,
    as_dict,
    compact_ident,
    expect_list,
    gate_delays,
    local_date,
    parse_wall_clock,
    text,
    zone_of,
)
from flight_agent.settings import Settings

AVIATIONSTACK_BASE_URL = "https://api.aviationstack.com/v1"
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
    message. Of ``context`` only the parameter names are kept: its values repeat the request.
    Unknown codes are a generic ``ProviderError``. Called by the HTTP layer (``ProviderHttp``),
    which masks registered keys in whatever this quotes and bounds the message's length.
    """
    error = as_dict(body).get("error")
    if not isinstance(error, dict):
        return None
    code = text(error.get("code")) or "unknown_error"
    message = text(error.get("message")) or "no message"
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
        **gate_delays(times, _minutes(departure.get("delay")), _minutes(arrival.get("delay"))),
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


FEED = CodeshareFeed(map_flight, is_marketing_copy)
"""AviationStack lists a codeshare flight once per marketing number."""


class AviationStackProvider(HttpFlightDataProvider):
    """AviationStack ``/v1/flights`` (last-resort failover provider, priority 1; the key is
    ``AVIATIONSTACK_API_KEY``).

    The key travels as the ``access_key`` query parameter, so it is in every request URL:
    nothing here builds a message from a URL, and the HTTP layer masks the key (raw,
    URL-encoded or case-folded) in its request log and in every error it raises.

    Takes the keywords of every HTTP provider (``HttpFlightDataProvider``), and:

    Args:
        historical: Send ``flight_date`` (paid plans; reaches 90 days back); when omitted, the
            ``aviationstack_historical`` setting (``AVIATIONSTACK_HISTORICAL``).
    """

    display_name = "AviationStack"
    default_priority = 1
    key_setting = "aviationstack_api_key"
    api_root = AVIATIONSTACK_BASE_URL

    def __init__(self, *, historical: bool | None = None, **options: Unpack[HttpOptions]) -> None:
        super().__init__(**options)
        self.historical = (
            historical
            if historical is not None
            else (options.get("settings") or Settings()).aviationstack_historical
        )

    def error_in_body(
        self, status_code: int, body: Any, retry_after: float | None
    ) -> FlightDataError | None:
        """Errors come in the body, whatever the status (``api_error``)."""
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
        # Only the requested date is answered: the real-time feed mixes in other days.
        return FEED.answer(flights, query, source=self.name, fetched_at=self.clock.now())

    async def _probe(self) -> str | None:
        """One ``/flights`` row. This costs one request of the plan's monthly quota."""
        await self.http.get_json("/flights", {"access_key": self.require_key(), "limit": "1"})
        return "flights endpoint answered"
