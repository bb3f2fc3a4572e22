"""Named disruption scenarios, their default weights, the delays each one produces, and pins.

"On time" is under 15 minutes late; a minor delay is 15-44 minutes; a major delay is 3 hours or
more (the EU261 compensation band); an early departure leaves at least 10 minutes ahead of
schedule. A ``ScenarioPin`` assigns a scenario to a flight for every date and can fix the numbers
it would otherwise draw per date (the delay, the alternate of a diversion).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
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


DELAY_BANDS: dict[Scenario, tuple[int | None, int | None]] = {
    Scenario.ON_TIME: (-9, 14),
    Scenario.GATE_CHANGE: (-9, 14),
    Scenario.TERMINAL_CHANGE: (-9, 14),
    Scenario.MINOR_DELAY: (15, 44),
    Scenario.MAJOR_DELAY: (180, None),
    Scenario.EARLY_DEPARTURE: (None, -10),
    Scenario.LATE_INBOUND: (15, None),
}
"""Delay minutes (lowest, highest; None: open) a pinned delay must keep to, per scenario."""


@dataclass(frozen=True, slots=True)
class ScenarioPin:
    """A scenario a flight has on every date, with numbers fixed that would otherwise be drawn.

    Attributes:
        scenario: What happens to the flight.
        delay_minutes: The gate departure and arrival delay (negative when early), for the
            scenarios of ``DELAY_BANDS``; for a late inbound, the delay the late aircraft
            causes. None: drawn per date.
        diverted_to: IATA code of the airport a diverted flight lands at; None: drawn per date
            among the three nearest alternates.

    Raises:
        ValueError: A delay on a scenario without a band or outside its band; an alternate on
            a scenario other than ``diverted``.
    """

    scenario: Scenario
    delay_minutes: int | None = None
    diverted_to: str | None = None

    def __post_init__(self) -> None:
        if self.delay_minutes is not None:
            band = DELAY_BANDS.get(self.scenario)
            if band is None:
                raise ValueError(f"a {self.scenario} flight takes no pinned delay")
            low, high = band
            if (low is not None and self.delay_minutes < low) or (
                high is not None and self.delay_minutes > high
            ):
                raise ValueError(
                    f"a {self.scenario} delay lies in {_band_text(low, high)} minutes, "
                    f"got {self.delay_minutes}"
                )
        if self.diverted_to is not None and self.scenario is not Scenario.DIVERTED:
            raise ValueError(f"only a diverted flight takes an alternate, not {self.scenario}")


def _band_text(low: int | None, high: int | None) -> str:
    if low is None:
        return f"{high} or fewer"
    return f"{low} or more" if high is None else f"{low} to {high}"


ScenarioLike = Scenario | str | ScenarioPin
"""What a flight can be assigned: a scenario, its value ('major_delay') or a pin."""


def as_pin(value: ScenarioLike) -> ScenarioPin:
    """A pin for any accepted form: a ``ScenarioPin`` as is, a scenario with nothing fixed.

    Raises:
        ValueError: The text names no scenario.
    """
    return value if isinstance(value, ScenarioPin) else ScenarioPin(as_scenario(value))


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
