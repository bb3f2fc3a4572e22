"""An answer to the assistant's question completes the request that prompted it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage

from flight_agent.clock import FakeClock
from graphs.offline.model import OfflineChatModel
from tools import FlightToolkit

NOW = dt.datetime(2026, 12, 9, 10, 15, tzinfo=dt.UTC)
"""A Wednesday."""


def conversation(*turns: str) -> AIMessage:
    """The model's reply to the last turn, each earlier turn answered by the model itself."""
    model = OfflineChatModel(clock=FakeClock(NOW)).bind_tools(FlightToolkit().get_tools())
    messages: list[BaseMessage] = []
    reply = AIMessage("")
    for turn in turns:
        messages.append(HumanMessage(turn))
        reply = model.invoke(messages)
        messages.append(reply)
    return reply


def calls(reply: AIMessage) -> list[tuple[str, dict[str, Any]]]:
    return [(call["name"], call["args"]) for call in reply.tool_calls]


@pytest.mark.parametrize(
    ("question", "answer", "expected"),
    [
        (
            "what am I owed, my flight was cancelled",
            "LH 400 yesterday",
            [("passenger_rights", {"flights": [{"flight_number": "LH400", "date": "yesterday"}]})],
        ),
        ("why is my flight delayed?", "ek2", [("assess_disruption", {"flight_number": "EK2"})]),
        (
            "other flights to Boston tomorrow?",
            "from JFK",
            [
                (
                    "find_alternative_flights",
                    {"origin": "JFK", "destination": "BOS", "date": "tomorrow"},
                )
            ],
        ),
        (
            "other flights to Boston tomorrow?",
            "JFK",
            [
                (
                    "find_alternative_flights",
                    {"origin": "JFK", "destination": "BOS", "date": "tomorrow"},
                )
            ],
        ),
        (
            "flights from Birmingham to Dublin tomorrow",
            "BHX",
            [
                (
                    "find_alternative_flights",
                    {"origin": "BHX", "destination": "DUB", "date": "tomorrow"},
                )
            ],
        ),
    ],
)
def test_the_answer_to_a_question_carries_what_was_asked_before(
    question: str, answer: str, expected: list[tuple[str, dict[str, Any]]]
) -> None:
    """The first turn gets a question, the answer gives only what was missing."""
    assert conversation(question).tool_calls == []
    assert calls(conversation(question, answer)) == expected


def test_a_new_question_after_a_question_stands_on_its_own() -> None:
    """'why is my flight delayed?' then 'is BA 117 on time?': the new question is a status."""
    reply = conversation("why is my flight delayed?", "is BA 117 on time?")
    assert calls(reply) == [("get_flight_status", {"flight_number": "BA117"})]


def test_small_talk_after_a_question_is_not_an_answer() -> None:
    reply = conversation("why is my flight delayed?", "never mind, thanks")
    assert reply.tool_calls == []
