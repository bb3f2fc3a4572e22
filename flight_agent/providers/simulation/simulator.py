"""The simulated world: which legs a flight flies on a day, its inbound aircraft, schedules.

Everything is a pure function of the seed, the designator and the date, so two providers with
the same seed agree and a flight looks the same on every call; only ``render_leg`` depends on
the clock. A flight's scenario is pinned (the showcase flights, or the caller's choice) or drawn
per flight and date. Static attributes (aircraft, registration, gates) come from one random
stream and scenario effects from another, so assigning a scenario never changes the aircraft.

Provider flight ids read ``BA117-20261129-MOCK`` (first leg), ``QF1-20261129-MOCK-L2`` (a later
leg) and ``BA117-20261129-MOCK-INBOUND`` (the aircraft's previous flight into the origin).
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from functools import cache

from flight_agent.airlines import find_airline
from flight_agent.flight_query import FlightDesignator
from flight_agent.providers.simulation import fleet, gates
from flight_agent.providers.simulation.network import (
    MAJOR_AIRPORTS,
    airport,
    block_minutes,
    distance_km,
    nearest_alternates,
)
from flight_agent.providers.simulation.routes import (
    RouteLeg,
    carrier_code,
    carriers_of,
    known_routes,
    route_for,
    route_index,
)
from flight_agent.providers.simulation.scenarios import (
    Scenario,
    ScenarioLike,
    ScenarioPin,
    arrival_delay,
    as_pin,
    departure_delay,
    draw_scenario,
)
from flight_agent.providers.simulation.seeding import stable_rng
from flight_agent.providers.simulation.showcase import showcase_pins
from flight_agent.providers.simulation.timeline import TAXI_IN, TAXI_OUT, GateChange, Leg

GATE_CHANGE_LEAD = timedelta(minutes=50)
TERMINAL_CHANGE_LEAD = timedelta(hours=3)
SCHEDULE_FLIGHTS_PER_DAY = (2, 4)

_FLIGHT_ID = re.compile(
    r"^(?P<ident>[A-Z0-9]{2,3}[0-9]{1,4}[A-Z]?)-(?P<day>[0-9]{8})-MOCK"
    r"(?:-L(?P<leg>[2-9])|-(?P<inbound>INBOUND))?$"
)


def flight_id_for(designator: FlightDesignator, day: date, leg: int = 1) -> str:
    """The provider flight id of a leg, e.g. 'BA117-20261129-MOCK'."""
    suffix = f"-L{leg}" if leg > 1 else ""
    return f"{designator.flight_id}-{day:%Y%m%d}-MOCK{suffix}"


def parse_flight_id(text: str) -> tuple[FlightDesignator, date, int, bool] | None:
    """Designator, date, leg number and inbound flag of a mock flight id; None if malformed."""
    match = _FLIGHT_ID.match(text) if isinstance(text, str) else None
    if match is None:
        return None
    raw = match["day"]
    try:
        day = date(int(raw[:4]), int(raw[4:6]), int(raw[6:]))
        designator = FlightDesignator.parse(match["ident"])
    except ValueError:  # an impossible date, or an InvalidFlightQueryError
        return None
    return designator, day, int(match["leg"] or 1), match["inbound"] is not None


def _ceil_to_5(value: datetime) -> datetime:
    return value.replace(second=0, microsecond=0) + timedelta(minutes=(-value.minute) % 5)


@cache
def _inbound_origins(home: str, widebody: bool) -> tuple[str, ...]:
    """Where the aircraft plausibly came from: long haul for widebodies, else short haul."""
    low, high = (3000.0, 20000.0) if widebody else (300.0, 2500.0)
    here = airport(home)
    found = tuple(
        code
        for code in MAJOR_AIRPORTS
        if code != home and low <= distance_km(here, airport(code)) <= high
    )
    return found or tuple(code for code in MAJOR_AIRPORTS if code != home)


class FlightSimulator:
    """Deterministic flights for one seed: the showcase pinned, other scenarios drawn.

    Args:
        seed: Selects one simulated world; the same seed always gives the same flights.
        scenarios: Designator (any accepted form) to a scenario or a ``ScenarioPin``, for
            every date; it replaces the designator's showcase pin, if any.
    """

    def __init__(self, seed: int = 0, scenarios: Mapping[str, ScenarioLike] | None = None) -> None:
        self.seed = seed
        self._pins: dict[str, ScenarioPin] = dict(showcase_pins())
        for ident, scenario in (scenarios or {}).items():
            self.set_scenario(ident, scenario)

    def set_scenario(self, ident: str, scenario: ScenarioLike | None) -> None:
        """Pin a scenario on a designator for every date; None returns it to the default
        world (its showcase pin, else the draw).

        Raises:
            InvalidFlightQueryError: The designator is malformed, or a pin's alternate is not
                an airport.
            ValueError: The scenario name is unknown.
        """
        key = FlightDesignator.parse(ident).flight_id
        if scenario is None:
            default = showcase_pins().get(key)
            if default is None:
                self._pins.pop(key, None)
            else:
                self._pins[key] = default
            return
        pin = as_pin(scenario)
        if pin.diverted_to is not None:
            airport(pin.diverted_to)  # an unknown alternate fails here, not at the next lookup
        self._pins[key] = pin

    def scenario_for(self, designator: FlightDesignator, day: date) -> Scenario:
        """The pinned scenario, else one drawn from the weights for that flight and day."""
        return self._pin_for(designator, day).scenario

    def _pin_for(self, designator: FlightDesignator, day: date) -> ScenarioPin:
        pinned = self._pins.get(designator.flight_id)
        if pinned is not None:
            return pinned
        return ScenarioPin(
            draw_scenario(stable_rng(self.seed, "scenario", designator.flight_id, day))
        )

    def legs(self, designator: FlightDesignator, day: date) -> list[Leg] | None:
        """Every leg the designator flies on its local departure date; None if it never flies."""
        route = route_for(self.seed, designator)
        if route is None:
            return None
        pin = self._pin_for(designator, day)
        scenario = pin.scenario
        static = stable_rng(self.seed, "flight", designator.flight_id, day)
        effects = stable_rng(self.seed, "effects", designator.flight_id, day, scenario)
        carrier = carrier_code(designator)
        airline = find_airline(carrier)
        longest = max(distance_km(airport(leg.origin), airport(leg.destination)) for leg in route)
        aircraft = route[0].aircraft_type or fleet.aircraft_type(carrier, longest, static)
        tail = fleet.registration(airline.country if airline else None, static)
        shares = fleet.codeshares(carrier, static)
        legs: list[Leg] = []
        for index, route_leg in enumerate(route, start=1):
            leg = self._static_leg(designator, day, index, route_leg, legs, aircraft, tail, static)
            leg = replace(leg, codeshares=shares)
            if index == 1:
                leg = self._first_leg_effects(leg, pin, effects)
            else:
                leg = self._later_leg_effects(leg, legs[-1], scenario, effects)
            legs.append(leg)
        return legs

    def inbound(self, designator: FlightDesignator, day: date) -> Leg | None:
        """The aircraft's previous flight into the first leg's origin (late when scenario says)."""
        legs = self.legs(designator, day)
        if not legs:
            return None
        late = legs[0].scenario is Scenario.LATE_INBOUND
        return self._inbound(legs[0], late, self._pin_for(designator, day).delay_minutes)

    def by_id(self, provider_flight_id: str) -> Leg | None:
        """The leg a mock flight id names; None for malformed ids and unknown flights."""
        parsed = parse_flight_id(provider_flight_id)
        if parsed is None:
            return None
        designator, day, index, inbound = parsed
        if inbound:
            return self.inbound(designator, day)
        legs = self.legs(designator, day) or []
        return legs[index - 1] if index <= len(legs) else None

    def schedule(self, origin: str, destination: str, day: date) -> list[Leg]:
        """Legs departing ``origin`` for ``destination`` on a local date, by departure time.

        The table's flights on that city pair, plus a few generated flights of carriers based
        in either country (the same few every day, as in a real timetable).
        """
        found: list[Leg] = []
        idents = [
            key for key, route in known_routes().items() if _serves(route, origin, destination)
        ]
        pool = [
            f"{carrier}{number}"
            for carrier in dict.fromkeys(
                carriers_of(airport(origin).country) + carriers_of(airport(destination).country)
            )
            for number in route_index(self.seed, carrier).get((origin, destination), ())
        ]
        rng = stable_rng(self.seed, "schedule", origin, destination)
        idents += rng.sample(pool, k=min(len(pool), rng.randint(*SCHEDULE_FLIGHTS_PER_DAY)))
        for ident in idents:
            legs = self.legs(FlightDesignator.parse(ident), day) or []
            found.extend(
                leg
                for leg in legs
                if (leg.origin.iata, leg.destination.iata) == (origin, destination)
            )
        return sorted(found, key=lambda leg: leg.scheduled_out)

    def _static_leg(
        self,
        designator: FlightDesignator,
        day: date,
        index: int,
        route_leg: RouteLeg,
        previous: list[Leg],
        aircraft: str,
        tail: str,
        rng: random.Random,
    ) -> Leg:
        origin, destination = airport(route_leg.origin), airport(route_leg.destination)
        if route_leg.departure_local is not None:
            out = datetime.combine(day, route_leg.departure_local, tzinfo=origin.zone)
        else:  # a through flight leaves after the previous leg's arrival and a turn
            turn = timedelta(minutes=fleet.min_turn_minutes(aircraft))
            out = _ceil_to_5(previous[-1].scheduled_in + turn)
        out = out.astimezone(UTC)
        block = timedelta(minutes=block_minutes(distance_km(origin, destination)))
        carrier = carrier_code(designator)
        terminal_out = gates.terminal_for(carrier, route_leg.origin, rng)
        terminal_in = gates.terminal_for(carrier, route_leg.destination, rng)
        return Leg(
            designator=designator,
            origin=origin,
            destination=destination,
            scheduled_out=out,
            scheduled_in=out + block,
            aircraft_type=aircraft,
            registration=tail,
            provider_flight_id=flight_id_for(designator, day, index),
            inbound_flight_id=(
                flight_id_for(designator, day) + "-INBOUND"
                if index == 1
                else previous[-1].provider_flight_id
            ),
            terminal_origin=terminal_out,
            gate_origin=gates.gate_for(route_leg.origin, terminal_out, rng),
            terminal_destination=terminal_in,
            gate_destination=gates.gate_for(route_leg.destination, terminal_in, rng),
            baggage_claim=str(rng.randint(1, 12)),
        )

    def _first_leg_effects(self, leg: Leg, pin: ScenarioPin, rng: random.Random) -> Leg:
        """Apply the day's scenario: delays, diversion alternate, gate or terminal change."""
        scenario = pin.scenario
        if scenario is Scenario.LATE_INBOUND:
            inbound = self._inbound(leg, True, pin.delay_minutes)
            turn = timedelta(minutes=fleet.min_turn_minutes(leg.aircraft_type))
            ready = inbound.estimated_in + turn
            departure = round((ready - leg.scheduled_out).total_seconds() / 60)
        else:
            pinned = pin.delay_minutes
            departure = departure_delay(scenario, rng) if pinned is None else pinned
        arrival = (
            arrival_delay(scenario, departure, _airborne_minutes(leg), rng)
            if pin.delay_minutes is None
            else pin.delay_minutes
        )
        leg = replace(leg, scenario=scenario, departure_delay=departure, arrival_delay=arrival)
        origin = leg.origin.iata or ""
        if scenario is Scenario.DIVERTED:
            options = nearest_alternates(leg.destination, exclude=(origin,))
            return replace(leg, diverted_to=airport(pin.diverted_to or rng.choice(options)))
        if scenario is Scenario.GATE_CHANGE:
            gate = gates.other_gate(origin, leg.terminal_origin, leg.gate_origin, rng)
            at = leg.scheduled_out - GATE_CHANGE_LEAD
            return replace(leg, gate_change=GateChange(at, leg.terminal_origin, gate))
        if scenario is Scenario.TERMINAL_CHANGE:
            terminal = gates.other_terminal(origin, leg.terminal_origin, rng)
            at = leg.scheduled_out - TERMINAL_CHANGE_LEAD
            change = GateChange(at, terminal, gates.gate_for(origin, terminal, rng))
            return replace(leg, gate_change=change)
        return leg

    def _later_leg_effects(
        self, leg: Leg, previous: Leg, scenario: Scenario, rng: random.Random
    ) -> Leg:
        """Later legs share a cancellation, are cancelled after a diversion, inherit delays."""
        if scenario in (Scenario.CANCELLED, Scenario.UNKNOWN):
            return replace(leg, scenario=scenario)
        if previous.diverted_to is not None or previous.scenario is Scenario.CANCELLED:
            return replace(leg, scenario=Scenario.CANCELLED)
        turn = timedelta(minutes=fleet.min_turn_minutes(leg.aircraft_type))
        ready = previous.estimated_in + turn
        own = departure_delay(Scenario.ON_TIME, rng)
        knock_on = round((ready - leg.scheduled_out).total_seconds() / 60)
        if knock_on > own:  # the aircraft arrives too late to leave on time
            departure, label = knock_on, Scenario.LATE_INBOUND
        else:
            departure, label = own, Scenario.ON_TIME
        arrival = arrival_delay(label, departure, _airborne_minutes(leg), rng)
        return replace(leg, scenario=label, departure_delay=departure, arrival_delay=arrival)

    def _inbound(self, leg: Leg, late: bool, knock_on: int | None = None) -> Leg:
        """The aircraft's previous flight, arriving at ``leg``'s origin before it departs.

        On time it lands with 10-30 minutes to spare beyond the minimum turn. Late, it arrives
        ``knock_on`` minutes after that (30-120 drawn per date when None), so the outbound's
        estimated out is its estimated in plus the minimum turn.
        """
        designator = leg.designator
        rng = stable_rng(self.seed, "inbound", designator.flight_id, leg.flight_date)
        home = leg.origin.iata or ""
        options = _inbound_origins(home, fleet.is_widebody(leg.aircraft_type))
        origin = airport(rng.choice(options))
        turn = timedelta(minutes=fleet.min_turn_minutes(leg.aircraft_type))
        spare = 5 * rng.randint(2, 6)
        scheduled_in = leg.scheduled_out - turn - timedelta(minutes=spare)
        block = timedelta(minutes=block_minutes(distance_km(origin, leg.origin)))
        number = rng.randint(1000, 8999)
        if late:
            drawn = 5 * rng.randint(6, 24)  # drawn even when pinned: later draws stay put
            delay = spare + (drawn if knock_on is None else knock_on)
            departure, arrival = delay, delay
            scenario = Scenario.MAJOR_DELAY if delay >= 180 else Scenario.MINOR_DELAY
        else:
            departure = rng.randint(-3, 5)
            departure, arrival = departure, departure + rng.randint(-3, 3)
            scenario = Scenario.ON_TIME
        terminal = gates.terminal_for(carrier_code(designator), origin.iata or "", rng)
        return Leg(
            designator=FlightDesignator(
                designator.carrier_iata, designator.carrier_icao, str(number)
            ),
            origin=origin,
            destination=leg.origin,
            scheduled_out=scheduled_in - block,
            scheduled_in=scheduled_in,
            aircraft_type=leg.aircraft_type,
            registration=leg.registration,
            provider_flight_id=leg.provider_flight_id + "-INBOUND",
            terminal_origin=terminal,
            gate_origin=gates.gate_for(origin.iata or "", terminal, rng),
            # The aircraft parks where its next flight boards.
            terminal_destination=leg.terminal_origin,
            gate_destination=leg.gate_origin,
            baggage_claim=str(rng.randint(1, 12)),
            scenario=scenario,
            departure_delay=departure,
            arrival_delay=arrival,
        )


def _serves(route: tuple[RouteLeg, ...], origin: str, destination: str) -> bool:
    return any((leg.origin, leg.destination) == (origin, destination) for leg in route)


def _airborne_minutes(leg: Leg) -> int:
    return round((leg.scheduled_in - leg.scheduled_out - TAXI_OUT - TAXI_IN).total_seconds() / 60)
