"""Canada APPR: carrier-size bands, the within-control condition, cancellations."""

from __future__ import annotations

from datetime import timedelta

import pytest

from flight_agent.irops import Applicability, Cause, Confidence, canada_appr
from tests.irops.factories import trip, utc

OUT, IN = utc("2025-01-15 15:00"), utc("2025-01-15 20:00")


@pytest.mark.parametrize(
    ("carrier", "delay", "amount"),
    [
        pytest.param("AC", timedelta(hours=2, minutes=59), 0, id="large-2h59"),
        pytest.param("AC", timedelta(hours=3), 400, id="large-3h"),
        pytest.param("AC", timedelta(hours=5, minutes=59), 400, id="large-5h59"),
        pytest.param("AC", timedelta(hours=6), 700, id="large-6h"),
        pytest.param("AC", timedelta(hours=9), 1000, id="large-9h"),
        pytest.param("4N", timedelta(hours=3), 125, id="small-3h"),
        pytest.param("4N", timedelta(hours=6), 250, id="small-6h"),
        pytest.param("4N", timedelta(hours=9), 500, id="small-9h"),
    ],
)
def test_amount_follows_carrier_size_and_arrival_delay(
    carrier: str, delay: timedelta, amount: int
) -> None:
    """s.19: large CAD 400/700/1,000 and small CAD 125/250/500 at 3/6/9 h."""
    result = canada_appr(
        trip(
            "YYZ-YVR",
            "2025-01-15",
            operating_carrier=carrier,
            scheduled_in=IN,
            actual_in=IN + delay,
            cause=Cause.CARRIER,
        )
    )
    assert (result.currency, result.amount) == ("CAD", amount)


@pytest.mark.parametrize(
    "cause",
    [
        pytest.param(Cause.EXTRAORDINARY, id="outside"),
        pytest.param(Cause.CARRIER_SAFETY, id="safety"),
    ],
)
def test_no_compensation_outside_control_or_for_safety(cause: Cause) -> None:
    """s.10 / s.11: weather or a safety-required delay earns no compensation."""
    result = canada_appr(
        trip(
            "YYZ-YVR",
            "2025-01-15",
            operating_carrier="AC",
            scheduled_in=IN,
            actual_in=IN + timedelta(hours=7),
            cause=cause,
        )
    )
    assert result.amount == 0
    assert result.refund


def test_unknown_cause_gives_the_amount_with_the_within_control_caveat() -> None:
    """An unknown cause keeps the amount but flags the within-control condition, low confidence."""
    result = canada_appr(
        trip(
            "YYZ-YVR",
            "2025-01-15",
            operating_carrier="AC",
            scheduled_in=IN,
            actual_in=IN + timedelta(hours=4),
        )
    )
    assert result.amount == 400
    assert result.confidence is Confidence.LOW
    assert any("within the carrier's control" in caveat for caveat in result.caveats)


def test_unknown_carrier_size_gives_unknown_amount() -> None:
    """A carrier missing from the size table leaves the amount unknown with the reason."""
    result = canada_appr(
        trip(
            "YYZ-YVR",
            "2025-01-15",
            operating_carrier="W6",
            scheduled_in=IN,
            actual_in=IN + timedelta(hours=4),
            cause=Cause.CARRIER,
        )
    )
    assert result.amount is None
    assert "carrier size unknown" in result.reasons[-1]


@pytest.mark.parametrize(
    ("facts", "amount"),
    [
        pytest.param({"notified_at": OUT - timedelta(days=14)}, 0, id="told-14-days-before"),
        pytest.param({"reroute_in": IN + timedelta(hours=6)}, 700, id="rebooked-6h-late"),
        pytest.param({}, 400, id="no-rebooking-refund-tier"),
    ],
)
def test_cancellations_are_paid_by_the_new_arrival_or_the_refund_tier(
    facts: dict[str, object], amount: int
) -> None:
    """Cancelled within control: 14 days' notice pays nothing; else by the rebooked arrival."""
    result = canada_appr(
        trip(
            "YVR-YYZ",
            "2025-01-15",
            operating_carrier="AC",
            scheduled_out=OUT,
            scheduled_in=IN,
            cancelled=True,
            cause=Cause.CARRIER,
            **facts,
        )
    )
    assert result.amount == amount


def test_flights_not_touching_canada_are_not_covered() -> None:
    """APPR covers flights to, from and within Canada only."""
    assert canada_appr(trip("JFK-LAX", "2025-01-15")).applicability is Applicability.NOT_APPLICABLE


def test_care_is_owed_from_two_hours_of_departure_delay() -> None:
    """s.14: food, drink and communication from a 2 h departure delay within control."""
    result = canada_appr(
        trip(
            "YYZ-YVR",
            "2025-01-15",
            operating_carrier="AC",
            scheduled_out=OUT,
            actual_out=OUT + timedelta(hours=2),
            cause=Cause.CARRIER,
        )
    )
    assert "food and drink in reasonable quantities" in result.care
