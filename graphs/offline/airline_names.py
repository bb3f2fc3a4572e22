"""Flights named by airline name or callsign: 'United 901', 'Lufthansa flight 400', 'Speedbird 117'.

The names come from the project's airline table (``flight_agent.airlines``, built from
OpenFlights): each airline's full name ('Delta Air Lines'), its short form without words such
as 'Airlines', 'Airways' or 'Inc' ('Delta'), its radio callsign ('Speedbird') and, written as
the airline writes it, the first word of its name ('Cathay', 'Aer'). A name counts only right
before a flight number ('Delta 45', 'Delta flight 45', 'Delta #45'), so 'the Mississippi Delta'
or 'Emirates' alone is no flight, and a number that is a time, a count or a day ('Singapore 2
days ago', 'Delta 10am') is no flight number.

A name several airlines answer to resolves, in order, to a full name before a short form, a
short form before a callsign, a callsign before a first word; among airlines, to the first in
the table's order of precedence (the hand-checked majors, then active airlines, then defunct
ones). Only airlines with an IATA code are indexed: the tools take IATA designators.
"""

from __future__ import annotations

import difflib
import re
from functools import cache

from flight_agent.airlines import airlines, find_airline
from flight_agent.errors import InvalidFlightQueryError
from flight_agent.flight_query import FlightDesignator
from graphs.offline.dates import MONTH
from graphs.offline.places import COMMON, fold, is_place_name
from graphs.offline.words import is_plain_word

SUFFIXES = re.compile(
    r"(?:\s+(?:air ?lines?|airways|airline|aviation|inc|ltd|limited|llc|plc|s\.?a|ag|co"
    r"|corp(?:oration)?|company|group)|\.com)+\.?$"
)
"""Words an airline's name ends with that travellers leave out: 'Delta Air Lines' -> 'delta',
'Jet2.com' -> 'jet2'."""
AIR = re.compile(r"\s+air$")
"""'Air' after a brand ('Wizz Air', 'EVA Air'): left out as well, unless the brand alone is a
plain word ('Sun Air', 'Blue Air')."""
_NOT_NAMES_WORDS = """
air aero aer easy jet sky fly star sun blue global express royal national international
regional trans pacific atlantic united american china india
"""
NOT_NAMES = COMMON | frozenset(_NOT_NAMES_WORDS.split())
"""Words that alone are no airline's name unless they are its whole name ('United' is kept as
the short form of 'United Airlines'; only callsigns and first words are checked here)."""

_TOKEN = re.compile(r"[a-z0-9&']+")
_NUMBER = re.compile(
    r"\s*(?:(?:flights?|flt)\s*)?(?:(?:numbers?|no\.?)\s*)?#?\s*(?P<number>[0-9]{1,4})\b"
    r"(?![:.,-]?[0-9])(?!\s*(?:[ap]\.?m\b|h\b|hrs?\b|hours?\b|mins?\b|minutes?\b|days?\b"
    r"|weeks?\b|months?\b|years?\b|st\b|nd\b|rd\b|th\b|%|kg\b|people\b|passengers?\b|bags?\b"
    r"|times?\b|euros?\b|dollars?\b|pounds?\b))"
)
_MORE = re.compile(r"\s*(?:,|and|&|/|or)\s*#?")
"""What joins further numbers of the same airline: 'Ryanair 202 and 1884', 'easyJet 8001, 8201'."""
_LISTED = re.compile(r"[^.?!:;0-9]{1,40}:\s*(?=[0-9]{1,4}\s*(?:,|and\b|&))")
"""Words and a colon between a name and its numbers' list: 'easyJet from Gatwick: 8001, 8201'."""
_MONTH_AFTER = re.compile(rf"\s*(?:of\s+)?{MONTH}\b")
_PLACE_WORD = re.compile(r"\b(?:from|to|into|in|at|via|out of|leaving|for)\s*$")
LINKING = frozenset({"on", "at", "in", "to", "from", "for", "by", "of", "via", "into", "until"})
"""Words that join a name to what follows ('Singapore on 20 Dec'): no misspelt name ends so."""
MAX_WORDS = 5
FUZZY_WORDS = 3
MIN_FUZZY = 5
FUZZY_CUTOFF = 0.82
MAX_TYPOS = 2
"""A name of 5 letters or more, in 1 to 3 words, matches the airline name it is this close to
(``difflib``'s ratio) and at most ``MAX_TYPOS`` letters longer or shorter than: a letter or two
dropped, doubled or swapped ('Untied', 'Luftansa', 'british airway')."""

# Ranks of a key's kind: a lower rank wins when several airlines answer to the same words.
FULL, SHORT, CALLSIGN, FIRST_WORD = range(4)


@cache
def _index() -> dict[str, tuple[int, int, str]]:
    """Folded name -> (kind rank, precedence, IATA code) of the airline it names."""
    index: dict[str, tuple[int, int, str]] = {}

    def add(key: str, rank: int, order: int, iata: str) -> None:
        key = " ".join(_TOKEN.findall(key))
        if key and len(key.split()) <= MAX_WORDS and (rank, order) < index.get(key, (9, 0))[:2]:
            index[key] = (rank, order, iata)

    for order, airline in enumerate(airlines()):
        if not airline.iata:
            continue
        name = fold(airline.name)
        add(name, FULL, order, airline.iata)
        short = SUFFIXES.sub("", name)
        if short != name and len(short) >= 3:
            add(short, SHORT, order, airline.iata)
        brand = AIR.sub("", short)
        if brand != short and len(brand) >= 3 and brand not in NOT_NAMES:
            add(brand, SHORT, order, airline.iata)  # 'Wizz Air' -> 'wizz', 'Korean Air' -> 'korean'
        callsign = fold(airline.callsign)
        if len(callsign) >= 4 and callsign not in NOT_NAMES and airline.active:
            add(callsign, CALLSIGN, order, airline.iata)
    return index


