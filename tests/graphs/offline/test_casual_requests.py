"""How the offline model reads requests typed casually: lower-case airport codes, airline brands
written as their ICAO code or misspelt, names that are also places, booking references, casual
intents, and the English words that look like codes but are none."""

from __future__ import annotations

import datetime as dt

import pytest

from graphs.offline.flights import find_flights
from graphs.offline.intents import read_request
from graphs.offline.keywords import Intent
from graphs.offline.places import find_places
from graphs.offline.words import is_plain_word

NOW = dt.datetime(2026, 12, 9, 10, 15, tzinfo=dt.UTC)
"""A Wednesday."""


def flights(text: str) -> list[str]:
    return [flight for flight, _ in find_flights(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sas 1467 osl-cph", ["SK1467"]),
        ("klm 641 status", ["KL641"]),
        ("wizz 1011 running late?", ["W61011"]),
        ("eva 31 on time?", ["BR31"]),
        ("connect to Iberia 2714 to Barcelona", ["IB2714"]),
        ("check UA 1, 2 and 3", ["UA1", "UA2", "UA3"]),
        ("BA 117 and 2 others", ["BA117"]),
        ("LH 400, 2 hours late", ["LH400"]),
    ],
)
def test_brands_as_travellers_type_them(text: str, expected: list[str]) -> None:
    """An active airline's ICAO code written apart in lower case is its brand ('sas 1467'); a
    brand is read without 'Air' ('Wizz Air' -> 'wizz'); an airline's name after 'to' with a
    flight number is that airline's flight, not a place; numbers listed after a designator are
    the same airline's, but not a count or a duration."""
    assert flights(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "it was 4 hours late",
        "for 2 people",
        "my booking ABC123",
        "PNR: XYZ789",
        "flights to Singapore 2 December",
        "saw it squawking on FR24",
    ],
)
def test_words_and_references_shaped_like_flights_are_none(text: str) -> None:
    """A plain word before a number, a booking reference, a place, a day and a flight tracker
    (FR24, Flightradar24) are no flights."""
    assert flights(text) == []


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("any other flights lhr to jfk tomorrow", [("LHR", "from"), ("JFK", "to")]),
        ("qf11 then aa 2430 at lax??", [("LAX", "at")]),
        ("ba 178 into lhr, then ba 456", [("LHR", "into")]),
        ("what's still flying from sfo to sea tonight?", [("SFO", "from"), ("SEA", "to")]),
        ("los angeles to chicago tomorrow", [("LAX", "from"), ("ORD", "to")]),
        ("any flights between Singapore and Hong Kong", [("SIN", "from"), ("HKG", "to")]),
        ("flights from NYC to LA tomorrow", [("JFK", "from"), ("LAX", "to")]),
    ],
)
def test_lower_case_airport_codes(text: str, codes: list[tuple[str, str]]) -> None:
    """Lower-case codes read like upper-case ones; a plain word ('sea') only as one end of a
    route whose other end is a code; a city's name wins over a code inside it ('los')."""
    assert [(place.code, place.role) for place in find_places(text)] == codes


@pytest.mark.parametrize(
    "text",
    ["cancelled due to fog", "I want to see the gate", "is there a bus to get there", "at all"],
)
def test_plain_words_after_a_place_word_are_no_airports(text: str) -> None:
    """'due to fog', 'to see', 'to get': English words are not the airports they spell."""
    assert find_places(text) == []


@pytest.mark.parametrize(
    ("text", "origin"),
    [
        ("status delta 1 jfk", "JFK"),
        ("LX 40 ZRH on time?", "ZRH"),
        ("ba 117 lhr jfk today", "LHR"),
        ("SQ12 sts", None),
        ("VY 8460 hit a bird on the way in", None),
    ],
)
def test_an_airport_code_right_after_a_flight_is_where_it_leaves(
    text: str, origin: str | None
) -> None:
    """Terse messages and ops write a flight with its station ('delta 1 jfk'); shorthand
    ('sts') and a place's name that is also a word ('hit') are no station."""
    assert read_request(text, NOW).origin == origin


