"""UK261: Regulation 261/2004 as retained and amended in UK law (SI 2019/278).

Scope (CAA): departures from a UK airport on any carrier; arrivals in the UK from outside it on
a UK or EU carrier; arrivals in the EU from outside it (and outside the UK) on a UK carrier.
In force from 1 January 2021; before that the UK counts inside the EU for EU261.
"""

from __future__ import annotations

from datetime import date

from flight_agent.irops.countries import EU261_ZONE, CountryGroup, in_groups
from flight_agent.irops.rights.common import Applicability, Regime, RuleBook, zone_ends
from flight_agent.irops.rights.facts import ItineraryFacts
from flight_agent.irops.rights.reg261 import Reg261Regime, Reg261Rules
from flight_agent.irops.rights.reg261_scope import Scope, carrier_scope, departure_scope

UK_ZONE = frozenset({CountryGroup.UK})

UK261_2021 = Reg261Rules(
    name="UK261",
    edition="UK261: retained Regulation 261/2004 (SI 2019/278)",
    currency="GBP",
    amounts=(220, 350, 520),
)
"""The rules in force since the end of the Brexit transition period."""

UK261_BOOK: RuleBook[Reg261Rules] = RuleBook(((date(2021, 1, 1), UK261_2021),))
"""UK261 editions by first flight date."""


def uk261_scope(facts: ItineraryFacts) -> Scope:
    """Decide whether UK261 covers a journey.

    Args:
        facts: The journey.
    """
    departing = departure_scope(
        facts, UK_ZONE, name="UK261", departs="departs from the UK (any carrier)"
    )
    if departing is not None:
        return departing
    to_uk = in_groups(facts.destination.country, UK_ZONE, facts.flight_date)
    from_eu, to_eu = zone_ends(facts, EU261_ZONE)
    if not (to_uk or (to_eu and not from_eu)):
        return Scope(Applicability.NOT_APPLICABLE, "no UK departure, and no arrival UK261 covers")
    return carrier_scope(
        facts,
        {CountryGroup.UK, *EU261_ZONE} if to_uk else UK_ZONE,
        name="UK261",
        unknown="covered only on a UK (or, into the UK, an EU) carrier, and the operating "
        "carrier's nationality is unknown",
        excluded="arrives from outside on a carrier ({country}) UK261 does not cover for this "
        "route",
        covered=f"arrives in the {'UK' if to_uk else 'EU'} on a covered carrier ({{country}})",
    )


uk261 = Reg261Regime(
    Regime.UK261,
    UK261_BOOK,
    uk261_scope,
    before_first_edition=" (EU261 covered the UK until then)",
)
"""What UK261 says the passenger is owed: ``uk261(facts)``, compensation in GBP."""
