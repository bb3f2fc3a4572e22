"""The showcase: flights the simulated world disrupts the same way on every date, for every seed.

Demos, the README and the notebooks use them, and ``flight-agent scenarios`` lists them, so a
newcomer knows which flight shows what without reading code. ``FlightSimulator`` pins them unless
told otherwise: a scenario given for one of these designators replaces its showcase pin.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from flight_agent.flight_query import FlightDesignator
from flight_agent.providers.simulation.routes import NONEXISTENT_NUMBERS
from flight_agent.providers.simulation.scenarios import Scenario, ScenarioPin


@dataclass(frozen=True, slots=True)
class ShowcaseFlight:
    """One documented flight: what happens to it every day, in one line.

    ``pin`` is None for a number that never exists.
    """

    designator: str
    pin: ScenarioPin | None
    story: str


SHOWCASE: tuple[ShowcaseFlight, ...] = (
    ShowcaseFlight(
        "BA117",
        ScenarioPin(Scenario.MAJOR_DELAY, delay_minutes=210),
        "3 h 30 late: its travellers miss AA1830 at JFK (the `flight-agent run` demo)",
    ),
    ShowcaseFlight(
        "AA1830",
        ScenarioPin(Scenario.ON_TIME, delay_minutes=0),
        "on time to the minute: BA117's onward connection to Boston",
    ),
    ShowcaseFlight(
        "LH400",
        ScenarioPin(Scenario.CANCELLED),
        "cancelled: EU261 owes EUR 600 unless the traveller was told 14+ days ahead",
    ),
    ShowcaseFlight(
        "BA456",
        ScenarioPin(Scenario.LATE_INBOUND, delay_minutes=90),
        "1 h 30 late: its aircraft comes in late from its previous flight",
    ),
    ShowcaseFlight(
        "AF1080",
        ScenarioPin(Scenario.MINOR_DELAY, delay_minutes=25),
        "25 min late: disrupted, yet under every compensation threshold",
    ),
    ShowcaseFlight(
        "QR1",
        ScenarioPin(Scenario.DIVERTED, diverted_to="STN"),
        "diverted to London Stansted (STN), which shows only once it lands (about 12:00 UTC): "
        "ask for yesterday's",
    ),
    ShowcaseFlight(
        "BA1440",
        ScenarioPin(Scenario.GATE_CHANGE, delay_minutes=0),
        "on time, but moves to another gate 50 min before departure (07:10 London time): "
        "`flight-agent watch BA1440 --speed 60` shows it within seconds",
    ),
    ShowcaseFlight(
        f"BA{NONEXISTENT_NUMBERS[-1]}",
        None,
        f"not found: numbers {NONEXISTENT_NUMBERS[0]}-{NONEXISTENT_NUMBERS[-1]} of any airline "
        "never exist",
    ),
)
"""The documented flights, in the order ``flight-agent scenarios`` lists them."""


@cache
def showcase_pins() -> Mapping[str, ScenarioPin]:
    """The pinned showcase flights by flight id ('BA117')."""
    return {
        FlightDesignator.parse(flight.designator).flight_id: flight.pin
        for flight in SHOWCASE
        if flight.pin is not None
    }
