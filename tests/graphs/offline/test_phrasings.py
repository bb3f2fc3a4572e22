"""Readings added for the third round of dev cases, each on phrasings of its own.

Disruption worries ('should I still go to the airport?'), stated rights facts (a refund
already paid, a sick pilot, whose strike it was, a same-day cancellation at the airport or the
gate, notice as ops write it, the final arrival after a missed connection and its day),
'Airline flight number N', self-corrections, a city's own airport against places that only
share its name, 'what's up' with and without a sign of trouble, and follow-ups that refer back
('same check for ...', 'the second one', 'after that, will I make it?', 'which gate?').
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage

from graphs.offline.flights import find_flights
from graphs.offline.intents import read_request
from graphs.offline.keywords import Intent
from graphs.offline.memory import Memory, remember
from graphs.offline.places import find_places
from graphs.offline.planner import plan
from tools import FlightToolkit

NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
"""A Wednesday."""
TOOLS = frozenset(tool.name for tool in FlightToolkit().get_tools())


def calls(text: str, memory: Memory | None = None) -> list[tuple[str, dict[str, Any]]]:
    return list(plan(read_request(text, NOW), memory or Memory(), TOOLS).tool_calls)


def after(question: str, name: str, args: dict[str, Any], result: str) -> Memory:
    """The memory of one earlier turn: a question, its tool call and the result."""
    turn: list[BaseMessage] = [
        HumanMessage(question),
        AIMessage(content="", tool_calls=[{"name": name, "args": args, "id": "c1"}]),
        ToolMessage(content=result, tool_call_id="c1", name=name),
        AIMessage(content="Done."),
    ]
    return remember(turn, NOW)


@pytest.mark.parametrize(
    "text",
    [
        "is it even worth going to the airport for AZ 610?",
        "should we still drive to the airport? IB 3170 shows late",
        "will AZ 610 get worse from here",
        "could BA 5 be cancelled later on?",
        "what's the hold up on QR 1",
        "was the delay due to ATC on AY 5?",
        "AZ 610 on Friday, any signs of trouble?",
        "we're on a tarmac hold on IB 3170",
        "equipment change on BA 5, will that make it late?",
    ],
)
def test_worries_about_a_delay_ask_for_an_assessment(text: str) -> None:
    """Whether to set off, whether it will get worse or be cancelled, and what is holding a
    flight up ask what is going on, not just its status."""
    assert read_request(text, NOW).intent is Intent.DISRUPTION


@pytest.mark.parametrize(
    ("text", "refunded"),
    [
        ("Iberia refunded the fare for IB 3170 already, is there compensation too?", True),
        ("I got a full refund for FR 22, can I still claim?", True),
        ("can I get a refund for FR 22?", False),
        ("will I be refunded for FR 22?", False),
        ("have they refunded my ticket for FR 22 yet? compensation?", False),
    ],
)
def test_a_refund_already_paid_is_a_fact_not_a_question(text: str, refunded: bool) -> None:
    """A ticket the airline has refunded is passed on as ``ticket_refunded``; asking for a
    refund is not."""
    ((name, args),) = calls(text)
    assert name == "passenger_rights"
    assert args.get("ticket_refunded", False) is refunded


@pytest.mark.parametrize(
    "text",
    [
        "AZ 610 was 4 hours late, the captain was ill. compensation?",
        "compensation for TP 1 please, crew didn't turn up",
    ],
)
def test_crew_that_do_not_show_are_the_airlines_fault(text: str) -> None:
    """A sick pilot or a crew that did not turn up is the airline's own problem."""
    ((_, args),) = calls(text)
    assert args["cause"] == "carrier"


def test_a_cancellation_at_the_airport_had_no_notice() -> None:
    """Cancelled while the traveller was already at the airport or checked in: 0 days."""
    ((name, args),) = calls("TP 12 was cancelled after we had already checked in, what can we get?")
    assert name == "passenger_rights"
    assert args["cancellation_notice_days"] == 0


