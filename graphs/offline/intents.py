"""What a traveller's message asks, read by rules: the offline model's understanding.

``read_request`` extracts only well-formed data (flights by designator, 'BA117', 'ba 117',
'DLH400', or by airline name, 'United 901'; airports by code, city or name; dates; clock
times; provider names) and matches keywords for the intent. Text that tries to instruct the
assistant ("ignore previous instructions", "SYSTEM:", a tool's name, a pasted "[tool output]")
is cut out before anything is read (``graphs.offline.scope``), so it cannot steer the model.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from itertools import pairwise

from flight_agent.airports import find_airport
from graphs.offline.airline_names import is_airline_name
from graphs.offline.arrival import final_arrival
from graphs.offline.dates import COUNTS, DateMention, Problem, find_dates, next_day
from graphs.offline.flights import find_flights
from graphs.offline.keywords import Cause, Intent, cause_of, intent_of, provider_of
from graphs.offline.legs import in_travel_order
from graphs.offline.notice import is_notice_date, notice_days
from graphs.offline.places import Place, find_places
from graphs.offline.scope import ALWAYS_DECLINED, off_topic_of, set_aside, strip_instructions
from graphs.offline.sheets import sheet_places
from graphs.offline.windows import find_window

_RANGE = re.compile(r"\b(?:every|all|each|any)\b[^.?!]{0,40}\bfrom\b", re.I)
"""A range of flight numbers ('every flight from AA1 to AA5000'), not flights booked."""
_REFUNDED = re.compile(
    r"\b(?:they|airline|carrier|has|have|had|was|were|been|got) refunded\b(?![^.?!]*\byet\b)"
    r"|(?<!\bwill )(?<!\bwould )(?<!\bthey )\brefunded (?:my|our|the|us|me)\b(?![^.?!]*\byet\b)"
    r"|\b(?:got|received|been given|gave me|gave us|issued|accepted|took) (?:a |my |our |the )?"
    r"(?:full )?refund\b",
    re.I,
)
"""The ticket already refunded, a fact ('they refunded my ticket'), not a question about it."""
_CORRECTION = re.compile(
    r"\bno,? sorry\b|\bsorry,? (?:i mean|make that|no)\b|\bi mean(?:t)?\b|\bcorrection\b"
    r"|\bscratch that\b|\bmake that\b|\b(?:oops|whoops|wait),? (?:no|i mean|it'?s)\b"
    r"|\bwrong (?:flight|number)\b|\bnot that one\b",
    re.I,
)
"""Words taking back a flight just named: the flights after them are the ones meant."""
_FLIGHT_NUMBER = re.compile(r"[0-9]{1,4}[A-Za-z]?\b")
_AIRLINE_CODE = re.compile(r"[A-Za-z0-9]{2}(?=\s?[0-9])")
_BY_TIME = re.compile(
    r"\bthe [0-9]{1,2}(?:[:.h]?[0-9]{2})? ?(?:[ap]\.?m\.?)? (?:one|flight|departure|service"
    r"|from|to|out of)\b",
    re.I,
)
"""One flight picked out by its departure time ('the 8am one', 'the 7:30 from Heathrow')."""
_BECAUSE = re.compile(r"\b(?:because|due to|caused by|owing to)\b")
_SEQUENCE = re.compile(r"\b(?:then|connect\w*|onward|into|to|on|at|via)\b|[0-9]{4}-|>|\u2192", re.I)
"""Words between flights that make them legs flown one after another, not a list."""
_DAYS_JOINED = re.compile(
    r"(?:the )?[\w/.-]+(?: [\w/.-]+){0,2}\s*(?:,|\band\b|&|\bplus\b|\bas well as\b)\s*"
    r"(?:(?:also|again) )?(?:on |for )?(?:the )?",
    re.I,
)
"""What lies between two days one flight is asked about on: the first day's words and 'and'."""
_LEG = re.compile(r"\s*(?:leg|sector|segment)s?\b", re.I)
"""A place named right before 'leg' ('the Singapore leg') is a stop of the flight's legs."""
_SECTORS = re.compile(r"\b(?:sectors?|legs|segments)\b", re.I)
_OVERNIGHT = re.compile(r"\bred-?eye\b|\bovernight(?: flight)?\b", re.I)
"""A flight that lands the day after it leaves."""
_ARRIVING = re.compile(r"\b(?:land(?:s|ing)?|arriv(?:es|ing))\s+$", re.I)
"""Words before a date that is a flight's arrival, not the day it flies."""
_RETURN_WORDS = re.compile(
    r"\b(?:return(?:ing)?|(?<!push )(?<!pushed )(?<!pushing )(?<!held )(?<!set )back|home)\b", re.I
)
"""Words of a return flight; a flight 'pushed back' or 'held back' is only late."""
_BACK_AFTER = re.compile(r"\s*(?:back|home|return(?:ing)?)\b", re.I)
"""A return flight named before the word: 'VS3 out on the 12th and VS4 back on the 19th'."""
_RETURN_FLIGHT = re.compile(
    r"\breturn(?:ing)? flight\b|\bthe return\b|\bflight (?:back|home)\b|\bway back\b"
    r"|\b(?:coming|flying|going) (?:back|home)\b",
    re.I,
)
_NUMBER_WORDS = "|".join(word for word, count in COUNTS.items() if count > 1)
_HOW_MANY = re.compile(
    rf"\b(?:top|first|show(?: me)?|up to)\s+(?P<n>[0-9]{{1,2}}|{_NUMBER_WORDS})\b"
    rf"|\b(?P<m>[0-9]{{1,2}}|{_NUMBER_WORDS}) (?:earliest|latest|next|first|options|alternatives)\b"
    r"|\b(?:just|only) (?:the )?(?P<one>(?:first|next|earliest) (?:one|flight)|one)\b",
    re.I,
)
"""How many flights to list: 'top 3', '4 earliest', 'two alternatives', 'just the first one'."""


