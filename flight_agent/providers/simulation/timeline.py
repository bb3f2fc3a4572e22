"""A planned leg and how it looks at a given moment: status, OOOI times and delays.

A ``Leg`` is fixed for a flight and day (schedule, scenario, delays, gates). ``render_leg``
reads it at ``now``: times in the past become actual, later ones stay estimated, and the
status follows the gate and runway events (boarding opens 40 minutes before the gate
departure). Taxi-out is 15 minutes and taxi-in 8, so out < off < on < in always holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flight_agent.airports import Airport
from flight_agent.flight_query import FlightDesignator
from flight_agent.models import DISRUPTION_DELAY_MINUTES, FlightStatus, FlightStatusData
from flight_agent.providers.simulation.network import TAXI_IN_MINUTES, TAXI_OUT_MINUTES
from flight_agent.providers.simulation.scenarios import Scenario

BOARDING_MINUTES = 40
EARLY_MINUTES = -10

TAXI_OUT = timedelta(minutes=TAXI_OUT_MINUTES)
TAXI_IN = timedelta(minutes=TAXI_IN_MINUTES)

_PHASE_TEXT = {
    FlightStatus.SCHEDULED: "Scheduled",
    FlightStatus.BOARDING: "Boarding",
    FlightStatus.DEPARTED: "Departed",
    FlightStatus.EN_ROUTE: "En Route",
    FlightStatus.LANDED: "Landed",
    FlightStatus.ARRIVED: "Arrived",
}


@dataclass(frozen=True, slots=True)
class GateChange:
    """From ``at`` on, the flight departs from another terminal and/or gate."""

    at: datetime
    terminal: str
    gate: str


@dataclass(frozen=True, slots=True)
class Leg:
    """One simulated leg on one day, with its scenario already decided.

    ``departure_delay`` and ``arrival_delay`` are minutes against the schedule (negative
    when early); they are ignored for cancelled and unknown flights.
    """

    designator: FlightDesignator
    origin: Airport
    destination: Airport
    scheduled_out: datetime
    scheduled_in: datetime
    aircraft_type: str
    registration: str
    provider_flight_id: str
    terminal_origin: str
    gate_origin: str
    terminal_destination: str
    gate_destination: str
    baggage_claim: str
    scenario: Scenario = Scenario.ON_TIME
    departure_delay: int = 0
    arrival_delay: int = 0
    inbound_flight_id: str | None = None
    codeshares: tuple[str, ...] = ()
    diverted_to: Airport | None = None
    gate_change: GateChange | None = None

    @property
    def flight_date(self) -> date:
        """The local departure date at the origin."""
        zone = self.origin.zone
        return (self.scheduled_out.astimezone(zone) if zone else self.scheduled_out).date()

    @property
    def estimated_out(self) -> datetime:
        """Gate departure as the scenario plays out."""
        return self.scheduled_out + timedelta(minutes=self.departure_delay)

    @property
    def estimated_in(self) -> datetime:
        """Gate arrival as the scenario plays out."""
        return self.scheduled_in + timedelta(minutes=self.arrival_delay)


def _past(value: datetime, now: datetime) -> datetime | None:
    return value if value <= now else None


def _phase(
    out: datetime, off: datetime, on: datetime, arrive: datetime, now: datetime
) -> FlightStatus:
    if now >= arrive:
        return FlightStatus.ARRIVED
    if now >= on:
        return FlightStatus.LANDED
    if now >= off:
        return FlightStatus.EN_ROUTE
    if now >= out:
        return FlightStatus.DEPARTED
    if now >= out - timedelta(minutes=BOARDING_MINUTES):
        return FlightStatus.BOARDING
    return FlightStatus.SCHEDULED


def _punctuality(delay: int) -> str:
    if delay >= DISRUPTION_DELAY_MINUTES:
        return "Delayed"
    return "Early" if delay <= EARLY_MINUTES else "On Time"


def render_leg(
    leg: Leg, now: datetime, *, source: str, fetched_at: datetime | None = None
) -> FlightStatusData:
    """The record a provider would return for ``leg`` at ``now``."""
    designator = leg.designator
    fields: dict[str, object] = {
        "flight_id": designator.flight_id,
        "ident_iata": designator.ident_iata,
        "ident_icao": designator.ident_icao,
        "carrier_iata": designator.carrier_iata,
        "carrier_icao": designator.carrier_icao,
        "flight_number": designator.number + designator.suffix,
        "flight_date": leg.flight_date,
        "origin": leg.origin,
        "destination": leg.destination,
        "scheduled_out": leg.scheduled_out,
        "scheduled_off": leg.scheduled_out + TAXI_OUT,
        "scheduled_on": leg.scheduled_in - TAXI_IN,
        "scheduled_in": leg.scheduled_in,
        "terminal_origin": leg.terminal_origin,
        "gate_origin": leg.gate_origin,
        "terminal_destination": leg.terminal_destination,
        "gate_destination": leg.gate_destination,
        "baggage_claim": leg.baggage_claim,
        "registration": leg.registration,
        "aircraft_type": leg.aircraft_type,
        "codeshares": leg.codeshares,
        "provider_flight_id": leg.provider_flight_id,
        "inbound_flight_id": leg.inbound_flight_id,
        "source": source,
        "fetched_at": fetched_at or now,
    }
    if leg.scenario is Scenario.CANCELLED:
        fields.update(status=FlightStatus.CANCELLED, status_text="Cancelled")
        return FlightStatusData.model_validate(fields)
    if leg.scenario is Scenario.UNKNOWN:
        fields.update(status=FlightStatus.UNKNOWN, status_text="Unknown")
        return FlightStatusData.model_validate(fields)
    fields.update(_movement(leg, now))
    return FlightStatusData.model_validate(fields)


def _movement(leg: Leg, now: datetime) -> dict[str, object]:
    """Times, delays, status and gate fields of a flight that operates."""
    out, arrive = leg.estimated_out, leg.estimated_in
    off, on = out + TAXI_OUT, arrive - TAXI_IN
    status = _phase(out, off, on, arrive, now)
    fields: dict[str, object] = {
        "estimated_out": out,
        "estimated_off": off,
        "estimated_on": on,
        "estimated_in": arrive,
        "actual_out": _past(out, now),
        "actual_off": _past(off, now),
        "actual_on": _past(on, now),
        "actual_in": _past(arrive, now),
        "departure_delay_minutes": leg.departure_delay,
        "arrival_delay_minutes": leg.arrival_delay,
        "status": status,
    }
    moving = status in (FlightStatus.EN_ROUTE, FlightStatus.LANDED, FlightStatus.ARRIVED)
    delay = leg.arrival_delay if moving else leg.departure_delay
    text = f"{_PHASE_TEXT[status]} / {_punctuality(delay)}"
    change = leg.gate_change
    if change is not None and now >= change.at:
        if change.terminal != leg.terminal_origin:
            text += f"; terminal changed from {leg.terminal_origin} to {change.terminal}"
        text += f"; gate changed from {leg.gate_origin} to {change.gate}"
        fields.update(terminal_origin=change.terminal, gate_origin=change.gate)
    if leg.diverted_to is not None and now >= on:
        # The diversion becomes known when the aircraft lands at the alternate, at about the
        # time it would have landed at its destination; nothing is known at the destination.
        fields.update(
            status=FlightStatus.DIVERTED,
            diverted_to=leg.diverted_to,
            estimated_on=None,
            estimated_in=None,
            arrival_delay_minutes=None,
            gate_destination=None,
            terminal_destination=None,
            baggage_claim=None,
        )
        text = f"Diverted to {leg.diverted_to.code}"
    fields["status_text"] = text
    return fields
