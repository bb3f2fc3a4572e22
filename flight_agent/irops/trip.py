"""A whole trip judged at once: every leg's disruptions, the connections and the rights.

``assess_trip`` is what the CLI's ``assess`` and the IROPS graph both run on a booking's legs.
Rights are judged only when something went wrong and every leg is known (the regimes look at
the whole journey, origin to final destination). A missed connection means the booked legs no
longer tell when the traveller arrives: the re-routing's arrival does, once one is known.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict

from flight_agent.irops.connections import (
    ConnectionAssessment,
    ConnectionRisk,
    assess_itinerary,
)
from flight_agent.irops.detection import detect_disruptions
from flight_agent.irops.disruptions import Disruption
from flight_agent.irops.rights import Cause, ItineraryFacts, RightsResult, assess_rights
from flight_agent.models import FlightStatusData


class FlightDisruption(BaseModel):
    """A disruption and the flight it concerns."""

    model_config = ConfigDict(frozen=True)

    flight_number: str
    disruption: Disruption


class TripAssessment(BaseModel):
    """The rules engine's verdicts on one booking."""

    model_config = ConfigDict(frozen=True)

    disruptions: tuple[FlightDisruption, ...]
    connections: tuple[ConnectionAssessment, ...]
    rights: tuple[RightsResult, ...]


def assess_trip(
    legs: Sequence[FlightStatusData],
    *,
    now: datetime,
    complete: bool = True,
    cause: Cause = Cause.UNKNOWN,
    notice: timedelta | None = None,
    rebooked_arrival: datetime | None = None,
) -> TripAssessment:
    """Judge a booking from its legs' records, in travel order.

    Args:
        legs: The records of the legs that could be fetched.
        now: The current time (tarmac clocks, urgency of changes).
        complete: False when some leg has no record: rights are then not judged.
        cause: Why it happened, when the airline said.
        notice: For a cancellation, how long before departure the traveller was told.
        rebooked_arrival: When a missed connection or a cancellation was re-routed, the
            expected gate arrival of the new flight at the final destination.
    """
    disruptions = tuple(
        FlightDisruption(flight_number=leg.flight_id, disruption=found)
        for leg in legs
        for found in detect_disruptions(leg, now=now)
    )
    connections = assess_itinerary(legs).connections if len(legs) > 1 else ()
    rights: tuple[RightsResult, ...] = ()
    if legs and complete and any(leg.is_disrupted for leg in legs):
        facts = journey_facts(legs, cause=cause, notice=notice, rebooked_arrival=rebooked_arrival)
        rights = assess_rights(facts)
    return TripAssessment(disruptions=disruptions, connections=connections, rights=rights)


def journey_facts(
    legs: Sequence[FlightStatusData],
    *,
    cause: Cause = Cause.UNKNOWN,
    notice: timedelta | None = None,
    rebooked_arrival: datetime | None = None,
    now: datetime | None = None,
    previous: Sequence[FlightStatusData | None] = (),
    ticket_refunded: bool = False,
) -> ItineraryFacts:
    """The facts the rights regimes judge, from a booking's legs in travel order.

    A missed connection or a diversion means the booked legs no longer tell when the traveller
    reaches the final destination: the way they travelled on does (``rebooked_arrival``), and
    until it is known the arrival is unknown. A cancelled booking's re-routing is its
    ``reroute_in``. A cancellation the airline told the traveller about (``notice``) is
    confirmed; otherwise it is provisional until the records show it held (``previous``).

    Args:
        legs: The records of the booking's legs.
        cause: Why it happened, when the airline said.
        notice: For a cancellation, how long before departure the airline told the traveller.
        rebooked_arrival: Gate arrival at the final destination of the re-routing, or of the
            way on after a diversion.
        now: The current time, when ``rebooked_arrival`` is a time the traveller states: one
            after it is an estimate. Without it (a rebooking's scheduled arrival) it always is.
        previous: Each leg's earlier snapshot (None where there is none), or empty.
        ticket_refunded: The ticket was refunded instead of the journey being flown.
    """
    first_out = legs[0].scheduled_out if legs else None
    notified = first_out - notice if notice is not None and first_out is not None else None
    stated: dict[str, Any] = {
        "cause": cause,
        "notified_at": notified,
        "ticket_refunded": ticket_refunded,
    }
    if notice is not None:
        stated["cancellation_provisional"] = False
    cancelled = any(leg.cancellation_reported for leg in legs)
    missed = len(legs) > 1 and any(
        c.risk is ConnectionRisk.MISSED for c in assess_itinerary(legs).connections
    )
    if cancelled and rebooked_arrival is not None:
        stated["reroute_in"] = rebooked_arrival
    elif not cancelled and (rebooked_arrival is not None or missed):
        estimate = rebooked_arrival is not None and (now is None or rebooked_arrival > now)
        stated |= {"actual_in": rebooked_arrival, "arrival_is_estimate": estimate}
    return ItineraryFacts.from_legs(legs, previous=previous, **stated)
