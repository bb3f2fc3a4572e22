"""EU Regulation (EC) No 261/2004 (EU261), as read by the CJEU.

Scope, Art. 3(1): (a) departures from an airport in the zone (EU member states, the EEA EFTA
states, Switzerland), any carrier; (b) departures from a third country to the zone when the
operating carrier is a Community carrier. Membership is taken on the flight date.
"""

from __future__ import annotations

from datetime import date

from flight_agent.irops.countries import EU261_ZONE, in_groups
from flight_agent.irops.rights.common import Applicability, Regime, RuleBook
from flight_agent.irops.rights.facts import ItineraryFacts
from flight_agent.irops.rights.reg261 import Reg261Regime, Reg261Rules
from flight_agent.irops.rights.reg261_scope import Scope, carrier_scope, departure_scope

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
    departing = departure_scope(
        facts,
        EU261_ZONE,
        name="EU261",
        departs=f"departs from {facts.origin.country}, inside the EU261 zone (any carrier)",
    )
    if departing is not None:
        return departing
    if not in_groups(facts.destination.country, EU261_ZONE, facts.flight_date):
        return Scope(
            Applicability.NOT_APPLICABLE, "neither departs from nor arrives in the EU261 zone"
        )
    return carrier_scope(
        facts,
        EU261_ZONE,
        name="EU261",
        unknown="arrives in the EU261 zone from outside it: covered only on a Community "
        "carrier, and the operating carrier's nationality is unknown",
        excluded="arrives in the EU261 zone from outside it on a non-Community carrier ({country})",
        covered="arrives in the EU261 zone on a Community carrier ({country})",
    )


eu261 = Reg261Regime(Regime.EU261, EU261_BOOK, eu261_scope)
"""What EU261 says the passenger is owed: ``eu261(facts)``, compensation in EUR."""
