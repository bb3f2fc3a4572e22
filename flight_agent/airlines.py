"""Airlines: IATA and ICAO designators, names, callsigns and country of registration.

The table is ``data/airlines_all.csv``: every airline of OpenFlights' airline database with an
IATA or ICAO code (airline data from OpenFlights.org, Open Database License 1.0), under the
hand-checked majors of ``data/airlines.csv``, which win. ``scripts/build_airlines.py`` builds it
from ``data-sources/openflights``; edit ``data/airlines.csv`` to correct a major and rebuild.
The country feeds passenger-rights rules that depend on the carrier's nationality.

Several airlines may share a code (a defunct airline's code reassigned, a cargo arm). The table
is in order of precedence, majors first, then active airlines, then defunct ones, and a code
names the first airline that has it; ``find_airline`` returns the airline with the codes that
name it (Lufthansa Cargo, 'LH'/'GEC', is found by 'GEC' with no IATA code).

A three-letter code that is also an airport's IATA code ('LHR' was an Egyptian operator's ICAO
code, 'CDG' is Shandong Airlines') reads as the airport: ``find_airline`` resolves it only for a
major. In travellers' text and in reports a bare 'CDG' is the airport; a designator such as
'CDG1234' still parses as an unknown ICAO carrier.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources

import airportsdata


@dataclass(frozen=True, slots=True)
class Airline:
    """One carrier: ``iata`` (2 characters) and ``icao`` (3 letters) codes, either may be ''.

    Attributes:
        name: Its name, e.g. 'British Airways'.
        country: ISO 3166-1 alpha-2 code of its country of registration, '' when unknown.
        callsign: Its radio callsign, e.g. 'Speedbird'; '' when unknown.
        active: Whether it still flies (OpenFlights' flag; the majors all do).
    """

    iata: str
    icao: str
    name: str
    country: str
    callsign: str = ""
    active: bool = True


@cache
def airlines() -> tuple[Airline, ...]:
    """Every airline of the table, in order of precedence (majors, active, defunct)."""
    text = resources.files("flight_agent").joinpath("data", "airlines_all.csv").read_text("utf-8")
    return tuple(
        Airline(
            iata=row["iata"],
            icao=row["icao"],
            name=row["name"],
            country=row["country"],
            callsign=row["callsign"],
            active=row["active"] == "Y",
        )
        for row in csv.DictReader(text.splitlines())
    )


@cache
def _majors() -> frozenset[tuple[str, str]]:
    text = resources.files("flight_agent").joinpath("data", "airlines.csv").read_text("utf-8")
    return frozenset((row["iata"], row["icao"]) for row in csv.DictReader(text.splitlines()))


@cache
def _index() -> tuple[dict[str, Airline], dict[str, Airline]]:
    """Airlines by IATA and by ICAO code, each code to the first airline that has it.

    An airline keeps only the codes that name it: a code an airline before it took, or an
    ICAO code that is an airport's IATA code (for all but the majors), is blanked in its
    record, so a designator re-parsed from either of its codes names the same airline.
    """
    by_iata: dict[str, Airline] = {}
    by_icao: dict[str, Airline] = {}
    airport_codes = airportsdata.load("IATA").keys()
    majors = _majors()
    for airline in airlines():
        major = (airline.iata, airline.icao) in majors
        iata = airline.iata if airline.iata not in by_iata else ""
        icao = airline.icao
        if icao in by_icao or (icao in airport_codes and not major):
            icao = ""
        if not (iata or icao):
            continue
        record = replace(airline, iata=iata, icao=icao)
        if iata:
            by_iata[iata] = record
        if icao:
            by_icao[icao] = record
    return by_iata, by_icao


def find_airline(code: str) -> Airline | None:
    """Look up a carrier by IATA (2 characters) or ICAO (3 letters) code; None when unknown."""
    code = code.strip().upper()
    by_iata, by_icao = _index()
    return by_iata.get(code) if len(code) == 2 else by_icao.get(code)
