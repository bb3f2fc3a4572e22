"""Parsing and validating "which flight, which day" before any provider is asked.

A ``FlightQuery`` is the only way a designator reaches a provider: its idents are upper-case
letters and digits only, so nothing a user types can change a request path or query string.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flight_agent.airlines import find_airline
from flight_agent.airports import find_airport
from flight_agent.errors import InvalidFlightQueryError

MAX_DESIGNATOR_LENGTH = 12

_DESIGNATOR = re.compile(
    r"^(?:(?P<icao>[A-Z]{3})|(?P<iata>[A-Z][A-Z0-9]|[0-9][A-Z]))"
    r" ?(?P<number>[0-9]{1,4})(?P<suffix>[A-Z]?)$"
)
_AIRPORT_CODE = re.compile(r"^(?:[A-Z]{3}|[A-Z]{4})$")

VALID_DESIGNATOR_HINT = (
    "A flight designator is an airline code followed by a flight number of 1-4 digits and an "
    "optional letter: IATA 'BA117', 'U2 1234', '9W5', 'BA117A' or ICAO 'BAW117'."
)


@dataclass(frozen=True, slots=True)
class FlightDesignator:
    """A parsed designator; ``number`` has no leading zeros."""

    carrier_iata: str | None
    carrier_icao: str | None
    number: str
    suffix: str = ""

    @property
    def ident_iata(self) -> str | None:
        """IATA form, e.g. 'BA117', when the carrier's IATA code is known."""
        return f"{self.carrier_iata}{self.number}{self.suffix}" if self.carrier_iata else None

    @property
    def ident_icao(self) -> str | None:
        """ICAO form, e.g. 'BAW117', when the carrier's ICAO code is known."""
        return f"{self.carrier_icao}{self.number}{self.suffix}" if self.carrier_icao else None

    @property
    def flight_id(self) -> str:
        """The display designator: IATA form where known, else ICAO."""
        return self.ident_iata or self.ident_icao or self.number

    @classmethod
    def parse(cls, text: str) -> FlightDesignator:
        """Parse 'AA123', 'aa 123', 'AAL123', 'BA117A', 'U2 1234' or '9W5'.

        Raises:
            InvalidFlightQueryError: The text is not a flight designator.
        """
        if not isinstance(text, str):
            raise InvalidFlightQueryError(
                f"Flight designator must be text, got {type(text).__name__}. "
                + VALID_DESIGNATOR_HINT
            )
        cleaned = text.strip()
        if not cleaned:
            raise InvalidFlightQueryError("Flight designator is empty. " + VALID_DESIGNATOR_HINT)
        if len(cleaned) > MAX_DESIGNATOR_LENGTH:
            raise InvalidFlightQueryError(
                f"Flight designator is too long ({len(cleaned)} characters, at most "
                f"{MAX_DESIGNATOR_LENGTH}). " + VALID_DESIGNATOR_HINT
            )
        if not cleaned.isascii():
            raise InvalidFlightQueryError(
                "Flight designator contains non-ASCII characters. " + VALID_DESIGNATOR_HINT
            )
        match = _DESIGNATOR.match(cleaned.upper())
        if match is None:
            raise InvalidFlightQueryError(
                f"{cleaned!r} is not a flight designator. " + VALID_DESIGNATOR_HINT
            )
        number = match["number"].lstrip("0")
        if not number:
            raise InvalidFlightQueryError(
                f"{cleaned!r} has flight number 0. " + VALID_DESIGNATOR_HINT
            )
        code = match["icao"] or match["iata"]
        airline = find_airline(code)
        if airline is not None:
            return cls(airline.iata, airline.icao, number, match["suffix"])
        if match["icao"]:
            return cls(None, code, number, match["suffix"])
        return cls(code, None, number, match["suffix"])


def validate_airport_code(code: str) -> str:
    """Return an upper-case IATA or ICAO airport code, or raise ``InvalidFlightQueryError``."""
    cleaned = code.strip().upper() if isinstance(code, str) else ""
    if not _AIRPORT_CODE.match(cleaned) or find_airport(cleaned) is None:
        raise InvalidFlightQueryError(
            f"Unknown airport code {code!r}: use a 3-letter IATA code such as 'LHR' "
            "or a 4-letter ICAO code such as 'EGLL'."
        )
    return cleaned


