"""Follow-ups that build on the last tool call: a new onward leg, a changed or refined search,
a date counted from the flight's, a flight named by what its status was, the same lookup again,
the cause the last status gave."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage

from flight_agent.clock import FakeClock
from graphs.offline.model import OfflineChatModel
from tools import FlightToolkit

NOW = dt.datetime(2026, 12, 9, 10, 15, tzinfo=dt.UTC)


def exchange(text: str, name: str, args: dict[str, Any], result: str) -> list[BaseMessage]:
    return [
        HumanMessage(text),
        AIMessage("", tool_calls=[{"name": name, "args": args, "id": "c1"}]),
        ToolMessage(result, tool_call_id="c1", name=name),
        AIMessage("Here it is."),
    ]


STATUS = exchange(
    "status of BA117",
    "get_flight_status",
    {"flight_number": "BA117"},
    "BA117 LHR->JFK 2026-12-09: SCHEDULED, departure 40 min late, arrival 35 min late.",
)
CONNECTION = exchange(
    "BA117 to AA100 at JFK, will I make it?",
    "check_connection",
    {"inbound": {"flight_number": "BA117"}, "onward": {"flight_number": "AA100", "origin": "JFK"}},
    "This connection is at risk.\nInbound: BA117 LHR->JFK 2026-12-09: DEPARTED\n"
    "Onward: AA100 JFK->LHR 2026-12-09: SCHEDULED",
)
SEARCH = exchange(
    "other flights LHR to JFK",
    "find_alternative_flights",
    {"origin": "LHR", "destination": "JFK"},
    "2 flights LHR->JFK:\n- AA101: departs 14:00\n- VS3: departs 16:00",
)


def next_calls(history: list[BaseMessage], text: str) -> list[tuple[str, dict[str, Any]]]:
    model = OfflineChatModel(clock=FakeClock(NOW)).bind_tools(FlightToolkit().get_tools())
    reply = model.invoke([*history, HumanMessage(text)])
    return [(call["name"], call["args"]) for call in reply.tool_calls]


def test_a_connection_named_after_a_status_pairs_it_with_the_flight_talked_about() -> None:
    assert next_calls(STATUS, "I connect to B6 518 at JFK, will I make it?") == [
        (
            "check_connection",
            {
                "inbound": {"flight_number": "BA117"},
                "onward": {"flight_number": "B6518", "origin": "JFK"},
            },
        )
    ]


def test_another_onward_flight_after_a_connection_check_replaces_the_onward_leg() -> None:
    assert next_calls(CONNECTION, "what if I take the later one, AA 102?") == [
        (
            "check_connection",
            {
                "inbound": {"flight_number": "BA117"},
                "onward": {"flight_number": "AA102", "origin": "JFK"},
            },
        )
    ]


def test_a_new_end_of_the_route_changes_the_last_search() -> None:
    assert next_calls(SEARCH, "and to Newark instead?") == [
        ("find_alternative_flights", {"origin": "LHR", "destination": "EWR"})
    ]
    assert next_calls(SEARCH, "from Gatwick instead?") == [
        ("find_alternative_flights", {"origin": "LGW", "destination": "JFK"})
    ]


def test_something_later_searches_the_route_of_the_flight_talked_about() -> None:
    assert next_calls(STATUS, "find me something later") == [
        ("find_alternative_flights", {"origin": "LHR", "destination": "JFK", "date": "2026-12-09"})
    ]


def test_shorthand_for_tomorrow_follows_up_on_the_flight() -> None:
    assert next_calls(STATUS, "how about tmrw") == [
        ("get_flight_status", {"flight_number": "BA117", "date": "2026-12-10"})
    ]


RIGHTS = exchange(
    "what am I owed for LH 400",
    "passenger_rights",
    {"flights": [{"flight_number": "LH400"}]},
    "Journey FRA->JFK:\n- EU261: EUR 600",
)
BATCH = exchange(
    "status of KL 641 and AF 1080",
    "batch_status",
    {"flights": [{"flight_number": "KL641"}, {"flight_number": "AF1080"}]},
    "1. KL641 AMS->JFK 2026-12-09: EN ROUTE, departure 8 min late\n"
    "2. AF1080 CDG->LHR 2026-12-09: CANCELLED\n2 found, 0 without an answer, 0 stale.",
)


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        ("what if it was the weather?", {"cause": "extraordinary"}),
        ("it was cancelled 5 days before", {"cancellation_notice_days": 5}),
        ("they refunded me", {"ticket_refunded": True}),
        ("I finally arrived at 23:40 on 10 December", {"final_arrival": "2026-12-10 23:40"}),
    ],
)
def test_facts_after_a_rights_answer_ask_again_with_them(text: str, facts: dict[str, Any]) -> None:
    """A turn that only adds a cause, the notice, a refund or the final arrival is a rights
    question again, though its words alone read as a status or small talk about the weather."""
    assert next_calls(RIGHTS, text) == [
        ("passenger_rights", {"flights": [{"flight_number": "LH400"}], **facts})
    ]


def test_a_flight_of_the_list_is_named_by_its_airline() -> None:
    assert next_calls(BATCH, "what am I owed for the AF one") == [
        ("passenger_rights", {"flights": [{"flight_number": "AF1080"}]})
    ]
    assert next_calls(BATCH, "and the klm one, why is it late?") == [
        ("assess_disruption", {"flight_number": "KL641"})
    ]


def test_a_flight_of_the_list_is_named_by_what_its_status_was() -> None:
    """'the cancelled one' is the flight the last results said was cancelled."""
    assert next_calls(BATCH, "whats going on with the cancelled one?") == [
        ("assess_disruption", {"flight_number": "AF1080"})
    ]
    assert next_calls(BATCH, "and the delayed one, why?") == [
        ("assess_disruption", {"flight_number": "KL641"})
    ]
    similar = exchange(
        "BA 1 and BA 117?",
        "batch_status",
        {"flights": [{"flight_number": "BA1"}, {"flight_number": "BA117"}]},
        "1. BA1 LCY->JFK: on time\n2. BA117 LHR->JFK: delayed 50 min",
    )
    assert next_calls(similar, "why is the delayed one late?") == [
        ("assess_disruption", {"flight_number": "BA117"})
    ]


@pytest.mark.parametrize("text", ["can you refresh both again", "any updates?", "check again pls"])
def test_asking_again_repeats_the_last_lookup(text: str) -> None:
    assert next_calls(BATCH, text) == [
        (
            "batch_status",
            {"flights": [{"flight_number": "KL641"}, {"flight_number": "AF1080"}]},
        )
    ]


def test_thanks_again_is_no_request_to_look_again() -> None:
    assert next_calls(BATCH, "thanks again!") == []


def test_the_day_after_is_counted_from_the_flights_day() -> None:
    saturday = exchange(
        "is EK2 on time on saturday",
        "get_flight_status",
        {"flight_number": "EK2", "date": "2026-12-12"},
        "EK2 LHR->DXB 2026-12-12: SCHEDULED, departure on time.",
    )
    assert next_calls(saturday, "and the day after?") == [
        ("get_flight_status", {"flight_number": "EK2", "date": "2026-12-13"})
    ]


def test_the_day_after_a_search_is_counted_from_the_searchs_day() -> None:
    search = exchange(
        "flights LHR to DUB on Friday",
        "find_alternative_flights",
        {"origin": "LHR", "destination": "DUB", "date": "2026-12-11"},
        "LHR->DUB 2026-12-11: EI155 10:00",
    )
    assert next_calls(search, "and the day after?") == [
        ("find_alternative_flights", {"origin": "LHR", "destination": "DUB", "date": "2026-12-12"})
    ]


def test_a_window_after_a_search_refines_that_search() -> None:
    """After a search that followed a cancelled flight, 'anything later? after 6pm' narrows the
    search, whatever the flight's own route."""
    cancelled_then_search = exchange(
        "AF1080 is cancelled, find me other flights CDG to LHR today",
        "find_alternative_flights",
        {"origin": "CDG", "destination": "LHR"},
        "CDG->LHR 2026-12-09: BA303 10:15, AF1180 12:30",
    )
    assert next_calls(cancelled_then_search, "anything later? after 6pm works better") == [
        ("find_alternative_flights", {"origin": "CDG", "destination": "LHR", "earliest": "18:00"})
    ]


