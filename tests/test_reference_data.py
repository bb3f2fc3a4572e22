"""Airport and airline reference tables."""

from __future__ import annotations

import csv
import importlib.util
import sys
from pathlib import Path

import pytest

from flight_agent.airlines import airlines, find_airline
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
    assert find_airline("ZZX") is None


ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "flight_agent" / "data"


def test_the_airline_table_holds_every_coded_airline_of_the_open_data() -> None:
    """Thousands of airlines, not a hand list of majors: over a thousand with an IATA code."""
    table = airlines()
    assert len(table) > 5000
    assert sum(1 for airline in table if airline.iata) > 1000
    assert all(airline.iata or airline.icao for airline in table)


@pytest.mark.parametrize(
    ("code", "name", "callsign"),
    [
        pytest.param("BA", "British Airways", "Speedbird", id="speedbird"),
        pytest.param("LH", "Lufthansa", "Lufthansa", id="lufthansa"),
        pytest.param("UA", "United Airlines", "United", id="united"),
        pytest.param("AC", "Air Canada", "Air Canada", id="air-canada"),
        pytest.param("EI", "Aer Lingus", "Shamrock", id="shamrock"),
    ],
)
def test_majors_resolve_with_their_callsigns(code: str, name: str, callsign: str) -> None:
    """A major's code names it, with its radio callsign."""
    airline = find_airline(code)
    assert airline is not None
    assert (airline.name, airline.callsign, airline.active) == (name, callsign, True)


def test_the_curated_majors_win_over_the_open_data() -> None:
    """Every hand-checked row of airlines.csv is what its codes find, country included."""
    with (DATA / "airlines.csv").open(encoding="utf-8") as file:
        curated = list(csv.DictReader(file))
    assert len(curated) > 100
    for row in curated:
        for code in (row["iata"], row["icao"]):
            airline = find_airline(code)
            assert airline is not None, code
            assert (airline.iata, airline.icao, airline.name, airline.country) == (
                row["iata"],
                row["icao"],
                row["name"],
                row["country"],
            )


def test_a_code_shared_with_an_airport_reads_as_the_airport() -> None:
    """'LHR' was an operator's ICAO code; for anything but a major it is Heathrow."""
    assert find_airline("LHR") is None
    assert find_airline("CDG") is None


def test_the_shipped_table_is_what_the_build_script_makes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """airlines_all.csv is regenerated byte for byte from data-sources/ (make airlines)."""
    spec = importlib.util.spec_from_file_location(
        "build_airlines", ROOT / "scripts/build_airlines.py"
    )
    assert spec is not None
    assert spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, script)  # its dataclasses look themselves up
    spec.loader.exec_module(script)
    output = tmp_path / "airlines_all.csv"
    assert script.main(["--output", str(output)]) == 0
    assert output.read_bytes() == (DATA / "airlines_all.csv").read_bytes()
