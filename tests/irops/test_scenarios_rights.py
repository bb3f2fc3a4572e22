"""IROPS.md section 5 scenarios, passenger-rights side: S01, S02, S06, S07, S09, S10, S13,
S14, S15, S19."""

from __future__ import annotations

from datetime import timedelta

import pytest

from flight_agent.irops import (
    Applicability,
    DelayBand,
    DisruptionKind,
    ItineraryFacts,
    Regime,
    assess_rights,
    canada_appr,
    detect_disruptions,
    eu261,
    uk261,
    us_dot_refund,
)
from flight_agent.models import FlightStatus
from tests.irops.factories import at, flight, trip, utc


def test_s01_on_time_domestic_us_flight_is_owed_nothing() -> None:
    """S01: ORD-DEN +12/+9: only the US DOT rule applies, and it gives no refund right."""
    ua = flight(
        "UA1234",
        "ORD-DEN",
        "2025-07-15",
        scheduled_out=utc("2025-07-15 13:00"),
        actual_out=utc("2025-07-15 13:12"),
        scheduled_in=utc("2025-07-15 15:35"),
        actual_in=utc("2025-07-15 15:44"),
        status=FlightStatus.ARRIVED,
    )
    results = {r.regime: r for r in assess_rights(ItineraryFacts.from_legs([ua]))}
    assert [r.applicability for r in results.values()] == [
        Applicability.NOT_APPLICABLE,
        Applicability.NOT_APPLICABLE,
        Applicability.APPLIES,
        Applicability.NOT_APPLICABLE,
    ]
    assert results[Regime.US_DOT].amount == 0
    assert results[Regime.US_DOT].refund == ()


def test_s02_short_delay_on_347_km_flight_owes_no_care_or_cash() -> None:
    """S02: CDG-LHR 347 km, 47 min late: EU261 applies, EUR 0, care starts only at 2 h."""
    af = flight(
        "AF1080",
        "CDG-LHR",
        "2025-07-15",
        scheduled_out=utc("2025-07-15 07:00"),
        estimated_out=utc("2025-07-15 07:47"),
        scheduled_in=utc("2025-07-15 08:20"),
        estimated_in=utc("2025-07-15 09:07"),
    )
    result = eu261(ItineraryFacts.from_legs([af]))
    assert result.applicability is Applicability.APPLIES
    assert result.distance_km == 347.2
    assert result.amount == 0
    assert result.care == ()


def test_s06_amsterdam_new_york_four_hours_ten_late_is_eur_600() -> None:
    """S06: KL641 AMS-JFK 5,848 km, arrival 4 h 10 late: EUR 600, no 50 % reduction."""
    kl = flight(
        "KL641",
        "AMS-JFK",
        "2025-07-15",
        scheduled_out=at("2025-07-15 10:15", "Europe/Amsterdam"),
        scheduled_in=at("2025-07-15 12:40", "America/New_York"),
        actual_in=at("2025-07-15 16:50", "America/New_York"),
        status=FlightStatus.ARRIVED,
    )
    result = eu261(ItineraryFacts.from_legs([kl]))
    assert kl.scheduled_out == utc("2025-07-15 08:15")
    assert result.arrival_delay_minutes == 250
    assert result.distance_km == pytest.approx(5847.5, abs=0.05)
    assert round(result.distance_km or 0) == 5848
    assert (result.currency, result.amount, result.reduced_amount) == ("EUR", 600, None)
    assert "EU261 Art. 7(1)(c)" in result.legal_basis
    assert any("extraordinary circumstances" in caveat for caveat in result.caveats)


def test_s07_us_carrier_leaving_the_eu_three_hours_25_late_is_600_reducible_to_300() -> None:
    """S07: DL405 CDG-JFK (any carrier leaving the EU), 3 h 25 late: EUR 600, may pay 300."""
    dl = flight(
        "DL405",
        "CDG-JFK",
        "2025-07-15",
        scheduled_in=at("2025-07-15 12:55", "America/New_York"),
        actual_in=at("2025-07-15 16:20", "America/New_York"),
        status=FlightStatus.ARRIVED,
    )
    result = eu261(ItineraryFacts.from_legs([dl]))
    assert result.applicability is Applicability.APPLIES
    assert "EU261 Art. 3(1)(a)" in result.legal_basis
    assert result.arrival_delay_minutes == 205
    assert result.distance_km == pytest.approx(5833.6, abs=0.05)
    assert (result.amount, result.reduced_amount) == (600, 300)
    assert "EU261 Art. 7(2)(c)" in result.legal_basis
    assert result.summary == "EU261: EUR 600 (the carrier may reduce it to EUR 300)"


