"""Rights resting on a cancellation that is not yet confirmed say so, under every regime.

A first ``cancelled`` may only mean the provider stopped tracking the flight (AeroAPI), and
airlines reinstate flights: until the cancellation holds, or the airline told the traveller,
every result that rests on it is ``provisional``, carries the caveat and is not of high
confidence. Disruption detection and the rights facts judge confirmation the same way.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from flight_agent.irops import (
    PROVISIONAL_CAVEAT,
    Applicability,
    Confidence,
    DisruptionKind,
    ItineraryFacts,
    Regime,
    assess_rights,
    detect_disruptions,
    journey_facts,
)
from flight_agent.models import FlightStatus, FlightStatusData
from tests.irops.factories import flight, utc

DAY = "2026-03-10"
FIRST_LOOK = utc("2026-03-10 06:00")


def cancelled(route: str = "JFK-YYZ", ident: str = "AC701", **fields: object) -> FlightStatusData:
    """A firm cancellation report, fetched at ``FIRST_LOOK``, of a flight leaving at 12:00Z."""
    values: dict[str, object] = {
        "scheduled_out": utc("2026-03-10 12:00"),
        "scheduled_in": utc("2026-03-10 13:45"),
        "status": FlightStatus.CANCELLED,
        "status_text": "Cancelled",
        "fetched_at": FIRST_LOOK,
    }
    return flight(ident, route, DAY, **(values | fields))


def later(record: FlightStatusData, minutes: int) -> FlightStatusData:
    return record.model_copy(update={"fetched_at": record.fetched_at + timedelta(minutes=minutes)})


def test_a_first_cancelled_report_makes_every_applying_regime_provisional() -> None:
    """JFK-YYZ on Air Canada, seen cancelled once: US DOT and Canada APPR both apply and both
    are provisional, with the caveat first, medium confidence at most and a marked summary;
    EU261 and UK261 do not apply and are not marked."""
    facts = ItineraryFacts.from_legs([cancelled()])
    assert facts.cancelled
    assert facts.cancellation_provisional
    results = {result.regime: result for result in assess_rights(facts)}
    for regime in (Regime.US_DOT, Regime.CANADA_APPR):
        result = results[regime]
        assert result.applicability is Applicability.APPLIES
        assert result.provisional
        assert result.caveats[0] == PROVISIONAL_CAVEAT
        assert result.confidence is not Confidence.HIGH
        assert result.summary.endswith("(provisional: the cancellation is not yet confirmed)")
    for regime in (Regime.EU261, Regime.UK261):
        assert results[regime].applicability is Applicability.NOT_APPLICABLE
        assert not results[regime].provisional
    assert "not yet confirmed" in PROVISIONAL_CAVEAT
    assert "rights become firm once the airline confirms" in PROVISIONAL_CAVEAT


def test_the_us_dot_refund_on_a_first_report_is_not_given_as_final() -> None:
    """The finding: the first AeroAPI-style cancelled record listed an automatic refund with no
    caveat. The refund is still listed, but marked provisional."""
    [us] = [
        r for r in assess_rights(ItineraryFacts.from_legs([cancelled()])) if r.regime == "US DOT"
    ]
    assert us.refund
    assert us.provisional
    assert PROVISIONAL_CAVEAT in us.caveats


@pytest.mark.parametrize(
    ("minutes", "provisional"),
    [
        pytest.param(9, True, id="held-9-min"),
        pytest.param(10, False, id="held-10-min"),
    ],
)
def test_a_cancellation_held_ten_minutes_is_firm_for_detection_and_rights_alike(
    minutes: int, provisional: bool
) -> None:
    """Two snapshots 9 min apart leave it provisional, 10 min confirm it: the disruption and
    the rights agree, and a firm result carries no provisional caveat."""
    first = cancelled(route="FRA-JFK", ident="LH400")
    current = later(first, minutes)
    [disruption] = detect_disruptions(current, first, now=current.fetched_at)
    facts = ItineraryFacts.from_legs([current], previous=[first])
    assert disruption.provisional is facts.cancellation_provisional is provisional
    for result in assess_rights(facts):
        if result.applicability is Applicability.APPLIES:
            assert result.provisional is provisional
            assert (PROVISIONAL_CAVEAT in result.caveats) is provisional


def test_a_possible_cancellation_is_a_provisional_one_for_the_rights() -> None:
    """AeroDataBox's CanceledUncertain (status unknown, flagged): the rights treat the trip as
    cancelled, provisionally, and no later snapshot confirms a flagged report."""
    doubtful = cancelled(status=FlightStatus.UNKNOWN, cancellation_uncertain=True)
    facts = ItineraryFacts.from_legs([later(doubtful, 30)], previous=[doubtful])
    assert facts.cancelled
    assert facts.cancellation_provisional


def test_the_airline_telling_the_traveller_confirms_the_cancellation() -> None:
    """A notice from the airline (cancellation_notice_days) is the airline's confirmation."""
    record = cancelled()
    assert journey_facts([record]).cancellation_provisional
    told = journey_facts([record], notice=timedelta(days=3))
    assert not told.cancellation_provisional
    assert not any(result.provisional for result in assess_rights(told))


def test_only_a_cancellation_makes_a_result_provisional() -> None:
    """A delayed flight (no cancellation) is never provisional."""
    late = flight(
        "AC701",
        "JFK-YYZ",
        DAY,
        scheduled_out=utc("2026-03-10 12:00"),
        actual_out=utc("2026-03-10 16:00"),
        scheduled_in=utc("2026-03-10 13:45"),
        actual_in=utc("2026-03-10 17:45"),
        status=FlightStatus.ARRIVED,
    )
    facts = ItineraryFacts.from_legs([late])
    assert not facts.cancellation_provisional
    assert not any(result.provisional for result in assess_rights(facts))


def test_the_lh400_text_and_its_evidence_agree() -> None:
    """LH400 reported cancelled once, the provider not flagging doubt: the explanation says
    "not yet confirmed" because it is one report, and the evidence says the same
    (``confirmed`` false) beside the provider's ``cancellation_uncertain`` false. A flagged
    report says the provider itself doubts it."""
    [first] = detect_disruptions(cancelled(route="FRA-JFK", ident="LH400"), now=FIRST_LOOK)
    assert first.kind is DisruptionKind.CANCELLATION
    assert (first.evidence["confirmed"], first.evidence["cancellation_uncertain"]) == (False, False)
    assert first.explanation.startswith("Reported cancelled, not yet confirmed (one report only")
    flagged = cancelled(route="FRA-JFK", ident="LH400", cancellation_uncertain=True)
    [doubt] = detect_disruptions(flagged, now=FIRST_LOOK)
    assert "test itself reports it as possible, not certain" in doubt.explanation