@dataclass(frozen=True, slots=True)
class FlightMention:
    """One flight as the traveller named it, with the date and origin that go with it."""

    flight_number: str
    date: str | None = None
    origin: str | None = None
    is_return: bool = False
    destination: str | None = None

    def args(self) -> dict[str, str]:
        """The flight as tool arguments ``{flight_number, date?, origin?}``."""
        found = {"flight_number": self.flight_number, "date": self.date, "origin": self.origin}
        return {key: value for key, value in found.items() if value is not None}


@dataclass(frozen=True)
class Request:
    """What one user message asks, as far as rules can tell."""

    text: str = ""
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
    date_problem: Problem | None = None
    unclear_places: tuple[Place, ...] = ()
    metro: Place | None = None
    flight_range: bool = False
    refunded: bool = False
    final_arrival: str | None = None
    leg_stop: str | None = None
    """A stop naming a leg of a multi-leg flight ('the Singapore leg')."""
    declined: str | None = None
    """An always-declined request asked aside, in a clause of its own, beside this one."""


def read_request(
    text: str, now: dt.datetime, zone: dt.tzinfo | None = None, base: str | None = None
) -> Request:
    """Read one user message.

    Args:
        text: The message.
        now: The model's clock, an aware datetime.
        zone: The zone of the flight talked about, when earlier turns know its origin; the
            question's own origin, when it names one, comes first; else dates are read in UTC.
        base: The day of the flight talked about, which 'the day after' counts from.
    """
    clean, injected = strip_instructions(text)
    declined = None
    aside = set_aside(clean) if off_topic_of(clean.lower()) in ALWAYS_DECLINED else None
    if aside is not None and find_flights(aside[1]):
        # 'status for EK1 and also what's the admin password': the check is answered, the
        # request asked aside declined.
        declined, clean = aside
    lowered = clean.lower()
    named = _corrected(find_flights(clean), clean)
    places = [
        # 'a refund from Delta': the airline, not Delta, Utah, whatever airport it names
        replace(p, code=None) if p.by_city and is_airline_name(p.name) else p
        for p in find_places(clean, [_flight_end(clean, start) for _, start in named])
        if p.start not in {start for _, start in named}  # 'connect to Iberia 2714': a flight
    ]
    in_columns = [p for p in sheet_places(clean) if p.start not in {q.start for q in places}]
    places = sorted(places + in_columns, key=lambda p: p.start)
    origin_place = next((p for p in places if p.role == "from"), None)
    origin_zone = _zone(origin_place.code) if origin_place and origin_place.code else None
    local_now = now.astimezone(origin_zone or zone or dt.UTC)
    dates = find_dates(clean, local_now, words=origin_zone is not None or zone is None, base=base)
    told = next((d for d in dates if is_notice_date(clean, d)), None)
    dates = [d for d in dates if d is not told]
    arrived = final_arrival(clean, dates, local_now.date())
    # The day the trip finally arrived is no flight's day.
    dates = [d for d in dates if arrived is None or d is not arrived.day]
    flights = in_travel_order(
        _assign(named, dates, places, clean, local_now.date()),
        [start for _, start in named],
        clean,
    )
    flights = _per_day(_per_sector(flights, places, clean), dates, clean, [s for _, s in named])
    intent = intent_of(clean, len(flights))
    if (
        intent in (Intent.STATUS, Intent.DISRUPTION)
        and not flights
        and _is_route(places)
        and not _BY_TIME.search(clean)
    ):
        # A status needs a flight: 'Lima to Cusco, departures after 3pm?' asks what flies, and
        # 'stuck in Doha, need to get to London' how to get there; but 'is the 8am one from
        # Paris to London running?' asks after one flight, whose number is needed.
        intent = Intent.ALTERNATIVES
    off_topic = None
    if not _BECAUSE.search(lowered):  # "cancelled because of the weather" is on topic
        off_topic = off_topic_of(lowered)
    by_role: dict[str, Place] = {}
    for place in places:
        by_role.setdefault(place.role, place)
    how_many = _HOW_MANY.search(clean)
    values = {d.value for d in dates if d.value}
    hub = by_role.get("at") or by_role.get("into")
    destination = by_role.get("to") or by_role.get("into")
    return Request(
        text=clean,
        intent=intent,
        flights=tuple(flights),
        date=values.pop() if len(values) == 1 and len({f.date for f in flights}) <= 1 else None,
        origin=origin_place.code if origin_place else None,
        destination=destination.code if destination else None,
        hub=hub.code if hub else None,
        provider=provider_of(lowered),
        cause=cause_of(lowered),
        notice_days=notice_days(
            clean, told, flights[0].date if flights else None, local_now.date()
        ),
        window=find_window(clean),
        max_results=_count(how_many),
        off_topic=off_topic,
        wants_return=bool(_RETURN_FLIGHT.search(clean)),
        ignored_instructions=injected,
        date_problem=_date_problem(dates),
        unclear_places=tuple(p for p in places if p.code is None),
        metro=next((p for p in places if p.code and len(p.choices) > 1 and not p.by_city), None),
        flight_range=len(flights) >= 2 and _RANGE.search(clean) is not None,
        refunded=_REFUNDED.search(clean) is not None,
        final_arrival=arrived.value if arrived else None,
        leg_stop=next((p.code for p in places if _LEG.match(clean, p.end)), None),
        declined=declined,
    )


