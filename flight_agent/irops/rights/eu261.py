"""EU Regulation (EC) No 261/2004 (EU261), as read by the CJEU.

Scope, Art. 3(1): (a) departures from an airport in the zone (EU member states, the EEA EFTA
states, Switzerland), any carrier; (b) departures from a third country to the zone when the
operating carrier is a Community carrier. Membership is taken on the flight date.
"""

from __future__ import annotations

from datetime import date

from flight_agent.irops.countries import EU261_ZONE, carrier_country, in_groups
from flight_agent.irops.rights.common import (
    Applicability,
    Regime,
    RightsResult,
    RuleBook,
    unanswerable,
)
from flight_agent.irops.rights.facts import ItineraryFacts
from flight_agent.irops.rights.reg261 import Reg261Rules, Scope, assess_reg261

EU261_2004 = Reg261Rules(
    name="EU261",
    edition="EU261: Regulation (EC) 261/2004 as read in Sturgeon (2009)",
    currency="EUR",
    amounts=(250, 400, 600),
)
"""The rules in force since 17 February 2005 (the Council's 2025 reform is not in force)."""

EU261_BOOK: RuleBook[Reg261Rules] = RuleBook(((date(2005, 2, 17), EU261_2004),))
"""EU261 editions by first flight date; add a reform with ``EU261_BOOK.amended(...)``."""


def eu261_scope(facts: ItineraryFacts) -> Scope:
    """Decide whether EU261 covers a journey (Art. 3(1)).

    Args:
        facts: The journey.
    """
    day = facts.flight_date
    from_zone = in_groups(facts.origin.country, EU261_ZONE, day)
    to_zone = in_groups(facts.destination.country, EU261_ZONE, day)
    if from_zone is None or to_zone is None:
        return Scope(Applicability.UNKNOWN, "the country of an airport is unknown")
    if from_zone:
        return Scope(
            Applicability.APPLIES,
            f"departs from {facts.origin.country}, inside the EU261 zone (any carrier)",
            "EU261 Art. 3(1)(a)",
            internal=to_zone,
        )
    if not to_zone:
        return Scope(
            Applicability.NOT_APPLICABLE, "neither departs from nor arrives in the EU261 zone"
        )
    country = carrier_country(facts.operating_carrier)
    if country is None:
        return Scope(
            Applicability.UNKNOWN,
            "arrives in the EU261 zone from outside it: covered only on a Community carrier, "
            "and the operating carrier's nationality is unknown",
        )
    if not in_groups(country, EU261_ZONE, day):
        return Scope(
            Applicability.NOT_APPLICABLE,
            f"arrives in the EU261 zone from outside it on a non-Community carrier ({country})",
        )
    return Scope(
        Applicability.APPLIES,
        f"arrives in the EU261 zone on a Community carrier ({country})",
        "EU261 Art. 3(1)(b)",
        caveats=(
            "Not if benefits or compensation and assistance were received in the third "
            "country (Art. 3(1)(b)).",
        ),
    )


def eu261(facts: ItineraryFacts, *, book: RuleBook[Reg261Rules] = EU261_BOOK) -> RightsResult:
    """What EU261 says the passenger is owed.

    Args:
        facts: The journey.
        book: The dated editions to choose from by flight date.

    Returns:
        Applicability and why, compensation in EUR with the 50 % reduction where it may apply,
        care and refund rights, legal basis, caveats and confidence.
    """
    rules = book.on(facts.flight_date)
    if rules is None:
        return unanswerable(
            Regime.EU261,
            "none",
            "EUR",
            Applicability.NOT_APPLICABLE,
            f"no EU261 rules in force on {facts.flight_date}",
        )
    return assess_reg261(facts, rules, regime=Regime.EU261, scope=eu261_scope(facts))
