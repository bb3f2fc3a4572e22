"""Changes between two snapshots of a flight: gate, terminal, schedule, aircraft, airports.

The urgency of a gate or terminal change grows as departure (or, for arrival-side changes,
arrival) nears; a terminal change is landside and more urgent than a gate change.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from flight_agent.irops.bands import DelayBand, delay_band
from flight_agent.irops.disruptions import (
    BAND_SEVERITY,
    Disruption,
    DisruptionKind,
    Escalation,
    Severity,
    escalate,
)
from flight_agent.irops.formatting import duration_text, local_clock, whole_minutes
from flight_agent.irops.gate_times import expected_in, expected_out
from flight_agent.models import FlightStatusData

# Urgency of a gate or terminal change by time left: (less than this, severity)..., else default.
_URGENCY: dict[DisruptionKind, Escalation] = {
    DisruptionKind.GATE_CHANGE: (
        ((timedelta(hours=1), Severity.HIGH), (timedelta(hours=3), Severity.MEDIUM)),
        Severity.LOW,
    ),
    DisruptionKind.TERMINAL_CHANGE: (
        ((timedelta(hours=1), Severity.CRITICAL), (timedelta(hours=4), Severity.HIGH)),
        Severity.MEDIUM,
    ),
}

_CHANGE_FIELDS = (
    ("gate_origin", DisruptionKind.GATE_CHANGE, "Departure gate"),
    ("terminal_origin", DisruptionKind.TERMINAL_CHANGE, "Departure terminal"),
    ("gate_destination", DisruptionKind.GATE_CHANGE, "Arrival gate"),
    ("terminal_destination", DisruptionKind.TERMINAL_CHANGE, "Arrival terminal"),
)


def detect_changes(
    current: FlightStatusData, previous: FlightStatusData, *, now: datetime
) -> list[Disruption]:
    """The changes from one snapshot of a flight to the next.

    Args:
        current: The latest record.
        previous: The record before it.
        now: The current time (aware), for the urgency of gate and terminal changes.

    Returns:
        Gate, terminal, schedule, aircraft and airport changes, in that order.
    """
    return [
        *_gate_and_terminal(current, previous, now),
        *_schedule(current, previous),
        *_aircraft(current, previous),
        *_airports(current, previous),
    ]


def _diff(
    previous: FlightStatusData, current: FlightStatusData, field: str
) -> tuple[Any, Any] | None:
    """The old and new values of a field that changed from one known value to another."""
    old, new = getattr(previous, field), getattr(current, field)
    return (old, new) if old and new and old != new else None


def _gate_and_terminal(
    current: FlightStatusData, previous: FlightStatusData, now: datetime
) -> Iterator[Disruption]:
    for field, kind, label in _CHANGE_FIELDS:
        if not (values := _diff(previous, current, field)):
            continue
        old, new = values
        departing = field.endswith("origin")
        moment = (
            expected_out(current) or current.scheduled_out
            if departing
            else expected_in(current) or current.scheduled_in
        )
        left = moment - now if moment else None
        severity = (
            escalate(left, _URGENCY[kind], below=True) if left is not None else _URGENCY[kind][1]
        )
        timing = (
            f", {duration_text(left)} before {'departure' if departing else 'arrival'}"
            if left is not None
            else ""
        )
        landside = (
            " (landside: allow time to move and re-clear security)"
            if kind is DisruptionKind.TERMINAL_CHANGE and departing
            else ""
        )
        yield Disruption(
            kind=kind,
            severity=severity,
            evidence={
                field: new,
                f"previous_{field}": old,
                "minutes_left": whole_minutes(left) if left is not None else None,
            },
            explanation=f"{label} changed {old} to {new}{timing}{landside}.",
        )


def _schedule(current: FlightStatusData, previous: FlightStatusData) -> Iterator[Disruption]:
    for field, airport in (
        ("scheduled_out", current.origin),
        ("scheduled_in", current.destination),
    ):
        if not (values := _diff(previous, current, field)):
            continue
        old, new = values
        shift = new - old
        band = delay_band(abs(shift), departure=True)
        yield Disruption(
            kind=DisruptionKind.SCHEDULE_CHANGE,
            severity=Severity.LOW if band is DelayBand.ON_TIME else BAND_SEVERITY[band],
            band=band,
            evidence={field: new, f"previous_{field}": old, "shift_minutes": whole_minutes(shift)},
            explanation=(
                f"Schedule changed: {'departure' if field == 'scheduled_out' else 'arrival'} "
                f"moved {'later' if shift > timedelta(0) else 'earlier'} by "
                f"{duration_text(abs(shift))}, from {local_clock(old, airport)} to "
                f"{local_clock(new, airport)}."
            ),
        )


def _aircraft(current: FlightStatusData, previous: FlightStatusData) -> Iterator[Disruption]:
    changed = {
        field: values
        for field in ("registration", "aircraft_type")
        if (values := _diff(previous, current, field))
    }
    if not changed:
        return
    yield Disruption(
        kind=DisruptionKind.AIRCRAFT_SWAP,
        severity=Severity.MEDIUM if "aircraft_type" in changed else Severity.LOW,
        evidence={
            **{field: new for field, (_, new) in changed.items()},
            **{f"previous_{field}": old for field, (old, _) in changed.items()},
        },
        explanation="Aircraft changed: "
        + ", ".join(
            f"{field.replace('_', ' ')} {old} to {new}" for field, (old, new) in changed.items()
        )
        + " (seats and the inbound aircraft may differ).",
    )


def _airports(current: FlightStatusData, previous: FlightStatusData) -> Iterator[Disruption]:
    for field, label in (("origin", "Departure"), ("destination", "Arrival")):
        old, new = getattr(previous, field).code, getattr(current, field).code
        if old != new:
            yield Disruption(
                kind=DisruptionKind.AIRPORT_CHANGE,
                severity=Severity.HIGH,
                evidence={field: new, f"previous_{field}": old},
                explanation=f"{label} airport changed from {old} to {new}.",
            )
