"""Records and times shared by the monitoring tests.

The ``clock`` fixture starts at 2026-11-28 12:00 UTC; the flight leaves six hours later.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from flight_agent.airports import get_airport
from flight_agent.models import FlightStatus, FlightStatusData

DAY = date(2026, 11, 28)
NOON = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
DEPARTURE = NOON + timedelta(hours=6)
ARRIVAL = DEPARTURE + timedelta(hours=8, minutes=15)


def minutes(value: float) -> timedelta:
    """A duration in minutes."""
    return timedelta(minutes=value)


def record(**overrides: Any) -> FlightStatusData:
    """BA117 LHR-JFK on 2026-11-28, scheduled 18:00Z-02:15Z, with fields replaced."""
    fields: dict[str, Any] = {
        "flight_id": "BA117",
        "flight_date": DAY,
        "origin": get_airport("LHR"),
        "destination": get_airport("JFK"),
        "scheduled_out": DEPARTURE,
        "scheduled_in": ARRIVAL,
        "status": FlightStatus.SCHEDULED,
        "source": "Test",
        "fetched_at": NOON,
    }
    return FlightStatusData(**(fields | overrides))


def amend(base: FlightStatusData, **overrides: Any) -> FlightStatusData:
    """A copy of ``base`` with fields replaced (validated like a new record)."""
    return FlightStatusData.model_validate(base.model_dump(exclude={"is_disrupted"}) | overrides)
