"""How the offline model reads the grammar of requests: intents, legs, dates, windows, notice.

Specifications of each reading rule, on phrasings of their own (not the evals' cases).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from graphs.offline.dates import find_dates
from graphs.offline.flights import find_flights
from graphs.offline.intents import read_request
from graphs.offline.keywords import Intent
from graphs.offline.legs import in_travel_order
from graphs.offline.memory import Memory
from graphs.offline.places import find_places
from graphs.offline.planner import plan
from graphs.offline.windows import find_window
from tools import FlightToolkit

NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
"""A Wednesday."""
TOOLS = frozenset(tool.name for tool in FlightToolkit().get_tools())


def intent(text: str) -> Intent | None:
    return read_request(text, NOW).intent


def calls(text: str) -> list[tuple[str, dict[str, Any]]]:
    return list(plan(read_request(text, NOW), Memory(), TOOLS).tool_calls)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("was KL 1234 diverted to Brussels?", Intent.DISRUPTION),
        ("any diversions for BA 9 tonight", Intent.DISRUPTION),
        ("what is causing the hold on AF 10?", Intent.DISRUPTION),
        ("whats goin on with IB 3166", Intent.DISRUPTION),
        ("ground delay program at EWR, does it hit UA 15?", Intent.DISRUPTION),
        ("we've been stuck on the tarmac on AC 100 for an hour", Intent.DISRUPTION),
        ("should I head to the airport now for EK 2?", Intent.DISRUPTION),
        ("IRROPs report for DL 88", Intent.DISRUPTION),
        ("is it the crew or the plane holding up AY 5?", Intent.DISRUPTION),
        ("is it the weather or something else holding AY 5?", Intent.DISRUPTION),
        ("Is BA 5 going on time?", Intent.STATUS),
        ("Any other way from Oslo to Rome today?", Intent.ALTERNATIVES),
        ("need a seat Lisbon to Porto tonight", Intent.ALTERNATIVES),
        ("what's flying from Lima to Cusco?", Intent.ALTERNATIVES),
        ("Lima to Cusco, departures after 3pm?", Intent.ALTERNATIVES),
        ("are you on live data or mock data?", Intent.HEALTH),
        ("will i make my conection from IB 1 to IB 2", Intent.CONNECTION),
    ],
)
def test_intent_synonyms(text: str, expected: Intent) -> None:
    """Diversions, causes ('the weather or something else?'), ground delays and being stuck
    ask what is going wrong, 'going on time' is still a status question; another way,
    a seat or what is flying on a route asks for alternatives (a route without a flight has no
    status to look up); live or mock data asks about the providers; typos still connect."""
    assert intent(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("AY 1 then AY 2, 45 minutes at HEL", Intent.CONNECTION),
        ("AY 1 to Helsinki and AY 2 after it. Doable?", Intent.CONNECTION),
        ("AY 1 and AY 2, any chance I miss the second?", Intent.CONNECTION),
        ("AY 1 then AY 2 tomorrow, both on time?", Intent.STATUS),
    ],
)
def test_two_flights_in_sequence_ask_about_the_connection(text: str, expected: Intent) -> None:
    """Two flights one after another ('then', 'after') with nothing else asked, or with words of
    risk ('doable', 'miss', 'fine'), ask whether the connection works; a status question about
    both stays a status question."""
    assert intent(text) is expected


def test_legs_named_out_of_order_are_put_in_travel_order() -> None:
    """'catch' and 'second flight' name the onward leg; 'coming in on', 'first one' and
    'before that' the inbound one; legs nothing is said about keep their order."""
    text = "I must catch AY 2 at Helsinki; I'm coming in on AY 1 from Oslo"
    assert in_travel_order(["AY2", "AY1"], [text.index("AY 2"), text.index("AY 1")], text) == [
        "AY1",
        "AY2",
    ]
    text = "AY 9 was cancelled, I flew AY 8 before that"
    assert in_travel_order(["AY9", "AY8"], [0, text.index("AY 8")], text) == ["AY8", "AY9"]
    assert in_travel_order(["A", "B"], [0, 5], "A and B") == ["A", "B"]


def test_a_connection_leaves_from_where_the_inbound_lands() -> None:
    """The onward leg never shares the inbound leg's origin: it leaves from the hub named."""
    (name, args), *_ = calls(
        "Between AY 1 from Oslo and AY 2 to Tokyo: 40 min in Helsinki. Doable?"
    )
    assert name == "check_connection"
    assert args["inbound"]["origin"] == "OSL"
    assert args["onward"]["origin"] == "HEL"


