"""Follow-ups that build on the last tool call: a new onward leg, a changed search, a date."""

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
