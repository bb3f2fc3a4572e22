"""Named disruption scenarios, their default weights and the delays each one produces.

Numbers follow IROPS.md section 1: "on time" is under 15 minutes late; a minor delay is
15-44 minutes; a major delay is 3 hours or more (the EU261 compensation band); an early
departure leaves at least 10 minutes ahead of schedule.
"""

from __future__ import annotations

import random
from enum import StrEnum


class Scenario(StrEnum):
    """What happens to a simulated flight on a day."""

    ON_TIME = "on_time"
    MINOR_DELAY = "minor_delay"
    MAJOR_DELAY = "major_delay"
    CANCELLED = "cancelled"
    DIVERTED = "diverted"
    GATE_CHANGE = "gate_change"
    TERMINAL_CHANGE = "terminal_change"
    LATE_INBOUND = "late_inbound"
    EARLY_DEPARTURE = "early_departure"
    UNKNOWN = "unknown"


SCENARIO_WEIGHTS: dict[Scenario, float] = {
    Scenario.ON_TIME: 0.70,
    Scenario.MINOR_DELAY: 0.14,
    Scenario.MAJOR_DELAY: 0.03,
    Scenario.CANCELLED: 0.02,
    Scenario.DIVERTED: 0.01,
    Scenario.GATE_CHANGE: 0.04,
    Scenario.TERMINAL_CHANGE: 0.01,
    Scenario.LATE_INBOUND: 0.03,
    Scenario.EARLY_DEPARTURE: 0.01,
    Scenario.UNKNOWN: 0.01,
}
"""How often each scenario is drawn for a flight without an assigned one."""


def as_scenario(value: Scenario | str) -> Scenario:
    """Accept a ``Scenario`` or its string value ('major_delay').

    Raises:
        ValueError: The text names no scenario.
    """
    try:
        return Scenario(value)
    except ValueError:
        names = ", ".join(s.value for s in Scenario)
        raise ValueError(f"Unknown scenario {value!r}; use one of: {names}.") from None


def draw_scenario(rng: random.Random) -> Scenario:
    """A scenario drawn from ``SCENARIO_WEIGHTS``."""
    scenarios = list(SCENARIO_WEIGHTS)
    return rng.choices(scenarios, weights=[SCENARIO_WEIGHTS[s] for s in scenarios])[0]


def departure_delay(scenario: Scenario, rng: random.Random) -> int:
    """Gate departure delay in minutes (negative when early) a scenario produces.

    Late-inbound delays come from the inbound aircraft instead (see ``simulator``).
    """
    if scenario is Scenario.MINOR_DELAY:
        return rng.randint(15, 44)
    if scenario is Scenario.MAJOR_DELAY:
        return rng.randint(36, 60) * 5  # 3 to 5 hours
    if scenario is Scenario.EARLY_DEPARTURE:
        return -rng.randint(10, 20)
    return rng.randint(-3, 10)


def arrival_delay(
    scenario: Scenario, departure: int, airborne_minutes: int, rng: random.Random
) -> int:
    """Gate arrival delay: the departure delay plus en-route gains or losses.

    Gains are capped by the flight's length so landing never precedes take-off; an
    on-time departure stays on time on arrival (under 15 minutes).
    """
    gain = min(12, airborne_minutes // 5)
    arrival = departure + rng.randint(-gain, 4)
    if scenario in (Scenario.ON_TIME, Scenario.GATE_CHANGE, Scenario.TERMINAL_CHANGE):
        arrival = min(arrival, 14)
    if scenario is Scenario.MINOR_DELAY:
        arrival = max(arrival, 15)  # still visibly late at the gate
    return arrival