def test_s09_intra_eu_flight_over_3500_km_is_capped_at_eur_400() -> None:
    """S09: AY1711 HEL-LPA 4,696 km intra-EU, 3 h 30 late: EUR 400 (not 600), no reduction."""
    ay = flight(
        "AY1711",
        "HEL-LPA",
        "2025-01-15",
        scheduled_out=at("2025-01-15 08:00", "Europe/Helsinki"),
        scheduled_in=at("2025-01-15 11:35", "Atlantic/Canary"),
        actual_in=at("2025-01-15 15:05", "Atlantic/Canary"),
        status=FlightStatus.ARRIVED,
    )
    result = eu261(ItineraryFacts.from_legs([ay]))
    assert ay.scheduled_out == utc("2025-01-15 06:00")
    assert result.arrival_delay_minutes == 210
    assert result.distance_km == pytest.approx(4696.4, abs=0.05)
    assert (result.amount, result.reduced_amount) == (400, None)
    assert "EU261 Art. 7(1)(b)" in result.legal_basis


def test_s10_two_hours_55_late_owes_care_but_no_cash() -> None:
    """S10: IB2714 MAD-BCN 483 km, out +2 h 40, in +2 h 55: EUR 0, Art. 6 care was owed."""
    ib = flight(
        "IB2714",
        "MAD-BCN",
        "2025-07-15",
        scheduled_out=at("2025-07-15 07:00", "Europe/Madrid"),
        actual_out=at("2025-07-15 09:40", "Europe/Madrid"),
        scheduled_in=at("2025-07-15 08:15", "Europe/Madrid"),
        actual_in=at("2025-07-15 11:10", "Europe/Madrid"),
        status=FlightStatus.ARRIVED,
    )
    result = eu261(ItineraryFacts.from_legs([ib]))
    assert ib.scheduled_in == utc("2025-07-15 06:15")
    assert ib.actual_in == utc("2025-07-15 09:10")
    assert result.distance_km == pytest.approx(482.7, abs=0.05)
    assert result.arrival_delay_minutes == 175
    assert result.amount == 0
    assert "meals and refreshments in reasonable relation to the waiting time" in result.care
    assert "EU261 Art. 6(1)(a), Art. 9" in result.legal_basis
    bands = {d.kind: d.band for d in detect_disruptions(ib, now=utc("2025-07-15 10:00"))}
    assert bands == {
        DisruptionKind.DEPARTURE_DELAY: DelayBand.CARE_2H,
        DisruptionKind.ARRIVAL_DELAY: DelayBand.MAJOR,
    }


def _s13(notice_days: int, reroute_out: timedelta, reroute_in: timedelta) -> ItineraryFacts:
    out, arrival = utc("2025-07-15 07:00"), utc("2025-07-15 10:00")
    return trip(
        "MUC-LIS",
        "2025-07-15",
        operating_carrier="LH",
        scheduled_out=out,
        scheduled_in=arrival,
        cancelled=True,
        notified_at=out - timedelta(days=notice_days),
        reroute_out=out + reroute_out,
        reroute_in=arrival + reroute_in,
    )


@pytest.mark.parametrize(
    ("facts", "amount", "reduced", "point"),
    [
        pytest.param(
            _s13(10, -timedelta(hours=1, minutes=30), timedelta(hours=3, minutes=15)),
            0,
            None,
            "EU261 Art. 5(1)(c)(ii)",
            id="a-10-days-rerouted-within-limits",
        ),
        pytest.param(
            _s13(5, timedelta(minutes=40), timedelta(hours=2, minutes=30)),
            400,
            200,
            "EU261 Art. 5(1)(c)(iii)",
            id="b-5-days-arrives-2h30-later",
        ),
        pytest.param(
            _s13(15, timedelta(hours=-6), timedelta(hours=9)),
            0,
            None,
            "EU261 Art. 5(1)(c)(i)",
            id="c-15-days-any-reroute",
        ),
    ],
)
def test_s13_cancellation_notice_bands_set_the_amount(
    facts: ItineraryFacts, amount: int, reduced: int | None, point: str
) -> None:
    """S13: MUC-LIS 1,984 km intra-EU: 10 d notice EUR 0, 5 d EUR 400 (-> 200), 15 d EUR 0."""
    result = eu261(facts)
    assert result.distance_km == pytest.approx(1983.6, abs=0.05)
    assert (result.amount, result.reduced_amount) == (amount, reduced)
    assert point in result.legal_basis
    assert result.refund == ("choice of reimbursement within 7 days or re-routing (Art. 8)",)
    assert result.care


