"""Airports named in a traveller's words: codes, cities and airport names.

``find_places`` reads 'from LHR', 'lhr to jfk' (codes: ``graphs.offline.codes``), 'out of
Heathrow', 'Toronto to London', 'between Singapore and Hong Kong', 'leaving Changi', 'into
Istanbul' or 'Paris CDG'. Names come from ``airportsdata``, the project's airport table:
each airport's ``city`` field ('London') and the distinctive words of its name ('Heathrow',
'Schiphol', 'Changi', 'Keflavik'), accents folded. A name counts only with a word that says
what the place is to the trip (from, to, at, via, into, out of, leaving ...) or in a route
('Frankfurt to JFK', 'Sydney-Singapore'), so 'nice' in 'a nice day' is no airport.

When a name fits several airports, the main one is chosen by a rule, most specific first:

1. ``METRO_HUBS``: a short, documented table for multi-airport metros (London, Paris, New York,
   Tokyo ...) naming the hub a traveller means by the city alone;
2. an airport the project's own reference data serves (``data/mct.csv``, ``data/mock_routes.csv``);
3. an airport whose name says 'International'.

A name still shared by several airports (Birmingham UK or Alabama) is ambiguous: its mention
has no code but lists the choices, for a question when it matters which.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import defaultdict
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

from graphs.offline.codes import Table, airports, find_codes

Role = Literal["from", "to", "at", "into", "near"]
"""What the place is to the trip: origin, destination, where a connection happens, where a
flight arrives (also a connection point), or unknown (a place with no word saying which)."""

METRO_HUBS = {
    "london": ("LHR", "LGW", "STN", "LCY", "LTN", "SEN"),
    "paris": ("CDG", "ORY", "BVA"),
    "new york": ("JFK", "EWR", "LGA"),
    "nyc": ("JFK", "EWR", "LGA"),
    "la": ("LAX", "BUR", "LGB", "SNA", "ONT"),
    "los angeles": ("LAX", "BUR", "LGB", "SNA", "ONT"),
    "tokyo": ("HND", "NRT"),
    "moscow": ("SVO", "DME", "VKO"),
    "milan": ("MXP", "LIN", "BGY"),
    "chicago": ("ORD", "MDW"),
    "washington": ("IAD", "DCA", "BWI"),
    "dc": ("IAD", "DCA", "BWI"),
    "sao paulo": ("GRU", "CGH", "VCP"),
    "toronto": ("YYZ", "YTZ"),
    "montreal": ("YUL",),
    "vancouver": ("YVR",),
    "rome": ("FCO", "CIA"),
    "berlin": ("BER",),
    "istanbul": ("IST", "SAW"),
    "seoul": ("ICN", "GMP"),
    "osaka": ("KIX", "ITM"),
    "shanghai": ("PVG", "SHA"),
    "beijing": ("PEK", "PKX"),
    "bangkok": ("BKK", "DMK"),
    "stockholm": ("ARN", "BMA"),
    "houston": ("IAH", "HOU"),
    "dallas": ("DFW", "DAL"),
    "melbourne": ("MEL", "AVV"),
    "buenos aires": ("EZE", "AEP"),
    "rio de janeiro": ("GIG", "SDU"),
    "rio": ("GIG", "SDU"),
    "doha": ("DOH",),
    "delhi": ("DEL",),
    "new delhi": ("DEL",),
    "frankfurt": ("FRA",),
    "reykjavik": ("KEF", "RKV"),
    "manchester": ("MAN", "WFD"),
    "copenhagen": ("CPH", "RKE"),
}
"""Multi-airport metros: the hub first, then the others a traveller might mean. A city with a
single entry is one whose name other airports carry too ('Frankfurt-Hahn', 'Berlin Tegel',
closed, 'Montreal Saint-Hubert'): the city alone means the one listed."""

AIRPORT_ALIASES = {
    "haneda": "HND",
    "sea tac": "SEA",
    "seatac": "SEA",
    "jfk": "JFK",
    "reagan": "DCA",
    "reagan national": "DCA",
    "washington reagan": "DCA",
    "washington national": "DCA",
    "dulles": "IAD",
    "washington dulles": "IAD",
}
"""Names travellers use for an airport that its table entry does not contain."""

_GENERIC_WORDS = """
international intl inter airport airfield aerodrome field regional municipal county city
national domestic air base airbase heliport seaplane executive memorial terminal metro
metropolitan island islands the of and de del da do di la le el les los las
"""
GENERIC = frozenset(_GENERIC_WORDS.split())
"""Words of airport names that name no place."""

_COMMON_WORDS = """
a an and any are at be by can do for from get go going has have here home i in is it its me
my no not now of off on one or out so that the then there this to today tomorrow tonight two
up us we what when where who why will with yes you your gate flight flights time next last
first morning evening night noon day week month hotel lounge seat bag bags monday tuesday
wednesday thursday friday saturday sunday january february march april may june july august
september october november december north south east west new old main central union
victoria saint san santa st fort port lake mount bay valley love hope normal best mobile
eagle orange landing arrival departure terminal flying business middle great northern southern
eastern western
"""
COMMON = frozenset(_COMMON_WORDS.split())
"""Words that are a place's name somewhere but far more often plain English."""

