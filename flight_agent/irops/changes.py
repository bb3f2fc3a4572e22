"""The changes since the previous snapshot of a flight, as the IROPS engine reports them.

The changes are the monitor's own (``flight_agent.changes.diff_snapshots``): a watch of the
flight and ``detect_disruptions`` on the same two snapshots report the same changes. Each change
is carried by exactly one disruption (in its ``changes``): by the disruption read from the latest
record that already reports it (a cancellation, a diversion, a delay or early departure on the
same side), else by a disruption of its own, worded and rated here.

The urgency of a gate or terminal change (a first assignment too: the traveller has to get
there) grows as departure (or, for arrival-side changes, arrival) nears; a terminal change is
landside and more urgent than a gate change. Milestones, status changes and a delay back within
the on-time band are news rather than disruptions: they come at ``Severity.INFO``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import groupby

from flight_agent.changes import ChangeKind, ChangeValue, FlightChange, diff_snapshots
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

_DEPARTURE_LATENESS = frozenset({DisruptionKind.DEPARTURE_DELAY, DisruptionKind.EARLY_DEPARTURE})
_ARRIVAL_LATENESS = frozenset({DisruptionKind.ARRIVAL_DELAY})

_CARRIERS: dict[tuple[ChangeKind, str], frozenset[DisruptionKind]] = {
    (ChangeKind.CANCELLED, "status"): frozenset({DisruptionKind.CANCELLATION}),
    (ChangeKind.CANCELLED, "cancellation_uncertain"): frozenset({DisruptionKind.CANCELLATION}),
    (ChangeKind.DIVERTED, "diverted_to"): frozenset(
        {DisruptionKind.DIVERSION, DisruptionKind.AIR_TURNBACK}
    ),
    (ChangeKind.DELAY, "departure_delay_minutes"): _DEPARTURE_LATENESS,
    (ChangeKind.ESTIMATED_DEPARTURE, "estimated_out"): _DEPARTURE_LATENESS,
    (ChangeKind.DELAY, "arrival_delay_minutes"): _ARRIVAL_LATENESS,
    (ChangeKind.ESTIMATED_ARRIVAL, "estimated_in"): _ARRIVAL_LATENESS,
}
"""The disruptions read from the latest record that report a change, by (kind, field).