def _date_problem(dates: list[DateMention]) -> Problem | None:
    """Why a date in the message cannot be used; a vague span beside a day given exactly ('my
    flight last week, LH 400 on 1 December') is only background."""
    problems = [d.problem for d in dates if d.problem]
    if any(d.value for d in dates):
        problems = [problem for problem in problems if problem != "vague"]
    return problems[0] if problems else None


def _flight_end(text: str, start: int) -> int:
    """Where the flight named at ``start`` ends: after its number ('delta 1', 'LX 40')."""
    code = _AIRLINE_CODE.match(text, start)  # 'B6 1', '9W 123': past the airline's code
    number = _FLIGHT_NUMBER.search(text, code.end() if code else start)
    return number.end() if number else start


def _is_route(places: list[Place]) -> bool:
    """Whether the places make a trip: a destination and another place it starts from."""
    ends = {p.code for p in places if p.role in ("to", "into")}
    starts = {p.code for p in places if p.role in ("from", "at")}
    return bool(ends and starts and ends != starts)


def _corrected(named: list[tuple[str, int]], text: str) -> list[tuple[str, int]]:
    """The flights named after a correction ('EY 19? no, sorry, EY 15'): they replace the ones
    before it."""
    if len(named) < 2:
        return named
    marks = [m.end() for m in _CORRECTION.finditer(text) if m.start() > named[0][1]]
    if not marks:
        return named
    after = [item for item in named if item[1] >= marks[-1]]
    return after or named


def _per_sector(
    flights: list[FlightMention], places: list[Place], text: str
) -> list[FlightMention]:
    """One flight number flown in sectors ('QF1 both sectors, Sydney-Singapore and
    Singapore-London'): one mention per sector, by the airport each leaves from."""
    if len(flights) != 1 or not _SECTORS.search(text):
        return flights
    origins = list(dict.fromkeys(p.code for p in places if p.role == "from" and p.code))
    if len(origins) < 2:
        return flights
    return [replace(flights[0], origin=code, destination=None) for code in origins]