_TOKEN = re.compile(r"[a-z0-9']+")
CUES: tuple[tuple[Role, re.Pattern[str]], ...] = (
    (
        "from",
        re.compile(
            r"(?:\bfrom(?: at)?|\bout of|\bex|\boff|\bleav(?:e|es|ing)|\bleft|\bbetween"
            r"|\bdepart(?:s|ed|ing)?"
            r"(?: from)?)\s+(?:the\s+)?$"
        ),
    ),
    (
        "into",
        re.compile(
            r"(?:\binto|\bin to|\b(?:land(?:s|ed|ing)?|arriv(?:e|es|ed|ing)|touch(?:es)? down)"
            r"(?: (?:at|in))?|\bget(?:s|ting)? (?:me |us )?(?:in(?:to)?|to))\s+(?:the\s+)?$"
        ),
    ),
    ("to", re.compile(r"(?:\bto|\bfor|\btowards|\bbound for)\s+(?:the\s+)?$")),
    (
        "at",
        re.compile(
            r"(?:\bat|\bin|\bvia|\bthrough|\bconnecting (?:at|in|via|through)"
            r"|\bchang(?:e|ing) (?:at|in))\s+(?:the\s+)?$"
        ),
    ),
)
"""Words before a place saying what it is to the trip, checked in this order."""
_BETWEEN_GAP = re.compile(r"^\s*and\s*$")
_LEG_AFTER = re.compile(r"\s*(?:leg|sector|segment)s?\b", re.I)
"""A place named before 'leg' ('the Singapore leg'): a stop of a multi-leg flight."""
_ROUTE_GAP = re.compile(r"^\s*(?:to|-|\u2013|\u2014|->|\u2192|>|/)\s*$")


@dataclass(frozen=True, slots=True)
class Place:
    """An airport named in the text.

    Attributes:
        code: The airport's IATA code; None when the name fits several airports equally.
        role: What the place is to the trip, from the words before it or a route.
        start: Where the mention starts in the text; ``end`` where it ends.
        name: The name as matched ('london', 'LHR').
        choices: The other airports the name may mean: a metro's airports, or an ambiguous
            name's candidates.
        by_city: Whether the code was chosen only as the one airport of the city so named
            ('Porto' is OPO, not Porto Santo): the weakest rule, so other readings come first.
    """

    code: str | None
    role: Role
    start: int
    end: int
    name: str
    choices: tuple[str, ...] = ()
    by_city: bool = False


def fold(text: str) -> str:
    """Lower case without accents, curly apostrophes straightened: 'Montréal' -> 'montreal'.

    Each character folds to one, so positions in the folded text are positions in ``text``.
    """
    return "".join(_fold_char(char) for char in text.replace("\u2019", "'"))


@cache
def _fold_char(char: str) -> str:
    base = [c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)]
    lowered = (base[0] if base else char).lower()
    return lowered if len(lowered) == 1 else char


