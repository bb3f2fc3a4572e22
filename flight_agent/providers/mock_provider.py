"""A deterministic simulated flight-data provider: the toolkit's embedded default.

``MockFlightDataProvider`` needs no keys and no servers. The same seed, designator and date
always give the same flight (route, times, aircraft, scenario); only ``fetched_at`` and the
progress along the timeline depend on the injected clock, so a ``FakeClock`` walks a flight
from scheduled to arrived. Known flight numbers (``data/mock_routes.csv``: BA117 LHR-JFK,
QF1 SYD-SIN-LHR ...) fly their real routes; other numbers get a plausible generated route.
Flight numbers 9900-9999 of any carrier never exist (the answer is None), for "not found"
demos.

The showcase flights (``simulation.showcase``: BA117 3 h 30 late, LH400 cancelled, QR1 diverted
...) are disrupted the same way on every date; other flights draw a named scenario (``Scenario``)
per date from weights (mostly on time). ``scenarios`` pins a scenario, or a ``ScenarioPin`` with
exact numbers, per designator, replacing its showcase pin. Fault-injection knobs
(``error_rate``, ``fail_next``, ``latency``, ``add_outage``, ``stall_rate``) make failover,
timeout and hedging behaviour reproducible.

Example:
    >>> provider = MockFlightDataProvider(scenarios={"BA178": "major_delay"})
    >>> provider.fail_next(1)  # the next call raises ProviderUnavailableError
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, timedelta

from flight_agent.airports import get_airport
from flight_agent.clock import SYSTEM_CLOCK, Clock
from flight_agent.errors import FlightDataError, InvalidFlightQueryError
from flight_agent.flight_query import FlightQuery, schedule_window
from flight_agent.models import FlightStatusData, ScheduledFlight
from flight_agent.providers.interfaces import FlightDataProvider
from flight_agent.providers.mapping import choose_leg
from flight_agent.providers.simulation.faults import FaultInjector, LatencySpec, lognormal_latency
from flight_agent.providers.simulation.scenarios import Scenario, ScenarioLike, ScenarioPin
from flight_agent.providers.simulation.simulator import FlightSimulator
from flight_agent.providers.simulation.timeline import Leg, render_leg

__all__ = ["MockFlightDataProvider", "Scenario", "ScenarioPin", "lognormal_latency"]

HISTORY_DAYS = 30
FUTURE_DAYS = 330
_PROVIDER_FLIGHT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$")


class MockFlightDataProvider(FlightDataProvider):
    """Simulated flight status, schedules and inbound links, with injectable faults.

    Args:
        name: Display name, also the ``source`` of every record.
        priority: Higher is tried first by the failover manager.
        seed: Selects one simulated world (flights, scenarios and fault draws).
        clock: Time source: flight progress, outage windows, metrics.
        scenarios: Designator (any accepted form, e.g. 'BA117' or 'BAW117') to a
            ``Scenario``, its value ('late_inbound') or a ``ScenarioPin``, applied on every
            date; it replaces the designator's showcase pin, if any.
        error_rate: Probability that a call raises ``ProviderUnavailableError``.
        latency: Seconds added to every call, or a callable ``(random.Random) -> float``
            such as ``lognormal_latency(0.1, 0.35)``.
        stall_rate: Probability that a call hangs ``stall_seconds`` more.
        stall_seconds: How long a stalled call hangs.
        max_concurrency: Concurrent queries in a batch.

    Attributes:
        calls: Calls that reached the simulated upstream (status, by-id, schedules, probes);
            failover tests assert it to prove a provider was skipped.
        simulator: The deterministic flight world.
        faults: The fault injector.
    """

    supports_lookup_by_id = True
    supports_schedules = True
    answers_locally = True

    def __init__(
        self,
        name: str = "Mock",
        priority: int = 0,
        *,
        seed: int = 0,
        clock: Clock = SYSTEM_CLOCK,
        scenarios: Mapping[str, ScenarioLike] | None = None,
        error_rate: float = 0.0,
        latency: LatencySpec = 0.0,
        stall_rate: float = 0.0,
        stall_seconds: float = 30.0,
        max_concurrency: int = 64,
    ) -> None:
        super().__init__(name, priority, max_concurrency=max_concurrency, clock=clock)
        self.seed = seed
        self.calls = 0
        self.simulator = FlightSimulator(seed, scenarios)
        self.faults = FaultInjector(
            provider=name,
            clock=clock,
            seed=seed,
            error_rate=error_rate,
            latency=latency,
            stall_rate=stall_rate,
            stall_seconds=stall_seconds,
        )

    def supported_dates(self, today: date) -> tuple[date, date]:
        """The simulation answers from 30 days back to 330 days ahead."""
        return today - timedelta(days=HISTORY_DAYS), today + timedelta(days=FUTURE_DAYS)

    def set_scenario(self, ident: str, scenario: ScenarioLike | None) -> None:
        """Pin a scenario on a designator for every date (None returns it to the default
        world: its showcase pin, else the draw).

        Raises:
            InvalidFlightQueryError: The designator is malformed, or a pin's alternate is not
                an airport.
            ValueError: The scenario name is unknown.
        """
        self.simulator.set_scenario(ident, scenario)

    def fail_next(self, n: int = 1, error: FlightDataError | None = None) -> None:
        """Make the next ``n`` calls raise ``error`` (default ``ProviderUnavailableError``)."""
        self.faults.fail_next(n, error)

    def add_outage(self, start: datetime, end: datetime) -> None:
        """Fail every call made while the clock reads within [start, end)."""
        self.faults.add_outage(start, end)

    def clear_faults(self) -> None:
        """Drop queued failures and outages."""
        self.faults.clear()

    @property
    def error_rate(self) -> float:
        """Probability that a call raises ``ProviderUnavailableError``."""
        return self.faults.error_rate

    @error_rate.setter
    def error_rate(self, value: float) -> None:
        if not 0.0 <= value <= 1.0:
            raise ValueError("error_rate must lie between 0 and 1")
        self.faults.error_rate = value

    @property
    def latency(self) -> LatencySpec:
        """Seconds added to each call, or the callable drawing them."""
        return self.faults.latency

    @latency.setter
    def latency(self, value: LatencySpec) -> None:
        if not callable(value) and value < 0:
            raise ValueError("latency must be zero or more seconds")
        self.faults.latency = value

    async def _call(self) -> None:
        """Count one upstream call and play its injected faults."""
        self.calls += 1
        await self.faults.apply()

    def _render(self, leg: Leg) -> FlightStatusData:
        return render_leg(leg, self.clock.now(), source=self.name)

    async def _fetch(self, query: FlightQuery) -> FlightStatusData | None:
        await self._call()
        legs = self.simulator.legs(query.designator, query.flight_date)
        if not legs:
            return None
        return choose_leg((self._render(leg) for leg in legs), query)

    async def get_flight_by_id(self, provider_flight_id: str) -> FlightStatusData | None:
        """One flight by its provider id, e.g. an ``inbound_flight_id`` ('...-MOCK-INBOUND').

        Ids this simulation never issues give None.

        Raises:
            InvalidFlightQueryError: The id has characters a flight id never has.
        """
        if not isinstance(provider_flight_id, str) or not _PROVIDER_FLIGHT_ID.match(
            provider_flight_id
        ):
            raise InvalidFlightQueryError(
                f"{provider_flight_id!r} is not a flight id such as 'BA117-20261129-MOCK'.",
                provider=self.name,
            )
        await self._call()
        leg = self.simulator.by_id(provider_flight_id)
        return self._render(leg) if leg is not None else None

    async def find_flights(
        self, origin: str, destination: str, start: datetime, end: datetime
    ) -> list[ScheduledFlight]:
        """Scheduled flights from ``origin`` to ``destination`` departing in [start, end).

        Each day has the table's flights on that city pair plus a few generated flights of
        carriers based in either country; ``get_flight_status`` answers each with the same
        route and times.

        Raises:
            InvalidFlightQueryError: Unknown airports, naive or reversed times, or a window
                wider than three weeks.
        """
        origin, destination = schedule_window(origin, destination, start, end)
        await self._call()
        departure, arrival = get_airport(origin), get_airport(destination)
        if departure.iata is None or arrival.iata is None:
            return []
        zone = departure.zone
        day = (start.astimezone(zone) if zone else start).date()
        last = (end.astimezone(zone) if zone else end).date()
        found: list[ScheduledFlight] = []
        while day <= last:
            legs = self.simulator.schedule(departure.iata, arrival.iata, day)
            found.extend(self._scheduled(leg) for leg in legs if start <= leg.scheduled_out < end)
            day += timedelta(days=1)
        return found

    def _scheduled(self, leg: Leg) -> ScheduledFlight:
        return ScheduledFlight(
            ident=leg.designator.flight_id,
            origin=leg.origin,
            destination=leg.destination,
            scheduled_out=leg.scheduled_out,
            scheduled_in=leg.scheduled_in,
            aircraft_type=leg.aircraft_type,
            provider_flight_id=leg.provider_flight_id,
            source=self.name,
        )

    async def _probe(self) -> str | None:
        await self._call()
        return f"simulated provider (seed {self.seed})"
