"""The trip a passenger-rights question is about: ``ItineraryFacts``.

Regimes judge the whole journey on one booking: origin of the first leg, final destination of the
last, and gate (door) times, never runway times (CJEU Germanwings C-452/13).

A diverted record keeps its booked destination. When it names the airport it went to
(``diverted_to``: the AeroAPI mapping and the simulator do) its in-times are at that airport;
when it does not (AeroDataBox, AviationStack: status diverted only) its in-times are the old
ones for the booked destination and tell nothing. The facts keep the arrival at the alternate as
``diversion_in`` and leave ``actual_in`` to the arrival at the booked destination, known only
from how the traveller went on (``journey_facts``'s ``rebooked_arrival``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from flight_agent.airports import Airport
from flight_agent.errors import InvalidFlightQueryError
from flight_agent.irops.cancellation import cancellation_confirmed
from flight_agent.irops.gate_times import expected_in, expected_out
from flight_agent.models import FlightStatus, FlightStatusData, UtcDatetime


class Cause(StrEnum):
    """What caused the disruption, as far as the rules care."""

    UNKNOWN = "unknown"
    CARRIER = "carrier"
    """Within the carrier's control: technical faults, crew, operations."""
    CARRIER_SAFETY = "carrier_safety"
    """Within the carrier's control but required for safety (Canada APPR s.11)."""
    EXTRAORDINARY = "extraordinary"
    """Outside the carrier's control: weather, ATC/NAS, security, bird strike, unrest."""


class ItineraryFacts(BaseModel):
    """One journey on one booking, with what happened to it.

    Times are aware UTC. ``actual_out`` and ``actual_in`` may be expectations before they happen
    (set ``arrival_is_estimate``); ``actual_in`` is the gate arrival at the final destination.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    origin: Airport
    destination: Airport = Field(description="Final destination of the booking")
    flight_date: date = Field(description="Local departure date of the first leg")
    operating_carrier: str | None = Field(
        default=None, description="IATA or ICAO code of the carrier operating the disrupted leg"
    )
    scheduled_out: UtcDatetime | None = None
    actual_out: UtcDatetime | None = Field(
        default=None, description="Actual or expected gate departure of the first leg"
    )
    scheduled_in: UtcDatetime | None = None
    actual_in: UtcDatetime | None = Field(
        default=None, description="Gate arrival (door open) at the final destination"
    )
    arrival_is_estimate: bool = False
    diverted: bool = Field(
        default=False, description="The flight to the final destination landed elsewhere"
    )
    diverted_to: Airport | None = Field(
        default=None, description="Where it landed instead, when the data says"
    )
    diversion_in: UtcDatetime | None = Field(
        default=None, description="Gate arrival at the diversion airport, actual or expected"
    )
    cancelled: bool = False
    cancellation_provisional: bool = Field(
        default=False,
        description="The cancellation is reported but not yet confirmed: rights resting on it "
        "are not final",
    )
    notified_at: UtcDatetime | None = Field(
        default=None, description="When the passenger was told of the cancellation"
    )
    reroute_out: UtcDatetime | None = Field(
        default=None, description="Gate departure of the re-routing offered"
    )
    reroute_in: UtcDatetime | None = Field(
        default=None, description="Gate arrival at the final destination of the re-routing"
    )
    airport_changed: bool = Field(default=False, description="Origin or destination changed")
    extra_connections: int = Field(default=0, ge=0, description="Connections added by a change")
    downgraded: bool = Field(default=False, description="Moved to a lower cabin")
    accepted_alternative: bool | None = Field(
        default=None, description="Whether the passenger accepted rebooking or a voucher"
    )
    ticket_refunded: bool = Field(
        default=False, description="The ticket was refunded instead of the journey being flown"
    )
    cause: Cause = Cause.UNKNOWN
    cause_detail: str | None = Field(default=None, description="E.g. 'WEATHER / THUNDERSTORMS'")

    @property
    def departure_delay(self) -> timedelta | None:
        """Gate departure delay of the first leg, when both times are known."""
        if self.scheduled_out is None or self.actual_out is None:
            return None
        return self.actual_out - self.scheduled_out

    @property
    def arrival_delay(self) -> timedelta | None:
        """Gate arrival delay at the final destination, when both times are known."""
        if self.scheduled_in is None or self.actual_in is None:
            return None
        return self.actual_in - self.scheduled_in

    @classmethod
    def from_legs(
        cls,
        legs: Sequence[FlightStatusData],
        *,
        previous: Sequence[FlightStatusData | None] = (),
        **facts: Any,
    ) -> ItineraryFacts:
        """Build the facts of a journey from its flight records, in flying order.

        The operating carrier is that of the first disrupted leg (else the first leg). The
        arrival is the last leg's gate arrival, actual or else estimated; a runway landing time
        is never used. A last leg diverted away from the final destination gives its arrival
        at the alternate when the record names it (``diversion_in``) and leaves the final
        arrival unknown. A
        reported cancellation (status cancelled, or flagged possible) is provisional unless
        ``previous`` shows it held (``flight_agent.irops.cancellation``).

        Args:
            legs: The legs of the booking, first to last.
            previous: Each leg's earlier snapshot (None where there is none), in the order of
                ``legs``; empty when there are none.
            **facts: Facts flight data cannot show (``cause``, ``notified_at``, ``reroute_in``,
                ``accepted_alternative``...), or corrections of derived ones.

        Returns:
            The journey's facts.

        Raises:
            InvalidFlightQueryError: When ``legs`` is empty.
            ValueError: When ``previous`` is neither empty nor one per leg.
        """
        if not legs:
            raise InvalidFlightQueryError("An itinerary needs at least one leg.")
        first, last = legs[0], legs[-1]
        disrupted = next((leg for leg in legs if leg.is_disrupted), first)
        alternate = last.diverted_to
        diverted = (
            last.status is FlightStatus.DIVERTED
            if alternate is None
            else alternate != last.destination
        )
        landed = expected_in(last)
        arrival = None if diverted else landed
        earlier = previous or [None] * len(legs)
        reported = [
            (leg, before)
            for leg, before in zip(legs, earlier, strict=True)
            if leg.cancellation_reported
        ]
        derived: dict[str, Any] = {
            "origin": first.origin,
            "destination": last.destination,
            "flight_date": first.flight_date,
            "operating_carrier": disrupted.carrier_iata or disrupted.carrier_icao,
            "scheduled_out": first.scheduled_out,
            "actual_out": expected_out(first),
            "scheduled_in": last.scheduled_in,
            "actual_in": arrival,
            "arrival_is_estimate": arrival is not None and last.actual_in is None,
            "diverted": diverted,
            "diverted_to": alternate if diverted else None,
            "diversion_in": landed if diverted and alternate is not None else None,
            "cancelled": bool(reported),
            "cancellation_provisional": not all(
                cancellation_confirmed(leg, before) for leg, before in reported
            ),
        }
        return cls.model_validate(derived | facts)
