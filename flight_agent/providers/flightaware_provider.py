"""FlightAware AeroAPI v4: flight status, flights by id (inbound links), schedules and boards.

Endpoints: ``GET /flights/{ident}`` (status; ``ident_type=designator`` so a flight number is
never read as a registration), ``GET /flights/{fa_flight_id}`` with ``ident_type=fa_flight_id``,
``GET /schedules/{date_start}/{date_end}`` (alternatives) and
``GET /airports/{id}/flights/scheduled_departures`` (departure boards); push alerts through
``alerts()`` (``providers.alerts``). AeroAPI bills per page,
so every call asks for ``max_pages=1`` inside a tight UTC window; only a board may ask for more
pages, when its caller says so.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flight_agent.airlines import find_airline
from flight_agent.airports import Airport, find_airport, resolve_airport
from flight_agent.errors import FlightDateOutOfRangeError, InvalidFlightQueryError
from flight_agent.flight_query import FlightQuery, schedule_window
from flight_agent.models import FlightStatus, FlightStatusData, ScheduledFlight
from flight_agent.providers.alerts import AeroApiAlerts
from flight_agent.providers.http_provider import HttpFlightDataProvider
from flight_agent.providers.interfaces import DepartureBoard
from flight_agent.providers.mapping import (
    choose_leg,
    expect_list,
    gate_delays,
    merge_diversions,
    parse_utc,
    seconds_to_minutes,
    text,
)

AEROAPI_BASE_URL = "https://aeroapi.flightaware.com/aeroapi"
HISTORY_DAYS = 10
FUTURE_DAYS = 2
# Local dates run from UTC-12 to UTC+14: pad a UTC day by 14 h each side to cover any origin.
_WINDOW_PAD = timedelta(hours=14)
_EDGE_MARGIN = timedelta(minutes=1)
_FA_FLIGHT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$")
_AIRLINE_ICAO = re.compile(r"^[A-Z]{3}$")

_TIME_FIELDS = tuple(
    f"{kind}_{phase}"
    for phase in ("out", "off", "on", "in")
    for kind in ("scheduled", "estimated", "actual")
)


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _airport(ref: Any) -> Airport | None:
    if not isinstance(ref, dict):
        return None
    return resolve_airport(
        iata=text(ref.get("code_iata")),
        icao=text(ref.get("code_icao")),
        name=text(ref.get("name")),
        city=text(ref.get("city")),
        timezone=text(ref.get("timezone")),
    )


def _status(flight: dict[str, Any], times: dict[str, datetime | None]) -> FlightStatus:
    """Flags and actual times decide; the free-text status only breaks ties."""
    if flight.get("cancelled") is True:
        return FlightStatus.CANCELLED
    if flight.get("diverted") is True:
        return FlightStatus.DIVERTED
    for field, status in (
        ("actual_in", FlightStatus.ARRIVED),
        ("actual_on", FlightStatus.LANDED),
        ("actual_off", FlightStatus.EN_ROUTE),
        ("actual_out", FlightStatus.DEPARTED),
    ):
        if times[field] is not None:
            return status
    if "unknown" in (text(flight.get("status")) or "").lower():
        return FlightStatus.UNKNOWN
    return FlightStatus.SCHEDULED


def map_flight(
    flight: dict[str, Any], *, flight_id: str | None, source: str, fetched_at: datetime
) -> FlightStatusData | None:
    """Normalize one AeroAPI flight object; None for position-only flights without airports."""
    origin, destination = _airport(flight.get("origin")), _airport(flight.get("destination"))
    if origin is None or destination is None:
        return None
    times = {field: parse_utc(flight.get(field)) for field in _TIME_FIELDS}
    departs = times["scheduled_out"] or times["scheduled_off"]
    if departs is None:
        return None
    zone = origin.zone
    ident_iata, ident_icao = text(flight.get("ident_iata")), text(flight.get("ident_icao"))
    codeshares = flight.get("codeshares_iata") or flight.get("codeshares") or ()
    return FlightStatusData(
        flight_id=flight_id or ident_iata or ident_icao or str(flight.get("ident")),
        ident_iata=ident_iata,
        ident_icao=ident_icao,
        carrier_iata=text(flight.get("operator_iata")),
        carrier_icao=text(flight.get("operator_icao")) or text(flight.get("operator")),
        flight_number=text(flight.get("flight_number")),
        flight_date=(departs.astimezone(zone) if zone else departs).date(),
        origin=origin,
        destination=destination,
        **times,
        **gate_delays(
            times,
            seconds_to_minutes(flight.get("departure_delay")),
            seconds_to_minutes(flight.get("arrival_delay")),
        ),
        status=_status(flight, times),
        status_text=text(flight.get("status")),
        gate_origin=text(flight.get("gate_origin")),
        gate_destination=text(flight.get("gate_destination")),
        terminal_origin=text(flight.get("terminal_origin")),
        terminal_destination=text(flight.get("terminal_destination")),
        baggage_claim=text(flight.get("baggage_claim")),
        registration=text(flight.get("registration")),
        aircraft_type=text(flight.get("aircraft_type")),
        codeshares=tuple(c for c in codeshares if isinstance(c, str)),
        provider_flight_id=text(flight.get("fa_flight_id")),
        inbound_flight_id=text(flight.get("inbound_fa_flight_id")),
        source=source,
        fetched_at=fetched_at,
    )


def _same_airport(a: Airport, b: Airport) -> bool:
    return bool((a.icao and a.icao == b.icao) or (a.iata and a.iata == b.iata))


class FlightAwareProvider(HttpFlightDataProvider):
    """FlightAware AeroAPI v4 (primary provider, priority 10; the key is ``FLIGHTAWARE_API_KEY``).

    Takes the keywords of every HTTP provider (``HttpFlightDataProvider``).
    """

    supports_lookup_by_id = True
    supports_schedules = True
    supports_departure_boards = True
    supports_alerts = True
    not_found_on_404 = False

    display_name = "FlightAware"
    default_priority = 10
    key_setting = "flightaware_api_key"
    api_root = AEROAPI_BASE_URL

    def auth_headers(self, api_key: str) -> dict[str, str]:
        """AeroAPI reads the key from ``x-apikey``."""
        return {"x-apikey": api_key}

    def alerts(self) -> AeroApiAlerts:
        """AeroAPI's alert endpoints over this provider's client and key."""
        return AeroApiAlerts(self.http, require_key=self.require_key)

    def supported_dates(self, today: date) -> tuple[date, date]:
        """AeroAPI answers from 10 days back to 2 days ahead."""
        return today - timedelta(days=HISTORY_DAYS), today + timedelta(days=FUTURE_DAYS)

    def search_window(self, query: FlightQuery) -> tuple[datetime, datetime]:
        """The UTC ``start``/``end`` window to ask for, clamped to what AeroAPI accepts.

        The exact local day when the origin is known, else the UTC day padded by 14 h each side.
        """
        origin = find_airport(query.origin) if query.origin else None
        zone = origin.zone if origin else None
        if zone is not None:
            start = datetime.combine(query.flight_date, time(), zone).astimezone(UTC)
            end = datetime.combine(query.flight_date + timedelta(days=1), time(), zone)
            end = end.astimezone(UTC)
        else:
            start = datetime.combine(query.flight_date, time(), UTC) - _WINDOW_PAD
            end = datetime.combine(query.flight_date + timedelta(days=1), time(), UTC) + _WINDOW_PAD
        return self._clamp(start, end, query.flight_date.isoformat())

    def _clamp(self, start: datetime, end: datetime, asked: str) -> tuple[datetime, datetime]:
        """``[start, end)`` cut to what AeroAPI accepts: 10 days back to 2 days ahead of now.

        Raises:
            FlightDateOutOfRangeError: No part of the window is inside that range; ``asked``
                names the window in the message.
        """
        now = self.clock.now()
        start = max(start, now - timedelta(days=HISTORY_DAYS) + _EDGE_MARGIN)
        end = min(end, now + timedelta(days=FUTURE_DAYS) - _EDGE_MARGIN)
        if start >= end:
            earliest, latest = self.supported_dates(now.date())
            raise FlightDateOutOfRangeError(
                f"{self.name} cannot search {asked}: AeroAPI answers "
                "from 10 days back to 2 days ahead.",
                earliest=earliest,
                latest=latest,
                provider=self.name,
            )
        return start, end

    async def _fetch(self, query: FlightQuery) -> FlightStatusData | None:
        self.require_key()
        start, end = self.search_window(query)
        ident = query.designator.ident_icao or query.designator.ident_iata
        response = await self.http.get_json(
            f"/flights/{ident}",
            {"ident_type": "designator", "start": _iso(start), "end": _iso(end), "max_pages": "1"},
        )
        records = self._records(response.body, flight_id=query.flight_id)
        return choose_leg(records, query)

    def _records(
        self, body: Any, *, flight_id: str | None, key: str = "flights"
    ) -> list[FlightStatusData]:
        if body is None:
            return []
        flights = expect_list(
            body.get(key) if isinstance(body, dict) else None, self.name, f"'{key}'"
        )
        fetched_at = self.clock.now()
        mapped = (
            map_flight(f, flight_id=flight_id, source=self.name, fetched_at=fetched_at)
            for f in flights
        )
        return merge_diversions([record for record in mapped if record is not None])

    async def get_flight_by_id(self, fa_flight_id: str) -> FlightStatusData | None:
        """One flight by its ``fa_flight_id`` (e.g. the inbound aircraft's previous flight).

        Raises:
            InvalidFlightQueryError: The id has characters an fa_flight_id never has.
        """
        if not isinstance(fa_flight_id, str) or not _FA_FLIGHT_ID.match(fa_flight_id):
            raise InvalidFlightQueryError(
                f"{fa_flight_id!r} is not a FlightAware flight id such as "
                "'BAW196-1656120840-schedule-0121'.",
                provider=self.name,
            )
        self.require_key()
        response = await self.http.get_json(
            f"/flights/{fa_flight_id}", {"ident_type": "fa_flight_id", "max_pages": "1"}
        )
        records = self._records(response.body, flight_id=None)
        return records[0] if records else None

    async def find_flights(
        self, origin: str, destination: str, start: datetime, end: datetime
    ) -> list[ScheduledFlight]:
        """Published schedules from ``origin`` to ``destination`` departing in [start, end).

        Raises:
            InvalidFlightQueryError: Unknown airports, naive or reversed times, or a window
                wider than AeroAPI's three weeks.
        """
        origin, destination = schedule_window(origin, destination, start, end)
        self.require_key()
        response = await self.http.get_json(
            f"/schedules/{_iso(start)}/{_iso(end)}",
            {"origin": origin, "destination": destination, "max_pages": "1"},
        )
        body = response.body if isinstance(response.body, dict) else {}
        items = expect_list(body.get("scheduled", []), self.name, "'scheduled'")
        found = (self._scheduled(item) for item in items)
        return sorted((f for f in found if f is not None), key=lambda f: f.scheduled_out)

    async def departure_board(
        self,
        airport: str,
        start: datetime,
        end: datetime,
        *,
        airline: str | None = None,
        max_pages: int = 1,
    ) -> DepartureBoard:
        """Flights scheduled to take off from ``airport`` in [start, end), recent cancellations
        included, in AeroAPI's order (expected take-off first).

        The window is compared with ``scheduled_off`` and cut to what AeroAPI accepts (10 days
        back to 2 days ahead). Each page is a billed result set, so ``max_pages`` bounds the cost.

        Args:
            airport: IATA or ICAO code; AeroAPI is asked with the ICAO code when there is one.
            start: Aware datetime, inclusive.
            end: Aware datetime, exclusive.
            airline: ICAO code of the operating airline (e.g. 'UAL') to keep only its flights.
            max_pages: The most result sets to fetch (at least 1).

        Raises:
            InvalidFlightQueryError: Unknown airport, airline not a 3-letter ICAO code,
                ``max_pages`` below 1, naive or reversed times (no request is sent).
            FlightDateOutOfRangeError: No part of the window is inside AeroAPI's range.
            ProviderError: AeroAPI failed to answer.
        """
        origin = find_airport(airport) if isinstance(airport, str) else None
        if origin is None:
            raise InvalidFlightQueryError(
                f"Unknown airport code {airport!r}: use a 3-letter IATA code such as 'JFK' "
                "or a 4-letter ICAO code such as 'KJFK'.",
                provider=self.name,
            )
        params = {"airline": self._airline_icao(airline)} if airline is not None else {}
        if max_pages < 1:
            raise InvalidFlightQueryError(
                f"max_pages must be at least 1, not {max_pages}.", provider=self.name
            )
        for name, value in (("start", start), ("end", end)):
            if value.tzinfo is None or value.utcoffset() is None:
                raise InvalidFlightQueryError(
                    f"The board's {name} {value.isoformat()} has no time zone; pass an aware "
                    "datetime such as datetime(2026, 11, 28, 12, tzinfo=timezone.utc).",
                    provider=self.name,
                )
        if start >= end:
            raise InvalidFlightQueryError(
                f"The board's window must end after it starts: {start.isoformat()} to "
                f"{end.isoformat()}.",
                provider=self.name,
            )
        start, end = self._clamp(start, end, f"departures from {_iso(start)} to {_iso(end)}")
        self.require_key()
        code = origin.icao or origin.iata
        response = await self.http.get_json(
            f"/airports/{code}/flights/scheduled_departures",
            {**params, "start": _iso(start), "end": _iso(end), "max_pages": str(max_pages)},
        )
        body = response.body if isinstance(response.body, dict) else {}
        records = self._records(body, flight_id=None, key="scheduled_departures")
        links = body.get("links")
        num_pages = body.get("num_pages")
        return DepartureBoard(
            records=tuple(
                record.model_copy(update={"legs": (record.route,)})
                for record in records
                if _same_airport(record.origin, origin)
            ),
            pages=num_pages if isinstance(num_pages, int) else 1,
            complete=not (isinstance(links, dict) and links.get("next")),
        )

    def _airline_icao(self, airline: str) -> str:
        """The upper-case ICAO airline code, or a message naming the ICAO code to use."""
        code = airline.strip().upper() if isinstance(airline, str) else ""
        if _AIRLINE_ICAO.match(code):
            return code
        known = find_airline(code) if len(code) == 2 else None
        hint = f"use {known.icao!r} for {known.name}" if known else "such as 'UAL' or 'BAW'"
        raise InvalidFlightQueryError(
            f"Airline {airline!r} is not a 3-letter ICAO airline code ({hint}); AeroAPI "
            "filters departure boards by the operating airline's ICAO code.",
            provider=self.name,
        )

    def _scheduled(self, item: dict[str, Any]) -> ScheduledFlight | None:
        out, arrive = parse_utc(item.get("scheduled_out")), parse_utc(item.get("scheduled_in"))
        origin = resolve_airport(
            iata=text(item.get("origin_iata")), icao=text(item.get("origin_icao"))
        )
        destination = resolve_airport(
            iata=text(item.get("destination_iata")), icao=text(item.get("destination_icao"))
        )
        ident = text(item.get("ident_iata")) or text(item.get("ident"))
        if out is None or arrive is None or origin is None or destination is None or not ident:
            return None
        return ScheduledFlight(
            ident=ident,
            operating_ident=text(item.get("actual_ident_iata")) or text(item.get("actual_ident")),
            origin=origin,
            destination=destination,
            scheduled_out=out,
            scheduled_in=arrive,
            aircraft_type=text(item.get("aircraft_type")),
            provider_flight_id=text(item.get("fa_flight_id")),
            source=self.name,
        )

    async def _probe(self) -> str | None:
        self.require_key()
        await self.http.get_json("/account/usage")
        return "account usage endpoint answered"
