"""Build ``flight_agent/data/airlines_all.csv`` from OpenFlights' airline database.

Run it (``make airlines``) after replacing ``data-sources/openflights/airlines.dat`` with a newer
copy; the output is committed, so the package never reads the source.

Input, read as published (columns id, name, alias, IATA, ICAO, callsign, country, active; ``\\N``
is null): every airline with a valid IATA code (two letters or digits, not both digits) or ICAO
code (three letters) is kept. Names that the export split at a comma ("Alaska Airlines", " Inc.")
are joined again, so the callsign and country columns are read from where they really are.

Countries are OpenFlights' names, mapped to ISO 3166-1 alpha-2 with ``pycountry`` (a maintained
copy of the ISO tables; exact names only, as fuzzy matching picks wrong countries) plus the
spellings OpenFlights uses that ISO does not (``COUNTRY_ALIASES``). A name neither knows is left
blank.

The hand-checked majors of ``flight_agent/data/airlines.csv`` come first and win: their codes,
names and countries replace OpenFlights' row for the same airline. Then OpenFlights' active
airlines, then the defunct ones, each in OpenFlights' order. That order is the precedence
``flight_agent.airlines`` gives a code or a name several airlines share.

Usage: ``python scripts/build_airlines.py [--source PATH] [--curated PATH] [--output PATH]``.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pycountry

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "data-sources" / "openflights" / "airlines.dat"
CURATED = ROOT / "flight_agent" / "data" / "airlines.csv"
OUTPUT = ROOT / "flight_agent" / "data" / "airlines_all.csv"

COLUMNS = ("iata", "icao", "name", "callsign", "country", "active")
IATA = re.compile(r"^(?![0-9]{2}$)[A-Z0-9]{2}$")
ICAO = re.compile(r"^[A-Z]{3}$")
NULL = "\\N"

COUNTRY_ALIASES = {
    "Brunei": "BN",
    "Burma": "MM",
    "Canadian Territories": "CA",
    "Cape Verde": "CV",
    "Congo (Brazzaville)": "CG",
    "Congo (Kinshasa)": "CD",
    "Cote d'Ivoire": "CI",
    "Democratic Republic of Congo": "CD",
    "Democratic Republic of the Congo": "CD",
    "Hong Kong": "HK",
    "Hong Kong SAR of China": "HK",
    "Ivory Coast": "CI",
    "Lao Peoples Democratic Republic": "LA",
    "Macedonia": "MK",
    "Netherland": "NL",
    "Republic of Korea": "KR",
    "Reunion": "RE",
    "Russia": "RU",
    "Somali Republic": "SO",
    "Swaziland": "SZ",
    "Turkey": "TR",
}
"""OpenFlights' country names that are not ISO 3166 names, with their ISO alpha-2 codes."""


@dataclass(frozen=True, slots=True)
class Row:
    """One airline of the output table."""

    iata: str
    icao: str
    name: str
    callsign: str
    country: str
    active: bool

    def cells(self) -> tuple[str, ...]:
        return (self.iata, self.icao, self.name, self.callsign, self.country, "YN"[not self.active])


def country_code(name: str) -> str:
    """The ISO alpha-2 code of an OpenFlights country name; '' when neither table knows it."""
    name = name.strip()
    if not name:
        return ""
    if name in COUNTRY_ALIASES:
        return COUNTRY_ALIASES[name]
    try:
        return str(pycountry.countries.lookup(name).alpha_2)
    except LookupError:
        return ""


def _field(value: str) -> str:
    return "" if value == NULL else value.strip()


def repair(fields: list[str]) -> list[str]:
    """One record with a name the export split at its commas joined again.

    Such a record shows the name's tail (' Inc.', ' S.A.') in the callsign column, the callsign
    in the country column, and loses the country: the tail starts with a space.
    """
    name, callsign, country = fields[1], fields[5], fields[6]
    for _ in range(2):
        if callsign.startswith(" ") and callsign.strip():
            name, callsign, country = f"{name},{callsign}", country, ""
    return [fields[0], name, fields[2], fields[3], fields[4], callsign, country, fields[7]]


def is_placeholder(name: str, iata: str, icao: str) -> bool:
    """Whether a record is a stub, not an airline: its name is its own code ('ZZ' named 'Zz',
    'KSY' named 'KSY') or has no letter ('88')."""
    return name.upper() in (iata, icao) or not any(char.isalpha() for char in name)


def read_openflights(text: str) -> Iterator[Row]:
    """Airlines with a valid IATA or ICAO code, in file order."""
    for fields in csv.reader(io.StringIO(text)):
        if len(fields) != 8:
            continue
        fields = repair(fields)
        iata, icao = _field(fields[3]), _field(fields[4])
        iata = iata if IATA.match(iata) else ""
        icao = icao if ICAO.match(icao) else ""
        name = _field(fields[1])
        if not (iata or icao) or is_placeholder(name, iata, icao):
            continue
        yield Row(
            iata=iata,
            icao=icao,
            name=name,
            callsign=_field(fields[5]).title()
            if _field(fields[5]).isupper()
            else _field(fields[5]),
            country=country_code(_field(fields[6])),
            active=fields[7].strip().upper() == "Y",
        )


def read_curated(text: str) -> list[Row]:
    """The hand-checked majors (iata, icao, name, country), all flying."""
    return [
        Row(row["iata"], row["icao"], row["name"], "", row["country"], True)
        for row in csv.DictReader(text.splitlines())
    ]


def merge(curated: list[Row], openflights: Iterable[Row]) -> list[Row]:
    """The output rows: curated majors first, then active airlines, then defunct ones.

    An OpenFlights row with a curated airline's two codes is that airline: it only lends its
    callsign. Exact duplicates (same codes and name) appear once.
    """
    majors = {(row.iata, row.icao): index for index, row in enumerate(curated)}
    rows = list(curated)
    others: list[Row] = []
    seen: set[tuple[str, str, str]] = set()
    for row in openflights:
        index = majors.get((row.iata, row.icao))
        if index is not None:
            if not rows[index].callsign:
                major = rows[index]
                rows[index] = Row(
                    major.iata, major.icao, major.name, row.callsign, major.country, True
                )
            continue
        key = (row.iata, row.icao, row.name.casefold())
        if key not in seen:
            seen.add(key)
            others.append(row)
    return rows + [row for row in others if row.active] + [row for row in others if not row.active]


def build(source: str, curated: str) -> str:
    """The output CSV's text for a source and a curated table."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in merge(read_curated(curated), read_openflights(source)):
        writer.writerow(row.cells())
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=SOURCE)
    parser.add_argument("--curated", type=Path, default=CURATED)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    text = build(args.source.read_text(encoding="utf-8"), args.curated.read_text(encoding="utf-8"))
    args.output.write_text(text, encoding="utf-8")
    rows = text.count("\n") - 1
    print(f"{args.output}: {rows} airlines", file=sys.stderr)  # noqa: T201
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
