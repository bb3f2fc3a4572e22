"""Parse the FAA NAS status feed (airport-status-information XML) into typed programmes.

Feed shape (nasstatus.faa.gov/api/airport-status-information): root
``AIRPORT_STATUS_INFORMATION`` with ``Update_Time`` and ``Delay_type`` elements holding
``Ground_Stop_List/Program``, ``Ground_Delay_List/Ground_Delay``,
``Arrival_Departure_Delay_List/Delay/Arrival_Departure[@Type]`` and
``Airport_Closure_List/Airport``. Values are free text ("1 hour and 12 minutes", "4:30 pm EDT.",
"Jul 15 at 03:00 UTC."), parsed defensively: what cannot be read stays None, the raw text is
kept. The feed is parsed with ``xml.etree`` after refusing any DTD or entity declaration.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from enum import StrEnum
from xml.etree import ElementTree

from pydantic import BaseModel, ConfigDict, Field

from flight_agent.airports import find_airport
from flight_agent.errors import InvalidResponseError
from flight_agent.models import UtcDatetime

SOURCE = "FAA NAS status"
MAX_FEED_BYTES = 2_000_000
"""Larger documents are refused; the live feed is a few kilobytes."""

_ZONES = {
    "UTC": 0, "GMT": 0, "Z": 0,
    "EDT": -4, "EST": -5, "CDT": -5, "CST": -6, "MDT": -6, "MST": -7, "PDT": -7, "PST": -8,
    "AKDT": -8, "AKST": -9, "HDT": -9, "HST": -10, "AST": -4, "CHST": 10,
}  # fmt: skip
_DURATION = re.compile(r"(\d+)\s*(hours?|hrs?|minutes?|mins?)\b", re.IGNORECASE)
_CLOCK = re.compile(r"(\d{1,2}):(\d{2})\s*(?:([ap])\.?\s*m\.?)?\s*([A-Z]{1,4})?\b", re.IGNORECASE)
_DATED = re.compile(r"([A-Z][a-z]{2})\s+(\d{1,2})\s+at\s+(.*)")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class ProgrammeKind(StrEnum):
    """An FAA airport programme or delay."""

    GROUND_STOP = "ground_stop"
    GROUND_DELAY = "ground_delay"
    CLOSURE = "closure"
    ARRIVAL_DELAY = "arrival_delay"
    DEPARTURE_DELAY = "departure_delay"


class AirportProgramme(BaseModel):
    """One entry of the feed, with its free-text values read where possible."""

    model_config = ConfigDict(frozen=True)

    kind: ProgrammeKind
    airport: str = Field(description="FAA airport code as in ARPT, e.g. EWR")
    reason: str | None = None
    starts_at: UtcDatetime | None = None
    ends_at: UtcDatetime | None = Field(default=None, description="End_Time or Reopen")
    average_delay_minutes: int | None = None
    min_delay_minutes: int | None = None
    max_delay_minutes: int | None = None
    trend: str | None = None
    text: dict[str, str] = Field(default_factory=dict, description="The raw values")


class NasStatus(BaseModel):
    """The whole feed at one update."""

    model_config = ConfigDict(frozen=True)

    updated_at: UtcDatetime | None
    programmes: tuple[AirportProgramme, ...]

    def at(self, airport: str) -> tuple[AirportProgramme, ...]:
        """The programmes at one airport.

        Args:
            airport: IATA/FAA code, or the ICAO form ``K`` + code.
        """
        code = airport.upper()
        return tuple(p for p in self.programmes if code in (p.airport, f"K{p.airport}"))


def parse_duration(text: str | None) -> int | None:
    """Minutes in a free-text duration such as "1 hour and 12 minutes".

    Args:
        text: The free text, or None.

    Returns:
        The minutes, or None when no duration can be read.
    """
    parts = _DURATION.findall(text or "")
    if not parts:
        return None
    return sum(int(n) * (60 if unit.lower().startswith("h") else 1) for n, unit in parts)


def _zone(abbreviation: str | None, airport: str) -> tzinfo | None:
    if abbreviation and abbreviation.upper() in _ZONES:
        return timezone(timedelta(hours=_ZONES[abbreviation.upper()]))
    known = find_airport(airport) if len(airport) == 3 else None
    return known.zone if known else None


def parse_clock(text: str | None, *, airport: str, near: datetime) -> datetime | None:
    """Read a wall-clock time ("4:30 pm EDT.", "16:30Z") as the occurrence nearest ``near``.

    Args:
        text: The free text.
        airport: FAA code, whose zone applies when the text names none.
        near: The reference instant (aware), e.g. when the feed was fetched.

    Returns:
        The aware UTC instant, or None when unreadable.
    """
    match = _CLOCK.search(text or "")
    if match is None:
        return None
    hour, minute, half, abbreviation = match.groups()
    zone = _zone(abbreviation, airport)
    if zone is None or int(hour) > 23 or int(minute) > 59:
        return None
    hour24 = int(hour) % 12 + (12 if (half or "").lower() == "p" else 0) if half else int(hour)
    local_near = near.astimezone(zone)
    base = local_near.replace(hour=hour24, minute=int(minute), second=0, microsecond=0)
    candidates = (base - timedelta(days=1), base, base + timedelta(days=1))
    return min(candidates, key=lambda c: abs(c - local_near)).astimezone(UTC)


def parse_dated(text: str | None, *, airport: str, near: datetime) -> datetime | None:
    """Read a dated time such as "Jul 15 at 03:00 UTC." as the occurrence nearest ``near``.

    Args:
        text: The free text.
        airport: FAA code, whose zone applies when the text names none.
        near: The reference instant (aware).

    Returns:
        The aware UTC instant, or None when unreadable.
    """
    match = _DATED.search(text or "")
    if match is None or match.group(1) not in _MONTHS:
        return None
    clock = parse_clock(match.group(3), airport=airport, near=near)
    if clock is None:
        return None
    month, day = _MONTHS.index(match.group(1)) + 1, int(match.group(2))
    candidates = []
    for year in (near.year - 1, near.year, near.year + 1):
        try:
            candidates.append(clock.replace(year=year, month=month, day=day))
        except ValueError:
            continue
    return min(candidates, key=lambda c: abs(c - near), default=None)


def _parse_update_time(text: str | None) -> datetime | None:
    try:
        return datetime.strptime((text or "").strip(), "%a %b %d %H:%M:%S %Y GMT").replace(
            tzinfo=UTC
        )
    except ValueError:
        return None


def _texts(element: ElementTree.Element) -> dict[str, str]:
    return {
        child.tag: (child.text or "").strip() for child in element if (child.text or "").strip()
    }


def _entry(kind: ProgrammeKind, values: dict[str, str], near: datetime) -> AirportProgramme:
    airport = values.get("ARPT", "").upper()
    end = values.get("End_Time") or values.get("Reopen")
    reader = parse_dated if kind is ProgrammeKind.CLOSURE else parse_clock
    return AirportProgramme(
        kind=kind,
        airport=airport,
        reason=values.get("Reason"),
        starts_at=parse_dated(values.get("Start"), airport=airport, near=near),
        ends_at=reader(end, airport=airport, near=near),
        average_delay_minutes=parse_duration(values.get("Avg")),
        min_delay_minutes=parse_duration(values.get("Min")),
        max_delay_minutes=parse_duration(values.get("Max")),
        trend=values.get("Trend"),
        text=values,
    )


_SIMPLE_LISTS = {
    "Ground_Stop_List": ("Program", ProgrammeKind.GROUND_STOP),
    "Ground_Delay_List": ("Ground_Delay", ProgrammeKind.GROUND_DELAY),
    "Airport_Closure_List": ("Airport", ProgrammeKind.CLOSURE),
}


def _programmes(root: ElementTree.Element, near: datetime) -> list[AirportProgramme]:
    found: list[AirportProgramme] = []
    for tag, (item, kind) in _SIMPLE_LISTS.items():
        found += [_entry(kind, _texts(e), near) for e in root.iterfind(f"Delay_type/{tag}/{item}")]
    for delay in root.iterfind("Delay_type/Arrival_Departure_Delay_List/Delay"):
        common = _texts(delay)
        for direction in delay.iterfind("Arrival_Departure"):
            kind = (
                ProgrammeKind.ARRIVAL_DELAY
                if direction.get("Type", "").lower() == "arrival"
                else ProgrammeKind.DEPARTURE_DELAY
            )
            found.append(_entry(kind, common | _texts(direction), near))
    return [programme for programme in found if programme.airport]


def parse_nas_status(document: str | bytes, *, received_at: datetime) -> NasStatus:
    """Parse one NAS status document.

    Args:
        document: The XML as fetched.
        received_at: When it was fetched (aware); free-text times are read as the occurrence
            nearest to it.

    Returns:
        The feed's update time and every programme with an airport.

    Raises:
        InvalidResponseError: The document is too large, not UTF-8, declares a DTD or
            entities, is not well-formed XML, or is not a NAS status document.
    """
    raw = document.encode("utf-8") if isinstance(document, str) else document
    if len(raw) > MAX_FEED_BYTES:
        raise InvalidResponseError("NAS status document too large", provider=SOURCE)
    try:
        # Decoding first makes the DTD check see every encoding's bytes: a UTF-16 document
        # would hide "<!DOCTYPE" from a byte search. The FAA feed is ASCII.
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InvalidResponseError("NAS status document is not UTF-8", provider=SOURCE) from error
    if "<!DOCTYPE" in text.upper() or "<!ENTITY" in text.upper():
        raise InvalidResponseError(
            "NAS status document declares a DTD or entities", provider=SOURCE
        )
    try:
        root = ElementTree.fromstring(raw)
    except ElementTree.ParseError as error:
        raise InvalidResponseError(
            f"NAS status is not well-formed XML: {error}", provider=SOURCE
        ) from error
    if root.tag != "AIRPORT_STATUS_INFORMATION":
        raise InvalidResponseError(f"not a NAS status document (root {root.tag})", provider=SOURCE)
    return NasStatus(
        updated_at=_parse_update_time(root.findtext("Update_Time")),
        programmes=tuple(_programmes(root, received_at)),
    )
