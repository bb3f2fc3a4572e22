"""What every passenger-rights function returns, and rule sets keyed by flight date.

Each regime keeps a ``RuleBook``: dated editions of its rules. The edition in force on the flight
date decides, so a reform is one more edition and old flights keep their old results.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from flight_agent.irops.countries import CountryGroup, in_groups
from flight_agent.irops.formatting import local_clock
from flight_agent.irops.rights.facts import ItineraryFacts

R = TypeVar("R")


class Regime(StrEnum):
    """A passenger-rights regime."""

    EU261 = "EU261"
    UK261 = "UK261"
    US_DOT = "US DOT"
    CANADA_APPR = "Canada APPR"


class Applicability(StrEnum):
    """Whether a regime covers the trip."""

    APPLIES = "applies"
    NOT_APPLICABLE = "not_applicable"
    UNKNOWN = "unknown"


class Confidence(StrEnum):
    """How far the result can be relied on."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


_CONFIDENCE_ORDER = (Confidence.LOW, Confidence.MEDIUM, Confidence.HIGH)


def lowest(*levels: Confidence) -> Confidence:
    """The weakest of several confidence levels."""
    return min(levels, key=_CONFIDENCE_ORDER.index)


@dataclass(frozen=True)
class RuleBook(Generic[R]):
    """Editions of one regime's rules, each with the first flight date it governs."""

    editions: tuple[tuple[date, R], ...]

    def on(self, day: date) -> R | None:
        """The edition in force on a flight date, or None before the first one.

        Args:
            day: The flight date.
        """
        in_force = [(start, rules) for start, rules in self.editions if start <= day]
        return max(in_force, key=lambda edition: edition[0])[1] if in_force else None

    def amended(self, start: date, rules: R) -> RuleBook[R]:
        """A book with one more edition (a reform) from ``start`` on.

        Args:
            start: First flight date the new edition governs.
            rules: The new edition.
        """
        return RuleBook((*self.editions, (start, rules)))


def tier_amount(tiers: tuple[tuple[int, int], ...], delay_minutes: int) -> int:
    """The amount of the highest tier a delay reaches.

    Args:
        tiers: ``(minimum delay in minutes, amount)`` pairs.
        delay_minutes: The delay.

    Returns:
        The amount, 0 when no tier is reached.
    """
    return max((amount for minimum, amount in tiers if delay_minutes >= minimum), default=0)


class RightsResult(BaseModel):
    """What one regime says the passenger is owed for one trip.

    ``amount`` is the compensation owed under the rules (0 when none, None when the facts do not
    allow an answer; ``reasons`` then says what is missing). ``reduced_amount`` is what the
    carrier may pay instead where a reduction may apply. ``provisional`` marks a result resting
    on a cancellation not yet confirmed: it is not final until the airline confirms it.
    """

    model_config = ConfigDict(frozen=True)

    regime: Regime
    rules: str = Field(description="The edition of the rules applied, e.g. 'EU261 (2004)'")
    applicability: Applicability
    reasons: tuple[str, ...] = Field(description="Why the regime applies or not, and the outcome")
    currency: str
    amount: int | None
    reduced_amount: int | None = None
    care: tuple[str, ...] = Field(default=(), description="Care owed: meals, calls, hotel")
    refund: tuple[str, ...] = Field(default=(), description="Refund and re-routing rights")
    legal_basis: tuple[str, ...] = ()
    caveats: tuple[str, ...] = ()
    confidence: Confidence
    distance_km: float | None = Field(default=None, description="Great-circle distance used")
    arrival_delay_minutes: int | None = Field(
        default=None, description="Gate arrival delay at the final destination used"
    )
    provisional: bool = Field(
        default=False,
        description="Rests on a cancellation not yet confirmed: not final until it is",
    )

    @property
    def summary(self) -> str:
        """One line: regime and what is owed: the amount, or for no compensation the refund
        owed instead (else why none); marked when provisional."""
        if self.applicability is not Applicability.APPLIES:
            return f"{self.regime}: {self.applicability.replace('_', ' ')} ({self.reasons[0]})"
        if self.amount is None:
            owed = f"amount unknown ({self.reasons[-1]})"
        elif self.amount == 0:
            owed = (
                f"no compensation; {self.refund[0]}"
                if self.refund
                else f"{self.currency} 0 ({self.reasons[-1]})"
            )
        elif self.reduced_amount is not None:
            owed = (
                f"{self.currency} {self.amount} "
                f"(the carrier may reduce it to {self.currency} {self.reduced_amount})"
            )
        else:
            owed = f"{self.currency} {self.amount}"
        mark = " (provisional: the cancellation is not yet confirmed)" if self.provisional else ""
        return f"{self.regime}: {owed}{mark}"


