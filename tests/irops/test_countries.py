"""Country groups by date, carrier nationality and APPR carrier size."""

from __future__ import annotations

from datetime import date

import pytest

from flight_agent.irops import CarrierSize, CountryGroup, appr_carrier_size, carrier_country
from flight_agent.irops.countries import country_groups, in_groups


def test_united_kingdom_leaves_the_eu_group_at_the_end_of_2020() -> None:
    """GB counts in the EU through 2020-12-31 and in the UK group from 2021-01-01."""
    assert CountryGroup.EU in country_groups("GB", date(2020, 12, 31))
    assert CountryGroup.UK not in country_groups("GB", date(2020, 12, 31))
    assert country_groups("GB", date(2021, 1, 1)) >= {CountryGroup.UK, CountryGroup.EUROPE}
    assert CountryGroup.EU not in country_groups("GB", date(2021, 1, 1))


@pytest.mark.parametrize(
    ("country", "group"),
    [
        pytest.param("NO", CountryGroup.EEA, id="norway-eea"),
        pytest.param("CH", CountryGroup.CH, id="switzerland"),
        pytest.param("GP", CountryGroup.EU, id="guadeloupe-outermost-region"),
        pytest.param("PR", CountryGroup.US, id="puerto-rico-domestic-us"),
        pytest.param("HR", CountryGroup.EU, id="croatia"),
    ],
)
def test_membership_table_covers_edge_countries(country: str, group: CountryGroup) -> None:
    """EEA states, Switzerland, outermost regions and US territories are in their groups."""
    assert group in country_groups(country, date(2025, 7, 15))


def test_croatia_joins_the_eu_on_1_july_2013() -> None:
    """Membership is dated: Croatia is outside the EU on 2013-06-30 and inside on 2013-07-01."""
    assert in_groups("HR", [CountryGroup.EU], date(2013, 6, 30)) is False
    assert in_groups("HR", [CountryGroup.EU], date(2013, 7, 1)) is True


def test_unknown_country_is_unknown_not_outside() -> None:
    """A missing country code answers None, so rules can say "unknown"."""
    assert in_groups(None, [CountryGroup.EU], date(2025, 1, 1)) is None


@pytest.mark.parametrize(
    ("code", "country"),
    [
        pytest.param("BA", "GB", id="iata"),
        pytest.param("KLM", "NL", id="icao"),
        pytest.param("DL", "US", id="us-carrier"),
        pytest.param("ZZ", None, id="unknown"),
        pytest.param(None, None, id="missing"),
    ],
)
def test_carrier_nationality_comes_from_the_airline_table(
    code: str | None, country: str | None
) -> None:
    """A carrier's country is the one in data/airlines.csv; unknown carriers give None."""
    assert carrier_country(code) == country


@pytest.mark.parametrize(
    ("code", "size"),
    [
        pytest.param("AC", CarrierSize.LARGE, id="air-canada"),
        pytest.param("ACA", CarrierSize.LARGE, id="air-canada-icao"),
        pytest.param("4N", CarrierSize.SMALL, id="air-north"),
        pytest.param("W6", None, id="not-listed"),
        pytest.param(None, None, id="missing"),
    ],
)
def test_appr_carrier_size_comes_from_its_table(code: str | None, size: CarrierSize | None) -> None:
    """APPR sizes are read from data/appr_carrier_sizes.csv; unlisted carriers are unknown."""
    assert appr_carrier_size(code) == size
