"""The fake upstream's endpoints: each provider's paths, parameters, key and error style.

Each handler reads a ``Request`` already stripped of the provider's prefix, asks the simulated
world for legs and renders them in the provider's shape. Bad input is a 400 in the provider's
style (AviationStack's errors come inside HTTP 200, as its feed often sends them).

=============  ==========================================  ===============================
provider       endpoints                                   key
flightaware    GET /flights/{ident}, /schedules/{s}/{e},   header ``x-apikey``
               /account/usage
aerodatabox    GET /flights/number/{ident}/{dateLocal},    ``X-RapidAPI-Key`` or
               /health/services/airports/{icao}/feeds      ``x-api-market-key``
aviationstack  GET /flights                                query ``access_key``
=============  ==========================================  ===============================
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from flight_agent.airports import find_airport
from flight_agent.clock import Clock
from flight_agent.errors import InvalidFlightQueryError
from flight_agent.flight_query import FlightDesignator
from flight_agent.models import FlightStatusData
from flight_agent.providers.mapping import local_date
from flight_agent.providers.simulation import FlightSimulator, Leg, render_leg
from flight_agent.testing import render_aeroapi, render_aerodatabox, render_aviationstack
from flight_agent.testing.asgi import Request, Response, json_response

AEROAPI_HISTORY = timedelta(days=10)
AEROAPI_FUTURE = timedelta(days=2)
SCHEDULE_MAX_SPAN = timedelta(weeks=3)
AVIATIONSTACK_MAX_LIMIT = 1000
_DAY = timedelta(days=1)
_SOURCE = "FakeUpstream"


class BadRequest(Exception):
    """The request is malformed; the message goes into the provider's 400 body."""


@dataclass(frozen=True, slots=True)
class World:
    """What the endpoints answer from: the simulation, the clock, the key and the counters."""

    simulator: FlightSimulator
    clock: Clock
    api_key: str
    requests: Counter[str]

    def legs(self, designator: FlightDesignator, days: Iterable[date]) -> list[Leg]:
        """Every leg the designator flies on those local departure dates."""
        return [leg for day in days for leg in self.simulator.legs(designator, day) or ()]

    def render(self, leg: Leg) -> FlightStatusData:
        """The leg as it stands now: the record ``MockFlightDataProvider`` would return."""
        return render_leg(leg, self.clock.now(), source=_SOURCE)


Handler = Callable[[Request, World], Response]


def _designator(ident: str) -> FlightDesignator:
    try:
        return FlightDesignator.parse(ident)
    except InvalidFlightQueryError as error:
        raise BadRequest(error.message) from error


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise BadRequest(f"{text!r} is not a date such as 2026-11-28") from None