def _s14(reroute_out: timedelta, reroute_in: timedelta) -> ItineraryFacts:
    out, arrival = utc("2025-07-15 08:00"), utc("2025-07-15 10:25")
    return trip(
        "LHR-MAD",
        "2025-07-15",
        operating_carrier="BA",
        scheduled_out=out,
        scheduled_in=arrival,
        cancelled=True,
        notified_at=out - timedelta(days=2),
        reroute_out=out + reroute_out,
        reroute_in=arrival + reroute_in,
    )


def test_s14a_short_notice_reroute_within_limits_owes_nothing_under_uk261() -> None:
    """S14a: LHR-MAD 1,244 km, told 2 days before, re-route -45 min / +1 h 50: GBP 0."""
    result = uk261(_s14(-timedelta(minutes=45), timedelta(hours=1, minutes=50)))
    assert result.distance_km == pytest.approx(1243.6, abs=0.05)
    assert (result.currency, result.amount) == ("GBP", 0)
    assert "UK261 Art. 5(1)(c)(iii)" in result.legal_basis


def test_s14b_reroute_arriving_2h10_later_owes_gbp_220_without_reduction() -> None:
    """S14b: re-route arrives 2 h 10 later: GBP 220, no 50 % (over the 2 h limit of 7(2)(a))."""
    result = uk261(_s14(timedelta(minutes=20), timedelta(hours=2, minutes=10)))
    assert (result.currency, result.amount, result.reduced_amount) == ("GBP", 220, None)


def test_s14_uk_departure_on_a_uk_carrier_is_outside_eu261() -> None:
    """S14: since 2021 a BA flight from London is a non-EU carrier leaving a non-EU country."""
    assert eu261(_s14(timedelta(0), timedelta(hours=3))).applicability is (
        Applicability.NOT_APPLICABLE
    )


def test_s15_london_new_york_three_hours_30_late_is_gbp_520_or_260() -> None:
    """S15: BA117 LHR-JFK on 2025-03-20, 3 h 30 late: UK261, 5,540 km, GBP 520 (may pay 260)."""
    ba = flight(
        "BA117",
        "LHR-JFK",
        "2025-03-20",
        scheduled_out=at("2025-03-20 08:25", "Europe/London"),
        scheduled_in=at("2025-03-20 12:25", "America/New_York"),
        actual_in=at("2025-03-20 15:55", "America/New_York"),
        status=FlightStatus.ARRIVED,
    )
    result = uk261(ItineraryFacts.from_legs([ba]))
    assert result.arrival_delay_minutes == 210
    assert result.distance_km == pytest.approx(5539.6, abs=0.05)
    assert round(result.distance_km or 0) == 5540
    assert (result.currency, result.amount, result.reduced_amount) == ("GBP", 520, 260)
    assert result.applicability is Applicability.APPLIES
    assert "UK261 Art. 3(1)(a)" in result.legal_basis


def test_s19_return_to_gate_delay_of_2h10_gives_no_dot_refund() -> None:
    """S19: JFK-LAX domestic, out +2 h 10, in +2 h 05: under 3 h, no refund, no cash."""
    aa = flight(
        "AA117",
        "JFK-LAX",
        "2025-07-15",
        scheduled_out=utc("2025-07-15 12:00"),
        actual_out=utc("2025-07-15 14:10"),
        scheduled_in=utc("2025-07-15 18:20"),
        actual_in=utc("2025-07-15 20:25"),
        status=FlightStatus.ARRIVED,
    )
    facts = ItineraryFacts.from_legs([aa])
    assert facts.departure_delay == timedelta(hours=2, minutes=10)
    result = us_dot_refund(facts)
    assert result.applicability is Applicability.APPLIES
    assert (result.currency, result.amount, result.refund) == ("USD", 0, ())
    assert result.arrival_delay_minutes == 125
    assert canada_appr(facts).applicability is Applicability.NOT_APPLICABLE
