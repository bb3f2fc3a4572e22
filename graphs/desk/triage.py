"""Whether a trip is disrupted enough to open a case: the IROPS engine's verdict on its legs.

An event only says that something changed on one leg; whether it matters is the rules engine's
call on the trip as a whole (``flight_agent.irops.assess_trip`` over the monitor's latest
record of each leg, no provider call). A trip matters when

- a leg is disrupted in the engine's own sense (``FlightStatusData.is_disrupted``: cancelled,
  diverted, or 15 minutes or more late at departure or arrival),
- a connection is at risk or missed against the minimum connecting time, or
- the engine rates a disruption high or critical that is not a gate or terminal move (a late
  inbound aircraft, an airport change, a tarmac delay): a gate or terminal change matters
  only through the connection it breaks.

Milestones, status news and a gate change on an on-time single flight do not open cases.

The verdict also has a ``signature``: what is wrong, without the news around it (a leg's
cancellation, diversion or delay band; a connection's risk; an urgent disruption's kind). It
tells one disruption episode from the next: a flight 25 minutes late that departs, lands and
arrives is one episode; the same flight slipping to 2 hours late is a new one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from flight_agent.irops import ConnectionRisk, DisruptionKind, Severity, assess_trip, delay_band
from flight_agent.irops.trip import TripAssessment
from flight_agent.models import FlightStatus, FlightStatusData

_URGENT = frozenset({Severity.HIGH, Severity.CRITICAL})
_MOVES = frozenset({DisruptionKind.GATE_CHANGE, DisruptionKind.TERMINAL_CHANGE})
_BROKEN = frozenset({ConnectionRisk.AT_RISK, ConnectionRisk.MISSED})


@dataclass(frozen=True)
class Verdict:
    """The engine's verdict on a trip.

    Attributes:
        reasons: What makes the trip a case, one line each; empty when nothing does.
        signature: What is wrong, sorted, for telling episodes apart.
    """

    reasons: list[str]
    signature: list[str]


def judge_trip(legs: Sequence[FlightStatusData], now: datetime) -> Verdict:
    """The engine's verdict on a trip.

    Args:
        legs: The latest records of the trip's legs that have one, in travel order.
        now: The current time (tarmac clocks, urgency).
    """
    if not legs:
        return Verdict([], [])
    found = assess_trip(legs, now=now, complete=False)
    signature = {f"{leg.flight_id}:{_trouble(leg)}" for leg in legs if leg.is_disrupted}
    signature |= {
        f"{c.inbound_flight}>{c.onward_flight}:{c.risk.value}"
        for c in found.connections
        if c.risk in _BROKEN
    }
    signature |= {
        f"{item.flight_number}:{item.disruption.kind.value}"
        for item in found.disruptions
        if item.disruption.severity in _URGENT and item.disruption.kind not in _MOVES
    }
    return Verdict(_reasons(legs, found), sorted(signature))


def _trouble(leg: FlightStatusData) -> str:
    """A disrupted leg's trouble: cancelled, diverted, or its delay band."""
    if leg.status in (FlightStatus.CANCELLED, FlightStatus.DIVERTED):
        return leg.status.value
    late = max(leg.departure_delay_minutes or 0, leg.arrival_delay_minutes or 0)
    return delay_band(timedelta(minutes=late), departure=False).value


def _reasons(legs: Sequence[FlightStatusData], found: TripAssessment) -> list[str]:
    reasons = [
        f"{leg.flight_id}: {leg.status.value}, departure delay "
        f"{leg.departure_delay_minutes or 0} min, "
        f"arrival delay {leg.arrival_delay_minutes or 0} min"
        for leg in legs
        if leg.is_disrupted
    ]
    reasons += [
        f"connection {c.inbound_flight} -> {c.onward_flight} at {c.airport}: {c.risk.value}"
        for c in found.connections
        if c.risk in _BROKEN
    ]
    reasons += [
        f"{item.flight_number}: {item.disruption.explanation}"
        for item in found.disruptions
        if item.disruption.severity in _URGENT and item.disruption.kind not in _MOVES
    ]
    return reasons