A cancellation or diversion change always has its disruption there; a delay or estimate change
has one unless the flight is now within the on-time band (or cancelled, or diverted)."""

_LABELS = {
    "gate_origin": "Departure gate",
    "gate_destination": "Arrival gate",
    "terminal_origin": "Departure terminal",
    "terminal_destination": "Arrival terminal",
}

_MILESTONE_WORDS = {
    "actual_out": "Left the gate",
    "actual_off": "Took off",
    "actual_on": "Landed",
    "actual_in": "Reached the gate",
}


@dataclass(frozen=True, slots=True)
class _Pair:
    """The two snapshots the changes were found between, and the time of the look."""

    previous: FlightStatusData
    current: FlightStatusData
    now: datetime


def with_changes(
    found: list[Disruption],
    current: FlightStatusData,
    previous: FlightStatusData,
    *,
    now: datetime,
) -> list[Disruption]:
    """The disruptions read from the latest record, and every change since the previous one.

    Args:
        found: The disruptions read from ``current`` (and, for confirmations, ``previous``).
        current: The latest record.
        previous: The record before it.
        now: The current time (aware): when the changes are detected, and the urgency of gate
            and terminal changes.

    Returns:
        ``found``, each carrying the changes it reports, then one disruption per other change
        (the aircraft's registration and type together), in ``ChangeKind`` order.
    """
    left = diff_snapshots(previous, current, now=now)
    carried: list[Disruption] = []
    for disruption in found:
        mine = tuple(c for c in left if disruption.kind in _CARRIERS.get((c.kind, c.field), ()))
        left = [change for change in left if change not in mine]
        carried.append(disruption.model_copy(update={"changes": mine}) if mine else disruption)
    pair = _Pair(previous, current, now)
    own = [_WORDING[kind](tuple(group), pair) for (kind, _), group in groupby(left, key=_topic)]
    return carried + own


def _topic(change: FlightChange) -> tuple[ChangeKind, str]:
    """What one disruption of its own reports: the aircraft as a whole, else one field."""
    return change.kind, "" if change.kind is ChangeKind.AIRCRAFT else change.field


def _time(value: ChangeValue) -> datetime:
    """A time the differ reported (ISO 8601)."""
    return datetime.fromisoformat(str(value))


def _gate_or_terminal(changes: tuple[FlightChange, ...], pair: _Pair) -> Disruption:
    (change,) = changes
    field, old, new = change.field, change.old, change.new
    kind = (
        DisruptionKind.GATE_CHANGE
        if change.kind is ChangeKind.GATE
        else DisruptionKind.TERMINAL_CHANGE
    )
    current = pair.current
    departing = field.endswith("origin")
    moment = (
        expected_out(current) or current.scheduled_out
        if departing
        else expected_in(current) or current.scheduled_in
    )
    left = moment - pair.now if moment else None
    severity = escalate(left, _URGENCY[kind], below=True) if left is not None else _URGENCY[kind][1]
    timing = (
        f", {duration_text(left)} before {'departure' if departing else 'arrival'}"
        if left is not None
        else ""
    )
    landside = (
        " (landside: allow time to move and re-clear security)"
        if kind is DisruptionKind.TERMINAL_CHANGE and departing and old is not None
        else ""
    )
    what = f"changed {old} to {new}" if old is not None else f"{new} assigned"
    return Disruption(
        kind=kind,
        severity=severity,
        evidence={
            field: new,
            f"previous_{field}": old,
            "minutes_left": whole_minutes(left) if left is not None else None,
        },
        explanation=f"{_LABELS[field]} {what}{timing}{landside}.",
        changes=changes,
    )


def _schedule(changes: tuple[FlightChange, ...], pair: _Pair) -> Disruption:
    (change,) = changes
    field, old, new = change.field, _time(change.old), _time(change.new)
    departure = field == "scheduled_out"
    airport = pair.current.origin if departure else pair.current.destination
    shift = new - old
    band = delay_band(abs(shift), departure=True)
    return Disruption(
        kind=DisruptionKind.SCHEDULE_CHANGE,
        severity=Severity.LOW if band is DelayBand.ON_TIME else BAND_SEVERITY[band],
        band=band,
        evidence={field: new, f"previous_{field}": old, "shift_minutes": whole_minutes(shift)},
        explanation=(
            f"Schedule changed: {'departure' if departure else 'arrival'} moved "
            f"{'later' if shift > timedelta(0) else 'earlier'} by {duration_text(abs(shift))}, "
            f"from {local_clock(old, airport)} to {local_clock(new, airport)}."
        ),
        changes=changes,
    )


def _aircraft(changes: tuple[FlightChange, ...], pair: _Pair) -> Disruption:
    swapped = any(change.old is not None for change in changes)
    new_type = any(c.field == "aircraft_type" and c.old is not None for c in changes)
    parts = [
        f"{c.field.replace('_', ' ')} {c.old} to {c.new}"
        if c.old is not None
        else f"{c.field.replace('_', ' ')} {c.new}"
        for c in changes
    ]
    return Disruption(
        kind=DisruptionKind.AIRCRAFT_SWAP,
        severity=Severity.MEDIUM if new_type else Severity.LOW if swapped else Severity.INFO,
        evidence={
            **{change.field: change.new for change in changes},
            **{f"previous_{change.field}": change.old for change in changes},
        },
        explanation=(
            f"Aircraft changed: {', '.join(parts)} (seats and the inbound aircraft may differ)."
            if swapped
            else f"Aircraft assigned: {', '.join(parts)}."
        ),
        changes=changes,
    )


def _airport(changes: tuple[FlightChange, ...], pair: _Pair) -> Disruption:
    (change,) = changes
    label = "Departure" if change.field == "origin" else "Arrival"
    return Disruption(
        kind=DisruptionKind.AIRPORT_CHANGE,
        severity=Severity.HIGH,
        evidence={change.field: change.new, f"previous_{change.field}": change.old},
        explanation=f"{label} airport changed from {change.old} to {change.new}.",
        changes=changes,
    )


def _cancellation_withdrawn(changes: tuple[FlightChange, ...], pair: _Pair) -> Disruption:
    status = pair.current.status
    return Disruption(
        kind=DisruptionKind.CANCELLATION_WITHDRAWN,
        severity=Severity.HIGH,
        provisional=True,
        evidence={
            "status": status.value,
            "cancellation_uncertain": pair.current.cancellation_uncertain,
            "previous_status": pair.previous.status.value,
        },
        explanation=(
            f"No longer reported cancelled (status {status}): the flight may operate after all; "
            "check with the airline before rebooking."
        ),
        changes=changes,
    )


def _milestone(changes: tuple[FlightChange, ...], pair: _Pair) -> Disruption:
    (change,) = changes
    departed = change.kind is ChangeKind.DEPARTED
    airport = pair.current.origin if departed else pair.current.destination
    when = _time(change.new)
    return Disruption(
        kind=DisruptionKind.DEPARTED if departed else DisruptionKind.ARRIVED,
        severity=Severity.INFO,
        evidence={change.field: when},
        explanation=(
            f"{_MILESTONE_WORDS[change.field]} at {airport.code} {local_clock(when, airport)}."
        ),
        changes=changes,
    )


def _status(changes: tuple[FlightChange, ...], pair: _Pair) -> Disruption:
    (change,) = changes
    old, new = (str(value).replace("_", " ") for value in (change.old, change.new))
    return Disruption(
        kind=DisruptionKind.STATUS_CHANGE,
        severity=Severity.INFO,
        evidence={"status": change.new, "previous_status": change.old},
        explanation=f"Status changed from {old} to {new}.",
        changes=changes,
    )


def _lateness(changes: tuple[FlightChange, ...], pair: _Pair) -> Disruption:
    """A delay or estimate that moved while no delay is reported on that side."""
    (change,) = changes
    departure = change.field in ("departure_delay_minutes", "estimated_out")
    side = "departure" if departure else "arrival"
    if change.kind is ChangeKind.DELAY:
        was = f"{change.old} min" if change.old is not None else "unknown"
        text = f"{side.capitalize()} delay now {change.new} min (was {was})."
    else:
        airport = pair.current.origin if departure else pair.current.destination
        old, new = _time(change.old), _time(change.new)
        text = (
            f"Estimated {side} now {local_clock(new, airport)} (was {local_clock(old, airport)})."
        )
    return Disruption(
        kind=DisruptionKind.DEPARTURE_DELAY if departure else DisruptionKind.ARRIVAL_DELAY,
        severity=Severity.INFO,
        evidence={change.field: change.new, f"previous_{change.field}": change.old},
        explanation=text,
        changes=changes,
    )


def _inbound(changes: tuple[FlightChange, ...], pair: _Pair) -> Disruption:
    (change,) = changes
    was = f" (was {change.old})" if change.old is not None else ""
    return Disruption(
        kind=DisruptionKind.INBOUND_CHANGE,
        severity=Severity.LOW if change.old is not None else Severity.INFO,
        evidence={"inbound_flight_id": change.new, "previous_inbound_flight_id": change.old},
        explanation=(
            f"The aircraft comes in on {change.new}{was}: that flight's delays carry over to "
            "this departure."
        ),
        changes=changes,
    )


_WORDING: dict[ChangeKind, Callable[[tuple[FlightChange, ...], _Pair], Disruption]] = {
    ChangeKind.UNCANCELLED: _cancellation_withdrawn,
    ChangeKind.AIRPORT: _airport,
    ChangeKind.DEPARTED: _milestone,
    ChangeKind.ARRIVED: _milestone,
    ChangeKind.STATUS: _status,
    ChangeKind.SCHEDULE: _schedule,
    ChangeKind.DELAY: _lateness,
    ChangeKind.ESTIMATED_DEPARTURE: _lateness,
    ChangeKind.ESTIMATED_ARRIVAL: _lateness,
    ChangeKind.GATE: _gate_or_terminal,
    ChangeKind.TERMINAL: _gate_or_terminal,
    ChangeKind.AIRCRAFT: _aircraft,
    ChangeKind.INBOUND: _inbound,
}
"""How a change no disruption read from the latest record reports is worded and rated
(cancellations and diversions always have one, see ``_CARRIERS``)."""