def test_options_after_a_connection_check_search_from_the_connecting_airport() -> None:
    """Where the onward flight goes comes from the last results; when they do not say, only
    where to is asked, from the airport it leaves."""
    assert next_calls(CONNECTION, "so what are my options if I miss it?") == [
        ("find_alternative_flights", {"origin": "JFK", "destination": "LHR", "date": "2026-12-09"})
    ]
    unrouted = exchange(
        "will I make BA117 to AA1830 at JFK today?",
        "check_connection",
        {
            "inbound": {"flight_number": "BA117"},
            "onward": {"flight_number": "AA1830", "origin": "JFK"},
        },
        "Connection at JFK: slack 20 min, MCT 90 min: at risk.",
    )
    model = OfflineChatModel(clock=FakeClock(NOW)).bind_tools(FlightToolkit().get_tools())
    reply = model.invoke([*unrouted, HumanMessage("what can I do if I miss it?")])
    assert not reply.tool_calls
    assert "Where do you need to get to from JFK?" in reply.text


@pytest.mark.parametrize(
    ("history", "cause"),
    [
        (
            exchange(
                "hows IB 2714 today",
                "get_flight_status",
                {"flight_number": "IB2714"},
                "IB2714 MAD->BCN 2026-12-09: cancelled. Reason given: crew shortage.",
            ),
            "carrier",
        ),
        (RIGHTS, None),
    ],
)
def test_a_rights_question_takes_the_cause_the_last_status_gave(
    history: list[BaseMessage], cause: str | None
) -> None:
    """The reason a status gave is the airline's; a rights answer's explanations are not."""
    ((name, args),) = next_calls(history, "they only told me at the airport. compensation?")
    assert name == "passenger_rights"
    assert args.get("cause") == cause


