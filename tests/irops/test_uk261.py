"""UK261: GBP amounts and its own scope."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from flight_agent.irops import Applicability, uk261
from tests.irops.factories import trip, utc

OUT, IN = utc("2025-07-15 08:00"), utc("2025-07-15 16:00")


@pytest.mark.parametrize(
    ("route", "amount"),
    [
        pytest.param("LHR-MAD", 220, id="short-1244km"),
        pytest.param("LHR-LIS", 350, id="medium-1564km"),
        pytest.param("LHR-JFK", 520, id="long-5540km"),
    ],
)
def test_amounts_are_220_350_520_pounds_by_distance(route: str, amount: int) -> None:
    """UK261 pays GBP 220 / 350 / 520 by great-circle distance for 5 h late arrivals."""
    result = uk261(
        trip(
            route,
            "2025-07-15",
            operating_carrier="BA",
            scheduled_out=OUT,
            scheduled_in=IN,
            actual_in=IN + timedelta(hours=5),
        )
    )
    assert (result.currency, result.amount) == ("GBP", amount)


@pytest.mark.parametrize(
    ("route", "carrier", "applicability"),
    [
        pytest.param("LHR-JFK", "AA", Applicability.APPLIES, id="uk-departure-any-carrier"),
        pytest.param("JFK-LHR", "BA", Applicability.APPLIES, id="into-uk-on-uk-carrier"),
        pytest.param("JFK-LHR", "AF", Applicability.APPLIES, id="into-uk-on-eu-carrier"),
        pytest.param("JFK-LHR", "AA", Applicability.NOT_APPLICABLE, id="into-uk-on-us-carrier"),
        pytest.param("JFK-CDG", "BA", Applicability.APPLIES, id="into-eu-on-uk-carrier"),
        pytest.param("JFK-CDG", "AF", Applicability.NOT_APPLICABLE, id="into-eu-on-eu-carrier"),
        pytest.param("CDG-JFK", "BA", Applicability.NOT_APPLICABLE, id="eu-departure-is-eu261"),
        pytest.param("JFK-LHR", "ZZ", Applicability.UNKNOWN, id="into-uk-unknown-carrier"),
    ],
)
def test_scope_follows_the_caa_rules(
    route: str, carrier: str, applicability: Applicability
) -> None:
    """UK departures on any carrier; UK arrivals on UK/EU carriers; EU arrivals on UK carriers."""
    result = uk261(
        trip(route, "2025-07-15", operating_carrier=carrier, scheduled_in=IN, actual_in=IN)
    )
    assert result.applicability is applicability


def test_uk261_starts_in_2021_when_eu261_stops_covering_the_uk() -> None:
    """No UK261 edition exists before 1 January 2021."""
    facts = trip("LHR-JFK", "2020-12-31", operating_carrier="BA")
    result = uk261(facts)
    assert result.applicability is Applicability.NOT_APPLICABLE
    assert "EU261 covered the UK" in result.reasons[0]
    assert uk261(facts.model_copy(update={"flight_date": date(2021, 1, 1)})).applicability is (
        Applicability.APPLIES
    )
