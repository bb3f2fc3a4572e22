"""AeroDataBox shapes: ``FlightContract``, the airport feed status and the error contract.

Times are ``{utc, local}`` pairs in AeroDataBox's loose format ('2025-01-16 13:40Z',
'2025-01-16 23:40+10:00'). The contract has no delay field and one ``revisedTime`` per end
whose meaning (estimate or actual) follows the status, so some states cannot be told apart:
a flight that has landed but not reached its gate reads ``Arrived`` with only a runway time,
and its gate arrival estimate is lost.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from flight_agent.airlines import find_airline
from flight_agent.airports import Airport
from flight_agent.models import DISRUPTION_DELAY_MINUTES, FlightStatus, FlightStatusData

FEED_REACH = timedelta(days=365)

_STATUS = {
    FlightStatus.BOARDING: "Boarding",
    FlightStatus.DEPARTED: "Departed",
    FlightStatus.EN_ROUTE: "EnRoute",
    FlightStatus.LANDED: "Arrived",
    FlightStatus.ARRIVED: "Arrived",
    FlightStatus.CANCELLED: "Canceled",
    FlightStatus.DIVERTED: "Diverted",
    FlightStatus.UNKNOWN: "Unknown",
}


def utc_text(value: datetime) -> str:
    """'2025-01-16 13:40Z'."""
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%MZ")


def time_pair(value: datetime | None, airport: Airport) -> dict[str, str] | None:
    """A ``DateTimeContract``: the instant in UTC and in the airport's zone."""
    if value is None:
        return None
    local = value.astimezone(airport.zone) if airport.zone else value.astimezone(UTC)
    return {"utc": utc_text(value), "local": local.isoformat(sep=" ", timespec="minutes")}


def _airport(airport: Airport) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "icao": airport.icao,
        "iata": airport.iata,
        "name": airport.name or airport.code,
        "shortName": airport.city,
        "municipalityName": airport.city,
        "countryCode": airport.country,
        "timeZone": airport.timezone,
    }
    if airport.latitude is not None and airport.longitude is not None:
        fields["location"] = {"lat": airport.latitude, "lon": airport.longitude}
    return fields


def _movement(airport: Airport, times: dict[str, datetime | None], **extra: Any) -> dict[str, Any]:
    """A ``FlightAirportMovementContract``; absent times are left out, as AeroDataBox does."""
    movement: dict[str, Any] = {"airport": _airport(airport)}
    for name, value in times.items():
        pair = time_pair(value, airport)
        if pair is not None:
            movement[name] = pair
    return movement | extra | {"quality": ["Basic", "Live"]}


def status(record: FlightStatusData) -> str:
    """The ``FlightStatus`` enum value for a record (a late scheduled flight is 'Delayed')."""
    if record.status is FlightStatus.SCHEDULED:
        delay = record.departure_delay_minutes or 0
        return "Delayed" if delay >= DISRUPTION_DELAY_MINUTES else "Expected"
    return _STATUS[record.status]


def _arrival_revised(record: FlightStatusData) -> datetime | None:
    """The gate arrival ``revisedTime``: an actual once 'Arrived', else an estimate.

    A landed flight also reads 'Arrived', so its estimate would pass for an actual: left out.
    """
    if record.status is FlightStatus.ARRIVED:
        return record.actual_in
    if record.status is FlightStatus.LANDED:
        return None
    return record.estimated_in


def flight_contract(record: FlightStatusData) -> dict[str, Any]:
    """The ``FlightContract`` of an operating leg as it stands at ``record.fetched_at``."""
    carrier = record.carrier_iata or record.carrier_icao or ""
    airline = find_airline(carrier)
    return {
        "departure": _movement(
            record.origin,
            {
                "scheduledTime": record.scheduled_out,
                "revisedTime": record.actual_out or record.estimated_out,
                "runwayTime": record.actual_off,
            },
            terminal=record.terminal_origin,
            gate=record.gate_origin,
        ),
        "arrival": _movement(
            record.destination,
            {
                "scheduledTime": record.scheduled_in,
                "revisedTime": _arrival_revised(record),
                "predictedTime": record.estimated_on,
                "runwayTime": record.actual_on,
            },
            terminal=record.terminal_destination,
            gate=record.gate_destination,
            baggageBelt=record.baggage_claim,
        ),
        "lastUpdatedUtc": utc_text(record.fetched_at),
        "number": f"{carrier} {record.flight_number}",
        "callSign": record.ident_icao,
        "status": status(record),
        "codeshareStatus": "IsOperator",
        "isCargo": False,
        "aircraft": {"reg": record.registration, "model": record.aircraft_type},
        "airline": {
            "name": airline.name if airline else carrier,
            "iata": record.carrier_iata,
            "icao": record.carrier_icao,
        },
    }


def feeds(today: date) -> dict[str, Any]:
    """``GET /health/services/airports/{icao}/feeds``: every feed up, a year either way."""
    return {
        "flightSchedulesFeed": {"service": "FlightSchedules", "status": "OK"},
        "liveFlightUpdatesFeed": {"service": "FlightLiveUpdates", "status": "OK"},
        "adsbUpdatesFeed": {"service": "AdsbUpdates", "status": "OK"},
        "generalAvailability": {
            "minAvailableLocalDate": f"{today - FEED_REACH}T00:00:00",
            "maxAvailableLocalDate": f"{today + FEED_REACH}T00:00:00",
        },
    }


def error(message: str) -> dict[str, Any]:
    """The ``ErrorContract``."""
    return {"message": message}