@cache
def _served() -> frozenset[str]:
    """Airports the project's reference data has scheduled traffic or connection rules at."""
    data = resources.files("flight_agent").joinpath("data")
    codes: set[str] = set()
    routes = data.joinpath("mock_routes.csv").read_text("utf-8")
    for row in csv.DictReader(routes.splitlines()):
        codes.update((row["origin"], row["destination"]))
    mct = data.joinpath("mct.csv").read_text("utf-8").splitlines()
    for row in csv.DictReader(line for line in mct if not line.startswith("#")):
        codes.update(part for part in row["airport"].split("-") if len(part) == 3)
    return frozenset(codes)


def _name_keys(name: str, city: str) -> Iterator[tuple[str, bool]]:
    """Keys an airport's name gives, each with whether it is strong (a full distinctive name)."""
    for part in re.split(r"[-/(),]", fold(name)):
        words = [w for w in _TOKEN.findall(part) if w not in GENERIC]
        if not words:
            continue
        yield " ".join(words), True
        remainder = [w for w in words if w not in city.split()]
        if remainder and remainder != words:
            yield " ".join(remainder), True
        for word in (words[0], words[-1]):
            if len(word) >= 5 and word not in COMMON:
                yield word, False


_BY_CITY: set[tuple[str, ...]] = set()
"""Airports of a name that only one of them has as its city: that one is the main one."""


@cache
def _index() -> dict[str, tuple[str, ...]]:
    """Every place name, folded, with the airports it may mean, the main one first."""
    table = airports("IATA")
    strong: defaultdict[str, list[str]] = defaultdict(list)
    weak: defaultdict[str, list[str]] = defaultdict(list)
    cities: defaultdict[str, list[str]] = defaultdict(list)
    for code, row in table.items():
        if not row["icao"]:
            continue  # private strips and heliports with a code of their own
        city = fold(row["city"] or "")
        for part in city.split(","):
            key = " ".join(_TOKEN.findall(part))
            if key and key not in COMMON:
                strong[key].append(code)
                cities[key].append(code)
        for key, is_strong in _name_keys(row["name"] or "", city):
            if key not in COMMON:
                (strong if is_strong else weak)[key].append(code)
    index = {
        key: tuple(
            _ranked(key, list(dict.fromkeys(strong.get(key, []) + weak.get(key, []))), table)
        )
        for key in set(strong) | set(weak)
    }
    for key, codes in cities.items():
        if len(set(codes)) == 1 and _tied(index[key]):
            # 'Porto' is the city of OPO; 'Porto Santo' and 'Porto Cheli' only share a word.
            rest = tuple(code for code in index[key] if code != codes[0])
            index[key] = (codes[0], *rest)
            _BY_CITY.add(index[key])
    index.update(METRO_HUBS)
    index.update({key: (code,) for key, code in AIRPORT_ALIASES.items()})
    return index


def _ranked(key: str, codes: list[str], table: Table) -> list[str]:
    """``codes`` with the main airport first; an unresolved tie keeps them all unranked."""
    if len(codes) == 1:
        return codes
    for preferred in (_served(), _international(codes, table)):
        chosen = [code for code in codes if code in preferred]
        if len(chosen) == 1:
            return chosen + [code for code in codes if code not in chosen]
        if chosen:
            codes = chosen + [code for code in codes if code not in chosen]
    return codes


def is_place_name(name: str) -> bool:
    """Whether ``name`` (folded words) names an airport or a city with one: 'singapore'."""
    return name in _index()


def is_ambiguous(codes: tuple[str, ...]) -> bool:
    """Whether a name's airports have no main one: a tie no rule broke."""
    if len(codes) < 2:
        return False
    if codes in METRO_HUBS.values() or codes in _BY_CITY:
        return False
    return _tied(codes)


def _tied(codes: tuple[str, ...]) -> bool:
    """Whether no ranking rule but the city's put the first of ``codes`` before the second."""
    if len(codes) < 2:
        return False
    table = airports("IATA")
    first, second = codes[0], codes[1]
    preferred = (_served(), _international(codes, table))
    return not any(first in chosen and second not in chosen for chosen in preferred)