@pytest.mark.parametrize(
    ("text", "cause"),
    [
        ("IB 2714 diverted due to a thunderstorm, compensation?", "extraordinary"),
        ("EU261 calc pls: AY1711 CXL, cause WX", "extraordinary"),
        ("TP 1357 5 hours late, cause was an airport ground staff strike. owed?", "extraordinary"),
        ("FR 22 cancelled by a strike of air traffic controllers, compensation?", "extraordinary"),
        ("FR 22 cancelled, the airline's own pilots went on strike. compensation?", "carrier"),
        ("FR 22 cancelled, cabin crew strike, compensation?", "carrier"),
        ("FR 22 cancelled as Ryanair's pilots were on strike, compensation?", "carrier"),
        ("TP 1357 4h late, the airport's security staff were striking. owed?", "extraordinary"),
    ],
)
def test_the_weather_and_whose_strike_it_was_decide_the_cause(text: str, cause: str) -> None:
    """A thunderstorm or 'WX' is weather; a strike by the airport's staff or air traffic
    control is beyond the airline's control, its own crew's strike is not."""
    ((_, args),) = calls(text)
    assert args["cause"] == cause


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("WS 3 today cancelled at the gate for safety reasons, what am I owed", 0),
        ("UA 837 SFO-NRT cxl same day, ATC, entitlement?", 0),
        ("EU261 calc pls: AY1711 CXL, notice 3d", 3),
        ("EU261: AY1711 cxl, notice 2w", 14),
    ],
)
def test_notice_as_ops_write_it_and_a_cancellation_at_the_gate(text: str, days: int) -> None:
    """'cancelled at the gate', 'cxl same day': no notice; 'notice 3d': three days."""
    ((_, args),) = calls(text)
    assert args["cancellation_notice_days"] == days


def test_the_day_of_the_final_arrival_is_no_legs_day() -> None:
    """Legs all flown on one day keep it, though the trip arrived the next."""
    ((_, args),) = calls(
        "Itinerary all on 20 Nov: BA 1440 EDI-LHR, BA 117 LHR-JFK, AA 1830 JFK-BOS. BA1440 was "
        "cancelled, they rerouted me and I got into Boston 21 Nov 01:15. What do I get?"
    )
    assert [f["date"] for f in args["flights"]] == ["2026-11-20"] * 3
    assert args["final_arrival"] == "2026-11-21 01:15"


def test_the_arrival_a_rerouting_now_promises_is_the_final_arrival() -> None:
    ((_, args),) = calls(
        "LH 903 LHR-FRA then LH 400 FRA-JFK today, missed the onward, now due into JFK at 22:05 "
        "tonight. what are they owed?"
    )
    assert args["final_arrival"] == "2026-11-25 22:05"


def test_what_the_airline_will_give_asks_about_rights() -> None:
    assert read_request("IB 3170 cancelled, will Iberia give us anything?", NOW).intent == (
        Intent.RIGHTS
    )


def test_a_flight_named_before_back_is_the_return() -> None:
    request = read_request("flying VS3 out on the 28th and VS4 back on the 5th. how's VS3?", NOW)
    assert [(f.flight_number, f.is_return) for f in request.flights] == [
        ("VS3", False),
        ("VS4", True),
    ]


@pytest.mark.parametrize(
    ("text", "tool"),
    [
        ("hey whats up with klm 641", "get_flight_status"),
        ("SQ 22 seems stuck, what's up?", "assess_disruption"),
        ("what's up with my flight AF 6? it's 3 hours late", "assess_disruption"),
        ("KL 641 - what's up?", "assess_disruption"),
    ],
)
def test_whats_up_asks_what_is_wrong_only_with_a_sign_of_trouble(text: str, tool: str) -> None:
    """'what's up with KL 641' asks how it is doing; stuck or late, or 'what's up?' alone after
    a flight, it asks what is going on."""
    ((name, _),) = calls(text)
    assert name == tool


def test_two_flights_offered_as_a_choice_are_looked_up_not_connected() -> None:
    ((name, _),) = calls("BA 117 or AA 100, which one can I catch to New York today?")
    assert name == "batch_status"


def test_a_vague_span_beside_an_exact_day_is_only_background() -> None:
    """'last week' asks which day only when no day is given."""
    ((_, args),) = calls("my flight last week was cancelled, LH 400 on 20 November. owed?")
    assert args["flights"] == [{"flight_number": "LH400", "date": "2026-11-20"}]
    assert calls("LH 400 was cancelled last week. owed?") == []


def test_the_final_arrival_after_a_missed_connection() -> None:
    """'only got to X on <day> at HH:MM' is the final arrival; the legs before the first date
    in their sentence fly that day."""
    ((_, args),) = calls(
        "I had AF 1 then AF 300 to Nice on 20 November. Missed the second, eventually arrived in "
        "Nice on 21 November at 09:45. compensation?"
    )
    assert args["final_arrival"] == "2026-11-21 09:45"
    assert [f["date"] for f in args["flights"]] == ["2026-11-20", "2026-11-20"]