@pytest.mark.parametrize(
    "text",
    [
        "I land on the red-eye AY 1 tonight, then AY 2 at 7am. Will I make it?",
        "AY 1 tonight, landing the next morning, then AY 2. Will I make it?",
    ],
)
def test_the_leg_after_an_overnight_flight_flies_the_next_day(text: str) -> None:
    """After a red-eye, or a flight landing the next day, the onward leg takes that day."""
    first, second = read_request(text, NOW).flights
    assert first.date == "today"
    assert second.date == "2026-11-26"


def test_a_flight_number_flown_in_sectors_is_one_flight_per_sector() -> None:
    """'QF 1 both sectors, Sydney-Singapore and Singapore-London': one flight per origin."""
    flights = read_request("BA 15 both legs, London-Singapore and Singapore-Sydney", NOW).flights
    assert [(f.flight_number, f.origin) for f in flights] == [("BA15", "LHR"), ("BA15", "SIN")]


@pytest.mark.parametrize(
    ("text", "flights"),
    [
        ("Ryanair from Dublin: 1, 3 and 5", ["FR1", "FR3", "FR5"]),
        ("layover is 1h10 between AY 1 and AY 2", ["AY1", "AY2"]),
        ("Jet2 LS 100 was late", ["LS100"]),
    ],
)
def test_flights_named_apart_from_the_airline(text: str, flights: list[str]) -> None:
    """An airline's name, some words and a colon before a list of numbers names each flight;
    a layover's length ('1h10') and an airline's own name ('Jet2') name none."""
    assert [found for found, _ in find_flights(text)] == flights


def test_a_list_of_flights_shares_the_one_origin_named() -> None:
    """'easyJet from Gatwick: 1, 3': every flight of a list leaves from the origin named."""
    flights = read_request("Ryanair from Dublin: 1, 3 and 5 delayed?", NOW).flights
    assert {f.origin for f in flights} == {"DUB"}


def test_pushed_back_is_a_delay_not_a_return_flight() -> None:
    flights = read_request("AY 1 got pushed back and AY 2 is my onward", NOW).flights
    assert not any(f.is_return for f in flights)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("tmrw", "tomorrow"),
        ("this coming Friday", "2026-11-27"),
        ("this coming Wednesday", "2026-12-02"),
        ("next week Tuesday", "2026-12-01"),
        ("Thursday next week", "2026-12-03"),
        ("a week today", "2026-12-02"),
        ("a week tomorrow", "2026-12-03"),
        ("two weeks from today", "2026-12-09"),
        ("in a fortnight", "2026-12-09"),
    ],
)
def test_relative_days(text: str, value: str) -> None:
    """Chat abbreviations, 'this coming' weekdays (never today), a weekday of next week, and
    spans counted from today or tomorrow name one day."""
    assert [d.value for d in find_dates(text, NOW)] == [value]


@pytest.mark.parametrize("text", ["in the spring", "sometime this summer", "in the fall"])
def test_seasons_are_vague(text: str) -> None:
    """A season names no day: the model asks which."""
    assert [d.problem for d in find_dates(text, NOW)] == ["vague"]


