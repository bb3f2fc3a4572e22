"""What a traveller's message asks, read by rules: the offline model's understanding.

``read_request`` extracts only well-formed data (flight designators of known airlines,
airport codes, dates, clock times, provider names) and matches keywords for the intent. Text
that tries to instruct the assistant ("ignore previous instructions", "SYSTEM:", a tool's
name) is cut out of its clause before anything is read, so it cannot steer the model.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from flight_agent.airlines import find_airline
from flight_agent.airports import find_airport
from flight_agent.errors import InvalidFlightQueryError
from flight_agent.flight_query import FlightDesignator
from graphs.offline.dates import DateMention, find_dates, find_window

Cause = Literal["unknown", "carrier", "carrier_safety", "extraordinary"]


class Intent(StrEnum):
    """What the traveller wants done; each maps to one tool (status to one of two)."""

    STATUS = "status"
    HEALTH = "health"
    CONNECTION = "connection"
    RIGHTS = "rights"
    ALTERNATIVES = "alternatives"
    DISRUPTION = "disruption"


INTENT_PATTERNS = {
    Intent.RIGHTS: r"\bowed?\b|\bcompensat|\b(?:eu|uk|ec) ?261\b|\brefund|\bentitle|\brights\b"
    r"|\bcan i claim\b|\bclaim (?:for|compensation)\b|\bappr\b|\bdot rules?\b|\bmoney back\b",
    Intent.ALTERNATIVES: r"\balternative|\bother flights?\b|\banother flight\b|\brebook"
    r"|\bre-?rout|\bnext flights?\b|\bearlier flights?\b|\blater flights?\b"
    r"|\bflights (?:from|between)\b|\bwhat flights\b",
    Intent.CONNECTION: r"\bconnect|\blayover\b|\btransfer\b|\bmake it to my next\b",
    Intent.HEALTH: r"\bproviders?\b|\bdata sources?\b|\bfeeds?\b|\bapis?\b|\bhealth(?:y)?\b"
    r"|\bflightaware\b|\baeroapi\b|\baerodatabox\b|\baviationstack\b",
    Intent.DISRUPTION: r"\bwhy\b|\bwhat(?:'s| is) (?:happening|going on|wrong|up)\b|\bdisrupt"
    r"|\bwhat (?:should|can) i expect\b|\binbound aircraft\b|\bassess|\bhow bad\b|\bexplain\b",
    Intent.STATUS: r"\bstatus\b|\bon time\b|\bdelay|\blate\b|\bgate\b|\bterminal\b|\bland"
    r"|\bdepart|\barriv|\bleav|\btake off\b|\bcancel|\bwhen\b|\bwhere is\b|\bcheck\b"
    r"|\bhow(?:'s| is)\b|\bany news\b",
}
"""Keywords per intent, strongest first: the first that matches wins."""

OFF_TOPICS = {
    "weather forecasts": r"\bweather\b|\bforecast\b|\btemperature\b|\brain(?:ing)?\b",
    "hotel bookings": r"\bhotels?\b|\broom\b|\baccommodation\b",
    "jokes, poems or stories": r"\bjokes?\b|\bpoem\b|\bsong\b|\bstory\b|\bfunny\b",
    "restaurants and food": r"\brestaurants?\b|\brecipe\b|\bdinner\b|\bfood\b",
    "ticket sales": r"\bbuy (?:a |me )?(?:ticket|seat)"
    r"|\bbook (?:me )?(?:a |an )?(?:flight|ticket|seat)",
    "car hire and taxis": r"\bcar (?:hire|rental)\b|\brent a car\b|\btaxi\b|\buber\b",
    "visas and immigration": r"\bvisas?\b|\bpassport\b|\bimmigration\b",
    "topics outside air travel": r"\bstocks?\b|\bfootball\b|\bsoccer\b|\bcapital of\b"
    r"|\btranslate\b|\bwrite (?:me )?(?:code|an? essay)\b",
}
"""Requests the assistant declines when no flight question comes with them."""

INJECTION = re.compile(
    r"\b(?:ignore|disregard|forget|override)\b.{0,40}\b(?:instructions?|rules|prompts?|above)\b"
    r"|\b(?:system|assistant|developer)\s*:|\byou are now\b|\bnew instructions?\b"
    r"|\breveal\b.{0,30}\bprompt\b|\b(?:get_flight_status|batch_status|provider_health"
    r"|check_connection|assess_disruption|passenger_rights|find_alternative_flights)\b",
    re.I,
)
_CLAUSE_END = re.compile(r"[.!?;,\n]")

_DESIGNATOR = re.compile(
    r"\b(?P<code>[A-Za-z]{3}|[A-Za-z][A-Za-z0-9]|[0-9][A-Za-z])(?P<space> ?)(?P<number>[0-9]{1,4})"
    r"(?P<suffix>[A-Za-z]?)\b"
)
NOT_FLIGHTS = frozenset(
    {"EU261", "UK261", "EC261", "A318", "A319", "A320", "A321", "A330", "A340", "A350", "A380"}
    | {"B737", "B747", "B757", "B767", "B777", "B787"}
)
"""Tokens shaped like designators that name a regulation or an aircraft."""

ORIGIN_WORDS = ("from", "out of")
_FLIGHT_WORD = re.compile(r"\bflight(?: number)?(?: is)?:?\s*$", re.I)
_AIRPORT_AFTER = re.compile(
    r"\b(?P<word>from|to|at|in|via|through|into|out of)\s+(?P<code>[A-Z]{3,4})\b"
)
_ROUTE = re.compile(
    r"\b(?P<origin>[A-Z]{3,4})\s*(?:-|\u2013|->|\u2192|to|and)\s*(?P<destination>[A-Z]{3,4})\b"
)

PROVIDERS = {
    "flightaware": "FlightAware",
    "aeroapi": "FlightAware",
    "aerodatabox": "AeroDataBox",
    "aviationstack": "AviationStack",
    "simulated": "Simulated",
}
CAUSES: tuple[tuple[Cause, str], ...] = (
    (
        "carrier",
        r"\b(?:crew|staff|pilots?|airline) strikes?\b"
        r"|\bstrike by (?:the )?(?:crew|staff|pilots)",
    ),
    ("carrier_safety", r"\bsafety\b"),
    (
        "extraordinary",
        r"\bweather\b|\bstorm|\bsnow|\bfog\b|\bice\b|\bhurricane|\btyphoon"
        r"|\bstrikes?\b|\bair traffic control\b|\batc\b|\bvolcan|\bsecurity\b|\bbird strike",
    ),
    (
        "carrier",
        r"\btechnical\b|\bmechanical\b|\bmaintenance\b|\bcrew\b|\bstaff shortage"
        r"|\boverbook|\bit problem|\bsystem outage\b|\bairline'?s fault\b",
    ),
)
"""Cause words, first match wins: the airline's own staff on strike is not extraordinary."""
_BECAUSE = re.compile(r"\b(?:because|due to|caused by|owing to)\b")
_NOTICE = re.compile(
    r"\b(?P<days>[0-9]{1,3}) days?'?\s+(?:notice|before|in advance|ahead|earlier|prior)", re.I
)
_RETURN_WORDS = re.compile(r"\b(?:return(?:ing)?|back|home)\b", re.I)
_RETURN_FLIGHT = re.compile(
    r"\breturn(?:ing)? flight\b|\bthe return\b|\bflight (?:back|home)\b|\bway back\b"
    r"|\b(?:coming|flying|going) (?:back|home)\b",
    re.I,
)
_HOW_MANY = re.compile(r"\b(?:top|first|show(?: me)?|up to)\s+(?P<n>[0-9]{1,2})\b", re.I)


