"""Flights named in a traveller's words: designators and airline names.

``find_flights`` reads 'BA117', 'ba 117', 'DLH 400', 'sas 1467' and, through
``graphs.offline.airline_names``, 'United 901' or 'Speedbird 117', each in its IATA form with
where it is written; tokens shaped like designators that are something else (a regulation, an
aircraft type, a layover's length, a booking reference, 'to 5') are left out.
"""

from __future__ import annotations

import re

from flight_agent.airlines import find_airline
from flight_agent.errors import InvalidFlightQueryError
from flight_agent.flight_query import FlightDesignator
from graphs.offline.airline_names import find_named_flights, is_airline_name
from graphs.offline.words import is_plain_word

_DESIGNATOR = re.compile(
    r"\b(?P<code>[A-Za-z]{3}|[A-Za-z][A-Za-z0-9]|[0-9][A-Za-z])"
    r"(?P<space> ?|\s+(?:flight|flt)\s*(?:number\s*|no\.?\s*)?#?\s*)"
    r"(?P<number>[0-9]{1,4})"
    r"(?P<suffix>[A-Za-z]?)\b(?!:[0-9]|\.[0-9]|\s*(?:[ap]\.?m\b|h\b|hrs?\b|hours?\b|mins?\b"
    r"|minutes?\b|days?\b(?!\s+(?:after|before)\b)|%))"
)
_DURATION = re.compile(r"[0-9]h[0-5][0-9]$")
"""'1h10' is a layover's length, not flight 10 of airline '1H'."""
NOT_FLIGHTS = frozenset(
    {
        "EU261",
        "UK261",
        "EC261",
        "FR24",
        "A318",
        "A319",
        "A320",
        "A321",
        "A330",
        "A340",
        "A350",
        "A380",
    }
    | {"B737", "B747", "B757", "B767", "B777", "B787"}
)
"""Tokens shaped like designators that name a regulation, a flight tracker (FR24, as
Flightradar24 is known) or an aircraft."""
_FLIGHT_WORD = re.compile(r"\bflight(?: number)?(?: is)?:?\s*$", re.I)
_BOOKING_WORD = re.compile(
    r"\b(?:booking|reservation|confirmation|pnr|record locator)(?: (?:ref(?:erence)?|number|code"
    r"|no\.?))?(?: is)?:?\s*#?\s*$",
    re.I,
)
"""Words before a booking reference ('booking ABC123'), which looks like a flight but is none."""
_PLACE_IN_AIRPORT = re.compile(
    r"\b(?:gate|terminal|seat|row|stand|belt|carousel|zone|group|pier|concourse)s?\s*$", re.I
)
"""Words before a place in an airport or an aircraft ('gate B12', 'seat 14C')."""
_MORE_NUMBERS = re.compile(
    r"\s*(?:,|and|&)\s*(?:,|and|&)?\s*#?(?P<number>[0-9]{1,4})\b"
    r"(?=\s*(?:$|[,.?!;&)]|and\b|or\b|status\b|on\b|for\b|today\b|tomorrow\b|tonight\b))",
    re.I,
)
"""Further numbers of the airline just named, each ending a list item ('UA 1, 2 and 3?');
'BA 117 and 2 others' or 'LH 400, 2 hours late' are no flights."""


def _same_airline(text: str, code: str, end: int) -> list[tuple[str, int]]:
    """Numbers listed right after a designator, of the same airline: 'UA 1, 2 and 3'."""
    found: list[tuple[str, int]] = []
    while (more := _MORE_NUMBERS.match(text, end)) is not None:
        try:
            found.append(
                (FlightDesignator.parse(f"{code}{more['number']}").flight_id, more.start(1))
            )
        except InvalidFlightQueryError:
            break
        end = more.end("number")
    return found


def find_flights(text: str) -> list[tuple[str, int]]:
    """Flights named in ``text`` with their positions, normalized to the IATA form.

    A designator of a known airline may be lower case or spaced ('ba117', 'ba 117', 'DLH 400')
    unless its code is an English word in lower case ('to 5', 'at 10'); a 3-letter code in lower
    case only when joined ('dlh400') or as an active airline's brand ('sas 1467'). An unknown
    code counts only as one upper-case token after the word 'flight' or with a 3-4 digit number
    ('XX9999'), so gates such as 'A41' do not. Numbers listed after a designator are the same
    airline's ('UA 1, 2 and 3'). An airline's name or callsign before a number names a flight too
    ('United 901').
    """
    found: list[tuple[str, int]] = []
    for match in _DESIGNATOR.finditer(text):
        code = match["code"]
        token = f"{code}{match['number']}{match['suffix']}".upper()
        if (
            token in NOT_FLIGHTS
            or (match["space"] and _is_word(code))
            or (len(match["space"]) > 1 and not code.isupper())
            or _DURATION.match(match[0])
            or is_airline_name(match[0])
            or _BOOKING_WORD.search(text, max(0, match.start() - 30), match.start())
            or _PLACE_IN_AIRPORT.search(text, max(0, match.start() - 12), match.start())
        ):
            continue
        if find_airline(code) is None and not (
            match[0].isupper()
            and not match["space"]
            and (len(match["number"]) >= 3 or _FLIGHT_WORD.search(text, 0, match.start()))
        ):
            continue
        try:
            found.append((FlightDesignator.parse(token).flight_id, match.start()))
        except InvalidFlightQueryError:
            continue
        found += _same_airline(text, code, match.end())
    taken = [(start, start + len(flight_id) + 1) for flight_id, start in found]
    found += [
        (flight_id, start)
        for flight_id, start, end in find_named_flights(text)
        if not any(start < other_end and other_start < end for other_start, other_end in taken)
    ]
    unique: list[tuple[str, int]] = []
    for flight_id, start in sorted(found, key=lambda item: item[1]):
        if flight_id not in (name for name, _ in unique):
            unique.append((flight_id, start))
    return unique


def _is_word(code: str) -> bool:
    """Whether a code written apart from its number reads as a word ('to 5', 'by 3', 'was 4').

    A lower-case three-letter code counts only as the ICAO code of an active airline that
    travellers write as its brand ('sas 1467', 'klm 641').
    """
    if code.isupper():
        return False
    if is_plain_word(code):
        return True
    if len(code) < 3:
        return False
    airline = find_airline(code)
    return airline is None or not (airline.active and airline.iata and airline.icao == code.upper())
