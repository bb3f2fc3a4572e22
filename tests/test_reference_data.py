"""Airport and airline reference tables."""

from __future__ import annotations

import pytest

from flight_agent.airlines import find_airline
from flight_agent.airports import find_airport, get_airport, resolve_airport
from flight_agent.errors import InvalidFlightQueryError


def test_airports_are_found_by_iata_or_icao_with_zone_and_coordinates() -> None:
    """LHR and EGLL are the same airport, in Europe/London, at about 51.47 N."""
    heathrow = get_airport("lhr")
    assert heathrow == find_airport("EGLL")
    assert (heathrow.iata, heathrow.icao, heathrow.country) == ("LHR", "EGLL", "GB")
    assert heathrow.timezone == "Europe/London"
    assert heathrow.latitude == pytest.approx(51.47, abs=0.01)


def test_unknown_airport_code_is_a_query_error() -> None:
    """An unknown code raises InvalidFlightQueryError with an example."""
    with pytest.raises(InvalidFlightQueryError, match="LHR"):
        get_airport("QQQ")


def test_provider_airports_are_completed_from_the_table() -> None:
    """A provider's bare codes gain the table's zone; unknown airports keep the provider's data."""
    known = resolve_airport(iata="JFK")
    assert known is not None
    assert known.timezone == "America/New_York"
    unknown = resolve_airport(icao="ZZZZ", name="Nowhere Strip", timezone="UTC")
    assert unknown is not None
    assert (unknown.code, unknown.name, unknown.timezone) == ("ZZZZ", "Nowhere Strip", "UTC")
    assert resolve_airport() is None


def test_an_airport_with_a_zone_nobody_knows_has_no_zone() -> None:
    """A provider's misspelt zone name leaves the zone unknown instead of failing the mapping."""
    airport = resolve_airport(icao="ZZZZ", timezone="Mars/Olympus_Mons")
    assert airport is not None
    assert airport.zone is None
    tokyo_strip = resolve_airport(icao="ZZZY", timezone="Asia/Tokyo")
    assert tokyo_strip is not None
    assert tokyo_strip.zone is not None
    assert tokyo_strip.zone.key == "Asia/Tokyo"


@pytest.mark.parametrize(
    ("code", "icao", "country"),
    [
        pytest.param("BA", "BAW", "GB", id="iata"),
        pytest.param("dlh", "DLH", "DE", id="icao-lower"),
        pytest.param("U2", "EZY", "GB", id="digit-iata"),
    ],
)
def test_airlines_carry_both_codes_and_their_country(code: str, icao: str, country: str) -> None:
    """The airline table gives ICAO code and carrier country for later passenger-rights rules."""
    airline = find_airline(code)
    assert airline is not None
    assert (airline.icao, airline.country) == (icao, country)


def test_unknown_airline_is_none() -> None:
    """Carriers missing from the table are None, not an error."""
    assert find_airline("ZZ") is None