@dataclass(frozen=True, slots=True)
class FlightMention:
    """One flight as the traveller named it, with the date and origin that go with it."""

    flight_number: str
    date: str | None = None
    origin: str | None = None
    is_return: bool = False

    def args(self) -> dict[str, str]:
        """The flight as tool arguments ``{flight_number, date?, origin?}``."""
        found = {"flight_number": self.flight_number, "date": self.date, "origin": self.origin}
        return {key: value for key, value in found.items() if value is not None}


@dataclass(frozen=True)
class Request:
    """What one user message asks, as far as rules can tell."""

    intent: Intent | None = None
    flights: tuple[FlightMention, ...] = ()
    date: str | None = None
    origin: str | None = None
    destination: str | None = None
    hub: str | None = None
    provider: str | None = None
    cause: Cause = "unknown"
    notice_days: int | None = None
    window: tuple[str | None, str | None] = (None, None)
    max_results: int | None = None
    off_topic: str | None = None
    wants_return: bool = False
    ignored_instructions: bool = False


def strip_instructions(text: str) -> tuple[str, bool]:
    """``text`` without instruction-like passages (each cut to the end of its clause)."""
    kept: list[str] = []
    position = 0
    found = False
    while (match := INJECTION.search(text, position)) is not None:
        found = True
        kept.append(text[position : match.start()])
        end = _CLAUSE_END.search(text, match.end())
        position = end.end() if end else len(text)
    kept.append(text[position:])
    return "".join(kept), found


