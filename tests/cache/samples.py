"""Flight records and cache entries for the cache tests, timed around the ``clock`` fixture."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from flight_agent.airports import get_airport
from flight_agent.cache import CacheEntry
from flight_agent.models import Attempt, FlightStatus, FlightStatusData

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
"""Where the ``clock`` fixture starts."""

DAY = date(2026, 11, 28)


def flight(**overrides: Any) -> FlightStatusData:
    """A scheduled BA117 LHR-JFK departing 6 h after ``NOW``; ``overrides`` replace fields."""
    fields: dict[str, Any] = {
        "flight_id": "BA117",
        "flight_date": DAY,
        "origin": get_airport("LHR"),
        "destination": get_airport("JFK"),
        "scheduled_out": NOW + timedelta(hours=6),
        "scheduled_in": NOW + timedelta(hours=14),
        "status": FlightStatus.SCHEDULED,
        "source": "Test",
        "fetched_at": NOW,
    }
    return FlightStatusData(**(fields | overrides))


def full_flight() -> FlightStatusData:
    """A diverted record with every field set, to check that storage loses nothing."""
    minute = timedelta(minutes=1)
    times = {
        f"{kind}_{point}": NOW + (i * 4 + j) * minute
        for i, point in enumerate(("out", "off", "on", "in"))
        for j, kind in enumerate(("scheduled", "estimated", "actual"))
    }
    return flight(
        **times,
        ident_iata="BA117",
        ident_icao="BAW117",
        carrier_iata="BA",
        carrier_icao="BAW",
        flight_number="117",
        diverted_to=get_airport("BOS"),
        departure_delay_minutes=-3,
        arrival_delay_minutes=95,
        status=FlightStatus.DIVERTED,
        status_text="Diverted / En Route",
        cancellation_uncertain=True,
        gate_origin="B42",
        gate_destination="7",
        terminal_origin="5",
        terminal_destination="8",
        baggage_claim="3",
        registration="G-XWBA",
        aircraft_type="A35K",
        codeshares=("AA6126", "IB7381"),
        legs=("LHR-JFK",),
        provider_flight_id="BAW117-1764307200-schedule-0001",
        inbound_flight_id="BAW116-1764220800-schedule-0002",
        source="aeroapi",
        fetched_at=NOW - 30 * minute,
        attempts=(
            Attempt(provider="aeroapi", outcome="timeout", latency_ms=3000.0, detail="slow"),
            Attempt(provider="aerodatabox", outcome="success", latency_ms=212.5),
        ),
    )


def entry(
    value: FlightStatusData | None,
    *,
    fresh: timedelta = timedelta(minutes=5),
    stale: timedelta = timedelta(hours=1),
    at: datetime = NOW,
) -> CacheEntry:
    """An entry stored ``at``, fresh for ``fresh`` and then stale for ``stale``."""
    return CacheEntry(value, at, at + fresh, at + fresh + stale)
