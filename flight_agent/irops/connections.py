"""Connection risk: will the passenger make the onward flight?

Slack is the onward flight's expected gate departure minus the inbound flight's expected gate
arrival. With the minimum connection time (MCT) from the table: slack >= MCT + 15 min is ok,
MCT <= slack < MCT + 15 is tight, 0 <= slack < MCT is at risk, slack < 0 is missed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from enum import StrEnum
from itertools import pairwise

from pydantic import BaseModel, ConfigDict

from flight_agent.airports import Airport
from flight_agent.irops.countries import country_groups
from flight_agent.irops.formatting import duration_text, local_clock, whole_minutes
from flight_agent.irops.gate_times import expected_in, expected_out
from flight_agent.irops.mct import MctQuery, MctTable, default_mct_table
from flight_agent.models import FlightStatus, FlightStatusData, UtcDatetime

TIGHT_BUFFER = timedelta(minutes=15)
"""Slack within this much above the MCT is tight."""


class ConnectionRisk(StrEnum):
    """How likely the connection is to hold."""

    OK = "ok"
    TIGHT = "tight"
    AT_RISK = "at_risk"
    MISSED = "missed"
    UNKNOWN = "unknown"


_WORST_FIRST = (
    ConnectionRisk.MISSED,
    ConnectionRisk.AT_RISK,
    ConnectionRisk.UNKNOWN,
    ConnectionRisk.TIGHT,
    ConnectionRisk.OK,
)


def classify_connection(slack: timedelta, mct: timedelta) -> ConnectionRisk:
    """Classify a connection by its slack against the minimum connection time.

    Args:
        slack: Onward departure minus inbound arrival.
        mct: Minimum connection time.
    """
    if slack < timedelta(0):
        return ConnectionRisk.MISSED
    if slack < mct:
        return ConnectionRisk.AT_RISK
    if slack < mct + TIGHT_BUFFER:
        return ConnectionRisk.TIGHT
    return ConnectionRisk.OK


class ConnectionAssessment(BaseModel):
    """One connection between two legs."""

    model_config = ConfigDict(frozen=True)

    airport: str
    inbound_flight: str
    onward_flight: str
    inbound_arrival: UtcDatetime | None
    onward_departure: UtcDatetime | None
    category: str | None
    slack_minutes: int | None
    mct_minutes: int | None
    mct_source: str | None
    risk: ConnectionRisk
    explanation: str


class ItineraryAssessment(BaseModel):
    """Every connection of an itinerary, and the worst risk among them."""

    model_config = ConfigDict(frozen=True)

    connections: tuple[ConnectionAssessment, ...]
    risk: ConnectionRisk


def _domestic(airport: Airport, other: Airport) -> str:
    known = airport.country is not None and airport.country == other.country
    return "D" if known else "I"


def assess_connection(
    inbound: FlightStatusData, onward: FlightStatusData, *, table: MctTable | None = None
) -> ConnectionAssessment:
    """Assess whether a passenger can make the onward flight.

    Args:
        inbound: The arriving flight.
        onward: The flight to connect to.
        table: MCT table; the packaged one by default.

    Returns:
        The risk with the slack and the MCT used; ``unknown`` (with the reason) when a time or
        an MCT is missing.
    """
    arrives_at = inbound.diverted_to or inbound.destination
    leaves_from = onward.origin
    airport = (
        arrives_at.code
        if arrives_at.code == leaves_from.code
        else f"{arrives_at.code}-{leaves_from.code}"
    )
    arrival = expected_in(inbound) or inbound.scheduled_in
    departure = expected_out(onward) or onward.scheduled_out
    category = _domestic(arrives_at, inbound.origin) + _domestic(arrives_at, onward.destination)
    rule = (table or default_mct_table()).lookup(
        MctQuery(
            airport=airport,
            category=category,
            day=onward.flight_date,
            arrival_terminal=inbound.terminal_destination,
            departure_terminal=onward.terminal_origin,
            carrier=onward.carrier_iata,
            onward_groups=country_groups(onward.destination.country or "", onward.flight_date),
        )
    )
    base = {
        "airport": airport,
        "inbound_flight": inbound.flight_id,
        "onward_flight": onward.flight_id,
        "inbound_arrival": arrival,
        "onward_departure": departure,
        "category": category,
        "mct_minutes": rule.minutes if rule else None,
        "mct_source": rule.source if rule else None,
    }
    cancelled = [f.flight_id for f in (inbound, onward) if f.status is FlightStatus.CANCELLED]
    if cancelled:
        return ConnectionAssessment(
            **base,
            slack_minutes=None,
            risk=ConnectionRisk.MISSED,
            explanation=f"{' and '.join(cancelled)} cancelled: the connection is broken.",
        )
    if arrival is None or departure is None or rule is None:
        missing = "an MCT for this connection" if rule is None else "a gate time"
        return ConnectionAssessment(
            **base,
            slack_minutes=None,
            risk=ConnectionRisk.UNKNOWN,
            explanation=f"Connection at {airport} cannot be judged: {missing} is unknown.",
        )
    slack, mct = departure - arrival, timedelta(minutes=rule.minutes)
    risk = classify_connection(slack, mct)
    return ConnectionAssessment(
        **base,
        slack_minutes=whole_minutes(slack),
        risk=risk,
        explanation=(
            f"Connection at {airport}: {inbound.flight_id} in {local_clock(arrival, arrives_at)}, "
            f"{onward.flight_id} out {local_clock(departure, leaves_from)}: slack "
            f"{duration_text(slack)} against an MCT of {duration_text(mct)} ({category}, "
            f"{rule.source}): {risk.replace('_', ' ')}."
        ),
    )


def assess_itinerary(
    legs: Sequence[FlightStatusData], *, table: MctTable | None = None
) -> ItineraryAssessment:
    """Assess every connection of an itinerary.

    Args:
        legs: The legs in flying order.
        table: MCT table; the packaged one by default.

    Returns:
        Each connection's assessment and the worst risk (ok when there is no connection).
    """
    connections = tuple(assess_connection(a, b, table=table) for a, b in pairwise(legs))
    risks = {connection.risk for connection in connections}
    worst = next((risk for risk in _WORST_FIRST if risk in risks), ConnectionRisk.OK)
    return ItineraryAssessment(connections=connections, risk=worst)
