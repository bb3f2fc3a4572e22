"""Compact texts for the model: the facts an agent needs, in a few hundred characters.

Times are local at the airport with the zone abbreviation and UTC, e.g.
``09:40 GMT (09:40Z)``; the full record stays in the tool's artifact.
"""

from __future__ import annotations

from datetime import date, datetime

from flight_agent.airports import Airport
from flight_agent.irops.formatting import delay_text
from flight_agent.models import FlightStatusData, local_clock
from tools.payloads import BatchStatusResult, FlightStatusResult, ProviderHealthResult


def clock_time(value: datetime | None, airport: Airport, day: date | None = None) -> str:
    """'09:40 GMT (09:40Z)', prefixed with the local date when it is not ``day``; '?' unknown."""
    return local_clock(value, airport, day=day, unknown="?")


def _end(
    label: str, scheduled: datetime | None, best: datetime | None, airport: Airport, day: date
) -> str:
    text = f"{label} {airport.code} sched {clock_time(scheduled, airport, day)}"
    if best is not None and best != scheduled:
        text += f", now {clock_time(best, airport, day)}"
    return text


def _place(gate: str | None, terminal: str | None) -> str:
    parts = [f"T{terminal}" if terminal else "", f"gate {gate}" if gate else ""]
    joined = " ".join(part for part in parts if part)
    return f" [{joined}]" if joined else ""


def flight_line(flight: FlightStatusData) -> str:
    """One line: designator, route, date, status and delay."""
    status = flight.status.value.upper().replace("_", " ")
    diverted = f" to {flight.diverted_to.code}" if flight.diverted_to else ""
    return (
        f"{flight.flight_id} {flight.origin.code}->{flight.destination.code} "
        f"{flight.flight_date.isoformat()}: {status}{diverted}, "
        f"departure {delay_text(flight.departure_delay_minutes)}"
    )


def flight_summary(result: FlightStatusResult) -> str:
    """The model's view of one flight (about 400-600 characters)."""
    flight = result.flight
    day = flight.flight_date
    departure = _end("Dep", flight.scheduled_out, flight.best_departure, flight.origin, day)
    arrival = _end("Arr", flight.scheduled_in, flight.best_arrival, flight.destination, day)
    lines = [
        flight_line(flight) + f", arrival {delay_text(flight.arrival_delay_minutes)}.",
        departure + _place(flight.gate_origin, flight.terminal_origin) + ".",
        arrival + _place(flight.gate_destination, flight.terminal_destination) + ".",
    ]
    if flight.cancellation_uncertain:
        lines.append("Cancellation not yet confirmed by the provider.")
    if flight.aircraft_type or flight.registration:
        lines.append(f"Aircraft {flight.aircraft_type or '?'} {flight.registration or ''}".strip())
    age = _age(result.data_age_seconds)
    stale = " STALE copy: every provider is failing." if result.stale else ""
    lines.append(f"Source {flight.source}, data {age} old.{stale} Date {result.query.date_note}.")
    return "\n".join(lines)


def _age(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def batch_summary(result: BatchStatusResult) -> str:
    """One line per flight, then the counts."""
    lines = []
    for item in result.items:
        if item.flight is not None:
            stale = " (STALE)" if item.flight.stale else ""
            lines.append(f"{item.index + 1}. {flight_line(item.flight)}{stale}")
        else:
            name = item.query.flight_number if item.query else "?"
            lines.append(f"{item.index + 1}. {name}: {item.error_kind}: {item.error}")
    lines.append(f"{result.found} found, {result.failed} without an answer, {result.stale} stale.")
    return "\n".join(lines)


def health_summary(result: ProviderHealthResult) -> str:
    """One line per provider: state, success rate, p95 latency, last error."""
    lines = []
    for entry in result.providers:
        rate = f"{entry.success_rate:.0%}" if entry.success_rate is not None else "n/a"
        p95 = f"{entry.latency_p95_ms:.0f} ms" if entry.latency_p95_ms is not None else "n/a"
        enabled = "" if entry.enabled else " (disabled)"
        line = f"{entry.name} (priority {entry.priority}){enabled}: {entry.state}, "
        line += f"success {rate} of {entry.requests}, p95 {p95}"
        if entry.cooldown_left_s:
            line += f", cooling down {entry.cooldown_left_s:.0f} s"
        if entry.last_error:
            line += f"; last error: {entry.last_error[:120]}"
        lines.append(line)
    return "\n".join(lines)
