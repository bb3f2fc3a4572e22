"""EU261: scope, distance bands, the 3-hour rule, the 50 % reduction, notice, care, dating."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from flight_agent.airports import Airport, get_airport
from flight_agent.irops import Applicability, Cause, Confidence, ItineraryFacts, eu261
from flight_agent.irops.rights import EU261_BOOK, DistanceBand, distance_band
from flight_agent.irops.rights.eu261 import EU261_2004
from flight_agent.models import FlightStatus
from tests.irops.factories import flight, trip, utc

OUT, IN = utc("2025-07-15 08:00"), utc("2025-07-15 16:00")


def late(route: str, delay: timedelta, **facts: object) -> ItineraryFacts:
    """A journey on 2025-07-15 arriving ``delay`` late at the gate."""
    values: dict[str, object] = {
        "operating_carrier": "AF",
        "scheduled_out": OUT,
        "scheduled_in": IN,
        "actual_in": IN + delay,
    }
    return trip(route, "2025-07-15", **(values | facts))


@pytest.mark.parametrize(
    ("delay", "amount"),
    [
        pytest.param(timedelta(hours=2, minutes=59, seconds=59), 0, id="2h59m59s"),
        pytest.param(timedelta(hours=3), 600, id="3h00"),
    ],
)
def test_compensation_starts_at_exactly_three_hours_of_arrival_delay(
    delay: timedelta, amount: int
) -> None:
    """Sturgeon: arriving 3 h or more late is compensated; 2:59:59 is not."""
    assert eu261(late("CDG-JFK", delay)).amount == amount


@pytest.mark.parametrize(
    ("distance", "internal", "band"),
    [
        pytest.param(1500.0, False, DistanceBand.SHORT, id="1500.0-inclusive"),
        pytest.param(1500.1, False, DistanceBand.MEDIUM, id="1500.1"),
        pytest.param(3500.0, False, DistanceBand.MEDIUM, id="3500.0-medium"),
        pytest.param(3500.1, False, DistanceBand.LONG, id="3500.1"),
        pytest.param(4696.4, True, DistanceBand.MEDIUM, id="intra-eu-cap"),
        pytest.param(1500.0, True, DistanceBand.SHORT, id="intra-eu-1500.0"),
    ],
)
def test_distance_bands_are_inclusive_at_1500_and_3500_km(
    distance: float, internal: bool, band: DistanceBand
) -> None:
    """1500.0 km is band (a); 3500 km stays (b); intra-EU flights never exceed (b)."""
    assert distance_band(distance, internal=internal, rules=EU261_2004) is band


def test_intra_eu_cap_applies_only_inside_the_zone() -> None:
    """HEL-LPA (4,696 km, intra-EU) 4 h 30 late is EUR 400; HEL-JFK is EUR 600."""
    assert eu261(late("HEL-LPA", timedelta(hours=4, minutes=30))).amount == 400
    assert eu261(late("HEL-JFK", timedelta(hours=4, minutes=30))).amount == 600


@pytest.mark.parametrize(
    ("delay", "reduced"),
    [
        pytest.param(timedelta(hours=3), 300, id="3h00"),
        pytest.param(timedelta(hours=3, minutes=59, seconds=59), 300, id="3h59m59s"),
        pytest.param(timedelta(hours=4), None, id="4h00"),
    ],
)
def test_long_haul_reduction_covers_three_to_under_four_hours(
    delay: timedelta, reduced: int | None
) -> None:
    """Art. 7(2)(c) / Sturgeon para. 63: EUR 600 may be halved for 3 h up to (not incl.) 4 h."""
    result = eu261(late("CDG-JFK", delay))
    assert (result.amount, result.reduced_amount) == (600, reduced)


def test_gate_arrival_decides_not_the_runway() -> None:
    """Germanwings: runway 2 h 58 late but doors 3 h 03 late is compensated."""
    record = flight(
        "AF22",
        "CDG-JFK",
        "2025-07-15",
        scheduled_out=OUT,
        scheduled_on=IN - timedelta(minutes=10),
        actual_on=IN - timedelta(minutes=10) + timedelta(hours=2, minutes=58),
        scheduled_in=IN,
        actual_in=IN + timedelta(hours=3, minutes=3),
        status=FlightStatus.ARRIVED,
    )
    result = eu261(ItineraryFacts.from_legs([record]))
    assert (result.arrival_delay_minutes, result.amount) == (183, 600)


def test_runway_time_alone_leaves_the_amount_unknown() -> None:
    """With a landing time but no gate arrival the amount is unknown, with the reason."""
    record = flight(
        "AF22",
        "CDG-JFK",
        "2025-07-15",
        scheduled_in=IN,
        actual_on=IN + timedelta(hours=5),
        status=FlightStatus.LANDED,
    )
    result = eu261(ItineraryFacts.from_legs([record]))
    assert result.applicability is Applicability.APPLIES
    assert result.amount is None
    assert result.confidence is Confidence.LOW
    assert "runway landing time is not the arrival" in result.reasons[-1]


def test_early_arrival_owes_nothing() -> None:
    """A negative arrival delay gives EUR 0, never a negative amount."""
    result = eu261(late("CDG-JFK", -timedelta(minutes=25)))
    assert (result.amount, result.arrival_delay_minutes) == (0, -25)


def test_distance_runs_from_origin_to_final_destination() -> None:
    """Bossen: FCO-BRU-HAM is judged on FCO-HAM (1,326 km, EUR 250), not the legs flown."""
    legs = [
        flight("SN3182", "FCO-BRU", "2025-07-15", scheduled_out=OUT, actual_out=OUT),
        flight(
            "SN2901",
            "BRU-HAM",
            "2025-07-15",
            scheduled_in=IN,
            actual_in=IN + timedelta(hours=4),
            status=FlightStatus.ARRIVED,
        ),
    ]
    result = eu261(ItineraryFacts.from_legs(legs))
    assert result.distance_km == pytest.approx(1325.7, abs=0.05)
    assert result.amount == 250
    assert "Bossen C-559/16 (distance to the final destination)" in result.legal_basis


@pytest.mark.parametrize(
    ("route", "carrier", "applicability"),
    [
        pytest.param("JFK-CDG", "AF", Applicability.APPLIES, id="into-eu-on-eu-carrier"),
        pytest.param("JFK-CDG", "DL", Applicability.NOT_APPLICABLE, id="into-eu-on-us-carrier"),
        pytest.param("JFK-CDG", "ZZ", Applicability.UNKNOWN, id="into-eu-unknown-carrier"),
        pytest.param("JFK-ZRH", "LX", Applicability.APPLIES, id="into-switzerland-swiss"),
        pytest.param("CDG-JFK", "DL", Applicability.APPLIES, id="out-of-eu-any-carrier"),
        pytest.param("JFK-LAX", "AF", Applicability.NOT_APPLICABLE, id="outside-eu"),
        pytest.param("LHR-JFK", "BA", Applicability.NOT_APPLICABLE, id="uk-after-brexit"),
    ],
)
def test_scope_follows_departure_country_and_carrier_nationality(
    route: str, carrier: str, applicability: Applicability
) -> None:
    """Art. 3(1): leaving the zone on any carrier, entering it on a Community carrier."""
    result = eu261(late(route, timedelta(hours=5), operating_carrier=carrier))
    assert result.applicability is applicability


def test_arrival_on_community_carrier_carries_the_third_country_caveat() -> None:
    """Art. 3(1)(b) applies unless benefits were received in the third country."""
    result = eu261(late("JFK-CDG", timedelta(hours=5)))
    assert "EU261 Art. 3(1)(b)" in result.legal_basis
    assert any("third country" in caveat for caveat in result.caveats)


def test_uk_departure_before_2021_is_eu261() -> None:
    """On 2020-12-31 the UK still counts inside the EU: LHR-JFK on BA is EUR 600."""
    facts = late("LHR-JFK", timedelta(hours=5), operating_carrier="BA")
    result = eu261(facts.model_copy(update={"flight_date": date(2020, 12, 31)}))
    assert (result.applicability, result.amount) == (Applicability.APPLIES, 600)


def test_airport_without_country_gives_unknown_with_a_reason() -> None:
    """An airport the table does not know makes scope unknown, not a crash or a guess."""
    facts = late("CDG-JFK", timedelta(hours=5)).model_copy(
        update={"destination": Airport(iata="ZZZ")}
    )
    result = eu261(facts)
    assert (result.applicability, result.amount) == (Applicability.UNKNOWN, None)
    assert "country" in result.reasons[0]


def test_airport_without_coordinates_gives_unknown_amount() -> None:
    """Without coordinates the distance, so the amount, is unknown."""
    bare = get_airport("JFK").model_copy(update={"latitude": None})
    result = eu261(late("CDG-JFK", timedelta(hours=5)).model_copy(update={"destination": bare}))
    assert (result.applicability, result.amount, result.distance_km) == (
        Applicability.APPLIES,
        None,
        None,
    )
    assert "no coordinates" in result.reasons[-1]


def test_missing_gate_times_give_unknown_amount() -> None:
    """No scheduled or actual arrival: amount None with the reason, confidence low."""
    result = eu261(trip("CDG-JFK", "2025-07-15"))
    assert result.amount is None
    assert result.confidence is Confidence.LOW


@pytest.mark.parametrize(
    ("cause", "confidence", "phrase"),
    [
        pytest.param(Cause.CARRIER, Confidence.HIGH, "technical", id="technical"),
        pytest.param(Cause.UNKNOWN, Confidence.MEDIUM, "unless the carrier proves", id="unknown"),
        pytest.param(Cause.EXTRAORDINARY, Confidence.LOW, "Likely not owed", id="weather"),
    ],
)
def test_cause_sets_confidence_and_the_extraordinary_circumstances_caveat(
    cause: Cause, confidence: Confidence, phrase: str
) -> None:
    """Carrier causes are likely owed, weather/ATC likely not: the amount stays, the caveat says."""
    result = eu261(late("CDG-JFK", timedelta(hours=5), cause=cause, cause_detail="WX"))
    assert result.amount == 600
    assert result.confidence is confidence
    assert any(phrase in caveat for caveat in result.caveats)


def test_estimated_arrival_lowers_confidence() -> None:
    """An arrival that has not happened yet gives at most medium confidence."""
    result = eu261(
        late("CDG-JFK", timedelta(hours=5), arrival_is_estimate=True, cause=Cause.CARRIER)
    )
    assert result.confidence is Confidence.MEDIUM
    assert any("estimate" in caveat for caveat in result.caveats)


def test_departure_delayed_past_midnight_adds_hotel_and_five_hours_adds_refund() -> None:
    """Art. 6: care from 2 h (short haul), hotel if departure slips a day, refund from 5 h."""
    out = utc("2025-07-15 19:00")
    result = eu261(
        trip(
            "CDG-LHR",
            "2025-07-15",
            scheduled_out=out,
            actual_out=out + timedelta(hours=5),
            scheduled_in=out + timedelta(hours=1),
            actual_in=out + timedelta(hours=6),
        )
    )
    assert "hotel accommodation and transport to it" in result.care
    assert result.refund == ("reimbursement of the ticket within 7 days, and a return flight",)
    assert result.amount == 250


@pytest.mark.parametrize(
    ("notice", "amount"),
    [
        pytest.param(timedelta(days=14), 0, id="exactly-14-days"),
        pytest.param(timedelta(days=14) - timedelta(seconds=1), 400, id="just-under-14-days"),
    ],
)
def test_two_weeks_notice_removes_compensation(notice: timedelta, amount: int) -> None:
    """Art. 5(1)(c)(i): told at least 14 days before, nothing; a second less, full amount."""
    facts = trip(
        "MUC-LIS",
        "2025-07-15",
        scheduled_out=OUT,
        scheduled_in=IN,
        cancelled=True,
        notified_at=OUT - notice,
    )
    assert eu261(facts).amount == amount


def test_reroute_arriving_exactly_two_hours_later_fails_the_short_notice_exemption() -> None:
    """Art. 5(1)(c)(iii) needs arrival *less than* 2 h later; exactly 2 h owes compensation."""
    facts = trip(
        "CDG-LHR",
        "2025-07-15",
        scheduled_out=OUT,
        scheduled_in=IN,
        cancelled=True,
        notified_at=OUT - timedelta(days=1),
        reroute_out=OUT,
        reroute_in=IN + timedelta(hours=2),
    )
    assert eu261(facts).amount == 250


def test_cancellation_without_notice_date_is_unknown_with_the_conditions() -> None:
    """If when the passenger was told is unknown, the amount is unknown and the reason says why."""
    result = eu261(trip("MUC-LIS", "2025-07-15", scheduled_out=OUT, cancelled=True))
    assert result.amount is None
    assert "EUR 400 unless told at least 14 days before" in result.reasons[-1]


def test_rules_are_chosen_by_flight_date_so_a_reform_leaves_old_flights_alone() -> None:
    """A reform edition from 2027 (4 h / EUR 300, 6 h / EUR 500) changes only later flights."""
    reform = replace(
        EU261_2004,
        edition="EU261 reform (hypothetical)",
        amounts=(300, 300, 500),
        delay_minutes=(240, 240, 360),
    )
    book = EU261_BOOK.amended(date(2027, 1, 1), reform)
    old = late("CDG-JFK", timedelta(hours=3, minutes=30))
    new = old.model_copy(update={"flight_date": date(2027, 3, 1)})
    assert eu261(old, book=book).amount == eu261(old).amount == 600
    assert eu261(new, book=book).amount == 0
    assert (
        eu261(new.model_copy(update={"actual_in": IN + timedelta(hours=6)}), book=book).amount
        == 500
    )
    assert eu261(new, book=book).rules == "EU261 reform (hypothetical)"


def test_flights_before_the_regulation_are_not_covered() -> None:
    """No edition is in force before 17 February 2005."""
    facts = late("CDG-JFK", timedelta(hours=5)).model_copy(update={"flight_date": date(2004, 6, 1)})
    assert eu261(facts).applicability is Applicability.NOT_APPLICABLE