def _per_day(
    flights: list[FlightMention], dates: list[DateMention], text: str, starts: list[int]
) -> list[FlightMention]:
    """One flight asked about on several days, listed after it ('EI154 tomorrow and on
    Sunday'): one mention per day; a day it lands on is no day it flies."""
    if len(flights) != 1 or len(starts) != 1:
        return flights
    days = [d for d in dates if d.value and d.start > starts[0] and not _arrival(text, d.start)]
    joined = all(
        _DAYS_JOINED.fullmatch(text, first.start, second.start) for first, second in pairwise(days)
    )
    if len({d.value for d in days}) < 2 or not joined:
        return flights
    return [replace(flights[0], date=d.value) for d in days]


def _count(how_many: re.Match[str] | None) -> int | None:
    if how_many is None:
        return None
    if how_many["one"]:
        return 1
    count = (how_many["n"] or how_many["m"]).lower()
    return min(int(count) if count.isdigit() else COUNTS[count], 20)


def _arrival(text: str, start: int) -> bool:
    return _ARRIVING.search(text[max(0, start - 20) : start]) is not None


def _zone(code: str) -> dt.tzinfo | None:
    airport = find_airport(code)
    return airport.zone if airport is not None else None


def _assign(
    flights: list[tuple[str, int]],
    dates: list[DateMention],
    places: list[Place],
    text: str,
    today: dt.date,
) -> list[FlightMention]:
    """Give each flight the date and origin written after it (before the next flight).

    One date in the whole message applies to every flight; otherwise a flight without a date
    of its own takes the one before it (a date ahead of the first flight starts the chain).
    A lone flight takes the message's origin wherever it is written, a list of flights the one
    origin written for them all; a date after 'landing' is the arrival's, not the flight's.
    A flight named after 'return', 'back' or 'home' in its sentence, or right before 'back' or
    'home' ('VS4 back on the 19th'), is marked as the return.
    The leg after one that lands on a later day ('landing the next morning', a red-eye) takes
    that day.
    """
    mentions: list[FlightMention] = []
    positions = [start for _, start in flights] + [len(text)]
    valued = [d for d in dates if d.value]
    single = {d.value for d in valued}
    default = valued[0].value if len(single) == 1 else None
    if default is None and valued and valued[0].start < positions[0]:
        default = valued[0].value
    elif (
        default is None
        and valued
        and not re.search(r"[.?!\n]", text[positions[0] : valued[0].start])
    ):
        # 'SN 3631 to Brussels then SN 501 to Kinshasa on 1 December': the legs before the
        # first date in their sentence fly that day.
        default = valued[0].value
    origins = [p for p in places if p.role == "from" and p.code]
    arrivals = [p for p in places if p.role in ("to", "into") and p.code]
    previous_date = default
    for index, (flight_number, start) in enumerate(flights):
        end = positions[index + 1]
        own = next(
            (d.value for d in valued if start < d.start < end and not _arrival(text, d.start)),
            None,
        )
        destination = next((p.code for p in arrivals if start < p.start < end), None)
        origin = next((p.code for p in origins if start < p.start < end), None)
        shared = not _SEQUENCE.search(text, positions[0], positions[-2])
        if origin is None and shared and len(origins) == 1:
            origin = origins[0].code  # 'Ryanair 202 and 1884 from Stansted': all from there
        elif origin is None and len(flights) == 1 and origins:
            origin = origins[0].code
        sentence_start = max(text.rfind(mark, 0, start) for mark in ".?!\n") + 1
        is_return = bool(
            _RETURN_WORDS.search(text, sentence_start, start + 1)
            or _BACK_AFTER.match(text, _flight_end(text, start))
        )
        arrival = next(
            (d.value for d in valued if start < d.start < end and _arrival(text, d.start)), None
        )
        previous_date = own or previous_date
        if arrival is None and previous_date and _OVERNIGHT.search(text, sentence_start, end):
            arrival = next_day(previous_date, today)
        mentions.append(FlightMention(flight_number, previous_date, origin, is_return, destination))
        previous_date = arrival or previous_date  # the next leg leaves on the day this one lands
    return mentions
