"""Great-circle distances: haversine with R = 6371.0 km on airportsdata coordinates."""

from __future__ import annotations

import pytest

from flight_agent.airports import Airport, get_airport
from flight_agent.irops import EARTH_RADIUS_KM, great_circle_km, haversine_km


@pytest.mark.parametrize(
    ("route", "km"),
    [
        pytest.param("AMS-JFK", 5847.5, id="S06"),
        pytest.param("CDG-JFK", 5833.6, id="S07"),
        pytest.param("HEL-LPA", 4696.4, id="S09"),
        pytest.param("MAD-BCN", 482.7, id="S10"),
        pytest.param("MUC-LIS", 1983.6, id="S13"),
        pytest.param("LHR-MAD", 1243.6, id="S14"),
        pytest.param("LHR-JFK", 5539.6, id="S15"),
        pytest.param("CDG-LHR", 347.2, id="S02"),
        pytest.param("LHR-BUD", 1488.8, id="near-1500-below"),
        pytest.param("LHR-WAW", 1469.6, id="near-1500-waw"),
        pytest.param("LHR-LIS", 1563.9, id="near-1500-above"),
        pytest.param("LHR-BEY", 3481.7, id="near-3500-below"),
        pytest.param("LHR-CAI", 3532.6, id="near-3500-above"),
        pytest.param("LHR-TLV", 3588.7, id="tlv"),
        pytest.param("FCO-HAM", 1325.7, id="bossen"),
    ],
)
def test_distances_match_the_reference_to_a_tenth_of_a_km(route: str, km: float) -> None:
    """Each reference distance of IROPS.md 2.5 and 5 is reproduced to 0.1 km."""
    origin, destination = (get_airport(code) for code in route.split("-"))
    assert great_circle_km(origin, destination) == pytest.approx(km, abs=0.05)


def test_distance_is_symmetric_and_zero_to_itself() -> None:
    """A to B equals B to A; an airport is 0 km from itself."""
    lhr, jfk = get_airport("LHR"), get_airport("JFK")
    assert great_circle_km(lhr, jfk) == great_circle_km(jfk, lhr)
    assert great_circle_km(lhr, lhr) == 0.0


def test_quarter_meridian_uses_the_pinned_radius() -> None:
    """Pole to equator is a quarter of the circumference of a 6371.0 km sphere."""
    assert haversine_km(90.0, 0.0, 0.0, 0.0) == pytest.approx(
        EARTH_RADIUS_KM * 3.141592653589793 / 2
    )


def test_airport_without_coordinates_has_no_distance() -> None:
    """Missing coordinates give None rather than a wrong number."""
    assert great_circle_km(Airport(iata="ZZZ"), get_airport("LHR")) is None
