"""Airlines: IATA and ICAO designators, names and country of registration.

The table is ``data/airlines.csv`` (major carriers; edit it to add more). The country feeds
passenger-rights rules that depend on the carrier's nationality.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True, slots=True)
class Airline:
    """One carrier: ``iata`` (2 characters), ``icao`` (3 letters), name, ISO country code."""

    iata: str
    icao: str
    name: str
    country: str


@cache
def _airlines() -> tuple[dict[str, Airline], dict[str, Airline]]:
    by_iata: dict[str, Airline] = {}
    by_icao: dict[str, Airline] = {}
    text = resources.files("flight_agent").joinpath("data", "airlines.csv").read_text("utf-8")
    for row in csv.DictReader(text.splitlines()):
        airline = Airline(row["iata"], row["icao"], row["name"], row["country"])
        by_iata[airline.iata] = airline
        by_icao[airline.icao] = airline
    return by_iata, by_icao


def find_airline(code: str) -> Airline | None:
    """Look up a carrier by IATA (2 characters) or ICAO (3 letters) code; None when unknown."""
    code = code.strip().upper()
    by_iata, by_icao = _airlines()
    return by_iata.get(code) if len(code) == 2 else by_icao.get(code)
