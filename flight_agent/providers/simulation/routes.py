"""Which route a flight number flies: the known-flight table, else a generated route.

``data/mock_routes.csv`` lists real flight numbers with their legs and local departure times
(a multi-leg flight repeats its designator; a later leg's empty time means "after the previous
leg's arrival plus a turn"). Any other number gets a deterministic route from its carrier's
home airports. Numbers pair up like real schedules: an odd number flies out from home and the
next even number flies back, so ``find_flights`` can offer flights in both directions that
``get_flight_status`` then answers with the same route.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from datetime import time
from functools import cache
from importlib import resources

from flight_agent.airlines import find_airline
from flight_agent.flight_query import FlightDesignator
from flight_agent.providers.simulation.network import (
    SHORT_HAUL_MAX_KM,
    destinations,
    home_airports,
)
from flight_agent.providers.simulation.seeding import pick_index, stable_digest

NONEXISTENT_NUMBERS = range(9900, 10000)
"""Flight numbers 9900-9999 of any carrier never exist, so demos can show "not found"."""

HIGHEST_NUMBER = NONEXISTENT_NUMBERS.start - 1
FIRST_DEPARTURE = time(6, 0)
DEPARTURE_SLOTS = 193  # 06:00 to 22:00 local in 5-minute steps

SHORT_HAUL_CARRIERS = frozenset(
    (
        "WN", "NK", "F9", "G4", "SY", "OO", "YX", "9E", "MQ", "PD", "Y4", "U2", "LS", "TO",
        "HV", "VY", "I2", "FR", "W6", "W9", "PC", "FZ", "6E", "AK", "VJ", "G3", "AD", "BT",
        "OU", "FB", "JU", "RO", "EW", "B6", "AS",
    )
)  # fmt: skip
"""Low-cost and regional carriers: their generated routes stay within 3,000 km."""


@dataclass(frozen=True, slots=True)
class RouteLeg:
    """One leg of a route: airport codes, local departure time, optional aircraft type.

    ``departure_local`` is None for a later leg that leaves after the previous one's turn.
    """

    origin: str
    destination: str
    departure_local: time | None
    aircraft_type: str | None = None


def carrier_code(designator: FlightDesignator) -> str:
    """The carrier part of a designator: IATA where known, else ICAO."""
    return designator.carrier_iata or designator.carrier_icao or ""


def route_key(designator: FlightDesignator) -> str:
    """Carrier and number without an operational suffix: 'BA117A' flies BA117's route."""
    return f"{carrier_code(designator)}{designator.number}"


def flight_exists(designator: FlightDesignator) -> bool:
    """False for the reserved numbers 9900-9999."""
    return int(designator.number) not in NONEXISTENT_NUMBERS


@cache
def known_routes() -> dict[str, tuple[RouteLeg, ...]]:
    """The table ``data/mock_routes.csv``, keyed by route key (e.g. 'BA117')."""
    table: defaultdict[str, list[RouteLeg]] = defaultdict(list)
    path = resources.files("flight_agent").joinpath("data", "mock_routes.csv")
    for row in csv.DictReader(path.read_text("utf-8").splitlines()):
        departure = row["departure_local"].strip()
        table[route_key(FlightDesignator.parse(row["ident"]))].append(
            RouteLeg(
                origin=row["origin"].strip(),
                destination=row["destination"].strip(),
                departure_local=time.fromisoformat(departure) if departure else None,
                aircraft_type=row["aircraft_type"].strip() or None,
            )
        )
    return {key: tuple(legs) for key, legs in table.items()}


@cache
def carriers_of(country: str | None) -> tuple[str, ...]:
    """IATA codes of the carriers registered in a country (from ``data/airlines.csv``)."""
    path = resources.files("flight_agent").joinpath("data", "airlines.csv")
    rows = csv.DictReader(path.read_text("utf-8").splitlines())
    return tuple(row["iata"] for row in rows if country and row["country"] == country)


def _country(carrier: str) -> str | None:
    airline = find_airline(carrier) if len(carrier) in (2, 3) else None
    return airline.country if airline else None


def _city_pair(
    seed: int, carrier: str, pair: int, homes: tuple[str, ...]
) -> tuple[str, str, bytes]:
    """Home airport, away airport and the digest of one pair of flight numbers."""
    digest = stable_digest(seed, "route", carrier, pair)
    home = homes[pick_index(digest, 0, len(homes))]
    options = destinations(home, SHORT_HAUL_MAX_KM if carrier in SHORT_HAUL_CARRIERS else None)
    return home, options[pick_index(digest, 1, len(options))], digest


def _departure(digest: bytes, outbound: bool) -> time:
    minutes = FIRST_DEPARTURE.hour * 60 + 5 * pick_index(
        digest, 2 if outbound else 3, DEPARTURE_SLOTS
    )
    return time(minutes // 60, minutes % 60)


def generated_route(seed: int, carrier: str, number: int) -> RouteLeg:
    """The deterministic route of a flight number that is not in the table.

    Numbers ``2k-1`` and ``2k`` share one city pair: the odd one departs from a home airport
    of the carrier, the even one flies back; each has its own departure time between 06:00
    and 22:00 local.
    """
    homes = home_airports(_country(carrier))
    home, away, digest = _city_pair(seed, carrier, (number + 1) // 2, homes)
    if number % 2 == 1:
        return RouteLeg(home, away, _departure(digest, outbound=True))
    return RouteLeg(away, home, _departure(digest, outbound=False))


def route_for(seed: int, designator: FlightDesignator) -> tuple[RouteLeg, ...] | None:
    """The legs a designator flies every day; None for a nonexistent number."""
    if not flight_exists(designator):
        return None
    known = known_routes().get(route_key(designator))
    if known is not None:
        return known
    return (generated_route(seed, carrier_code(designator), int(designator.number)),)


@cache
def route_index(seed: int, carrier: str) -> dict[tuple[str, str], tuple[int, ...]]:
    """Every generated flight number of a carrier by (origin, destination), for schedules.

    Table numbers are left out (the table wins for them). Built once per seed and carrier
    from the city pairs, the same way ``generated_route`` draws them.
    """
    taken = {key for key in known_routes() if key.startswith(carrier)}
    homes = home_airports(_country(carrier))
    index: defaultdict[tuple[str, str], list[int]] = defaultdict(list)
    for pair in range(1, (HIGHEST_NUMBER + 1) // 2 + 1):
        home, away, _ = _city_pair(seed, carrier, pair, homes)
        for number, key in ((2 * pair - 1, (home, away)), (2 * pair, (away, home))):
            if number <= HIGHEST_NUMBER and f"{carrier}{number}" not in taken:
                index[key].append(number)
    return {key: tuple(numbers) for key, numbers in index.items()}
