"""Building blocks of the simulated flight-data provider (``MockFlightDataProvider``).

One concept per module: ``seeding`` (stable per-flight randomness), ``network`` (airports,
distances, block times), ``routes`` (the known-flight table and generated routes), ``fleet``
(aircraft types, registrations, codeshares), ``gates`` (terminals and gates), ``scenarios``
(named disruptions and pins), ``showcase`` (flights disrupted the same way every day),
``timeline`` (status and OOOI times as the clock moves), ``simulator`` (flights, inbound
aircraft and schedules) and ``faults`` (injected errors, latency, outages).
"""

from flight_agent.providers.simulation.faults import FaultInjector, LatencySpec, lognormal_latency
from flight_agent.providers.simulation.scenarios import Scenario, ScenarioPin
from flight_agent.providers.simulation.showcase import SHOWCASE, ShowcaseFlight
from flight_agent.providers.simulation.simulator import FlightSimulator
from flight_agent.providers.simulation.timeline import Leg, render_leg

__all__ = [
    "SHOWCASE",
    "FaultInjector",
    "FlightSimulator",
    "LatencySpec",
    "Leg",
    "Scenario",
    "ScenarioPin",
    "ShowcaseFlight",
    "lognormal_latency",
    "render_leg",
]
