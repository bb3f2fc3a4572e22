"""FlightAware AeroAPI v4 shapes: flight objects, schedule rows, account usage and errors.

The flight object follows the official spec (``BaseFlight``): every required key is present,
times are UTC with a ``Z``, delays are in seconds. A diverted flight is two objects with one
``fa_flight_id``, as AeroAPI sends it: the leg to the alternate (no schedule of its own past
take-off, it carries the landing and gate arrival) and the original leg, flagged ``diverted``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any

from flight_agent.airports import Airport
from flight_agent.flight_query import FlightDesignator
from flight_agent.models import FlightStatus, FlightStatusData
from flight_agent.providers.simulation.fleet import is_widebody
from flight_agent.providers.simulation.network import distance_km

KM_PER_STATUTE_MILE = 1.609344
COST_PER_RESULT_SET = 0.005
"""Dollars per page of ``GET /flights/{ident}`` (AeroAPI pricing: one result set, i.e. one page)."""

TIME_FIELDS = tuple(
    f"{kind}_{phase}"
    for phase in ("out", "off", "on", "in")
    for kind in ("scheduled", "estimated", "actual")
)
_ARRIVAL_FIELDS = ("estimated_on", "actual_on", "estimated_in", "actual_in")


def iso(value: datetime | None) -> str | None:
    """AeroAPI's time format, e.g. '2026-11-28T08:25:00Z'."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if value else None


def airport_ref(airport: Airport) -> dict[str, Any]:
    """A ``FlightAirportRef``: codes, zone, name and city."""
    code = airport.icao or airport.iata
    return {
        "code": code,
        "code_icao": airport.icao,
        "code_iata": airport.iata,
        "code_lid": None,
        "timezone": airport.timezone,
        "name": airport.name,
        "city": airport.city,
        "airport_info_url": f"/airports/{code}",
    }


def _seconds(minutes: int | None) -> int | None:
    return None if minutes is None else minutes * 60


def _icao_ident(ident: str) -> str | None:
    return FlightDesignator.parse(ident).ident_icao


def _progress(record: FlightStatusData) -> int:
    """Percent of the runway-to-runway time flown at ``fetched_at``."""
    if record.actual_on is not None:
        return 100
    if record.actual_off is None or record.estimated_on is None:
        return 0
    flown = (record.fetched_at - record.actual_off) / (record.estimated_on - record.actual_off)
    return min(99, int(100 * flown))


def flight(record: FlightStatusData) -> dict[str, Any]:
    """The flight object of one operating leg as it stands at ``record.fetched_at``."""
    filed_ete = (
        int((record.scheduled_on - record.scheduled_off).total_seconds())
        if record.scheduled_on and record.scheduled_off
        else None
    )
    miles = distance_km(record.origin, record.destination) / KM_PER_STATUTE_MILE
    return {
        "ident": record.ident_icao or record.flight_id,
        "ident_icao": record.ident_icao,
        "ident_iata": record.ident_iata,
        "actual_runway_off": None,
        "actual_runway_on": None,
        "fa_flight_id": record.provider_flight_id,
        "operator": record.carrier_icao or record.carrier_iata,
        "operator_icao": record.carrier_icao,
        "operator_iata": record.carrier_iata,
        "flight_number": record.flight_number,
        "registration": record.registration,
        "atc_ident": None,
        "inbound_fa_flight_id": record.inbound_flight_id,
        "codeshares": [c for c in map(_icao_ident, record.codeshares) if c],
        "codeshares_iata": list(record.codeshares),
        "blocked": False,
        "diverted": record.status is FlightStatus.DIVERTED,
        "cancelled": record.status is FlightStatus.CANCELLED,
        "position_only": False,
        "origin": airport_ref(record.origin),
        "destination": airport_ref(record.destination),
        "departure_delay": _seconds(record.departure_delay_minutes),
        "arrival_delay": _seconds(record.arrival_delay_minutes),
        "filed_ete": filed_ete,
        "progress_percent": _progress(record),
        "status": record.status_text or "Unknown",
        "aircraft_type": record.aircraft_type,
        "route_distance": round(miles),
        "filed_airspeed": None,
        "filed_altitude": None,
        "route": None,
        "baggage_claim": record.baggage_claim,
        "seats_cabin_business": None,
        "seats_cabin_coach": None,
        "seats_cabin_first": None,
        "gate_origin": record.gate_origin,
        "gate_destination": record.gate_destination,
        "terminal_origin": record.terminal_origin,
        "terminal_destination": record.terminal_destination,
        "type": "Airline",
        **{field: iso(getattr(record, field)) for field in TIME_FIELDS},
        "foresight_predictions_available": False,
    }


