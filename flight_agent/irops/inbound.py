"""Late inbound aircraft: predict a departure from the aircraft's previous flight.

Predicted out = max(scheduled out, inbound gate arrival + minimum turn). The minimum achievable
turn is 30 min for a narrowbody and 60 min for a widebody (EUROCONTROL CODA P10 turnarounds);
aircraft types map to a class in ``data/aircraft_types.csv``. Airlines often still show "on
time" when the inbound is already late.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from enum import StrEnum
from functools import cache
from itertools import pairwise

from pydantic import BaseModel, ConfigDict

from flight_agent.irops.formatting import duration_text, local_clock, whole_minutes
from flight_agent.irops.gate_times import expected_out
from flight_agent.irops.rights.common import Confidence, lowest
from flight_agent.irops.tables import read_table
from flight_agent.models import FlightStatusData, UtcDatetime


class AircraftClass(StrEnum):
    """Body class, which sets the minimum turn."""

    NARROWBODY = "narrowbody"
    WIDEBODY = "widebody"


MIN_TURN = {
    AircraftClass.NARROWBODY: timedelta(minutes=30),
    AircraftClass.WIDEBODY: timedelta(minutes=60),
}
"""Minimum achievable turn by class."""


@cache
def _classes() -> dict[str, AircraftClass]:
    return {row["type"]: AircraftClass(row["class"]) for row in read_table("aircraft_types.csv")}


def aircraft_class(aircraft_type: str | None) -> AircraftClass | None:
    """The body class of an aircraft type; None when unknown.

    Args:
        aircraft_type: ICAO or IATA type designator, e.g. ``"A321"`` or ``"77W"``.
    """
    return _classes().get(aircraft_type.strip().upper()) if aircraft_type else None


class InboundPrediction(BaseModel):
    """When a flight can leave, given where its aircraft is."""

    model_config = ConfigDict(frozen=True)

    flight_id: str
    inbound_flight_id: str
    scheduled_out: UtcDatetime | None
    airline_estimated_out: UtcDatetime | None
    inbound_arrival: UtcDatetime | None
    aircraft_class: AircraftClass
    min_turn_minutes: int
    predicted_out: UtcDatetime | None
    predicted_delay_minutes: int | None
    confidence: Confidence
    explanation: str


def _inbound_arrival(inbound: FlightStatusData) -> tuple[datetime | None, Confidence]:
    if inbound.actual_in:
        return inbound.actual_in, Confidence.HIGH
    if inbound.estimated_in:
        return inbound.estimated_in, Confidence.MEDIUM
    return inbound.scheduled_in, Confidence.LOW


def predict_departure(flight: FlightStatusData, inbound: FlightStatusData) -> InboundPrediction:
    """Predict a flight's departure from the gate arrival of its inbound aircraft.

    Args:
        flight: The flight to predict.
        inbound: The aircraft's previous flight (``flight.inbound_flight_id``).

    Returns:
        The prediction; ``predicted_out`` is None (with the reason) when a needed time is missing.
    """
    arrival, confidence = _inbound_arrival(inbound)
    body = aircraft_class(flight.aircraft_type or inbound.aircraft_type)
    notes: list[str] = []
    if body is None:
        notes.append(f"aircraft type {flight.aircraft_type or 'unknown'}: narrowbody turn assumed")
        confidence = lowest(confidence, Confidence.LOW)
    if flight.registration and inbound.registration and flight.registration != inbound.registration:
        notes.append(f"tail changed ({inbound.registration} to {flight.registration}): re-resolve")
        confidence = Confidence.LOW
    if inbound.destination != flight.origin:
        notes.append(f"inbound lands at {inbound.destination.code}, not {flight.origin.code}")
        confidence = Confidence.LOW
    turn = MIN_TURN[body or AircraftClass.NARROWBODY]
    scheduled = flight.scheduled_out
    predicted: datetime | None = None
    delay: timedelta | None = None
    if scheduled is None or arrival is None:
        summary = "cannot predict: scheduled departure or inbound arrival unknown"
        confidence = Confidence.LOW
    else:
        predicted = max(scheduled, arrival + turn)
        delay = predicted - scheduled
        summary = (
            f"inbound {inbound.flight_id} at the gate {local_clock(arrival, flight.origin)}"
            f" + {duration_text(turn)} turn: departure {local_clock(predicted, flight.origin)},"
            f" {duration_text(delay)} late"
        )
    return InboundPrediction(
        flight_id=flight.flight_id,
        inbound_flight_id=inbound.flight_id,
        scheduled_out=flight.scheduled_out,
        airline_estimated_out=flight.estimated_out,
        inbound_arrival=arrival,
        aircraft_class=body or AircraftClass.NARROWBODY,
        min_turn_minutes=whole_minutes(turn),
        predicted_out=predicted,
        predicted_delay_minutes=whole_minutes(delay) if delay is not None else None,
        confidence=confidence,
        explanation="; ".join([summary, *notes]),
    )


def predict_rotation(legs: Sequence[FlightStatusData]) -> tuple[InboundPrediction, ...]:
    """Propagate delay down an aircraft's rotation (the same tail, in flying order).

    Each leg after the first is predicted from the previous leg's predicted gate arrival: its
    predicted departure plus its scheduled block, or its own estimate when later.

    Args:
        legs: The aircraft's flights of the day, first to last.

    Returns:
        One prediction per leg after the first.
    """
    predictions: list[InboundPrediction] = []
    previous_out = (expected_out(legs[0]) or legs[0].scheduled_out) if legs else None
    for inbound, flight in pairwise(legs):
        arrival = _propagated_arrival(inbound, previous_out)
        prediction = predict_departure(flight, inbound.model_copy(update={"estimated_in": arrival}))
        predictions.append(prediction)
        previous_out = prediction.predicted_out
    return tuple(predictions)


def _propagated_arrival(leg: FlightStatusData, departure: datetime | None) -> datetime | None:
    estimate = leg.actual_in or leg.estimated_in
    if leg.actual_in or departure is None or not (leg.scheduled_in and leg.scheduled_out):
        return estimate or leg.scheduled_in
    propagated = departure + (leg.scheduled_in - leg.scheduled_out)
    return max(propagated, estimate) if estimate else propagated
