"""Canada: Air Passenger Protection Regulations (SOR/2019-150), compensation and tarmac limits.

Compensation (s.19) is owed for a delay or cancellation within the carrier's control and not
required for safety, by arrival delay at the destination on the original ticket: large carrier
CAD 400 / 700 / 1,000 for 3 h / 6 h / 9 h, small carrier CAD 125 / 250 / 500; a ticket refunded
instead of travel (s.17(2)), for a cancellation or a delay of 3 h or more, earns the first tier.
Outside the carrier's control (s.10) or for safety (s.11): none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flight_agent.irops.countries import CarrierSize, CountryGroup, appr_carrier_size
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
    tier_amount,
    unanswerable,
    zone_ends,
)
from flight_agent.irops.rights.facts import Cause, ItineraryFacts

CA_ZONE = frozenset({CountryGroup.CA})


@dataclass(frozen=True)
class ApprRules:
    """One edition of APPR s.19.

    Attributes:
        edition: Human name of the edition.
        tiers: Per carrier size, ``(minimum arrival delay in minutes, CAD)`` pairs.
        notice: A cancellation told at least this long before departure earns nothing.
        care_after: Departure delay from which food, drink and communication are owed (s.14).
        refund_tier_minutes: A ticket refunded instead of travel earns the tier of this delay
            (s.19(2)); a delay must reach it for the refund to be one APPR gives (s.17(2)).
    """

    edition: str
    tiers: dict[CarrierSize, tuple[tuple[int, int], ...]]
    notice: timedelta = timedelta(days=14)
    care_after: timedelta = timedelta(hours=2)
    refund_tier_minutes: int = 180


APPR_2019 = ApprRules(
    edition="Canada APPR: SOR/2019-150 s.19",
    tiers={
        CarrierSize.LARGE: ((180, 400), (360, 700), (540, 1000)),
        CarrierSize.SMALL: ((180, 125), (360, 250), (540, 500)),
    },
)

APPR_BOOK: RuleBook[ApprRules] = RuleBook(((date(2019, 12, 15), APPR_2019),))
"""APPR compensation editions by first flight date."""

APPR_TARMAC_BOOK: RuleBook[TarmacRule] = RuleBook(
    (
        (
            date(2019, 7, 15),
            TarmacRule(
                regime=Regime.CANADA_APPR,
                legal_basis="SOR/2019-150 s.8",
                domestic_limit=timedelta(hours=3),
                international_limit=timedelta(hours=3),
                extension=timedelta(minutes=45),
            ),
        ),
    )
)
"""APPR tarmac limit: 3 h, plus 45 min when take-off is imminent."""

_CONTROL = {
    Cause.EXTRAORDINARY: (
        "outside the carrier's control (s.10): rebooking or refund, no compensation",
        "SOR/2019-150 s.10",
    ),
    Cause.CARRIER_SAFETY: (
        "within the carrier's control but required for safety (s.11): no compensation",
        "SOR/2019-150 s.11",
    ),
}


def _delay_minutes(facts: ItineraryFacts, rules: ApprRules) -> tuple[int | None, str]:
    """Arrival delay on which s.19 is computed, with how it was found."""
    notice = (
        facts.scheduled_out - facts.notified_at
        if facts.scheduled_out and facts.notified_at
        else None
    )
    if facts.cancelled and notice is not None and notice >= rules.notice:
        return 0, "cancelled, told at least 14 days before"
    if facts.ticket_refunded:
        return _refunded_minutes(facts, rules)
    if facts.cancelled and facts.reroute_in and facts.scheduled_in:
        late = facts.reroute_in - facts.scheduled_in
        return whole_minutes(late), f"cancelled, the new booking arrives {duration_text(late)} late"
    if facts.cancelled:
        return (
            rules.refund_tier_minutes,
            "cancelled, no new booking known: the refund tier (s.19(2))",
        )
    arrival = facts.arrival_delay
    diverted = diversion_reason(facts, depends="compensation")
    if arrival is None:
        return None, diverted or "gate arrival at the destination unknown"
    arrived = f"arrived {duration_text(arrival)} late"
    return whole_minutes(arrival), arrived if diverted is None else f"{diverted}: {arrived}"


def _refunded_minutes(facts: ItineraryFacts, rules: ApprRules) -> tuple[int | None, str]:
    """The delay tier of a ticket refunded instead of travel: the refund tier once the
    cancellation or a delay of the flight of ``refund_tier_minutes`` gave the right to it."""
    tier = duration_text(timedelta(minutes=rules.refund_tier_minutes))
    refunded = "ticket refunded instead of travel"
    if facts.cancelled:
        return rules.refund_tier_minutes, f"cancelled, {refunded}: the refund tier (s.19(2))"
    delays = [d for d in (facts.departure_delay, facts.arrival_delay) if d is not None]
    if not delays:
        return None, f"{refunded}, the flight's delay unknown: the refund tier if it reached {tier}"
    late = max(delays)
    if late >= timedelta(minutes=rules.refund_tier_minutes):
        return (
            rules.refund_tier_minutes,
            f"{refunded} after a delay of {duration_text(late)}: the refund tier (s.19(2))",
        )
    return whole_minutes(late), (
        f"{refunded} after a delay of {duration_text(late)}: the refund tier is for refunds "
        f"after {tier} or more (s.17(2)), and the rules applied here say nothing of a refund "
        "for a shorter delay"
    )


def canada_appr(facts: ItineraryFacts, *, book: RuleBook[ApprRules] = APPR_BOOK) -> RightsResult:
    """What Canada's APPR says the passenger is owed.

    Args:
        facts: The journey.
        book: The dated editions to choose from by flight date.

    Returns:
        Applicability and why, compensation in CAD by carrier size and arrival delay (the refund
        tier for a ticket refunded instead of travel), care and refund rights, legal basis,
        caveats (the within-control condition) and confidence; ``provisional`` when it rests on
        a cancellation not yet confirmed.
    """
    rules = book.on(facts.flight_date)
    if rules is None:
        return unanswerable(
            Regime.CANADA_APPR,
            "none",
            "CAD",
            Applicability.NOT_APPLICABLE,
            f"no APPR compensation rules in force on {facts.flight_date}",
        )
    outside = outside_zone(
        zone_ends(facts, CA_ZONE),
        regime=Regime.CANADA_APPR,
        rules=rules.edition,
        currency="CAD",
        where="Canada",
    )
    if outside is not None:
        return outside
    reasons = ["flight to, from or within Canada"]
    basis = ["SOR/2019-150 s.19"]
    caveats: list[str] = []
    confidence = Confidence.MEDIUM if facts.arrival_is_estimate else Confidence.HIGH
    delay, how = _delay_minutes(facts, rules)
    reasons.append(how)
    size = appr_carrier_size(facts.operating_carrier)
    amount: int | None = None
    if facts.cause in _CONTROL:
        reason, cite = _CONTROL[facts.cause]
        reasons.append(reason)
        basis.append(cite)
        amount = 0
    elif delay is None:
        confidence = Confidence.LOW
    elif size is None:
        reasons.append(f"carrier size unknown for {facts.operating_carrier or 'the carrier'}")
        confidence = Confidence.LOW
    else:
        tiers = rules.tiers[size]
        amount = tier_amount(tiers, delay)
        first = duration_text(timedelta(minutes=min(minimum for minimum, _ in tiers)))
        reasons.append(
            f"{size} carrier: CAD {amount}"
            if amount
            else f"{size} carrier: no compensation under {first} late"
        )
        if amount and facts.cause is Cause.UNKNOWN:
            caveats.append(
                "Owed only if the disruption was within the carrier's control and not required "
                "for safety (s.12); weather, ATC and security are outside its control (s.10)."
            )
            confidence = Confidence.LOW
    departure = facts.departure_delay
    care: tuple[str, ...] = ()
    if facts.cause is not Cause.EXTRAORDINARY and (
        facts.cancelled or (departure is not None and departure >= rules.care_after)
    ):
        care = (
            "food and drink in reasonable quantities",
            "access to a means of communication",
            "hotel and transport if an overnight wait is needed",
        )
        basis.append("SOR/2019-150 s.14")
    if facts.ticket_refunded:
        refund: tuple[str, ...] = ("ticket refunded (s.17(2)): rebooking is no longer owed",)
    elif facts.cancelled or (delay is not None and delay >= rules.refund_tier_minutes):
        refund = (
            "rebooking, or a refund if the new booking does not meet the passenger's needs (s.17)",
        )
    else:
        refund = ()
    result = RightsResult(
        regime=Regime.CANADA_APPR,
        rules=rules.edition,
        applicability=Applicability.APPLIES,
        reasons=tuple(reasons),
        currency="CAD",
        amount=amount,
        care=care,
        refund=refund,
        legal_basis=tuple(basis),
        caveats=(*caveats, "Claim within one year of the flight."),
        confidence=confidence,
        arrival_delay_minutes=delay if not (facts.cancelled or facts.ticket_refunded) else None,
    )
    return provisional_if_unconfirmed(result, facts)
