"""Country groups (EU, EEA, CH, UK, US, CA, Europe) by date, and carrier facts.

Group membership comes from ``data/country_groups.csv`` and is dated, so a flight before Brexit
counts the UK inside the EU and one after it does not. A carrier's nationality is the country of
``data/airlines.csv``; its Canada APPR size comes from ``data/appr_carrier_sizes.csv``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache

from flight_agent.airlines import find_airline
from flight_agent.irops.tables import read_table


class CountryGroup(StrEnum):
    """A set of countries a rule refers to."""

    EU = "EU"
    EEA = "EEA"
    CH = "CH"
    UK = "UK"
    US = "US"
    CA = "CA"
    EUROPE = "EUROPE"


EU261_ZONE = frozenset({CountryGroup.EU, CountryGroup.EEA, CountryGroup.CH})
"""Where Regulation 261/2004 applies: EU member states, the EEA EFTA states and Switzerland."""


class CarrierSize(StrEnum):
    """Canada APPR carrier size (SOR/2019-150 s.1)."""

    LARGE = "large"
    SMALL = "small"


@dataclass(frozen=True, slots=True)
class _Membership:
    group: CountryGroup
    start: date | None
    end: date | None

    def holds_on(self, day: date) -> bool:
        """Whether the membership covers a date.

        Args:
            day: The flight date.
        """
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


def _date(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


@cache
def _memberships() -> dict[str, tuple[_Membership, ...]]:
    table: dict[str, list[_Membership]] = {}
    for row in read_table("country_groups.csv"):
        membership = _Membership(
            CountryGroup(row["group"]), _date(row["from"]), _date(row["until"])
        )
        table.setdefault(row["country"], []).append(membership)
    return {country: tuple(rows) for country, rows in table.items()}


def country_groups(country: str, on: date) -> frozenset[CountryGroup]:
    """The groups a country belongs to on a date.

    Args:
        country: ISO 3166-1 alpha-2 code, e.g. ``"FR"``.
        on: The flight date.

    Returns:
        Every group the country is a member of on that date (empty when none).
    """
    rows = _memberships().get(country.upper(), ())
    return frozenset(row.group for row in rows if row.holds_on(on))


def in_groups(country: str | None, groups: Iterable[CountryGroup], on: date) -> bool | None:
    """Whether a country belongs to any of ``groups`` on a date.

    Args:
        country: ISO code, or None when unknown.
        groups: The groups to test.
        on: The flight date.

    Returns:
        True or False, or None when the country is unknown.
    """
    if country is None:
        return None
    return not country_groups(country, on).isdisjoint(groups)


def carrier_country(code: str | None) -> str | None:
    """The country of a carrier's operating licence, from the airline table.

    Args:
        code: IATA (2 characters) or ICAO (3 letters) carrier code.

    Returns:
        ISO country code, or None when the code is missing or not in the table.
    """
    airline = find_airline(code) if code else None
    return airline.country if airline else None


@cache
def _carrier_sizes() -> dict[str, CarrierSize]:
    return {row["iata"]: CarrierSize(row["size"]) for row in read_table("appr_carrier_sizes.csv")}


def appr_carrier_size(code: str | None) -> CarrierSize | None:
    """A carrier's Canada APPR size class.

    Args:
        code: IATA or ICAO carrier code.

    Returns:
        The size, or None when the carrier is not in the table.
    """
    if not code:
        return None
    airline = find_airline(code)
    iata = airline.iata if airline else code.strip().upper()
    return _carrier_sizes().get(iata)