def _instant(text: str) -> datetime:
    """An AeroAPI date or date-time; a bare date or a naive time is UTC."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise BadRequest(f"{text!r} is not an ISO 8601 date or date-time") from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _int(params: dict[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = params.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise BadRequest(f"{name} must be a whole number from {low} to {high}")
    return int(raw)


def _days(start: datetime, end: datetime) -> list[date]:
    """Local dates a departure in [start, end) may fall on anywhere (UTC-12 to UTC+14)."""
    first, last = start.date() - _DAY, end.date() + _DAY
    return [first + _DAY * n for n in range((last - first).days + 1)]


# --- FlightAware AeroAPI -------------------------------------------------------------------


def _aeroapi_window(params: dict[str, str], now: datetime) -> tuple[datetime, datetime]:
    earliest, latest = now - AEROAPI_HISTORY, now + AEROAPI_FUTURE
    start = _instant(params["start"]) if "start" in params else earliest
    end = _instant(params["end"]) if "end" in params else latest
    if start < earliest:
        raise BadRequest("start must be no further than 10 days in the past")
    if end > latest:
        raise BadRequest("end must be no further than 2 days in the future")
    if start >= end:
        raise BadRequest("start must be before end")
    return start, end


def _aeroapi_flights(ident: str, params: dict[str, str], world: World) -> list[Leg]:
    _int(params, "max_pages", 1, 1, 10**6)
    kind = params.get("ident_type", "designator")
    if kind == "fa_flight_id":
        leg = world.simulator.by_id(ident)
        return [] if leg is None else [leg]
    if kind != "designator":
        raise BadRequest("the fake upstream reads ident_type designator or fa_flight_id")
    designator = _designator(ident)
    start, end = _aeroapi_window(params, world.clock.now())
    legs = [
        leg for leg in world.legs(designator, _days(start, end)) if start <= leg.scheduled_out < end
    ]
    return sorted(legs, key=lambda leg: leg.scheduled_out, reverse=True)


def _aeroapi_schedules(first: str, last: str, params: dict[str, str], world: World) -> list[Leg]:
    start, end = _instant(first), _instant(last)
    if not start < end <= start + SCHEDULE_MAX_SPAN:
        raise BadRequest("date_end must follow date_start by at most 3 weeks")
    origin, destination = (find_airport(params.get(name, "")) for name in ("origin", "destination"))
    if origin is None or origin.iata is None or destination is None or destination.iata is None:
        raise BadRequest("the fake upstream needs known origin and destination airports")
    legs = [
        leg
        for day in _days(start, end)
        for leg in world.simulator.schedule(origin.iata, destination.iata, day)
        if start <= leg.scheduled_out < end
    ]
    return sorted(legs, key=lambda leg: leg.scheduled_out)


def aeroapi(request: Request, world: World) -> Response:
    """FlightAware AeroAPI v4: flights by ident or id, schedules and account usage."""
    if request.headers.get("x-apikey") != world.api_key:
        return aeroapi_error(401, "Provided API key is not valid")
    try:
        match request.path.strip("/").split("/"):
            case ["flights", ident]:
                legs = _aeroapi_flights(ident, request.params, world)
                items = [f for leg in legs for f in render_aeroapi.flights(world.render(leg))]
                return json_response(200, render_aeroapi.page("flights", items))
            case ["schedules", first, last]:
                legs = _aeroapi_schedules(first, last, request.params, world)
                rows = [render_aeroapi.schedule_row(world.render(leg)) for leg in legs]
                return json_response(200, render_aeroapi.page("scheduled", rows))
            case ["account", "usage"]:
                return json_response(200, render_aeroapi.usage(world.requests["flightaware"]))
    except BadRequest as error:
        return aeroapi_error(400, str(error))
    return aeroapi_error(404, f"no such endpoint: {request.path}")


def aeroapi_error(status: int, detail: str, headers: tuple[tuple[str, str], ...] = ()) -> Response:
    """An AeroAPI ``Error`` body with that status."""
    return json_response(status, render_aeroapi.error(status, detail), headers)


# --- AeroDataBox ---------------------------------------------------------------------------


def _aerodatabox_flights(ident: str, day_text: str, role: str, world: World) -> list[Leg]:
    designator, day = _designator(ident), _date(day_text)
    if role not in ("Both", "Departure", "Arrival"):
        raise BadRequest("dateLocalRole must be Both, Departure or Arrival")
    days = [day] if role == "Departure" else [day - _DAY, day]
    found = []
    for leg in world.legs(designator, days):
        departs = leg.flight_date == day
        arrives = local_date(leg.scheduled_in, leg.destination) == day
        if (departs and role != "Arrival") or (arrives and role != "Departure"):
            found.append(leg)
    return found


def aerodatabox(request: Request, world: World) -> Response:
    """AeroDataBox: flights by number and local date (204 when none), airport feed status."""
    key = request.headers.get("x-rapidapi-key") or request.headers.get("x-api-market-key")
    if key is None:
        return aerodatabox_error(401, "Invalid API key. Go to https://docs.rapidapi.com/docs/keys")
    if key != world.api_key:
        return aerodatabox_error(403, "You are not subscribed to this API.")
    try:
        match request.path.strip("/").split("/"):
            case ["flights", "number", ident, day]:
                role = request.params.get("dateLocalRole", "Both")
                legs = _aerodatabox_flights(ident, day, role, world)
                if not legs:
                    return Response(204)
                contracts = [render_aerodatabox.flight_contract(world.render(leg)) for leg in legs]
                return json_response(200, contracts)
            case ["health", "services", "airports", _, "feeds"]:
                return json_response(200, render_aerodatabox.feeds(world.clock.now().date()))
    except BadRequest as error:
        return aerodatabox_error(400, str(error))
    return aerodatabox_error(404, f"Endpoint '{request.path}' does not exist")


def aerodatabox_error(
    status: int, message: str, headers: tuple[tuple[str, str], ...] = ()
) -> Response:
    """An ``ErrorContract`` with that status; a 503 has no body, as the spec says."""
    if status == 503:
        return Response(503, b"", headers)
    return json_response(status, render_aerodatabox.error(message), headers)


# --- AviationStack -------------------------------------------------------------------------


def _aviationstack_flights(params: dict[str, str], world: World) -> dict[str, object]:
    limit = _int(params, "limit", 100, 1, AVIATIONSTACK_MAX_LIMIT)
    offset = _int(params, "offset", 0, 0, 10**9)
    ident = params.get("flight_iata") or params.get("flight_icao")
    if "flight_date" in params:
        days = [_date(params["flight_date"])]
    else:  # the real-time feed: recent flights of any date
        today = world.clock.now().date()
        days = [today - _DAY, today, today + _DAY]
    legs = world.legs(_designator(ident), days) if ident else []
    records = [render_aviationstack.flight(world.render(leg)) for leg in legs]
    window = records[offset : offset + limit]
    return render_aviationstack.page(window, limit=limit, offset=offset, total=len(records))


def aviationstack(request: Request, world: World) -> Response:
    """AviationStack ``/flights``, filtered by flight_iata or flight_icao (and flight_date)."""
    key = request.params.get("access_key")
    if not key:
        return _in_200("missing_access_key", "You have not supplied an API Access Key.")
    if key != world.api_key:
        return _in_200("invalid_access_key", "You have not supplied a valid API Access Key.")
    if request.path.strip("/") != "flights":
        return _in_200("invalid_api_function", "This API function does not exist.")
    try:
        return json_response(200, _aviationstack_flights(request.params, world))
    except BadRequest as error:
        return _in_200("validation_error", str(error))


def _in_200(code: str, message: str) -> Response:
    return json_response(200, render_aviationstack.error(code, message))


def aviationstack_error(
    status: int, message: str, headers: tuple[tuple[str, str], ...] = ()
) -> Response:
    """An error envelope with that HTTP status (injected faults keep their status)."""
    code = render_aviationstack.error_code(status)
    return json_response(status, render_aviationstack.error(code, message), headers)


HANDLERS: dict[str, Handler] = {
    "flightaware": aeroapi,
    "aerodatabox": aerodatabox,
    "aviationstack": aviationstack,
}
"""The endpoint of each provider."""

ERRORS: dict[str, Callable[[int, str, tuple[tuple[str, str], ...]], Response]] = {
    "flightaware": aeroapi_error,
    "aerodatabox": aerodatabox_error,
    "aviationstack": aviationstack_error,
}
"""An error response with a given status, in each provider's style."""
