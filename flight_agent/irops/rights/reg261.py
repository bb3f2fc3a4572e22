"""The Regulation 261/2004 engine shared by EU261 and its retained UK copy (UK261).

Both regimes use the same articles with different amounts, currencies and scope, so each is a
``Reg261Regime``: its dated ``Reg261Rules`` editions and its own scope test (built from the
Art. 3(1) tests of ``reg261_scope``). Calling it assesses a journey, and this module does the
rest: compensation by great-circle distance band (Art. 7(1), 7(4)), the 3-hour arrival rule for
delays (Sturgeon C-402/07 para. 61), the 50 % reduction (Art. 7(2), Sturgeon para. 63),
cancellation notice bands (Art. 5(1)(c)) and care (Arts. 6, 8, 9). A refunded ticket is the
reimbursement of Art. 8(1)(a): it replaces re-routing and leaves compensation as it is.

The 50 % reduction applies while the arrival is later by *less than* the band's limit (2/3/4 h):
a long-haul flight 3 h 59 late may be reduced, one 4 h 00 late may not (Sturgeon para. 63).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum

from flight_agent.irops.formatting import duration_text, whole_minutes
from flight_agent.irops.geo import great_circle_km
from flight_agent.irops.rights.common import (
    Applicability,
    Confidence,
    Regime,
    RightsResult,
    RuleBook,
    diversion_reason,
    lowest,
    provisional_if_unconfirmed,
    unanswerable,
)
from flight_agent.irops.rights.facts import Cause, ItineraryFacts
from flight_agent.irops.rights.reg261_scope import Scope
from flight_agent.models import to_local

_CARE = (
    "meals and refreshments in reasonable relation to the waiting time",
    "two telephone calls, e-mails or messages",
)
_HOTEL = "hotel accommodation and transport to it"
_REIMBURSED = (
    "ticket reimbursed (Art. 8(1)(a)): re-routing is no longer owed, compensation is unaffected"
)


class DistanceBand(StrEnum):
    """Art. 7(1) distance band, named by its sub-paragraph letter."""

    SHORT = "a"
    """1500 km or less."""
    MEDIUM = "b"
    """Intra-zone flights over 1500 km, and other flights between 1500 and 3500 km."""
    LONG = "c"
    """All other flights."""


_INDEX = {DistanceBand.SHORT: 0, DistanceBand.MEDIUM: 1, DistanceBand.LONG: 2}


@dataclass(frozen=True)
class Reg261Rules:
    """One edition of the Regulation 261/2004 rules. Per-band tuples are (a, b, c).

    Attributes:
        name: Prefix of citations, e.g. ``"EU261"``.
        edition: Human name of the edition, shown in results.
        currency: ISO currency of the amounts.
        amounts: Art. 7(1) compensation per band.
        delay_minutes: Arrival delay at the final destination from which delays are compensated.
        reduction_limit_minutes: Art. 7(2): the carrier may halve the amount while the arrival is
            later than scheduled by less than this.
        care_after_minutes: Art. 6(1): expected departure delay from which care is owed.
        refund_after_minutes: Art. 6(1)(iii): departure delay from which reimbursement is owed.
        short_haul_km: Upper bound (inclusive) of band (a).
        medium_haul_km: Upper bound (inclusive) of band (b) for flights leaving the zone.
        notice_weeks: Art. 5(1)(c)(i): notice that removes compensation whatever the re-routing.
        notice_short: Art. 5(1)(c)(ii)/(iii) boundary.
        reroute_long_notice: (ii): re-routing may leave at most this much earlier and must arrive
            less than this much later.
        reroute_short_notice: (iii): the same limits for notice under ``notice_short``.
    """

    name: str
    edition: str
    currency: str
    amounts: tuple[int, int, int]
    delay_minutes: tuple[int, int, int] = (180, 180, 180)
    reduction_limit_minutes: tuple[int, int, int] = (120, 180, 240)
    care_after_minutes: tuple[int, int, int] = (120, 180, 240)
    refund_after_minutes: int = 300
    short_haul_km: float = 1500.0
    medium_haul_km: float = 3500.0
    notice_weeks: timedelta = timedelta(days=14)
    notice_short: timedelta = timedelta(days=7)
    reroute_long_notice: tuple[timedelta, timedelta] = (timedelta(hours=2), timedelta(hours=4))
    reroute_short_notice: tuple[timedelta, timedelta] = (timedelta(hours=1), timedelta(hours=2))


def distance_band(distance_km: float, *, internal: bool, rules: Reg261Rules) -> DistanceBand:
    """The Art. 7(1) band of a journey.

    Args:
        distance_km: Great-circle distance origin to final destination.
        internal: Both ends inside the zone: such flights never exceed band (b).
        rules: The edition in force.
    """
    if distance_km <= rules.short_haul_km:
        return DistanceBand.SHORT
    if internal or distance_km <= rules.medium_haul_km:
        return DistanceBand.MEDIUM
    return DistanceBand.LONG


@dataclass
class _Outcome:
    reasons: list[str]
    amount: int | None = None
    reduced: int | None = None
    care: list[str] = field(default_factory=list)
    refund: list[str] = field(default_factory=list)
    basis: list[str] = field(default_factory=list)
    caveats: list[str] = field(default_factory=list)


def _halved_if(late: timedelta | None, amount: int, limit_minutes: int) -> int | None:
    return amount // 2 if late is not None and late < timedelta(minutes=limit_minutes) else None


def _overnight(facts: ItineraryFacts) -> bool:
    """Art. 6(1)(ii): the expected departure is on a later local day than the scheduled one."""
    scheduled = to_local(facts.scheduled_out, facts.origin)
    expected = to_local(facts.actual_out, facts.origin)
    return scheduled is not None and expected is not None and expected.date() > scheduled.date()


def _delay(facts: ItineraryFacts, rules: Reg261Rules, band: DistanceBand) -> _Outcome:
    i, art = _INDEX[band], rules.name + " Art."
    outcome = _Outcome(reasons=[])
    departure = facts.departure_delay
    if departure is None:
        outcome.reasons.append("departure delay unknown: care under Art. 6 cannot be judged")
    elif departure >= timedelta(minutes=rules.care_after_minutes[i]):
        outcome.care.extend(_CARE)
        if _overnight(facts):
            outcome.care.append(_HOTEL)
        outcome.basis.append(f"{art} 6(1)({band}), Art. 9")
        if departure >= timedelta(minutes=rules.refund_after_minutes):
            outcome.refund.append("reimbursement of the ticket within 7 days, and a return flight")
            outcome.basis.append(f"{art} 6(1)(iii), Art. 8(1)(a)")
    diverted = diversion_reason(facts, depends="compensation")
    if diverted is not None:
        outcome.reasons.append(diverted)
    arrival = facts.arrival_delay
    if arrival is None:
        if diverted is None:
            outcome.reasons.append(
                "gate arrival at the final destination unknown (a runway landing time is not "
                "the arrival: Germanwings C-452/13)"
            )
        return outcome
    threshold = timedelta(minutes=rules.delay_minutes[i])
    if arrival < threshold:
        outcome.amount = 0
        outcome.reasons.append(
            f"arrived {duration_text(arrival)} late at the final destination, less than "
            f"{duration_text(threshold)}: no compensation"
        )
        return outcome
    outcome.amount = rules.amounts[i]
    outcome.reduced = _halved_if(arrival, outcome.amount, rules.reduction_limit_minutes[i])
    outcome.reasons.append(
        f"arrived {duration_text(arrival)} late at the final destination: "
        f"{rules.currency} {outcome.amount} (Art. 7(1)({band}))"
    )
    outcome.basis.extend((f"{art} 7(1)({band})", "Sturgeon C-402/07 para. 61"))
    if outcome.reduced is not None:
        outcome.basis.extend((f"{art} 7(2)({band})", "Sturgeon C-402/07 para. 63"))
    return outcome


def _cancellation(facts: ItineraryFacts, rules: Reg261Rules, band: DistanceBand) -> _Outcome:
    i, art = _INDEX[band], rules.name + " Art."
    outcome = _Outcome(
        reasons=[],
        care=[*_CARE, "hotel accommodation if an overnight stay becomes necessary"],
        refund=["choice of reimbursement within 7 days or re-routing (Art. 8)"],
        basis=[f"{art} 5(1)(a)", f"{art} 5(1)(b)", f"{art} 8", f"{art} 9"],
    )
    if facts.scheduled_out is None or facts.notified_at is None:
        outcome.reasons.append(
            "cancelled, but when the passenger was told is unknown: "
            f"{rules.currency} {rules.amounts[i]} unless told at least "
            f"{rules.notice_weeks.days} days before "
            "or re-routed within the Art. 5(1)(c) limits"
        )
        return outcome
    notice = facts.scheduled_out - facts.notified_at
    told = f"told {duration_text(notice)} before departure"
    if notice >= rules.notice_weeks:
        outcome.amount = 0
        outcome.reasons.append(f"cancelled, {told} (at least two weeks): no compensation")
        outcome.basis.append(f"{art} 5(1)(c)(i)")
        return outcome
    point, (earlier_limit, later_limit) = (
        ("ii", rules.reroute_long_notice)
        if notice >= rules.notice_short
        else ("iii", rules.reroute_short_notice)
    )
    late = (
        facts.reroute_in - facts.scheduled_in if facts.reroute_in and facts.scheduled_in else None
    )
    early = facts.scheduled_out - facts.reroute_out if facts.reroute_out else None
    if late is not None and early is not None and early <= earlier_limit and late < later_limit:
        outcome.amount = 0
        outcome.reasons.append(
            f"cancelled, {told}, re-routed to leave {duration_text(early)} earlier and arrive "
            f"{duration_text(late)} later: within Art. 5(1)(c)({point}), no compensation"
        )
        outcome.basis.append(f"{art} 5(1)(c)({point})")
        return outcome
    outcome.amount = rules.amounts[i]
    outcome.reduced = _halved_if(late, outcome.amount, rules.reduction_limit_minutes[i])
    if late is not None:
        rerouting = f"re-routing arrives {duration_text(late)} later"
    else:
        rerouting = "refunded, not re-routed" if facts.ticket_refunded else "no re-routing known"
    outcome.reasons.append(
        f"cancelled, {told}, {rerouting}: Art. 5(1)(c)({point}) not met, "
        f"{rules.currency} {outcome.amount} (Art. 7(1)({band}))"
    )
    outcome.basis.extend((f"{art} 5(1)(c)({point})", f"{art} 7(1)({band})"))
    if outcome.reduced is not None:
        outcome.basis.append(f"{art} 7(2)({band})")
    return outcome


def _cause_caveat(cause: Cause, detail: str | None) -> tuple[str, Confidence]:
    if cause is Cause.EXTRAORDINARY:
        return (
            f"Likely not owed: the cause ({detail or 'outside the carrier'}) is typically an "
            "extraordinary circumstance (Art. 5(3), recital 14; Peskova C-315/15).",
            Confidence.LOW,
        )
    if cause is Cause.UNKNOWN:
        return (
            "Owed unless the carrier proves extraordinary circumstances (Art. 5(3)): weather "
            "incompatible with the flight, ATC decisions, security risks, bird strikes.",
            Confidence.MEDIUM,
        )
    return (
        "Owed unless the carrier proves extraordinary circumstances (Art. 5(3)); technical "
        "faults generally are not (Wallentin-Hermann C-549/07, van der Lans C-257/14).",
        Confidence.HIGH,
    )


def assess_reg261(
    facts: ItineraryFacts, rules: Reg261Rules, *, regime: Regime, scope: Scope
) -> RightsResult:
    """Apply one edition of Regulation 261/2004 to a journey within its scope.

    Args:
        facts: The journey.
        rules: The edition in force on the flight date.
        regime: EU261 or UK261.
        scope: The regime's scope decision for the journey.

    Returns:
        The result; unknown amounts name the missing fact in ``reasons``; ``provisional`` when
        it rests on a cancellation not yet confirmed.
    """
    if scope.applicability is not Applicability.APPLIES:
        return unanswerable(
            regime, rules.edition, rules.currency, scope.applicability, scope.reason
        )
    distance = great_circle_km(facts.origin, facts.destination)
    if distance is None:
        outcome = _Outcome(reasons=["distance unknown: an airport has no coordinates"])
    else:
        band = distance_band(distance, internal=scope.internal, rules=rules)
        outcome = (_cancellation if facts.cancelled else _delay)(facts, rules, band)
    confidence = Confidence.MEDIUM if facts.arrival_is_estimate else Confidence.HIGH
    if outcome.amount is None:
        confidence = Confidence.LOW
    elif outcome.amount > 0:
        caveat, cause_confidence = _cause_caveat(facts.cause, facts.cause_detail)
        outcome.caveats.append(caveat)
        confidence = lowest(confidence, cause_confidence)
    if facts.arrival_is_estimate:
        outcome.caveats.append("The arrival time is an estimate; the result may change.")
    if facts.ticket_refunded:
        outcome.refund = [_REIMBURSED]
        outcome.basis.append(f"{rules.name} Art. 8(1)(a)")
    arrival = facts.arrival_delay
    result = RightsResult(
        regime=regime,
        rules=rules.edition,
        applicability=Applicability.APPLIES,
        reasons=(scope.reason, *outcome.reasons),
        currency=rules.currency,
        amount=outcome.amount,
        reduced_amount=outcome.reduced,
        care=tuple(outcome.care),
        refund=tuple(outcome.refund),
        legal_basis=(
            scope.basis,
            "Bossen C-559/16 (distance to the final destination)",
            *outcome.basis,
        ),
        caveats=(
            *scope.caveats,
            *outcome.caveats,
            "Requires a confirmed reservation and check-in on time (Art. 3(2)).",
        ),
        confidence=confidence,
        distance_km=round(distance, 1) if distance is not None else None,
        arrival_delay_minutes=whole_minutes(arrival) if arrival is not None else None,
    )
    return provisional_if_unconfirmed(result, facts)


@dataclass(frozen=True)
class Reg261Regime:
    """A regime built on Regulation 261/2004; calling it assesses a journey.

    ``eu261(facts)`` applies the edition in force on the flight date; ``eu261(facts, book=...)``
    chooses from other editions (a reform).

    Attributes:
        regime: EU261 or UK261.
        book: The editions by first flight date.
        scope: Whether the regime covers a journey.
        before_first_edition: Added to the reason when no edition is in force yet.
    """

    regime: Regime
    book: RuleBook[Reg261Rules]
    scope: Callable[[ItineraryFacts], Scope]
    before_first_edition: str = ""

    def __call__(
        self, facts: ItineraryFacts, *, book: RuleBook[Reg261Rules] | None = None
    ) -> RightsResult:
        """What the regime says the passenger is owed.

        Args:
            facts: The journey.
            book: The dated editions to choose from by flight date (default: ``self.book``).

        Returns:
            Applicability and why, compensation in the edition's currency with the 50 %
            reduction where it may apply, care and refund rights, legal basis, caveats and
            confidence.
        """
        editions = self.book if book is None else book
        rules = editions.on(facts.flight_date)
        if rules is None:
            return unanswerable(
                self.regime,
                "none",
                editions.editions[0][1].currency,
                Applicability.NOT_APPLICABLE,
                f"no {self.regime} rules in force on {facts.flight_date}"
                f"{self.before_first_edition}",
            )
        return assess_reg261(facts, rules, regime=self.regime, scope=self.scope(facts))