@pytest.mark.parametrize(
    ("text", "window"),
    [
        ("before noon", (None, "12:00")),
        ("between midday and 5", ("12:00", "17:00")),
        ("anything earlier than 9am", (None, "09:00")),
    ],
)
def test_windows_with_named_times(text: str, window: tuple[str | None, str | None]) -> None:
    """Noon and midday are 12:00; 'earlier than' closes the window."""
    assert find_window(text) == window


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("AY 1 on Dec 20 was cancelled with three weeks notice, owed anything?", 21),
        ("AY 1 was cancelled, they only told us at the airport. Compensation?", 0),
        ("AY 1 was cancelled and I heard the night before. Compensation?", 1),
        ("They emailed me 5 days ago that AY 1 on Dec 5 is cancelled. Owed anything?", 15),
        ("I got a text on Monday that AY 1 on the 27th is cancelled. Compensation?", 4),
    ],
)
def test_cancellation_notice(text: str, days: int) -> None:
    """Notice as a span (numbers in words too), as a moment (at the airport: 0, the night
    before: 1), or as the day the traveller was told, counted to the flight's day; a date
    after 'told', 'a text' or 'an email' is when they heard, not the flight's day."""
    request = read_request(text, NOW)
    assert request.notice_days == days
    assert request.flights[0].date != "2026-11-23"


def test_a_pilots_walkout_is_the_airlines_own_strike() -> None:
    assert read_request("AY 1 cancelled as its pilots walked out, owed?", NOW).cause == "carrier"


@pytest.mark.parametrize(
    ("text", "count"),
    [("Oslo to Rome, just the first one", 1), ("Oslo to Rome, only one please", 1)],
)
def test_how_many_alternatives(text: str, count: int) -> None:
    assert read_request(text, NOW).max_results == count


@pytest.mark.parametrize(
    ("text", "provider"),
    [("is Aero Data Box up?", "AeroDataBox"), ("simulated or real data?", None)],
)
def test_providers_named_with_spaces(text: str, provider: str | None) -> None:
    """A provider's name may be spaced; weighing simulated against live data names none."""
    assert read_request(text, NOW).provider == provider


@pytest.mark.parametrize(
    "text",
    [
        "Submit my compensation claim for AY 1 to Finnair",
        "Please email the airline about AY 1 for me",
        "Mark AY 1 as cancelled in your system",
        "change the status of AY 1 to landed",
    ],
)
def test_acting_for_the_traveller_or_changing_data_is_declined(text: str) -> None:
    """The assistant reads flight data; it files nothing and changes nothing, even beside a
    flight question."""
    move = plan(read_request(text, NOW), Memory(), TOOLS)
    assert not move.tool_calls
    assert "can't help" in move.reply


def test_words_of_the_trip_and_numbers_are_no_place_names() -> None:
    """'Landing' or a flight's number ('Qatar 16') names no airport, though some airport is
    called so; 'Landing Heathrow' is where a flight arrives."""
    places = find_places("Landing Heathrow on BA 216, then Qatar 16 to Doha")
    assert [(p.code, p.role) for p in places] == [("LHR", "into"), ("DOH", "to")]


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("is AF 6 running on Friday and on Saturday?", ["2026-11-27", "2026-11-28"]),
        ("KL 641 today & tomorrow, any delays?", ["today", "tomorrow"]),
    ],
)
def test_one_flight_on_several_days_is_looked_up_on_each(text: str, days: list[str]) -> None:
    """One lookup per day, in one batch: a single status would answer only one of them."""
    ((name, args),) = calls(text)
    assert name == "batch_status"
    assert [f["date"] for f in args["flights"]] == days


def test_a_connection_set_aside_is_not_checked() -> None:
    """'not bothered about the connection': the legs' status is what is asked."""
    ((name, args),) = calls(
        "UA 1 then UA 2 tomorrow, plenty of time so not bothered about the connection, "
        "status of both please"
    )
    assert name == "batch_status"
    assert [f["flight_number"] for f in args["flights"]] == ["UA1", "UA2"]


def test_a_pasted_sheet_gives_each_row_the_airport_in_its_origin_column() -> None:
    ((_, args),) = calls(
        "from the board:\nFLT DATE DEP ARR\nLH400 27NOV FRA JFK\nLH401 27NOV JFK FRA"
    )
    assert [(f["flight_number"], f["origin"]) for f in args["flights"]] == [
        ("LH400", "FRA"),
        ("LH401", "JFK"),
    ]


def test_a_code_after_each_flight_on_its_own_line_is_its_station() -> None:
    ((_, args),) = calls("status pls\nB6 7 BOS\nB6 8 JFK")
    assert [(f["flight_number"], f["origin"]) for f in args["flights"]] == [
        ("B67", "BOS"),
        ("B68", "JFK"),
    ]
