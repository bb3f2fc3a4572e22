"""AeroDataBox: flight status by number and local departure date (failover provider).

Endpoint: ``GET /flights/number/{ident}/{dateLocal}`` with ``dateLocalRole=Departure``, so a
flight that only *arrives* on the date (an overnight leg of the previous day) is not returned.
AeroDataBox is sold only through marketplaces, which differ in base URL and key header. The body
is a JSON array of ``FlightContract`` (one per leg or codeshare copy); 204 means not found.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any, Unpack

from flight_agent.airports import Airport, resolve_airport
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
    parse_utc,
    text,
)
from flight_agent.settings import Marketplace, Settings, marketplace_name

RAPIDAPI_HOST = "aerodatabox.p.rapidapi.com"
MARKETPLACE_URLS: dict[Marketplace, str] = {
    "rapidapi": f"https://{RAPIDAPI_HOST}",
    "apimarket": "https://prod.api.market/api/v1/aedbx/aerodatabox",
}
# The API serves history and published schedules; the plan decides the real reach, and the
# provider answers 400 outside it. One year each way keeps obviously useless calls local.
HISTORY_DAYS = 365
FUTURE_DAYS = 365
PROBE_AIRPORT = "EGLL"

_STATUS = {
    "Expected": FlightStatus.SCHEDULED,
    "CheckIn": FlightStatus.SCHEDULED,
    "Delayed": FlightStatus.SCHEDULED,
    "Boarding": FlightStatus.BOARDING,
    "GateClosed": FlightStatus.BOARDING,
    "Departed": FlightStatus.DEPARTED,
    "EnRoute": FlightStatus.EN_ROUTE,
    "Approaching": FlightStatus.EN_ROUTE,
    "Arrived": FlightStatus.ARRIVED,
    "Canceled": FlightStatus.CANCELLED,
    "CanceledUncertain": FlightStatus.UNKNOWN,
    "Diverted": FlightStatus.DIVERTED,
    "Unknown": FlightStatus.UNKNOWN,
}
# Once a flight has left, departure.revisedTime is an actual time; before, an estimate.
_HAS_DEPARTED = frozenset({"Departed", "EnRoute", "Approaching", "Arrived", "Diverted"})
# Older API versions called revisedTime "actualTime" (and used flat "...Utc" fields).
_OLDER_NAMES = {"revisedTime": ("actualTime",)}


def _movement_time(movement: dict[str, Any], field: str) -> datetime | None:
    """A ``{utc, local}`` time of a movement, tolerating the older flat ``...Utc`` fields.

    Both forms carry an offset ('2025-01-16 13:40Z', '2025-01-16 23:40+10:00'), so either
    gives the same instant; the UTC one is read first.
    """
    for name in (field, *_OLDER_NAMES.get(field, ())):
        nested = movement.get(name)
        if isinstance(nested, dict):
            found = parse_utc(nested.get("utc")) or parse_utc(nested.get("local"))
        else:
            found = parse_utc(movement.get(f"{name}Utc")) or parse_utc(movement.get(f"{name}Local"))
        if found is not None:
            return found
    return None


def _airport(movement: dict[str, Any]) -> Airport | None:
    ref = as_dict(movement.get("airport"))
    return resolve_airport(
        iata=text(ref.get("iata")),
        icao=text(ref.get("icao")),
        name=text(ref.get("name")),
        city=text(ref.get("municipalityName")),
        timezone=text(ref.get("timeZone")),
    )


def _flight_number(number: str | None, carrier_codes: tuple[str | None, ...]) -> str | None:
    """The number without its carrier prefix: 'VJ 84' -> '84', 'VJ84' with carrier VJ -> '84'."""
    if number is None:
        return None
    parts = number.split()
    if len(parts) == 2:
        return parts[1].upper()
    compact = number.upper()
    for code in carrier_codes:
        if code and compact.startswith(code) and compact[len(code) :].isalnum():
            return compact[len(code) :]
    return None


def _status(raw: str | None, times: dict[str, Any]) -> FlightStatus:
    """The status table (``_STATUS``), with the two upgrades AeroDataBox's coarse states need."""
    status = _STATUS.get(raw or "", FlightStatus.UNKNOWN)
    if status is FlightStatus.DEPARTED and times["actual_off"] is not None:
        return FlightStatus.EN_ROUTE  # off the runway: airborne, not taxiing
    if status is FlightStatus.ARRIVED and times["actual_in"] is None and times["actual_on"]:
        return FlightStatus.LANDED  # on the runway, no gate time yet
    return status


