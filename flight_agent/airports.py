"""Airports: IATA/ICAO codes, names, coordinates and IANA time zones from ``airportsdata``.

The tables load lazily on first lookup (about 0.2 s each), never at import.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import airportsdata
from pydantic import BaseModel, ConfigDict, Field

from flight_agent.errors import InvalidFlightQueryError

_IATA = re.compile(r"^[A-Z]{3}$")
_ICAO = re.compile(r"^[A-Z]{4}$")


class Airport(BaseModel):
    """An airport as the rest of the toolkit sees it; codes are upper case."""

    model_config = ConfigDict(frozen=True)

    iata: str | None = Field(default=None, description="IATA code, e.g. LHR")
    icao: str | None = Field(default=None, description="ICAO code, e.g. EGLL")
    name: str | None = None
    city: str | None = None
    country: str | None = Field(default=None, description="ISO 3166-1 alpha-2 country code")
    timezone: str | None = Field(default=None, description="IANA zone, e.g. Europe/London")
    latitude: float | None = None
    longitude: float | None = None

    @property
    def code(self) -> str:
        """The shortest human code available: IATA, else ICAO, else '?'."""
        return self.iata or self.icao or "?"

    @property
    def zone(self) -> ZoneInfo | None:
        """The airport's time zone, when known."""
        return zone_named(self.timezone) if self.timezone else None


@cache
def zone_named(name: str) -> ZoneInfo | None:
    """The IANA zone of that name, or None when unknown.

    Kept for the life of the process: ``ZoneInfo``'s own cache holds only a few zones
    strongly, and a batch touching many airports would otherwise read zone files again.
    """
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


@cache
def _table(kind: Literal["IATA", "ICAO"]) -> Mapping[str, Mapping[str, Any]]:
    return airportsdata.load(kind)


def _from_row(row: Mapping[str, Any]) -> Airport:
    return Airport(
        iata=row["iata"] or None,
        icao=row["icao"] or None,
        name=row["name"] or None,
        city=row["city"] or None,
        country=row["country"] or None,
        timezone=row["tz"] or None,
        latitude=row["lat"],
        longitude=row["lon"],
    )


@cache
def find_airport(code: str) -> Airport | None:
    """Look up an airport by IATA (3 letters) or ICAO (4 letters) code; None when unknown."""
    code = code.strip().upper()
    if _IATA.match(code):
        row = _table("IATA").get(code)
    elif _ICAO.match(code):
        row = _table("ICAO").get(code)
    else:
        return None
    return _from_row(row) if row else None


def get_airport(code: str) -> Airport:
    """Look up an airport by code, raising ``InvalidFlightQueryError`` when the code is unknown."""
    airport = find_airport(code)
    if airport is None:
        raise InvalidFlightQueryError(
            f"Unknown airport code {code!r}: use a 3-letter IATA code such as 'LHR' "
            "or a 4-letter ICAO code such as 'EGLL'."
        )
    return airport


def resolve_airport(
    *,
    iata: str | None = None,
    icao: str | None = None,
    name: str | None = None,
    city: str | None = None,
    timezone: str | None = None,
) -> Airport | None:
    """Build an ``Airport`` from a provider's fields, completed from the airport table.

    The table wins for codes, coordinates and zone; the provider's own values fill the gaps for
    airports the table does not know. Returns None when no code at all is given.
    """
    known = find_airport(icao) if icao else None
    if known is None and iata:
        known = find_airport(iata)
    if known is not None:
        return known
    if not (iata or icao):
        return None
    return Airport(
        iata=iata.upper() if iata else None,
        icao=icao.upper() if icao else None,
        name=name,
        city=city,
        timezone=timezone,
    )