PROVISIONAL_CAVEAT = (
    "Cancellation not yet confirmed: a provider's report may only mean it stopped tracking the "
    "flight, and airlines reinstate flights; these rights become firm once the airline "
    "confirms the cancellation."
)
"""The caveat of every result resting on a provisional cancellation."""


def provisional_if_unconfirmed(result: RightsResult, facts: ItineraryFacts) -> RightsResult:
    """A regime's result, marked when the cancellation it rests on is not yet confirmed.

    A result covering a journey whose cancellation is not yet confirmed is ``provisional``,
    carries ``PROVISIONAL_CAVEAT`` first and is at most of medium confidence; any other result
    is returned as it is.

    Args:
        result: The regime's result.
        facts: The journey it judged.
    """
    if not (
        facts.cancelled
        and facts.cancellation_provisional
        and result.applicability is Applicability.APPLIES
    ):
        return result
    return result.model_copy(
        update={
            "provisional": True,
            "caveats": (PROVISIONAL_CAVEAT, *result.caveats),
            "confidence": lowest(result.confidence, Confidence.MEDIUM),
        }
    )


def diversion_reason(facts: ItineraryFacts, *, depends: str) -> str | None:
    """What a diversion means for a verdict, or None when the journey was not diverted.

    Where the flight landed and when; then either the arrival at the booked destination the
    verdict is judged on, or, while that is unknown, that ``depends`` on it.

    Args:
        facts: The journey.
        depends: What waits for the final arrival, e.g. ``"compensation"``.
    """
    if not facts.diverted:
        return None
    where, booked = facts.diverted_to, facts.destination
    if where is None:
        diverted = "diverted (the data does not say where)"
    else:
        landed = local_clock(facts.diversion_in, where, unknown="time not yet known")
        diverted = f"diverted to {where.code}, at the gate there {landed}"
    if facts.actual_in is None:
        return (
            f"{diverted}: {depends} depends on when the passenger reaches {booked.code}, the "
            "booked destination, not yet known"
        )
    return (
        f"{diverted}; judged on the arrival at {booked.code}, the booked destination, "
        f"{local_clock(facts.actual_in, booked)}"
    )


def unanswerable(
    regime: Regime, rules: str, currency: str, applicability: Applicability, reason: str
) -> RightsResult:
    """A result that stops at scope: not applicable, or unknown for want of a fact.

    Args:
        regime: The regime asked about.
        rules: The edition of the rules (or why none applies).
        currency: The regime's currency.
        applicability: ``NOT_APPLICABLE`` or ``UNKNOWN``.
        reason: Why.
    """
    known = applicability is Applicability.NOT_APPLICABLE
    return RightsResult(
        regime=regime,
        rules=rules,
        applicability=applicability,
        reasons=(reason,),
        currency=currency,
        amount=0 if known else None,
        confidence=Confidence.HIGH if known else Confidence.LOW,
    )


def zone_ends(
    facts: ItineraryFacts, zone: Collection[CountryGroup]
) -> tuple[bool | None, bool | None]:
    """Whether the trip leaves from, and whether it arrives in, ``zone`` on its flight date
    (None where that airport's country is unknown).

    Args:
        facts: The journey.
        zone: The regime's country groups.
    """
    day = facts.flight_date
    return in_groups(facts.origin.country, zone, day), in_groups(
        facts.destination.country, zone, day
    )


def outside_zone(
    ends: tuple[bool | None, bool | None], *, regime: Regime, rules: str, currency: str, where: str
) -> RightsResult | None:
    """The result for a trip that neither leaves from nor arrives in the regime's zone, or None
    when it does one or the other.

    Args:
        ends: ``zone_ends`` of the trip.
        regime: The regime asked about.
        rules: The edition of the rules.
        currency: The regime's currency.
        where: The zone as the reason names it, e.g. ``"Canada"``.
    """
    if any(ends):
        return None
    if None in ends:
        return unanswerable(
            regime, rules, currency, Applicability.UNKNOWN, "the country of an airport is unknown"
        )
    return unanswerable(
        regime,
        rules,
        currency,
        Applicability.NOT_APPLICABLE,
        f"the trip is not to, from or within {where}",
    )


@dataclass(frozen=True)
class TarmacRule:
    """How long passengers may be held on the tarmac before the carrier must let them off.

    Attributes:
        regime: The regime the limit comes from.
        legal_basis: Citation.
        domestic_limit: Limit for domestic flights, from door closure (departure) or touchdown
            (arrival).
        international_limit: Limit for international flights.
        extension: Extra time allowed when take-off is imminent.
        food_water_after: When food and water are due, if the rule says.
    """

    regime: Regime
    legal_basis: str
    domestic_limit: timedelta
    international_limit: timedelta
    extension: timedelta = timedelta(0)
    food_water_after: timedelta | None = None