@cache
def _first_words() -> dict[str, str]:
    """First words of active airlines' names, as written ('Cathay', 'Aer'), to IATA codes."""
    found: dict[str, str] = {}
    for airline in airlines():
        first = airline.name.split()[0] if airline.name else ""
        if (
            airline.iata
            and airline.active
            and len(first) >= 4
            and fold(first) not in NOT_NAMES
            and first[0].isupper()
        ):
            found.setdefault(first, airline.iata)
    return found


def is_airline_name(word: str) -> bool:
    """Whether a word is an airline's name or short form ('Jet2'), not a flight number."""
    entry = _index().get(fold(word))
    return entry is not None and entry[0] <= SHORT


def airlines_named(text: str) -> set[str]:
    """IATA codes of the airlines ``text`` names without a flight number: by code ('the AF
    one') or by name, short form or callsign ('the Air France flight', 'the KLM one')."""
    folded = fold(text)
    words = _TOKEN.findall(folded)
    index = _index()
    named = {code for code in re.findall(r"\b[A-Z0-9]{2}\b", text) if find_airline(code)}
    for word in words:
        airline = find_airline(word) if len(word) == 3 and not is_plain_word(word) else None
        if airline is not None and airline.active and airline.icao == word.upper():
            named.add(airline.iata)  # 'the klm one'
    for size in range(1, MAX_WORDS + 1):
        for position in range(len(words) - size + 1):
            key = " ".join(words[position : position + size])
            entry = index.get(key)
            if entry is not None and not (size == 1 and key in NOT_NAMES and entry[0] > SHORT):
                named.add(entry[2])
    return {code for code in named if code}


def find_named_flights(text: str) -> list[tuple[str, int, int]]:
    """Flights named by an airline's name or callsign and a number: (flight, start, end).

    Numbers that follow the first, joined by 'and' or commas, are the same airline's flights
    ('Ryanair 202 and 1884'); each starts where its number does.
    """
    folded = fold(text)
    tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(folded)]
    index = _index()
    found: list[tuple[str, int, int]] = []
    position = 0
    while position < len(tokens):
        match = _match_at(text, folded, tokens, position, index)
        if match is None:
            position += 1
            continue
        size, iata, first = match
        start = tokens[position][0]
        number: re.Match[str] | None = first
        while number is not None:
            try:
                flight_id = FlightDesignator.parse(f"{iata}{number['number']}").flight_id
                found.append((flight_id, start, number.end()))
            except InvalidFlightQueryError:
                pass
            more = _MORE.match(folded, number.end())
            number = _NUMBER.match(folded, more.end()) if more else None
            start = number.start("number") if number else start
        end = found[-1][2] if found else tokens[position + size - 1][1]
        while position < len(tokens) and tokens[position][0] < end:
            position += 1
    return found


def _match_at(
    text: str,
    folded: str,
    tokens: list[tuple[int, int]],
    position: int,
    index: dict[str, tuple[int, int, str]],
) -> tuple[int, str, re.Match[str]] | None:
    """(words used, IATA code, number match) when a name and a number start at ``position``."""
    start = tokens[position][0]
    place_word = _PLACE_WORD.search(folded, 0, start) is not None
    for size in range(min(MAX_WORDS, len(tokens) - position), 0, -1):
        end = tokens[position + size - 1][1]
        number = _NUMBER.match(folded, end)
        if number is None and (listed := _LISTED.match(folded, end)) is not None:
            number = _NUMBER.match(folded, listed.end())
        if number is None:
            continue
        key = " ".join(folded[s:e] for s, e in tokens[position : position + size])
        entry = index.get(key)
        iata = entry[2] if entry else None
        if iata is None and size == 1:
            iata = _first_words().get(text[start:end])
        if place_word and is_place_name(key) and _MONTH_AFTER.match(folded, number.end()):
            continue  # 'flights to Singapore 2 December': a place and a day, not a flight
        if iata is not None and not (size == 1 and key in COMMON and entry and entry[0] > SHORT):
            return size, iata, number
        if size <= FUZZY_WORDS and (iata := _misspelt(key)) is not None:
            return size, iata, number
    return None


def _misspelt(key: str) -> str | None:
    """The IATA code of the airline a misspelt name means ('Luftansa', 'Untied', 'british
    airway', 'ryan air'): the one full name or short form it is closest to, if close enough."""
    words = key.split()
    compact = key.replace(" ", "")
    if (
        len(compact) < MIN_FUZZY
        or words[0] in NOT_NAMES
        or (len(words) > 1 and words[-1] in LINKING)
        or is_plain_word(words[0])
        or is_place_name(key)  # a city's name is spelt right: 'Berlin' is no typo of 'Bering'
    ):
        return None
    names = _compact_names().get(compact[0], {})
    close = difflib.get_close_matches(compact, names, n=1, cutoff=FUZZY_CUTOFF)
    if not close or abs(len(close[0]) - len(compact)) > MAX_TYPOS:
        return None  # 'service' is no typo of 'Skyservice'
    return names[close[0]]


@cache
def _compact_names() -> dict[str, dict[str, str]]:
    """Full names and short forms without spaces, to IATA codes ('britishairways' -> 'BA'), by
    first letter: a misspelling seldom starts with another letter ('travel' is not 'MyTravel')."""
    found: dict[str, dict[str, str]] = {}
    for key, (rank, _, iata) in sorted(_index().items(), key=lambda item: item[1][:2]):
        if rank <= SHORT:
            compact = key.replace(" ", "")
            found.setdefault(compact[0], {}).setdefault(compact, iata)
    return found