def find_flights(text: str) -> list[tuple[str, int]]:
    """Well-formed designators with their positions, normalized to the IATA form.

    A known airline's code may be lower case ('ba117') but not apart from its number in lower
    case ('at 1400' is no flight). An unknown code counts only as one upper-case token after
    the word 'flight' or with a 3-4 digit number ('XX9999'), so gates such as 'A41' do not.
    """
    found: list[tuple[str, int]] = []
    for match in _DESIGNATOR.finditer(text):
        code = match["code"]
        token = f"{code}{match['number']}{match['suffix']}".upper()
        if (match["space"] and not code.isupper()) or token in NOT_FLIGHTS:
            continue
        if find_airline(code) is None and not (
            match[0].isupper()
            and not match["space"]
            and (len(match["number"]) >= 3 or _FLIGHT_WORD.search(text, 0, match.start()))
        ):
            continue
        try:
            flight_id = FlightDesignator.parse(token).flight_id
        except InvalidFlightQueryError:
            continue
        if flight_id not in (name for name, _ in found):
            found.append((flight_id, match.start()))
    return found


def find_airports(text: str) -> list[tuple[str, str, int]]:
    """Known airport codes after a preposition: (word, code, position); 'LHR-JFK' gives two."""
    found = [
        (match["word"], match["code"], match.start("code"))
        for match in _AIRPORT_AFTER.finditer(text)
        if find_airport(match["code"]) is not None
    ]
    for match in _ROUTE.finditer(text):
        if find_airport(match["origin"]) and find_airport(match["destination"]):
            found += [
                ("from", match["origin"], match.start("origin")),
                ("to", match["destination"], match.start("destination")),
            ]
    return sorted(set(found), key=lambda item: item[2])


def read_request(text: str, today: dt.date) -> Request:
    """Read one user message (``today`` resolves dates such as 'on Friday')."""
    clean, injected = strip_instructions(text)
    lowered = clean.lower()
    dates = find_dates(clean, today)
    airports = find_airports(clean)
    flights = _assign(find_flights(clean), dates, airports, clean)
    intent = next(
        (name for name, pattern in INTENT_PATTERNS.items() if re.search(pattern, lowered)), None
    )
    off_topic = None
    if not _BECAUSE.search(lowered):  # "cancelled because of the weather" is on topic
        off_topic = next((t for t, p in OFF_TOPICS.items() if re.search(p, lowered)), None)
    by_word = {word: code for word, code, _ in airports}
    notice = _NOTICE.search(clean)
    how_many = _HOW_MANY.search(clean)
    return Request(
        intent=intent,
        flights=tuple(flights),
        date=dates[0].value if len({d.value for d in dates}) == 1 else None,
        origin=next((by_word[w] for w in ORIGIN_WORDS if w in by_word), None),
        destination=by_word.get("to") or by_word.get("into"),
        hub=by_word.get("at") or by_word.get("in") or by_word.get("via") or by_word.get("through"),
        provider=next((PROVIDERS[w] for w in PROVIDERS if w in lowered), None),
        cause=next((cause for cause, pattern in CAUSES if re.search(pattern, lowered)), "unknown"),
        notice_days=int(notice["days"]) if notice else None,
        window=find_window(clean),
        max_results=min(int(how_many["n"]), 20) if how_many else None,
        off_topic=off_topic,
        wants_return=bool(_RETURN_FLIGHT.search(clean)),
        ignored_instructions=injected,
    )


def _assign(
    flights: list[tuple[str, int]],
    dates: list[DateMention],
    airports: list[tuple[str, str, int]],
    text: str,
) -> list[FlightMention]:
    """Give each flight the date and origin written after it (before the next flight).

    One date in the whole message applies to every flight; otherwise a flight without a date
    of its own takes the one before it (a date ahead of the first flight starts the chain).
    A flight named after 'return', 'back' or 'home' in its sentence is marked as the return.
    """
    mentions: list[FlightMention] = []
    positions = [start for _, start in flights] + [len(text)]
    single = {d.value for d in dates}
    default = dates[0].value if len(single) == 1 else None
    if default is None and dates and dates[0].start < positions[0]:
        default = dates[0].value
    previous_date = default
    for index, (flight_number, start) in enumerate(flights):
        end = positions[index + 1]
        own = next((d.value for d in dates if start < d.start < end), None)
        origin = next(
            (code for word, code, at in airports if word in ORIGIN_WORDS and start < at < end),
            None,
        )
        sentence_start = max(text.rfind(mark, 0, start) for mark in ".?!\n") + 1
        is_return = bool(_RETURN_WORDS.search(text, sentence_start, start + 1))
        previous_date = own or previous_date
        mentions.append(FlightMention(flight_number, previous_date, origin, is_return))
    return mentions
