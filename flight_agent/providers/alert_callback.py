"""AeroAPI's ``deliver_alert`` callback: what AeroAPI POSTs to the alert endpoint, strictly typed.

``AlertCallback`` mirrors the spec's callback body (``event_code`` from its enum, ``alert_id``
an integer, ``flight`` with ``fa_flight_id`` required, times aware ISO 8601); read it with
``AlertCallback.model_validate_json``. Strict mode: a number sent as a string, or a boolean
for an integer, is refused, as the spec's types say. ``dedupe_key`` names the event (for
redeliveries) and ``query`` the flight's status query (for the re-read an event asks for).
"""

from __future__ import annotations

import hashlib
import json
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from flight_agent.airports import find_airport
from flight_agent.errors import FlightDataError
from flight_agent.flight_query import FlightQuery

EventCode = Literal[
    "filed",
    "departure",
    "arrival",
    "out",
    "off",
    "on",
    "in",
    "diverted",
    "cancelled",
    "uncancelled",
    "position_only_arrival",
    "position_only_departure",
    "fru_arrival",
    "nonairport_arrival",
    "nonairport_departure",
    "nonairport_filed",
    "minutes_out",
    "power_on",
    "change",
    "impending_departure",
    "hold_entry",
    "hold_exit",
]
"""The spec's ``event_code`` enum."""


_EVENT_TIME = {
    "out": "actual_out",
    "off": "actual_off",
    "departure": "actual_off",
    "on": "actual_on",
    "arrival": "actual_on",
    "in": "actual_in",
}
"""The flight time an event code reports; other codes are told apart by the whole flight."""


class AlertFlight(BaseModel):
    """The callback's ``flight``: the spec's properties, strictly typed (extra keys ignored)."""

    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)

    fa_flight_id: str = Field(min_length=1, max_length=200)
    ident: str | None = None
    ident_icao: str | None = None
    ident_iata: str | None = None
    registration: str | None = None
    atc_ident: str | None = None
    aircraft_type: str | None = None
    origin: str | None = None
    origin_icao: str | None = None
    origin_iata: str | None = None
    origin_lid: str | None = None
    destination: str | None = None
    destination_icao: str | None = None
    destination_iata: str | None = None
    destination_lid: str | None = None
    route: str | None = None
    position_only: bool | None = None
    blocked: bool | None = None
    cancelled: bool | None = None
    diverted: bool | None = None
    route_distance: int | None = None
    filed_ete: int | None = None
    filed_altitude: int | None = None
    filed_airspeed_kts: int | None = None
    scheduled_out: AwareDatetime | None = None
    estimated_out: AwareDatetime | None = None
    actual_out: AwareDatetime | None = None
    scheduled_off: AwareDatetime | None = None
    estimated_off: AwareDatetime | None = None
    actual_off: AwareDatetime | None = None
    scheduled_on: AwareDatetime | None = None
    estimated_on: AwareDatetime | None = None
    actual_on: AwareDatetime | None = None
    scheduled_in: AwareDatetime | None = None
    estimated_in: AwareDatetime | None = None
    actual_in: AwareDatetime | None = None
    baggage_claim: str | None = None
    gate_origin: str | None = None
    gate_destination: str | None = None
    terminal_origin: str | None = None
    terminal_destination: str | None = None
    error: str | None = None


class AlertCallback(BaseModel):
    """One ``deliver_alert`` callback, as the spec describes its body."""

    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)

    long_description: str
    short_description: str
    summary: str
    event_code: EventCode
    alert_id: int = Field(ge=0)
    flight: AlertFlight

    def dedupe_key(self) -> str:
        """What makes a delivery the same event: alert, code, flight and the event's time (or,
        for codes without one, a digest of the flight as reported)."""
        field = self.time_field()
        moment = getattr(self.flight, field) if field else None
        if moment is not None:
            stamp = moment.isoformat()
        else:
            dumped = json.dumps(self.flight.model_dump(mode="json"), sort_keys=True)
            stamp = hashlib.sha256(dumped.encode()).hexdigest()[:24]
        return f"{self.alert_id}:{self.event_code}:{self.flight.fa_flight_id}:{stamp}"

    def time_field(self) -> str | None:
        """The flight time the event reports (``actual_out`` for ``out``, ``actual_off`` for
        ``off`` and ``departure``, ...); None for codes without one."""
        return _EVENT_TIME.get(self.event_code)

    def query(self) -> FlightQuery | None:
        """The status query of the flight (designator, local departure date, origin), or None
        when the callback does not say enough to ask for it."""
        flight = self.flight
        ident = flight.ident_iata or flight.ident_icao or flight.ident
        origin = flight.origin_iata or flight.origin_icao or flight.origin
        departs = flight.scheduled_out or flight.scheduled_off
        if not ident or departs is None:
            return None
        known_origin = origin if origin and find_airport(origin) else None
        try:
            return FlightQuery.parse(ident, departs, origin=known_origin)
        except FlightDataError:
            return None
