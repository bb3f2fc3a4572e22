"""US DOT: automatic refunds for cancellations and significant changes; never cash."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from flight_agent.irops import Applicability, Confidence, RuleBook, us_dot_refund
from flight_agent.irops.rights.us_dot import DOT_2024
from tests.irops.factories import trip, utc

OUT, IN = utc("2025-07-15 12:00"), utc("2025-07-15 18:00")


@pytest.mark.parametrize(
    ("route", "delay", "refund"),
    [
        pytest.param("JFK-LAX", timedelta(hours=2, minutes=59), False, id="domestic-2h59"),
        pytest.param("JFK-LAX", timedelta(hours=3), True, id="domestic-3h00"),
        pytest.param("JFK-LHR", timedelta(hours=5, minutes=59), False, id="intl-5h59"),
        pytest.param("JFK-LHR", timedelta(hours=6), True, id="intl-6h00"),
        pytest.param("SJU-JFK", timedelta(hours=3), True, id="puerto-rico-is-domestic"),
    ],
)
def test_significant_delay_is_three_hours_domestic_six_international(
    route: str, delay: timedelta, refund: bool
) -> None:
    """49 U.S.C. 42305 "3 or more hours": 2 h 59 gives no refund right, 3 h 00 does."""
    result = us_dot_refund(trip(route, "2025-07-15", scheduled_in=IN, actual_in=IN + delay))
    assert bool(result.refund) is refund
    assert (result.currency, result.amount) == ("USD", 0)


def test_comparator_can_read_the_threshold_as_more_than() -> None:
    """With the April 2024 wording ("more than 3 hours") exactly 3 h 00 is not significant."""
    book = RuleBook(((date(2024, 10, 28), replace(DOT_2024, inclusive=False)),))
    at_limit = trip("JFK-LAX", "2025-07-15", scheduled_in=IN, actual_in=IN + timedelta(hours=3))
    over = at_limit.model_copy(update={"actual_in": IN + timedelta(hours=3, minutes=1)})
    assert us_dot_refund(at_limit, book=book).refund == ()
    assert us_dot_refund(over, book=book).refund


@pytest.mark.parametrize(
    "facts",
    [
        pytest.param({"cancelled": True}, id="cancelled"),
        pytest.param({"actual_out": OUT - timedelta(hours=3)}, id="departs-3h-earlier"),
        pytest.param({"airport_changed": True}, id="airport-change"),
        pytest.param({"extra_connections": 1}, id="extra-connection"),
        pytest.param({"downgraded": True}, id="downgrade"),
    ],
)
def test_cancellations_and_significant_changes_give_a_refund_right(
    facts: dict[str, object],
) -> None:
    """Cancelled, 3 h earlier, another airport, more connections or a downgrade: refund."""
    result = us_dot_refund(trip("JFK-LAX", "2025-07-15", scheduled_out=OUT, **facts))
    assert len(result.refund) == 1
    assert "7 business days (card) or 20 calendar days" in result.refund[0]


def test_accepting_an_alternative_gives_up_the_refund() -> None:
    """The refund is automatic only if the passenger is not offered or declines alternatives."""
    result = us_dot_refund(trip("JFK-LAX", "2025-07-15", cancelled=True, accepted_alternative=True))
    assert result.refund == ()
    assert "accepted an alternative" in result.reasons[-1]


def test_no_cash_compensation_is_ever_owed() -> None:
    """Even a 10 h delay gives USD 0 in cash, with the caveat saying so."""
    result = us_dot_refund(
        trip("JFK-LAX", "2025-07-15", scheduled_in=IN, actual_in=IN + timedelta(hours=10))
    )
    assert result.amount == 0
    assert any("No cash compensation" in caveat for caveat in result.caveats)


def test_missing_times_leave_the_refund_right_unknown() -> None:
    """Without delay facts the refund right cannot be judged: low confidence, reason given."""
    result = us_dot_refund(trip("JFK-LAX", "2025-07-15"))
    assert result.refund == ()
    assert result.confidence is Confidence.LOW
    assert "cannot be judged" in result.reasons[-1]


@pytest.mark.parametrize(
    ("route", "day", "applicability"),
    [
        pytest.param("CDG-LHR", "2025-07-15", Applicability.NOT_APPLICABLE, id="not-us"),
        pytest.param("LHR-JFK", "2025-07-15", Applicability.APPLIES, id="into-us"),
        pytest.param("JFK-LAX", "2024-10-27", Applicability.UNKNOWN, id="before-the-rule"),
    ],
)
def test_scope_is_trips_to_from_or_within_the_us_from_28_october_2024(
    route: str, day: str, applicability: Applicability
) -> None:
    """The rule covers US trips on flight dates from 2024-10-28."""
    assert us_dot_refund(trip(route, day)).applicability is applicability
