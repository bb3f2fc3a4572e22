"""US DOT: automatic refunds (2024 rule) and tarmac delay limits.

There is no cash compensation for delays in the US. A flight to, from or within the US that is
cancelled or significantly changed gives an automatic refund when the passenger is not offered,
or declines, alternatives: 49 U.S.C. 42305 (FAA Reauthorization Act 2024) and 14 CFR Part 260
(89 FR 32760, conformed by 89 FR 65534), core provisions in force from 28 October 2024. A ticket
already refunded meets the refund right: nothing further is owed under the rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flight_agent.irops.countries import CountryGroup
from flight_agent.irops.formatting import duration_text, whole_minutes
from flight_agent.irops.rights.common import (
    Applicability,
    Confidence,
    Regime,
    RightsResult,
    RuleBook,
    TarmacRule,
    diversion_reason,
    outside_zone,
    provisional_if_unconfirmed,
    unanswerable,
    zone_ends,
)
from flight_agent.irops.rights.facts import ItineraryFacts

US_ZONE = frozenset({CountryGroup.US})


@dataclass(frozen=True)
class DotRefundRules:
    """One edition of the automatic-refund rule.

    Attributes:
        edition: Human name of the edition.
        domestic_minutes: Significant change or delay for domestic itineraries.
        international_minutes: The same for international itineraries.
        inclusive: True reads the threshold as "3 or more hours" (49 U.S.C. 42305); False as
            "more than 3 hours" (the April 2024 rule text).
        card_business_days: Refund deadline for card payments.
        other_calendar_days: Refund deadline for other payments.
    """

    edition: str
    domestic_minutes: int = 180
    international_minutes: int = 360
    inclusive: bool = True
    card_business_days: int = 7
    other_calendar_days: int = 20

    def is_significant(self, change: timedelta, *, domestic: bool) -> bool:
        """Whether a change of departure or arrival time (either direction) is significant.

        Args:
            change: The size of the change (non-negative).
            domestic: Whether the itinerary is within the US.
        """
        limit = timedelta(minutes=self.domestic_minutes if domestic else self.international_minutes)
        return change >= limit if self.inclusive else change > limit


DOT_2024 = DotRefundRules(edition="US DOT automatic refunds: 49 U.S.C. 42305, 14 CFR Part 260")

DOT_REFUND_BOOK: RuleBook[DotRefundRules] = RuleBook(((date(2024, 10, 28), DOT_2024),))
"""Automatic-refund editions by first flight date."""

DOT_TARMAC_BOOK: RuleBook[TarmacRule] = RuleBook(
    (
        (
            date(2011, 8, 23),
            TarmacRule(
                regime=Regime.US_DOT,
                legal_basis="14 CFR 259.4; 49 U.S.C. 42301",
                domestic_limit=timedelta(hours=3),
                international_limit=timedelta(hours=4),
                food_water_after=timedelta(hours=2),
            ),
        ),
    )
)
"""US tarmac limits at US airports: 3 h domestic, 4 h international, food and water by 2 h."""


def _changes(facts: ItineraryFacts) -> list[tuple[str, timedelta]]:
    changes = [("departure", facts.departure_delay), ("arrival", facts.arrival_delay)]
    return [(what, abs(change)) for what, change in changes if change is not None]


def _significant_reasons(
    facts: ItineraryFacts, rules: DotRefundRules, *, domestic: bool
) -> list[str] | None:
    """Why the flight counts as cancelled or significantly changed; None when unknown (no
    time known, or a diversion's arrival at the booked destination not yet known)."""
    reasons = [
        reason
        for flag, reason in (
            (facts.cancelled, "cancelled"),
            (facts.airport_changed, "origin or destination airport changed"),
            (facts.extra_connections > 0, "more connections than booked"),
            (facts.downgraded, "downgraded to a lower cabin"),
        )
        if flag
    ]
    changes = _changes(facts)
    reasons += [
        f"{what} {duration_text(change)} off schedule"
        for what, change in changes
        if rules.is_significant(change, domestic=domestic)
    ]
    diverted_unknown = facts.diverted and facts.actual_in is None
    if not reasons and (not changes or diverted_unknown):
        return None
    return reasons


def us_dot_refund(
    facts: ItineraryFacts, *, book: RuleBook[DotRefundRules] = DOT_REFUND_BOOK
) -> RightsResult:
    """What the US DOT automatic-refund rule says the passenger is owed.

    Args:
        facts: The journey.
        book: The dated editions to choose from by flight date (an edition with
            ``inclusive=False`` reads the threshold as "more than").

    Returns:
        The result: never cash compensation (amount 0 USD); ``refund`` holds the automatic
        refund right when the flight was cancelled or significantly changed and the ticket is
        not yet refunded; ``provisional`` when it rests on a cancellation not yet confirmed.
    """
    rules = book.on(facts.flight_date)
    if rules is None:
        return unanswerable(
            Regime.US_DOT,
            "none",
            "USD",
            Applicability.UNKNOWN,
            f"no automatic-refund rule in force on {facts.flight_date}",
        )
    ends = zone_ends(facts, US_ZONE)
    outside = outside_zone(
        ends, regime=Regime.US_DOT, rules=rules.edition, currency="USD", where="the US"
    )
    if outside is not None:
        return outside
    domestic = all(ends)
    limit = duration_text(
        timedelta(minutes=rules.domestic_minutes if domestic else rules.international_minutes)
    )
    threshold = f"{limit} or more" if rules.inclusive else f"more than {limit}"
    scope = (
        f"{'domestic' if domestic else 'international'} trip to, from or within the US: "
        f"a change of {threshold} is significant"
    )
    significant = _significant_reasons(facts, rules, domestic=domestic)
    diverted = diversion_reason(facts, depends="whether a refund is due")
    reasons = [scope] if diverted is None else [scope, diverted]
    refund: tuple[str, ...] = ()
    confidence = Confidence.MEDIUM if facts.arrival_is_estimate else Confidence.HIGH
    if facts.ticket_refunded:
        reasons.append("the ticket was refunded: the refund right is met, nothing further is owed")
    elif significant is None:
        if diverted is None:
            reasons.append("schedule change unknown: whether a refund is due cannot be judged")
        confidence = Confidence.LOW
    elif not significant:
        reasons.append("not cancelled or significantly changed: no refund right")
    elif facts.accepted_alternative:
        reasons.append(
            f"{', '.join(significant)}, but the passenger accepted an alternative: no refund"
        )
    else:
        reasons.append(f"{', '.join(significant)}: automatic refund if alternatives are declined")
        refund = (
            f"automatic refund of the ticket and unused extras within {rules.card_business_days} "
            f"business days (card) or {rules.other_calendar_days} calendar days (other payment), "
            "if the passenger is not offered or declines alternatives",
        )
    arrival = facts.arrival_delay
    result = RightsResult(
        regime=Regime.US_DOT,
        rules=rules.edition,
        applicability=Applicability.APPLIES,
        reasons=tuple(reasons),
        currency="USD",
        amount=0,
        refund=refund,
        legal_basis=("49 U.S.C. 42305", "14 CFR Part 260 (89 FR 32760; 89 FR 65534)"),
        caveats=(
            "No cash compensation for delays under US federal rules (the 2024 compensation "
            "proposal was withdrawn in November 2025).",
            "Meals and hotels depend on the carrier's customer service plan.",
        ),
        confidence=confidence,
        arrival_delay_minutes=whole_minutes(arrival) if arrival is not None else None,
    )
    return provisional_if_unconfirmed(result, facts)
