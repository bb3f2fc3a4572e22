"""UK261: Regulation 261/2004 as retained and amended in UK law (SI 2019/278).

Scope (CAA): departures from a UK airport on any carrier; arrivals in the UK from outside it on
a UK or EU carrier; arrivals in the EU from outside it (and outside the UK) on a UK carrier.
In force from 1 January 2021; before that the UK counts inside the EU for EU261.
"""

from __future__ import annotations

from datetime import date

from flight_agent.irops.countries import EU261_ZONE, CountryGroup, carrier_country, in_groups
from flight_agent.irops.rights.common import (
    Applicability,
    Regime,
    RightsResult,
    RuleBook,
    unanswerable,
)
from flight_agent.irops.rights.facts import ItineraryFacts
from flight_agent.irops.rights.reg261 import Reg261Rules, Scope, assess_reg261

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
    day = facts.flight_date
    from_uk = in_groups(facts.origin.country, UK_ZONE, day)
    to_uk = in_groups(facts.destination.country, UK_ZONE, day)
    from_eu = in_groups(facts.origin.country, EU261_ZONE, day)
    to_eu = in_groups(facts.destination.country, EU261_ZONE, day)
    if from_uk is None or to_uk is None:
        return Scope(Applicability.UNKNOWN, "the country of an airport is unknown")
    if from_uk:
        return Scope(
            Applicability.APPLIES,
            "departs from the UK (any carrier)",
            "UK261 Art. 3(1)(a)",
            internal=to_uk,
        )
    if not (to_uk or (to_eu and not from_eu)):
        return Scope(Applicability.NOT_APPLICABLE, "no UK departure, and no arrival UK261 covers")
    country = carrier_country(facts.operating_carrier)
    if country is None:
        return Scope(
            Applicability.UNKNOWN,
            "covered only on a UK (or, into the UK, an EU) carrier, and the operating "
            "carrier's nationality is unknown",
        )
    eligible = {CountryGroup.UK, *EU261_ZONE} if to_uk else {CountryGroup.UK}
    if not in_groups(country, eligible, day):
        return Scope(
            Applicability.NOT_APPLICABLE,
            f"arrives from outside on a carrier ({country}) UK261 does not cover for this route",
        )
    return Scope(
        Applicability.APPLIES,
        f"arrives in the {'UK' if to_uk else 'EU'} on a covered carrier ({country})",
        "UK261 Art. 3(1)(b)",
        caveats=(
            "Not if benefits or compensation and assistance were received in the third "
            "country (Art. 3(1)(b)).",
        ),
    )


def uk261(facts: ItineraryFacts, *, book: RuleBook[Reg261Rules] = UK261_BOOK) -> RightsResult:
    """What UK261 says the passenger is owed.

    Args:
        facts: The journey.
        book: The dated editions to choose from by flight date.

    Returns:
        Applicability and why, compensation in GBP with the 50 % reduction where it may apply,
        care and refund rights, legal basis, caveats and confidence.
    """
    rules = book.on(facts.flight_date)
    if rules is None:
        return unanswerable(
            Regime.UK261,
            "none",
            "GBP",
            Applicability.NOT_APPLICABLE,
            f"no UK261 rules in force on {facts.flight_date} (EU261 covered the UK until then)",
        )
    return assess_reg261(facts, rules, regime=Regime.UK261, scope=uk261_scope(facts))
