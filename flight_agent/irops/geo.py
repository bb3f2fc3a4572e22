"""Great-circle distances between airports (haversine on a sphere of radius 6371.0 km).

EU261 Art. 7(4) measures distances "by the great circle route method"; one coordinate source
(``airportsdata``) and one method keep results reproducible.
"""

from __future__ import annotations

from math import asin, cos, radians, sin, sqrt

from flight_agent.airports import Airport

EARTH_RADIUS_KM = 6371.0
"""Mean Earth radius used for every distance in the rules engine."""


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two points given in degrees.

    Args:
        lat1: Latitude of the first point.
        lon1: Longitude of the first point.
        lat2: Latitude of the second point.
        lon2: Longitude of the second point.

    Returns:
        The distance in kilometres.
    """
    phi1, phi2 = radians(lat1), radians(lat2)
    h = sin((phi2 - phi1) / 2) ** 2 + cos(phi1) * cos(phi2) * sin(radians(lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * asin(sqrt(h))


def great_circle_km(origin: Airport, destination: Airport) -> float | None:
    """Great-circle distance between two airports.

    Args:
        origin: The first airport.
        destination: The second airport.

    Returns:
        The distance in kilometres, or None when either airport lacks coordinates.
    """
    if (
        origin.latitude is None
        or origin.longitude is None
        or destination.latitude is None
        or destination.longitude is None
    ):
        return None
    return haversine_km(
        origin.latitude, origin.longitude, destination.latitude, destination.longitude
    )