def test_plain_words_include_chat_shorthand_and_calendar_abbreviations() -> None:
    assert all(is_plain_word(word) for word in ("pls", "eta", "dec", "fri", "the", "to", "sts"))
    assert not any(is_plain_word(word) for word in ("lhr", "jfk", "lax", "sas"))


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("whats going on with ba 117??", Intent.DISRUPTION),
        ("What's behind the delay on Icelandair 614?", Intent.DISRUPTION),
        ("is QR 8 delayed because of weather?", Intent.DISRUPTION),
        ("anything going wrong with EK 2?", Intent.DISRUPTION),
        ("is the delay on Qatar 1 because of the weather?", Intent.DISRUPTION),
        ("what's delaying QR 8?", Intent.DISRUPTION),
        ("is there a problem with EK 2?", Intent.DISRUPTION),
        ("something's wrong with my flight", Intent.DISRUPTION),
        ("landing at lax on qf 11 and then aa 2430, 2h, enough?", Intent.CONNECTION),
        ("is there a later connection from FRA to JFK?", Intent.ALTERNATIVES),
        ("which flights are there to Paris?", Intent.ALTERNATIVES),
        ("I'm stuck in Doha, need to get to London asap", Intent.ALTERNATIVES),
        ("can I make BA 1511 after my EI 154 lands at Heathrow?", Intent.CONNECTION),
        ("I got denied boarding on DL 45", Intent.RIGHTS),
        ("UA 901 delayed 4 hours, what does DOT say", Intent.RIGHTS),
        ("booked on BA 456, cancelled the day before. how much each?", Intent.RIGHTS),
        ("how much would we get for LH 400?", Intent.RIGHTS),
        ("can I get food vouchers for my delayed BA117?", Intent.RIGHTS),
        ("do they have to pay for my lunch? BA 117 is 4 hours late", Intent.RIGHTS),
        ("FR 100 on the 1st was cancelled due to staff shortage. claim?", Intent.RIGHTS),
        ("IRROPS on LH400?", Intent.DISRUPTION),
        ("what's the risk of a cancellation on SQ25 tomorrow", Intent.DISRUPTION),
        ("Any chance AA 100 gets cancelled tomorrow?", Intent.DISRUPTION),
        ("cancel risk BA117?", Intent.DISRUPTION),
        ("weather risk for AA 100 tomorrow?", Intent.DISRUPTION),
        ("EK 29 showing delayed on the board, how long realistically?", Intent.DISRUPTION),
        ("Will the late inbound make KL 1000 leave late?", Intent.DISRUPTION),
        ("is our inbound late? we're on AF 1080", Intent.DISRUPTION),
        ("late inbound BA 1, will I make BA 117 at LHR?", Intent.CONNECTION),
        ("honestly how long is BA 5 going to be late", Intent.DISRUPTION),
        ("the app says NH 7 is delayed, is it serious?", Intent.DISRUPTION),
        ("Is my AY 5 delayed enough to be a problem?", Intent.DISRUPTION),
        ("BA117 - what's up? it's been sitting at the gate", Intent.DISRUPTION),
        ("how long will the delay on DL 45 last?", Intent.DISRUPTION),
        ("is BA 117 running today?", Intent.STATUS),
        ("will LH 400 go ahead tomorrow?", Intent.STATUS),
        ("running late on SK 925?? need to catch SK 1469 in CPH", Intent.CONNECTION),
        ("can I still make it if the first leg is 40 min late?", Intent.CONNECTION),
        ("BA 117 is cancelled, what should I do now?", Intent.ALTERNATIVES),
        ("any circuit breakers open at the moment?", Intent.HEALTH),
        ("is ur flight data live or are u running on backup atm?", Intent.HEALTH),
        ("what's the failover status?", Intent.HEALTH),
        ("is there a fallback flight if BA117 is cancelled?", Intent.ALTERNATIVES),
    ],
)
def test_casual_phrasings_of_intents(text: str, intent: Intent) -> None:
    """Risk, chances, seriousness, how long a delay lasts and a late inbound aircraft ask for an
    assessment (with two flights, an inbound is the leg flown in on); whether a flight is
    running or goes ahead is its status; catching the next flight or making it is a
    connection; what to do now or a fallback flight asks for other flights; breakers,
    failover and backup data are the providers' health; 'how much each?', vouchers, a lunch
    paid for and a claim are money owed."""
    assert read_request(text, NOW).intent is intent


def test_a_number_word_says_how_many_alternatives() -> None:
    assert read_request("Two alternatives from JFK to Boston", NOW).max_results == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Untied 901 status", ["UA901"]),
        ("Luftansa 400 delayed?", ["LH400"]),
        ("Emirate 2 status", ["EK2"]),
        ("british airway 117", ["BA117"]),
        ("ryan air 1884", ["FR1884"]),
    ],
)
def test_misspelt_airline_names_before_a_number(text: str, expected: list[str]) -> None:
    """A letter or two dropped, doubled or swapped in a name still names its airline."""
    assert flights(text) == expected


@pytest.mark.parametrize(
    "text", ["travel 2 hours", "service 5", "airlines 3", "Berlin 5", "waiting 3", "terminal 5"]
)
def test_words_and_places_before_a_number_are_no_misspelt_airlines(text: str) -> None:
    """A word that is no typo ('service' is not 'Skyservice', 'travel' not 'MyTravel') or a
    city's name ('Berlin', not 'Bering') names no airline."""
    assert flights(text) == []


@pytest.mark.parametrize(
    "text",
    ["flying from Singapore on 20 Dec", "landing in Gran Canaria on 2026-12-11 at noon"],
)
def test_a_place_then_a_day_is_no_flight_of_a_misspelt_airline(text: str) -> None:
    """A name that ends with a word such as 'on' is no typo of an airline's ('Singapore on'),
    and a year at the head of a date ('2026-12-11') is no flight number."""
    assert flights(text) == []
