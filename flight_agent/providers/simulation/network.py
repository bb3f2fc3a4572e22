"""The simulated route network: major airports, great-circle distances and block times.

Coordinates, countries and zones come from ``airportsdata`` through ``find_airport``; this
module only chooses which airports the simulation flies between.
"""

from __future__ import annotations

import math
from functools import cache

from flight_agent.airports import Airport, get_airport

EARTH_RADIUS_KM = 6371.0
CRUISE_KMH = 800.0
BLOCK_OVERHEAD_MINUTES = 30
MIN_BLOCK_MINUTES = 45
TAXI_OUT_MINUTES = 15
TAXI_IN_MINUTES = 8
SHORT_HAUL_MAX_KM = 3000.0
MIN_ALTERNATE_KM = 25.0

MAJOR_AIRPORTS: tuple[str, ...] = (
    # North America
    "ATL", "LAX", "ORD", "DFW", "DEN", "JFK", "SFO", "SEA", "LAS", "MCO", "MIA", "BOS",
    "EWR", "IAD", "IAH", "PHX", "MSP", "DTW", "CLT", "PHL", "YYZ", "YVR", "YUL", "MEX", "CUN",
    # Europe
    "LHR", "LGW", "MAN", "EDI", "DUB", "CDG", "NCE", "FRA", "MUC", "BER", "AMS", "BRU",
    "MAD", "BCN", "PMI", "FCO", "MXP", "ZRH", "VIE", "LIS", "CPH", "ARN", "OSL", "HEL",
    "WAW", "PRG", "BUD", "ATH", "KEF", "IST",
    # Middle East, Africa, Asia, Oceania, South America
    "DXB", "AUH", "DOH", "TLV", "CAI", "ADD", "JNB", "DEL", "BOM", "SIN", "KUL", "BKK",
    "HKG", "TPE", "NRT", "HND", "ICN", "PEK", "PVG", "SYD", "MEL", "AKL",
    "GRU", "EZE", "BOG", "SCL", "PTY",
)  # fmt: skip
"""Airports generated routes fly between (codes valid in ``airportsdata``)."""

GLOBAL_HUBS: tuple[str, ...] = (
    "LHR", "CDG", "FRA", "AMS", "IST", "DXB", "DOH", "SIN", "HKG", "JFK", "ATL", "ORD",
)  # fmt: skip
"""Home airports for carriers whose country has no airport in ``MAJOR_AIRPORTS``."""

ALTERNATE_AIRPORTS: tuple[str, ...] = (
    "STN", "LTN", "BHX", "GLA", "ORY", "LYS", "CGN", "DUS", "STR", "HAM", "GVA", "EIN",
    "BDL", "PVD", "LGA", "BWI", "OAK", "SJC", "YHZ", "SHJ", "CBR", "AVV", "KIX", "GMP",
)  # fmt: skip
"""Extra airports used only as diversion alternates, next to the major ones."""


def distance_km(a: Airport, b: Airport) -> float:
    """Great-circle (haversine) distance in km with the mean Earth radius 6371.0 km."""
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        raise ValueError(f"no coordinates for {a.code} or {b.code}")
    lat1, lon1 = math.radians(a.latitude or 0.0), math.radians(a.longitude or 0.0)
    lat2, lon2 = math.radians(b.latitude or 0.0), math.radians(b.longitude or 0.0)
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def block_minutes(km: float) -> int:
    """Gate-to-gate minutes: cruise at 800 km/h plus 30 min, in 5-minute steps, at least 45."""
    raw = km / CRUISE_KMH * 60 + BLOCK_OVERHEAD_MINUTES
    return max(MIN_BLOCK_MINUTES, 5 * round(raw / 5))


@cache
def airport(code: str) -> Airport:
    """The airport for a code known to be valid (the tables in this package)."""
    return get_airport(code)


@cache
def home_airports(country: str | None) -> tuple[str, ...]:
    """Major airports in a carrier's country, or the global hubs when it has none."""
    homes = tuple(code for code in MAJOR_AIRPORTS if airport(code).country == country)
    return homes or GLOBAL_HUBS


@cache
def destinations(home: str, max_km: float | None) -> tuple[str, ...]:
    """Major airports a route from ``home`` may serve, within ``max_km`` when given.

    Short-haul carriers without any airport in range fall back to the five nearest.
    """
    origin = airport(home)
    others = [code for code in MAJOR_AIRPORTS if code != home]
    if max_km is None:
        return tuple(others)
    in_range = tuple(c for c in others if distance_km(origin, airport(c)) <= max_km)
    if in_range:
        return in_range
    return tuple(sorted(others, key=lambda c: distance_km(origin, airport(c)))[:5])


def nearest_alternates(destination: Airport, *, exclude: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The three nearest real alternates to a destination, nearest first.

    Airports closer than 25 km are skipped: they share the destination's airspace and weather.
    """
    candidates = []
    for code in dict.fromkeys(MAJOR_AIRPORTS + ALTERNATE_AIRPORTS):
        if code == destination.iata or code in exclude:
            continue
        km = distance_km(destination, airport(code))
        if km >= MIN_ALTERNATE_KM:
            candidates.append((km, code))
    return tuple(code for _, code in sorted(candidates)[:3])
