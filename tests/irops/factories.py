"""Builders for the IROPS tests: aware times from local wall clocks, and flight records."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from flight_agent.airports import get_airport
from flight_agent.irops import ItineraryFacts
from flight_agent.models import FlightStatus, FlightStatusData

FIXTURES = Path(__file__).parent / "fixtures"


def at(wall_clock: str, zone: str) -> datetime:
    """UTC instant of a local wall-clock time: ``at("2025-07-15 08:00", "Europe/Paris")``."""
    return datetime.fromisoformat(wall_clock).replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)


def utc(text: str) -> datetime:
    """An aware UTC instant from ``"2025-07-15 07:00"``."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def flight(ident: str, route: str, day: str, **fields: Any) -> FlightStatusData:
    """A flight record: ``flight("BA117", "LHR-JFK", "2025-03-20", scheduled_out=...)``."""
    origin, destination = route.split("-")
    values: dict[str, Any] = {
        "flight_id": ident,
        "ident_iata": ident,
        "carrier_iata": ident[:2],
        "flight_number": ident[2:],
        "flight_date": date.fromisoformat(day),
        "origin": get_airport(origin),
        "destination": get_airport(destination),
        "status": FlightStatus.SCHEDULED,
        "source": "test",
        "fetched_at": datetime.fromisoformat(day).replace(tzinfo=UTC),
    }
    return FlightStatusData(**(values | fields))


def trip(route: str, day: str, **fields: Any) -> ItineraryFacts:
    """Journey facts: ``trip("AMS-JFK", "2025-07-15", operating_carrier="KL", ...)``."""
    origin, destination = route.split("-")
    values: dict[str, Any] = {
        "origin": get_airport(origin),
        "destination": get_airport(destination),
        "flight_date": date.fromisoformat(day),
    }
    return ItineraryFacts(**(values | fields))