def _international(codes: Sequence[str], table: Table) -> set[str]:
    return {code for code in codes if "international" in fold(table[code]["name"] or "")}


def _mentions(text: str) -> Iterator[tuple[int, int, str, tuple[str, ...]]]:
    """(start, end, name, airports) for every place name in ``text``, longest first."""
    folded = fold(text)
    tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(folded)]
    index = _index()
    position = 0
    while position < len(tokens):
        for size in (4, 3, 2, 1):
            chunk = tokens[position : position + size]
            if len(chunk) < size:
                continue
            key = " ".join(word for _, _, word in chunk)
            if size > 1 and not re.fullmatch(r"[\s'.-]*", folded[chunk[0][1] : chunk[1][0]]):
                continue
            codes = index.get(key)
            if codes and not (size == 1 and (key in COMMON or key.isdigit())):
                yield chunk[0][0], chunk[-1][1], key, codes
                position += size
                break
        else:
            position += 1


def find_places(text: str, flight_ends: Collection[int] = ()) -> list[Place]:
    """Airports named in ``text`` with a word or a route saying what they are to the trip.

    ``flight_ends`` are where the flights named in ``text`` end: an airport code right after
    one is the station that flight leaves from ('LX 40 ZRH', 'status delta 1 jfk'), as ops
    and terse messages write it.
    """
    names = list(_mentions(text))
    mentions = {
        start: (start, end, name, codes)
        for start, end, name, codes in find_codes(text)
        # 'los angeles': a city's name, not Lagos' code in lower case
        if name.isupper() or not any(s <= start < e and e > end for s, e, _, _ in names)
    }
    codes_at = set(mentions)
    for item in names:
        if not any(s <= item[0] < e for s, e, _, _ in mentions.values()):
            mentions.setdefault(item[0], item)
    found = sorted(mentions.values())
    merged: list[tuple[int, int, str, tuple[str, ...]]] = []
    for item in found:
        if (
            merged
            and re.fullmatch(r"\s*", text[merged[-1][1] : item[0]])
            and not {merged[-1][0], item[0]} <= codes_at
        ):
            # 'London Heathrow', 'Paris CDG', 'Tokyo Narita': the airport names the city's;
            # two codes side by side ('LHR JFK') are two airports
            start, _, name, _ = merged.pop()
            item = (start, item[1], f"{name} {item[2]}", item[3])
        merged.append(item)
    places: list[Place] = []
    for index, (start, end, name, codes) in enumerate(merged):
        role = _role(text, start)
        if role == "near":
            after = merged[index + 1] if index + 1 < len(merged) else None
            before = merged[index - 1] if index else None
            if after and _ROUTE_GAP.match(text[end : after[0]]):
                role = "from"
            elif before and _ROUTE_GAP.match(text[before[1] : start]):
                role = "to"
            elif before and _BETWEEN_GAP.match(text[before[1] : start]) and _between(text, before):
                role = "to"  # 'between Singapore and Hong Kong'
            elif start in codes_at and any(
                end <= start and not text[end:start].strip() for end in flight_ends
            ):
                role = "from"
            elif _LEG_AFTER.match(text, end):
                role = "at"  # 'the Singapore leg': a stop of the flight talked about
        if role == "near":
            continue
        code = None if is_ambiguous(codes) else codes[0]
        choices = codes if len(codes) > 1 else ()
        by_city = codes in _BY_CITY
        places.append(Place(code, role, start, end, name, choices, by_city))
    return places


def _between(text: str, place: tuple[int, int, str, tuple[str, ...]]) -> bool:
    return re.search(r"\bbetween\s+(?:the\s+)?$", text[: place[0]], re.I) is not None


def _role(text: str, start: int) -> Role:
    clause = re.split(r"[.!?;,\n]", fold(text[max(0, start - 40) : start]))[-1]
    return next((role for role, cue in CUES if cue.search(clause)), "near")