@pytest.mark.parametrize(
    ("text", "flight"),
    [
        ("Lufthansa flight number 400 on time?", "LH400"),
        ("LH flight 400 on time?", "LH400"),
        ("DLH flight no. 400 status", "LH400"),
        ("Finnair flight #5 status", "AY5"),
    ],
)
def test_an_airline_then_flight_number(text: str, flight: str) -> None:
    """An airline's code or name, the word 'flight' (and 'number'), then the number."""
    assert [name for name, _ in find_flights(text)] == [flight]


def test_a_flight_word_after_a_lower_case_word_is_no_flight() -> None:
    assert find_flights("the flight 5 minutes ago") == []


@pytest.mark.parametrize(
    "text",
    [
        "status of AZ 610, sorry I mean AZ 611",
        "AZ 610 - no, sorry, AZ 611 - status please",
        "is AZ 610, make that AZ 611, on time?",
    ],
)
def test_a_corrected_flight_replaces_the_one_before(text: str) -> None:
    """The flight named after 'sorry, I mean', 'no, sorry' or 'make that' is the one meant."""
    assert [f.flight_number for f in read_request(text, NOW).flights] == ["AZ611"]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("flights from Lisbon to Porto", "OPO"),
        ("flights from Dublin to Manchester", "MAN"),
        ("flights from Heathrow to Copenhagen", "CPH"),
        ("flights from Boston to Reagan National", "DCA"),
        ("flights from Boston to Washington Dulles", "IAD"),
    ],
)
def test_a_city_means_its_own_airport(text: str, code: str) -> None:
    """A name that is the city of one airport and only a word in others' names means that
    city's airport; well-known airport names stand for their codes."""
    assert find_places(text)[-1].code == code


def test_an_airline_named_like_a_town_is_no_origin() -> None:
    """'a refund from Delta' names the airline, not the town of Delta's airport."""
    assert read_request("can I get a refund from Delta for DL 5?", NOW).origin is None


def test_a_different_flight_asks_for_alternatives() -> None:
    assert read_request("need a different flight to Boston tonight", NOW).intent is (
        Intent.ALTERNATIVES
    )


STATUS_LINE = (
    "AZ610 FCO->JFK 2026-11-25: SCHEDULED, departure on time, arrival on time.\n"
    "Dep FCO sched 10:10 CET (09:10Z) [3 gate E12].\nSource Simulated, data 0 s old."
)


def test_same_check_for_another_flight_repeats_the_intent() -> None:
    memory = after("why is AZ 610 late", "assess_disruption", {"flight_number": "AZ610"}, "x")
    ((name, args),) = calls("could you do the same for AZ 611, please check", memory)
    assert (name, args["flight_number"]) == ("assess_disruption", "AZ611")


def test_the_second_one_picks_a_flight_of_the_earlier_list() -> None:
    memory = after(
        "AZ 610 and AZ 611?",
        "batch_status",
        {"flights": [{"flight_number": "AZ610"}, {"flight_number": "AZ611"}]},
        "x",
    )
    ((name, args),) = calls("what about the second one tomorrow?", memory)
    assert (name, args["flight_number"], args["date"]) == (
        "get_flight_status",
        "AZ611",
        "tomorrow",
    )


def test_a_new_flight_after_that_is_the_onward_leg() -> None:
    memory = after("AZ 610 status", "get_flight_status", {"flight_number": "AZ610"}, STATUS_LINE)
    ((name, args),) = calls("I'm on DL 5 from JFK, can I still make it?", memory)
    assert name == "check_connection"
    assert args["inbound"]["flight_number"] == "AZ610"
    assert args["onward"]["flight_number"] == "DL5"


def test_another_flight_after_then_is_a_new_question() -> None:
    """'ok then, and DL 5?' asks about DL 5 alone, not whether it connects."""
    memory = after("AZ 610 status", "get_flight_status", {"flight_number": "AZ610"}, STATUS_LINE)
    ((name, _),) = calls("ok then, and DL 5?", memory)
    assert name == "get_flight_status"


@pytest.mark.parametrize(
    ("text", "looks_up"), [("what gate is it at?", False), ("has the gate changed?", True)]
)
def test_which_gate_is_answered_from_the_last_status(text: str, looks_up: bool) -> None:
    """The gate the last status gave answers 'what gate?'; whether it changed needs a look."""
    memory = after("AZ 610 status", "get_flight_status", {"flight_number": "AZ610"}, STATUS_LINE)
    move = plan(read_request(text, NOW), memory, TOOLS)
    assert bool(move.tool_calls) is looks_up