def flights(record: FlightStatusData) -> list[dict[str, Any]]:
    """The objects AeroAPI lists for one leg: one, or two for a diversion (alternate first)."""
    original = flight(record)
    if record.diverted_to is None:
        return [original]
    arrived = record.actual_in is not None
    diversion = original | {
        "destination": airport_ref(record.diverted_to),
        "scheduled_on": None,
        "scheduled_in": None,
        "status": "Arrived / Gate Arrival" if arrived else "Landed / Taxiing",
    }
    # The original leg never reached its destination: arrival times belong to the alternate.
    return [diversion, original | dict.fromkeys(_ARRIVAL_FIELDS)]


def schedule_row(record: FlightStatusData) -> dict[str, Any]:
    """One ``scheduled[]`` item of ``GET /schedules`` for an operating leg."""
    origin, destination = record.origin, record.destination
    widebody = is_widebody(record.aircraft_type or "")
    return {
        "ident": record.ident_icao or record.flight_id,
        "ident_icao": record.ident_icao,
        "ident_iata": record.ident_iata,
        "actual_ident": None,
        "actual_ident_icao": None,
        "actual_ident_iata": None,
        "aircraft_type": record.aircraft_type,
        "scheduled_in": iso(record.scheduled_in),
        "scheduled_out": iso(record.scheduled_out),
        "origin": origin.icao or origin.iata,
        "origin_icao": origin.icao,
        "origin_iata": origin.iata,
        "origin_lid": None,
        "destination": destination.icao or destination.iata,
        "destination_icao": destination.icao,
        "destination_iata": destination.iata,
        "destination_lid": None,
        "fa_flight_id": record.provider_flight_id,
        "meal_service": "Meal" if widebody else "Snack",
        "seats_cabin_business": 42 if widebody else 12,
        "seats_cabin_coach": 250 if widebody else 150,
        "seats_cabin_first": 0,
    }


def page(key: str, items: list[dict[str, Any]]) -> dict[str, Any]:
    """The paged envelope, e.g. ``{"links": null, "num_pages": 1, "flights": [...]}``."""
    return {"links": None, "num_pages": 1, key: items}


def usage(calls: int) -> dict[str, Any]:
    """``GET /account/usage``: every call so far counted as one billed page."""
    cost = round(calls * COST_PER_RESULT_SET, 3)
    return {
        "total_calls": calls,
        "total_pages": calls,
        "total_cost": cost,
        "total_discount_cost": cost,
        "total_successful_calls": calls,
        "total_failed_calls": 0,
        "resource_details": [],
    }


def error(status: int, detail: str) -> dict[str, Any]:
    """The ``Error`` body: title, reason, detail and status (the observed 401 for 401)."""
    if status == HTTPStatus.UNAUTHORIZED:
        title, reason = "Invalid API key", "INVALID_API_KEY"
    elif status == HTTPStatus.BAD_REQUEST:
        title, reason = "Invalid argument", "INVALID_ARGUMENT"
    else:
        title = HTTPStatus(status).phrase
        reason = title.upper().replace(" ", "_")
    return {"title": title, "reason": reason, "detail": detail, "status": status}