def map_flight(
    flight: dict[str, Any], *, flight_id: str, source: str, fetched_at: datetime
) -> FlightStatusData | None:
    """Normalize one ``FlightContract``; None when an airport or the departure time is missing."""
    departure, arrival = as_dict(flight.get("departure")), as_dict(flight.get("arrival"))
    origin, destination = _airport(departure), _airport(arrival)
    scheduled_out = _movement_time(departure, "scheduledTime")
    if origin is None or destination is None or scheduled_out is None:
        return None
    raw_status = text(flight.get("status"))
    taken_off = _movement_time(departure, "runwayTime")
    departed = raw_status in _HAS_DEPARTED or taken_off is not None
    arrived = raw_status == "Arrived"
    revised_out = _movement_time(departure, "revisedTime")
    revised_in = _movement_time(arrival, "revisedTime")
    # revisedTime says nothing about being an estimate or an actual: the status decides.
    times: dict[str, Any] = {
        "scheduled_out": scheduled_out,
        "estimated_out": None if departed else revised_out,
        "actual_out": revised_out if departed else None,
        "actual_off": taken_off,
        "estimated_on": _movement_time(arrival, "predictedTime"),
        "actual_on": _movement_time(arrival, "runwayTime"),
        "scheduled_in": _movement_time(arrival, "scheduledTime"),
        "estimated_in": None if arrived else revised_in,
        "actual_in": revised_in if arrived else None,
    }
    airline = as_dict(flight.get("airline"))
    carrier_iata, carrier_icao = text(airline.get("iata")), text(airline.get("icao"))
    ident = compact_ident(flight.get("number"))
    number = _flight_number(text(flight.get("number")), (carrier_iata, carrier_icao))
    aircraft = as_dict(flight.get("aircraft"))
    # No flight id in the contract: number plus scheduled UTC departure names one flight.
    flight_key = f"{ident}-{scheduled_out.astimezone(UTC):%Y-%m-%dT%H:%MZ}" if ident else None
    return FlightStatusData(
        flight_id=flight_id,
        ident_iata=ident,
        ident_icao=f"{carrier_icao}{number}" if carrier_icao and number else None,
        carrier_iata=carrier_iata,
        carrier_icao=carrier_icao,
        flight_number=number,
        flight_date=local_date(scheduled_out, origin),
        origin=origin,
        destination=destination,
        **times,
        **gate_delays(times),  # AeroDataBox has no delay field: the revised gate times decide
        status=_status(raw_status, times),
        status_text=raw_status,
        cancellation_uncertain=raw_status == "CanceledUncertain",
        gate_origin=text(departure.get("gate")),
        gate_destination=text(arrival.get("gate")),
        terminal_origin=text(departure.get("terminal")),
        terminal_destination=text(arrival.get("terminal")),
        baggage_claim=text(arrival.get("baggageBelt")),
        registration=text(aircraft.get("reg")),
        aircraft_type=text(aircraft.get("model")),
        # A marketing copy names itself; merge_codeshares moves it onto the operating record.
        codeshares=(ident,) if ident and is_marketing_copy(flight) else (),
        provider_flight_id=flight_key,
        source=source,
        fetched_at=fetched_at,
    )


def is_marketing_copy(flight: dict[str, Any]) -> bool:
    """Whether a ``FlightContract`` is a codeshare copy of a flight another airline operates."""
    return text(flight.get("codeshareStatus")) == "IsCodeshared"


FEED = CodeshareFeed(map_flight, is_marketing_copy)
"""AeroDataBox lists a codeshare flight once per marketing number."""


class AeroDataBoxProvider(HttpFlightDataProvider):
    """AeroDataBox via RapidAPI or API.market (failover provider, priority 5; the key is
    ``AERODATABOX_API_KEY``).

    Takes the keywords of every HTTP provider (``HttpFlightDataProvider``), and:

    Args:
        marketplace: ``"rapidapi"`` or ``"apimarket"`` (any case); when omitted, the
            ``aerodatabox_marketplace`` setting (``AERODATABOX_MARKETPLACE``, default rapidapi).
            It decides the key header and the default base URL.

    Raises:
        ValueError: The marketplace is not one of ``MARKETPLACE_URLS``.
    """

    display_name = "AeroDataBox"
    default_priority = 5
    key_setting = "aerodatabox_api_key"

    def __init__(self, *, marketplace: str | None = None, **options: Unpack[HttpOptions]) -> None:
        # Set before the base constructor: it calls auth_headers() and reads api_root.
        self.marketplace = (
            marketplace_name(marketplace)
            if marketplace is not None
            else (options.get("settings") or Settings()).aerodatabox_marketplace
        )
        self.api_root = MARKETPLACE_URLS[self.marketplace]
        super().__init__(**options)

    def auth_headers(self, api_key: str) -> dict[str, str]:
        """The marketplace's key header (RapidAPI also wants the host header)."""
        if self.marketplace == "apimarket":
            return {"x-api-market-key": api_key}
        return {"X-RapidAPI-Key": api_key, "X-RapidAPI-Host": RAPIDAPI_HOST}

    def supported_dates(self, today: date) -> tuple[date, date]:
        """One year back to one year ahead: history and published schedules.

        The plan decides the real reach (the API answers 400 beyond it); this range only keeps
        requests that cannot succeed from being sent.
        """
        return today - timedelta(days=HISTORY_DAYS), today + timedelta(days=FUTURE_DAYS)

    async def _fetch(self, query: FlightQuery) -> FlightStatusData | None:
        self.require_key()
        ident = query.designator.ident_iata or query.designator.ident_icao
        response = await self.http.get_json(
            f"/flights/number/{ident}/{query.flight_date.isoformat()}",
            {"dateLocalRole": "Departure", "withAircraftImage": "false", "withLocation": "false"},
        )
        if response.body is None:  # 204: AeroDataBox knows no such flight
            return None
        flights = expect_list(response.body, self.name, "the flight list")
        return FEED.answer(flights, query, source=self.name, fetched_at=self.clock.now())

    async def _probe(self) -> str | None:
        """The airport feed status of London Heathrow: a free endpoint on every plan."""
        self.require_key()
        await self.http.get_json(f"/health/services/airports/{PROBE_AIRPORT}/feeds")
        return "airport feed status endpoint answered"
