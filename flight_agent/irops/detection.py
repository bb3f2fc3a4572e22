"""Detect disruptions from a flight record and, optionally, its previous snapshot.

States (delays, cancellation, diversion, return to gate, tarmac delay, late inbound) read the
current record alone; changes since the previous snapshot come from the monitor's own differ
(``flight_agent.irops.changes``), each carried by the state that reports it or by a disruption
of its own. A first "cancelled" is provisional until it persists (AeroAPI ``cancelled`` can mean
"no longer tracked"; ``flight_agent.irops.cancellation`` decides). Everything is pure: the
current time is passed in.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from flight_agent.airports import Airport
from flight_agent.irops.bands import DelayBand, delay_band
from flight_agent.irops.cancellation import (
    CANCELLATION_CONFIRMED_AFTER,
    cancellation_confirmed,
    cancellation_held,
)
from flight_agent.irops.changes import with_changes
from flight_agent.irops.disruptions import (
    BAND_SEVERITY,
    Disruption,
    DisruptionKind,
    Escalation,
    EvidenceValue,
    Severity,
    escalate,
)
from flight_agent.irops.formatting import duration_text, local_clock, whole_minutes
from flight_agent.irops.gate_times import expected_in, expected_out, returned_to_gate
from flight_agent.irops.inbound import predict_departure
from flight_agent.irops.tarmac import TarmacPhase, tarmac_clock
from flight_agent.models import FlightStatus, FlightStatusData

EARLY_DEPARTURE_TOLERANCE = timedelta(minutes=10)
"""Leaving this much (or more) before schedule is an early departure."""
TARMAC_REPORTED_AFTER = timedelta(hours=1)
"""Tarmac waits shorter than this are ordinary taxiing."""
TARMAC_CRITICAL_AFTER = timedelta(hours=3)
"""Where no tarmac rule applies, a wait this long is critical (the common 3 h limit)."""

# Tarmac escalation by time held: (at least this, severity)..., else default.
_TARMAC: Escalation = (
    ((timedelta(hours=2, minutes=30), Severity.HIGH), (timedelta(hours=2), Severity.MEDIUM)),
    Severity.LOW,
)


def detect_disruptions(
    current: FlightStatusData,
    previous: FlightStatusData | None = None,
    *,
    now: datetime,
    inbound: FlightStatusData | None = None,
) -> list[Disruption]:
    """Every disruption the flight's data shows.

    Args:
        current: The latest record of the flight.
        previous: The record before it, to detect changes; None on the first look.
        now: The current time (aware), for tarmac clocks, the urgency of changes and when they
            are detected.
        inbound: The aircraft's previous flight, to detect a late inbound aircraft.

    Returns:
        The disruptions found, states first (each carrying the changes it reports), then the
        other changes since ``previous``; empty for an unchanged flight on time.
    """
    found = [*_cancellation(current, previous), *_diversion(current)]
    if current.status is not FlightStatus.CANCELLED:
        found += [*_departure(current), *_arrival(current), *_return_to_gate(current, previous)]
        found += [*_tarmac(current, now), *_late_inbound(current, inbound)]
    if previous is None:
        return found
    return with_changes(found, current, previous, now=now)


def _delay(
    scheduled: datetime | None, actual: datetime | None, reported: int | None
) -> timedelta | None:
    if scheduled and actual:
        return actual - scheduled
    return timedelta(minutes=reported) if reported is not None else None


def _delay_disruption(
    kind: DisruptionKind,
    delay: timedelta,
    times: tuple[datetime | None, datetime | None],
    airport: Airport,
    evidence: dict[str, EvidenceValue],
) -> Iterator[Disruption]:
    departure = kind is DisruptionKind.DEPARTURE_DELAY
    band = delay_band(delay, departure=departure)
    if band is DelayBand.ON_TIME:
        return
    scheduled, actual = times
    detail = (
        f": scheduled {local_clock(scheduled, airport)}, now {local_clock(actual, airport)}"
        if scheduled and actual
        else " (as reported)"
    )
    yield Disruption(
        kind=kind,
        severity=BAND_SEVERITY[band],
        band=band,
        evidence={**evidence, "delay_minutes": whole_minutes(delay)},
        explanation=(
            f"{'Departure' if departure else 'Arrival'} {duration_text(delay)} late "
            f"({band}){detail}."
        ),
    )


def _departure(flight: FlightStatusData) -> Iterator[Disruption]:
    actual = expected_out(flight)
    delay = _delay(flight.scheduled_out, actual, flight.departure_delay_minutes)
    if delay is None:
        return
    evidence: dict[str, EvidenceValue] = {
        "scheduled_out": flight.scheduled_out,
        "estimated_out": flight.estimated_out,
        "actual_out": flight.actual_out,
        "departure_delay_minutes": flight.departure_delay_minutes,
    }
    if delay <= -EARLY_DEPARTURE_TOLERANCE:
        yield Disruption(
            kind=DisruptionKind.EARLY_DEPARTURE,
            severity=Severity.MEDIUM,
            evidence={**evidence, "delay_minutes": whole_minutes(delay)},
            explanation=f"Departs {duration_text(-delay)} early: check the boarding time.",
        )
        return
    yield from _delay_disruption(
        DisruptionKind.DEPARTURE_DELAY,
        delay,
        (flight.scheduled_out, actual),
        flight.origin,
        evidence,
    )


def _arrival(flight: FlightStatusData) -> Iterator[Disruption]:
    if flight.status is FlightStatus.DIVERTED or flight.diverted_to is not None:
        return
    actual = expected_in(flight)
    delay = _delay(flight.scheduled_in, actual, flight.arrival_delay_minutes)
    if delay is None:
        return
    evidence: dict[str, EvidenceValue] = {
        "scheduled_in": flight.scheduled_in,
        "estimated_in": flight.estimated_in,
        "actual_in": flight.actual_in,
        "arrival_delay_minutes": flight.arrival_delay_minutes,
    }
    yield from _delay_disruption(
        DisruptionKind.ARRIVAL_DELAY,
        delay,
        (flight.scheduled_in, actual),
        flight.destination,
        evidence,
    )


def _cancellation(
    current: FlightStatusData, previous: FlightStatusData | None
) -> Iterator[Disruption]:
    if not current.cancellation_reported:
        return
    held = cancellation_held(current, previous)
    confirmed = cancellation_confirmed(current, previous)
    yield Disruption(
        kind=DisruptionKind.CANCELLATION,
        severity=Severity.CRITICAL if confirmed else Severity.HIGH,
        provisional=not confirmed,
        evidence={
            "status": current.status.value,
            "cancellation_uncertain": current.cancellation_uncertain,
            "confirmed": confirmed,
            "status_text": current.status_text,
            "fetched_at": current.fetched_at,
            "previous_status": previous.status.value if previous else None,
            "previous_fetched_at": previous.fetched_at if previous else None,
        },
        explanation=(
            f"Cancelled: reported so for {duration_text(held)}."
            if confirmed and held is not None
            else f"Reported cancelled, not yet confirmed ({_unconfirmed(current, held)}): "
            "check with the airline before rebooking."
        ),
    )


def _unconfirmed(current: FlightStatusData, held: timedelta | None) -> str:
    """Why a reported cancellation is not yet confirmed, in the words of its evidence."""
    if current.cancellation_uncertain or current.status is not FlightStatus.CANCELLED:
        return f"{current.source} itself reports it as possible, not certain"
    if held is None:
        return "one report only, and a provider may only have stopped tracking it"
    return (
        f"reported for {duration_text(held)}, confirmed once it holds "
        f"{duration_text(CANCELLATION_CONFIRMED_AFTER)}"
    )


def _diversion(flight: FlightStatusData) -> Iterator[Disruption]:
    target = flight.diverted_to
    if flight.status is not FlightStatus.DIVERTED and target is None:
        return
    turnback = target is not None and target.code == flight.origin.code
    where = f"to {target.code}" if target else "(new destination not yet known)"
    yield Disruption(
        kind=DisruptionKind.AIR_TURNBACK if turnback else DisruptionKind.DIVERSION,
        severity=Severity.HIGH,
        evidence={
            "status": flight.status.value,
            "diverted_to": target.code if target else None,
            "destination": flight.destination.code,
        },
        explanation=(
            f"Returned to {flight.origin.code} after take-off (air turnback): expect a new "
            "departure or rebooking."
            if turnback
            else f"Diverted {where} instead of {flight.destination.code}."
        ),
    )


def _return_to_gate(
    current: FlightStatusData, previous: FlightStatusData | None
) -> Iterator[Disruption]:
    first_out = previous.actual_out if previous else None
    pushed_again = (
        first_out is not None
        and not current.has_taken_off
        and (current.actual_out is None or current.actual_out > first_out)
    )
    if not (returned_to_gate(current) or pushed_again):
        return
    new_out = expected_out(current) if returned_to_gate(current) else current.actual_out
    evidence: dict[str, EvidenceValue] = {
        "actual_out": current.actual_out,
        "actual_off": current.actual_off,
        "estimated_out": current.estimated_out,
        "previous_actual_out": first_out,
    }
    detail = f"; new departure {local_clock(new_out, current.origin)}" if new_out else ""
    yield Disruption(
        kind=DisruptionKind.RETURN_TO_GATE,
        severity=Severity.HIGH,
        evidence=evidence,
        explanation=f"Returned to the gate after pushback without taking off{detail}.",
    )


def _tarmac(flight: FlightStatusData, now: datetime) -> Iterator[Disruption]:
    clock = tarmac_clock(flight, now=now)
    if clock is None:
        return
    held = now - clock.started_at
    if held < TARMAC_REPORTED_AFTER:
        return
    limit = clock.limit_at or clock.started_at + TARMAC_CRITICAL_AFTER
    severity = Severity.CRITICAL if now >= limit else escalate(held, _TARMAC, below=False)
    since = "door closure" if clock.phase is TarmacPhase.DEPARTURE else "touchdown"
    parts = [
        f"Held on the tarmac {duration_text(held)} at {clock.airport.code} since {since} "
        f"{local_clock(clock.started_at, clock.airport)}"
    ]
    if clock.limit_at:
        parts.append(
            f"{clock.regime} limit {duration_text(clock.limit_at - clock.started_at)}: return to "
            f"a gate must begin by {local_clock(clock.limit_at, clock.airport)}"
        )
    if clock.food_water_due_at:
        due = "were due" if now >= clock.food_water_due_at else "are due"
        parts.append(
            f"food and water {due} by {local_clock(clock.food_water_due_at, clock.airport)}"
        )
    yield Disruption(
        kind=DisruptionKind.TARMAC_DELAY,
        severity=severity,
        evidence={
            "phase": clock.phase.value,
            "started_at": clock.started_at,
            "elapsed_minutes": clock.elapsed_minutes,
            "regime": clock.regime.value if clock.regime else None,
            "legal_basis": clock.legal_basis,
            "limit_at": clock.limit_at,
            "extended_limit_at": clock.extended_limit_at,
            "food_water_due_at": clock.food_water_due_at,
        },
        explanation="; ".join(parts) + ".",
    )


def _late_inbound(
    flight: FlightStatusData, inbound: FlightStatusData | None
) -> Iterator[Disruption]:
    if inbound is None or flight.has_departed:
        return
    prediction = predict_departure(flight, inbound)
    if prediction.predicted_out is None or prediction.scheduled_out is None:
        return
    delay = prediction.predicted_out - prediction.scheduled_out
    band = delay_band(delay, departure=True)
    if band is DelayBand.ON_TIME:
        return
    airline = flight.estimated_out or flight.scheduled_out
    still_on_time = (
        airline is not None
        and delay_band(airline - prediction.scheduled_out, departure=True) is DelayBand.ON_TIME
    )
    yield Disruption(
        kind=DisruptionKind.LATE_INBOUND,
        severity=BAND_SEVERITY[band],
        band=band,
        evidence={
            "inbound_flight_id": inbound.flight_id,
            "inbound_arrival": prediction.inbound_arrival,
            "min_turn_minutes": prediction.min_turn_minutes,
            "predicted_out": prediction.predicted_out,
            "predicted_delay_minutes": prediction.predicted_delay_minutes,
            "airline_estimated_out": flight.estimated_out,
            "confidence": prediction.confidence.value,
        },
        explanation=f"Late inbound aircraft: {prediction.explanation}"
        + (" (the airline still shows it on time)." if still_on_time else "."),
    )
