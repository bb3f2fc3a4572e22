"""A ticket refunded instead of the journey being flown, regime by regime.

EU261/UK261: the reimbursement of Art. 8(1)(a) replaces re-routing; compensation is unaffected.
US DOT: the refund right is met, nothing further is owed. Canada APPR: a refund instead of travel
for a cancellation or a delay of 3 h or more earns the refund tier of s.19(2); for a shorter
delay the rules applied here say nothing, and the result says so.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from flight_agent.irops import (
    Cause,
    Confidence,
    ItineraryFacts,
    RightsResult,
    canada_appr,
    eu261,
    uk261,
    us_dot_refund,
)
from tests.irops.factories import trip, utc

OUT, IN = utc("2025-07-15 07:00"), utc("2025-07-15 10:00")


@pytest.mark.parametrize(
    ("regime", "route", "amount"),
    [
        pytest.param(eu261, "MUC-LIS", 400, id="eu261"),
        pytest.param(uk261, "LHR-MAD", 220, id="uk261"),
    ],
)
def test_reg261_reimbursement_replaces_rerouting_and_leaves_compensation(
    regime: Callable[[ItineraryFacts], RightsResult], route: str, amount: int
) -> None:
    """Cancelled, told 5 days ahead and refunded instead of re-routed: the same compensation
    as without the refund, and the refund right reads as reimbursed, re-routing no longer
    owed (Art. 8(1)(a))."""
    facts = trip(
        route,
        "2025-07-15",
        scheduled_out=OUT,
        scheduled_in=IN,
        cancelled=True,
        notified_at=OUT - timedelta(days=5),
    )
    flown = regime(facts)
    refunded = regime(facts.model_copy(update={"ticket_refunded": True}))
    assert flown.amount == refunded.amount == amount
    assert flown.refund == ("choice of reimbursement within 7 days or re-routing (Art. 8)",)
    assert refunded.refund == (
        "ticket reimbursed (Art. 8(1)(a)): re-routing is no longer owed, compensation is "
        "unaffected",
    )
    assert "refunded, not re-routed" in refunded.reasons[-1]
    assert any(basis.endswith("Art. 8(1)(a)") for basis in refunded.legal_basis)


def test_a_reg261_delay_refunded_keeps_its_arrival_compensation() -> None:
    """KL641 AMS-JFK 5 h late out and in (S06 route), refunded: still EUR 600 on the arrival
    delay; the 5 h reimbursement right reads as given."""
    facts = trip(
        "AMS-JFK",
        "2025-07-15",
        operating_carrier="KL",
        scheduled_out=OUT,
        actual_out=OUT + timedelta(hours=5),
        scheduled_in=IN,
        actual_in=IN + timedelta(hours=5),
        ticket_refunded=True,
    )
    result = eu261(facts)
    assert result.amount == 600
    assert result.refund[0].startswith("ticket reimbursed (Art. 8(1)(a))")


def test_us_dot_a_refunded_ticket_ends_the_refund_obligation() -> None:
    """JFK-LAX cancelled, ticket refunded: no refund right left, the reason says the right is
    met and nothing further is owed, and the summary says so instead of a bare USD 0."""
    result = us_dot_refund(trip("JFK-LAX", "2025-07-15", cancelled=True, ticket_refunded=True))
    assert result.refund == ()
    assert result.reasons[-1] == (
        "the ticket was refunded: the refund right is met, nothing further is owed"
    )
    assert result.summary == (
        "US DOT: USD 0 (the ticket was refunded: the refund right is met, nothing further is owed)"
    )


def test_us_dot_summary_names_the_refund_owed_not_a_zero_amount() -> None:
    """Cancelled, not refunded: the summary says no compensation and names the automatic
    refund, never "US DOT: USD 0"."""
    result = us_dot_refund(trip("JFK-LAX", "2025-07-15", cancelled=True))
    assert result.summary == (
        "US DOT: no compensation; automatic refund of the ticket and unused extras within 7 "
        "business days (card) or 20 calendar days (other payment), if the passenger is not "
        "offered or declines alternatives"
    )


def appr(delay: timedelta | None, *, carrier: str = "AC", **facts: object) -> RightsResult:
    """YYZ-YVR on ``carrier``, within its control, ``delay`` late out and in, refunded."""
    times: dict[str, object] = (
        {}
        if delay is None
        else {
            "scheduled_out": OUT,
            "actual_out": OUT + delay,
            "scheduled_in": IN,
            "actual_in": IN + delay,
        }
    )
    return canada_appr(
        trip(
            "YYZ-YVR",
            "2025-01-15",
            operating_carrier=carrier,
            cause=Cause.CARRIER,
            ticket_refunded=True,
            **(times | facts),
        )
    )


@pytest.mark.parametrize(
    ("carrier", "delay", "amount"),
    [
        pytest.param("AC", timedelta(hours=3), 400, id="large-3h"),
        pytest.param("AC", timedelta(hours=7), 400, id="large-7h-not-700"),
        pytest.param("4N", timedelta(hours=10), 125, id="small-10h"),
    ],
)
def test_appr_a_refund_instead_of_travel_earns_the_refund_tier(
    carrier: str, delay: timedelta, amount: int
) -> None:
    """s.19(2): refunded after 3 h or more within the carrier's control, the refund tier
    (large CAD 400, small CAD 125), whatever the flight's own arrival delay."""
    result = appr(delay, carrier=carrier)
    assert result.amount == amount
    assert "the refund tier (s.19(2))" in result.reasons[1]
    assert result.refund == ("ticket refunded (s.17(2)): rebooking is no longer owed",)


def test_appr_a_cancelled_ticket_refunded_earns_the_refund_tier() -> None:
    """Cancelled and refunded: CAD 400 on a large carrier."""
    assert appr(None, cancelled=True).amount == 400


def test_appr_says_when_its_rules_are_silent_on_a_refund_for_a_short_delay() -> None:
    """Refunded after 2 h: no refund tier, and the reason says the rules applied here say
    nothing of a refund for a delay under 3 h rather than inventing a rule."""
    result = appr(timedelta(hours=2))
    assert result.amount == 0
    assert "say nothing of a refund for a shorter delay" in result.reasons[1]


def test_appr_a_refund_with_no_known_delay_leaves_the_amount_unknown() -> None:
    """Refunded, no times known: amount unknown, low confidence, the reason names the tier."""
    result = appr(None)
    assert result.amount is None
    assert result.confidence is Confidence.LOW
    assert "the refund tier if it reached 3 h 00" in result.reasons[1]
