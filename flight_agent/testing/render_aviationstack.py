"""AviationStack shapes: flight records, the paged envelope and the error envelope.

Faithful to the feed's quirks: times are airport-local wall-clock times labelled ``+00:00``,
``delay`` is filled only when late, and ``flight_status`` has no word for boarding (a
boarding flight is still 'scheduled'). A flight the simulation cannot place reads
'incident', the only status the adapters read as unknown.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flight_agent.airlines import find_airline
from flight_agent.airports import Airport
from flight_agent.models import FlightStatus, FlightStatusData

_STATUS = {
    FlightStatus.SCHEDULED: "scheduled",
    FlightStatus.BOARDING: "scheduled",
    FlightStatus.DEPARTED: "active",
    FlightStatus.EN_ROUTE: "active",
    FlightStatus.LANDED: "landed",
    FlightStatus.ARRIVED: "landed",
    FlightStatus.CANCELLED: "cancelled",
    FlightStatus.DIVERTED: "diverted",
    FlightStatus.UNKNOWN: "incident",
}

ERROR_CODES = {
    400: "validation_error",
    401: "invalid_access_key",
    403: "function_access_restricted",
    404: "404_not_found",
    429: "rate_limit_reached",
}
"""The envelope code an HTTP status stands for; any 5xx is 'internal_error'."""


def wall_clock(value: datetime | None, airport: Airport) -> str | None:
    """Local time at the airport with the feed's false offset, e.g. '2020-02-04T20:25:00+00:00'."""
    if value is None:
        return None
    local = value.astimezone(airport.zone) if airport.zone else value
    return local.strftime("%Y-%m-%dT%H:%M:%S+00:00")


def _late(minutes: int | None) -> int | None:
    return minutes if minutes is not None and minutes > 0 else None


def _movement(airport: Airport, **fields: Any) -> dict[str, Any]:
    return {
        "airport": airport.name,
        "timezone": airport.timezone,
        "iata": airport.iata,
        "icao": airport.icao,
    } | {
        name: wall_clock(v, airport) if isinstance(v, datetime) else v for name, v in fields.items()
    }


def flight(record: FlightStatusData) -> dict[str, Any]:
    """One ``data[]`` record of the operating flight as it stands at ``record.fetched_at``."""
    origin, destination = record.origin, record.destination
    # A diverted flight never reaches its destination's gate: only the alternate's runway.
    reached = record.status is not FlightStatus.DIVERTED
    carrier = record.carrier_iata or record.carrier_icao or ""
    airline = find_airline(carrier)
    return {
        "flight_date": record.flight_date.isoformat(),
        "flight_status": _STATUS[record.status],
        "departure": _movement(
            origin,
            terminal=record.terminal_origin,
            gate=record.gate_origin,
            delay=_late(record.departure_delay_minutes),
            scheduled=record.scheduled_out,
            estimated=record.estimated_out,
            actual=record.actual_out,
            estimated_runway=record.estimated_off,
            actual_runway=record.actual_off,
        ),
        "arrival": _movement(
            destination,
            terminal=record.terminal_destination,
            gate=record.gate_destination,
            baggage=record.baggage_claim,
            delay=_late(record.arrival_delay_minutes),
            scheduled=record.scheduled_in,
            estimated=record.estimated_in if reached else None,
            actual=record.actual_in if reached else None,
            estimated_runway=record.estimated_on,
            actual_runway=record.actual_on,
        ),
        "airline": {
            "name": airline.name if airline else carrier,
            "iata": record.carrier_iata,
            "icao": record.carrier_icao,
        },
        "flight": {
            "number": record.flight_number,
            "iata": record.ident_iata,
            "icao": record.ident_icao,
            "codeshared": None,
        },
        "aircraft": {
            "registration": record.registration,
            "iata": None,
            "icao": record.aircraft_type,
            "icao24": None,
        },
        "live": None,
    }


def page(records: list[dict[str, Any]], *, limit: int, offset: int, total: int) -> dict[str, Any]:
    """The ``{"pagination": ..., "data": [...]}`` envelope."""
    return {
        "pagination": {"limit": limit, "offset": offset, "count": len(records), "total": total},
        "data": records,
    }


def error(code: str, message: str) -> dict[str, Any]:
    """The ``{"error": {"code", "message"}}`` envelope."""
    return {"error": {"code": code, "message": message}}


def error_code(status: int) -> str:
    """The envelope code AviationStack uses with an HTTP status."""
    return "internal_error" if status >= 500 else ERROR_CODES.get(status, "unknown_error")