def test_other_flights_after_a_cancellation_search_its_route_as_the_result_wrote_it() -> None:
    """A result that writes the route with times and no day ('ATL 09:10 -> LAX 10:55') still
    gives the cancelled flight's route."""
    history = exchange(
        "is DL 45 going?",
        "get_flight_status",
        {"flight_number": "DL45"},
        "DL45 ATL 09:10 -> LAX 10:55: CANCELLED. Source: Simulated.",
    )
    assert next_calls(history, "what other flights are there then?") == [
        ("find_alternative_flights", {"origin": "ATL", "destination": "LAX"})
    ]


def test_a_city_after_a_missed_connection_means_the_airport_booked() -> None:
    """'options to London' after a connection onward to Gatwick: Gatwick, not London's hub."""
    history = exchange(
        "AA 100 then VS 25 to London, ok?",
        "check_connection",
        {"inbound": {"flight_number": "AA100"}, "onward": {"flight_number": "VS25"}},
        "This connection will be missed.\nInbound: AA100 ORD->JFK 2026-12-09: DELAYED\n"
        "Onward: VS25 JFK->LGW 2026-12-09: SCHEDULED",
    )
    assert next_calls(history, "what are my options to London?") == [
        ("find_alternative_flights", {"origin": "JFK", "destination": "LGW", "date": "2026-12-09"})
    ]


@pytest.mark.parametrize(
    "text", ["and the Singapore leg?", "what about the London leg", "is the London leg on time?"]
)
def test_another_leg_named_by_a_stop_leaves_from_where_the_leg_seen_lands(text: str) -> None:
    """After SYD-SIN, 'the Singapore leg' and 'the London leg' are the leg from SIN."""
    history = exchange(
        "status of QF 1",
        "get_flight_status",
        {"flight_number": "QF1"},
        "QF1 SYD->SIN 2026-12-09: SCHEDULED, departure on time.",
    )
    assert next_calls(history, text) == [
        ("get_flight_status", {"flight_number": "QF1", "origin": "SIN"})
    ]