SCHEDULE_MAX_SPAN = timedelta(weeks=3)
"""The widest schedule search window (AeroAPI's limit, kept by every provider)."""


def schedule_window(
    origin: str, destination: str, start: datetime, end: datetime
) -> tuple[str, str]:
    """Validate a schedule search: known airports and an aware window of at most 3 weeks.

    Returns:
        The upper-case airport codes.

    Raises:
        InvalidFlightQueryError: Unknown airports, naive or reversed times, or a wide window.
    """
    origin, destination = validate_airport_code(origin), validate_airport_code(destination)
    for value in (start, end):
        if value.tzinfo is None:
            raise InvalidFlightQueryError("find_flights needs aware datetimes for the window")
    if not start < end <= start + SCHEDULE_MAX_SPAN:
        raise InvalidFlightQueryError(
            "The schedule window must end after it starts and span at most 3 weeks."
        )
    return origin, destination


def departure_date_of(value: date | datetime, origin: str | None = None) -> date:
    """The local departure date meant by a date or an aware datetime.

    An aware datetime is read in the origin's zone when the origin is known, else in its own
    offset. Naive datetimes are rejected: their date is ambiguous by up to a day.
    """
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise InvalidFlightQueryError(
                f"Departure datetime {value.isoformat()} has no time zone. Pass a date "
                "(the local departure date) or an aware datetime such as "
                "datetime(2026, 11, 29, tzinfo=timezone.utc)."
            )
        airport = find_airport(origin) if origin else None
        zone = airport.zone if airport else None
        return (value.astimezone(zone) if zone else value).date()
    if isinstance(value, date):
        return value
    raise InvalidFlightQueryError(
        f"Departure date must be a date or an aware datetime, got {type(value).__name__}: "
        "for example date(2026, 11, 29)."
    )


@dataclass(frozen=True, slots=True)
class FlightQuery:
    """A validated request for one flight on one local departure date.

    ``origin`` picks the leg of a multi-leg flight number; without it the first leg of the
    day is answered.
    """

    designator: FlightDesignator
    flight_date: date
    origin: str | None = None

    @classmethod
    def parse(
        cls, ident: str, departure_date: date | datetime, *, origin: str | None = None
    ) -> FlightQuery:
        """Validate a designator, a date and an optional origin airport code."""
        designator = FlightDesignator.parse(ident)
        checked_origin = validate_airport_code(origin) if origin is not None else None
        return cls(designator, departure_date_of(departure_date, checked_origin), checked_origin)

    @property
    def flight_id(self) -> str:
        """The display designator, e.g. 'BA117'."""
        return self.designator.flight_id

    def __str__(self) -> str:
        leg = f" from {self.origin}" if self.origin else ""
        return f"{self.flight_id} on {self.flight_date.isoformat()}{leg}"


QueryLike = FlightQuery | tuple[str, date | datetime] | tuple[str, date | datetime, str | None]
"""A query, or an ``(ident, date)`` / ``(ident, date, origin)`` tuple for convenience."""


def as_query(item: QueryLike) -> FlightQuery:
    """Turn a ``QueryLike`` into a validated ``FlightQuery``."""
    if isinstance(item, FlightQuery):
        return item
    if isinstance(item, tuple) and len(item) in (2, 3):
        origin = item[2] if len(item) == 3 else None
        return FlightQuery.parse(item[0], item[1], origin=origin)
    raise InvalidFlightQueryError(
        f"Expected a FlightQuery or an (ident, date[, origin]) tuple, got {item!r}."
    )


def parse_queries(items: Iterable[QueryLike]) -> list[FlightQuery]:
    """Validate every query of a batch before anything is sent.

    Raises:
        InvalidFlightQueryError: An item is malformed; the message names its position.
    """
    parsed: list[FlightQuery] = []
    for index, item in enumerate(items):
        try:
            parsed.append(as_query(item))
        except InvalidFlightQueryError as error:
            raise InvalidFlightQueryError(f"Query {index}: {error.message}") from error
    return parsed
