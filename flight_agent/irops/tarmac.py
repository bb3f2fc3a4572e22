"""The regulatory clock of a long tarmac delay (14 CFR 259.4; APPR SOR/2019-150 s.8).

A departing flight is on the tarmac from door closure (``actual_out``) until take-off; an
arriving one from touchdown (``actual_on``) until it reaches the gate. At US airports the carrier
must begin returning to a disembarkation point by 3 h (domestic) or 4 h (international), with
food and water by 2 h; at Canadian airports by 3 h, or 3 h 45 when take-off is imminent.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from flight_agent.airports import Airport
from flight_agent.irops.countries import CountryGroup, in_groups
from flight_agent.irops.formatting import whole_minutes
from flight_agent.irops.gate_times import left_gate_only, returned_to_gate
from flight_agent.irops.rights.canada_appr import APPR_TARMAC_BOOK
from flight_agent.irops.rights.common import Regime, RuleBook, TarmacRule
from flight_agent.irops.rights.us_dot import DOT_TARMAC_BOOK
from flight_agent.models import FlightStatusData, UtcDatetime

_BOOKS: tuple[tuple[CountryGroup, RuleBook[TarmacRule]], ...] = (
    (CountryGroup.US, DOT_TARMAC_BOOK),
    (CountryGroup.CA, APPR_TARMAC_BOOK),
)


class TarmacPhase(StrEnum):
    """Which end of the flight the aircraft is waiting at."""

    DEPARTURE = "departure"
    ARRIVAL = "arrival"


class TarmacClock(BaseModel):
    """How long passengers have been held on the tarmac, and the deadlines that apply.

    ``limit_at`` is when the carrier must begin returning to a disembarkation point (None where
    no rule applies); ``extended_limit_at`` is the limit with an imminent-take-off extension.
    """

    model_config = ConfigDict(frozen=True)

    phase: TarmacPhase
    airport: Airport
    started_at: UtcDatetime
    elapsed_minutes: int
    regime: Regime | None = None
    legal_basis: str | None = None
    food_water_due_at: UtcDatetime | None = None
    limit_at: UtcDatetime | None = None
    extended_limit_at: UtcDatetime | None = None


def tarmac_rule(airport: Airport, flight: FlightStatusData) -> tuple[TarmacRule, timedelta] | None:
    """The tarmac rule at an airport for a flight, with the limit that applies to it.

    Args:
        airport: Where the aircraft is held.
        flight: The flight (its route decides domestic or international).

    Returns:
        The rule and its limit, or None where no tarmac rule applies.
    """
    day = flight.flight_date
    for group, book in _BOOKS:
        rule = book.on(day) if in_groups(airport.country, (group,), day) else None
        if rule is not None:
            domestic = bool(
                in_groups(flight.origin.country, (group,), day)
                and in_groups(flight.destination.country, (group,), day)
            )
            return rule, rule.domestic_limit if domestic else rule.international_limit
    return None


def tarmac_clock(flight: FlightStatusData, *, now: datetime) -> TarmacClock | None:
    """The tarmac clock of a flight held on the ground, if it is.

    Args:
        flight: The latest record of the flight.
        now: The current time (aware).

    Returns:
        The clock, or None when the aircraft is not held on the tarmac.
    """
    if flight.actual_out and left_gate_only(flight) and not returned_to_gate(flight):
        phase, started, airport = TarmacPhase.DEPARTURE, flight.actual_out, flight.origin
    elif flight.actual_on and flight.actual_in is None:
        phase, started = TarmacPhase.ARRIVAL, flight.actual_on
        airport = flight.diverted_to or flight.destination
    else:
        return None
    if now < started:
        return None
    found = tarmac_rule(airport, flight)
    rule, limit = found if found else (None, None)
    return TarmacClock(
        phase=phase,
        airport=airport,
        started_at=started,
        elapsed_minutes=whole_minutes(now - started),
        regime=rule.regime if rule else None,
        legal_basis=rule.legal_basis if rule else None,
        food_water_due_at=started + rule.food_water_after
        if rule and rule.food_water_after
        else None,
        limit_at=started + limit if limit else None,
        extended_limit_at=started + limit + rule.extension
        if rule and limit and rule.extension
        else None,
    )
