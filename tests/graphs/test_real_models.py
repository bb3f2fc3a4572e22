"""Both graphs driven by real LangChain chat model classes over their providers' wire formats.

``ChatOpenAI`` and ``ChatAnthropic`` talk to ``evals.scripted_api.ScriptedChatServer`` on
loopback, which answers from a script and rejects, as the real APIs do, any request whose
conversation is invalid (an unanswered tool call, a first message that is not the user's).
Every test asserts the server rejected nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, HumanMessage, ToolMessage
from langgraph.types import Command

from evals.scripted_api import ChatRequest, ScriptedChatServer, ScriptedReply, call, reply
from flight_agent.clock import FakeClock
from flight_agent.providers import MockFlightDataProvider
from graphs import build_chat_agent, build_irops_graph, memory_checkpointer
from graphs.chat_agent import CHAT_BUDGET, CHAT_FALLBACK
from graphs.irops_graph import IROPS_BUDGET
from tests.graphs.conftest import simulated_service

NOW = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)
APIS = ["openai", "anthropic"]


@pytest.fixture(params=APIS)
def api(request: pytest.FixtureRequest) -> str:
    """Each provider's chat model class (ChatAnthropic when its package is installed)."""
    if request.param == "anthropic":
        pytest.importorskip("langchain_anthropic")
    return str(request.param)


def model_for(server: ScriptedChatServer, api: str, **kwargs: Any) -> BaseChatModel:
    return server.openai_model(**kwargs) if api == "openai" else server.anthropic_model(**kwargs)


def thread(name: str) -> dict[str, Any]:
    return {"configurable": {"thread_id": name}}


def ask(agent: Any, question: str, config: dict[str, Any] | None = None) -> list[Any]:
    result = agent.invoke({"messages": [HumanMessage(content=question)]}, config)
    return list(result["messages"])


def answered_ids(messages: list[Any]) -> list[str]:
    return [m.tool_call_id for m in messages if isinstance(m, ToolMessage)]


def called_ids(messages: list[Any]) -> list[str]:
    return [
        str(c["id"])
        for m in messages
        if isinstance(m, AIMessage)
        for c in [*m.tool_calls, *m.invalid_tool_calls]
    ]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOW)


@pytest.fixture
def served() -> Iterator[list[ScriptedChatServer]]:
    """Servers started by a test, closed after it."""
    servers: list[ScriptedChatServer] = []
    yield servers
    for server in servers:
        server.close()


def start(served: list[ScriptedChatServer], *script: ScriptedReply | str) -> ScriptedChatServer:
    server = ScriptedChatServer(list(script)).start()
    served.append(server)
    return server


def start_with(served: list[ScriptedChatServer], script: Any) -> ScriptedChatServer:
    server = ScriptedChatServer(script).start()
    served.append(server)
    return server


# --- the chat agent ---------------------------------------------------------------------


def test_parallel_calls_each_get_their_answer(
    api: str, served: list[ScriptedChatServer], clock: FakeClock
) -> None:
    """Two calls in one reply run, each answered by its own tool message, then the answer."""
    server = start(
        served,
        reply(
            "",
            call("get_flight_status", {"flight_number": "BA117"}),
            call("get_flight_status", {"flight_number": "LH400"}),
        ),
        "BA117 and LH400 are both scheduled.",
    )
    agent = build_chat_agent(
        model_for(server, api), service=simulated_service(clock=clock), clock=clock
    )
    messages = ask(agent, "How are BA117 and LH400?")
    assert sorted(answered_ids(messages)) == sorted(called_ids(messages))
    assert len(answered_ids(messages)) == 2
    assert all(m.status == "success" for m in messages if isinstance(m, ToolMessage))
    assert messages[-1].text == "BA117 and LH400 are both scheduled."
    assert server.rejections == []


def test_arguments_that_are_not_json_get_an_error_the_model_can_act_on(
    api: str, served: list[ScriptedChatServer], clock: FakeClock
) -> None:
    """Unparseable arguments: the call is answered with an error; the next turn stays valid."""
    server = start(
        served,
        reply("", call("get_flight_status", '{"flight_number": BA117}')),
        reply("", call("get_flight_status", {"flight_number": "BA117"})),
        "BA117 is scheduled.",
        "You're welcome.",
    )
    # Streaming is the only way Anthropic's API delivers unparseable tool input.
    agent = build_chat_agent(
        model_for(server, api, streaming=True),
        service=simulated_service(clock=clock),
        clock=clock,
        checkpointer=memory_checkpointer(),
    )
    messages = ask(agent, "status of BA117?", thread("json"))
    first = messages[1]
    assert isinstance(first, AIMessage)
    assert first.invalid_tool_calls
    error = messages[2]
    assert isinstance(error, ToolMessage)
    assert error.status == "error"
    assert "not a valid JSON object" in error.text
    assert messages[-1].text == "BA117 is scheduled."
    assert ask(agent, "thanks", thread("json"))[-1].text == "You're welcome."
    assert "not a valid JSON object" in str(server.requests[1].messages)
    assert server.rejections == []


def test_wrong_types_and_unknown_tools_are_answered_with_errors(
    api: str, served: list[ScriptedChatServer], clock: FakeClock
) -> None:
    """A flight number of the wrong type and a tool that does not exist: both answered."""
    server = start(
        served,
        reply(
            "",
            call("get_flight_status", {"flight_number": 117}),
            call("book_hotel", {"city": "Boston"}),
        ),
        "I can only look up flights; which flight do you mean?",
    )
    agent = build_chat_agent(
        model_for(server, api), service=simulated_service(clock=clock), clock=clock
    )
    messages = ask(agent, "status of 117 and a hotel please")
    errors = [m for m in messages if isinstance(m, ToolMessage)]
    assert [m.status for m in errors] == ["error", "error"]
    assert "flight_number" in errors[0].text
    assert "book_hotel is not a valid tool" in errors[1].text
    assert messages[-1].text.startswith("I can only look up flights")
    assert server.rejections == []


def test_a_model_that_never_stops_calling_tools_is_bounded(
    api: str, served: list[ScriptedChatServer], clock: FakeClock
) -> None:
    """Tools are offered for the budget's rounds, later calls are refused, a fixed text ends
    the turn after the budget's model calls; the recursion limit is never reached."""
    server = start_with(
        served, lambda request: reply("", call("get_flight_status", {"flight_number": "BA117"}))
    )
    agent = build_chat_agent(
        model_for(server, api), service=simulated_service(clock=clock), clock=clock
    )
    messages = ask(agent, "status of BA117?")
    assert len(server.requests) == CHAT_BUDGET.model_calls
    offered = [bool(request.tools) for request in server.requests]
    rounds = CHAT_BUDGET.tool_rounds
    assert offered == [True] * rounds + [False] * (CHAT_BUDGET.model_calls - rounds)
    refused = [m for m in messages if isinstance(m, ToolMessage) and "budget" in m.text]
    assert len(refused) == CHAT_BUDGET.model_calls - rounds
    assert sorted(answered_ids(messages)) == sorted(called_ids(messages))
    assert messages[-1].text == CHAT_FALLBACK
    assert server.rejections == []


def test_an_empty_answer_becomes_the_fixed_text(
    api: str, served: list[ScriptedChatServer], clock: FakeClock
) -> None:
    """A reply with no text and no calls: the turn ends with the fixed text, not silence,
    and the stored conversation holds no empty message."""
    server = start(served, "", "Hello again.")
    agent = build_chat_agent(
        model_for(server, api),
        service=simulated_service(clock=clock),
        clock=clock,
        checkpointer=memory_checkpointer(),
    )
    messages = ask(agent, "hi", thread("empty"))
    assert messages[-1].text == CHAT_FALLBACK
    assert all(m.text for m in messages)
    assert ask(agent, "hello?", thread("empty"))[-1].text == "Hello again."
    assert server.rejections == []


def test_the_prompt_states_the_current_date_time_and_zone(
    served: list[ScriptedChatServer], clock: FakeClock
) -> None:
    """The system prompt says what time it is, in the zone asked for, and how to write dates."""
    server = start(served, "ok")
    agent = build_chat_agent(
        server.openai_model(),
        service=simulated_service(clock=clock),
        clock=clock,
        zone="America/New_York",
    )
    ask(agent, "hi")
    system = server.requests[0].system
    assert "Sunday 2026-11-29 04:00 EST (09:00Z)" in system
    assert "YYYY-MM-DD" in system
    assert "find_alternative_flights" in system


def test_tokens_stream_as_the_model_writes(
    api: str, served: list[ScriptedChatServer], clock: FakeClock
) -> None:
    """``stream_mode="messages"`` yields the answer token by token from the agent node."""
    server = start(served, "BA117 is on time for its 09:40 departure.")
    agent = build_chat_agent(
        model_for(server, api), service=simulated_service(clock=clock), clock=clock
    )
    chunks = [
        chunk.text
        for chunk, meta in agent.stream(
            {"messages": [HumanMessage(content="BA117?")]}, stream_mode="messages"
        )
        if isinstance(chunk, AIMessageChunk) and meta["langgraph_node"] == "agent"
    ]
    assert len(chunks) > 3
    assert "".join(chunks) == "BA117 is on time for its 09:40 departure."
    assert server.requests[0].stream


# --- the IROPS graph --------------------------------------------------------------------

CANCELLED = {"itinerary": [{"flight_number": "LH400", "date": "2026-11-29"}]}


def cancelled_service(clock: FakeClock) -> Any:
    return simulated_service(
        MockFlightDataProvider("Simulated", scenarios={"LH400": "cancelled"}, clock=clock),
        clock=clock,
    )


def run_irops(model: BaseChatModel, clock: FakeClock, name: str) -> dict[str, Any]:
    graph = build_irops_graph(
        model, service=cancelled_service(clock), clock=clock, checkpointer=memory_checkpointer()
    )
    graph.invoke(CANCELLED, thread(name))
    return dict(graph.invoke(Command(resume="approve"), thread(name)))


def test_invented_figures_are_replaced_by_the_engines_summary(
    api: str, served: list[ScriptedChatServer], clock: FakeClock
) -> None:
    """An explanation stating an amount and a flight the engine never found does not reach
    the report: the engine's summary does, and the report names what did not match."""
    server = start(served, "You are owed EUR 9999 and I rebooked you on XX999.")
    done = run_irops(model_for(server, api), clock, "invented")
    report = done["report"]
    assert report.explanation_source == "engine"
    assert any("9999" in line for line in report.explanation_mismatches)
    assert any("XX999" in line for line in report.explanation_mismatches)
    assert "9999" not in report.explanation
    assert "XX999" not in done["messages"][-1].text
    assert "LH400" in report.explanation
    assert server.rejections == []


def test_a_faithful_explanation_is_kept_with_the_evidence_it_consulted(
    api: str, served: list[ScriptedChatServer], clock: FakeClock
) -> None:
    """The model looks up LH400 and explains with the engine's facts: its text is the
    explanation, the tool result is evidence, and the final message says what was approved."""
    server = start(
        served,
        reply("", call("get_flight_status", {"flight_number": "LH400", "date": "2026-11-29"})),
        "LH400 from FRA is cancelled; a rebooking is proposed for your approval.",
    )
    done = run_irops(model_for(server, api), clock, "faithful")
    report = done["report"]
    assert report.explanation_source == "model"
    assert report.explanation.startswith("LH400 from FRA is cancelled")
    [evidence] = report.evidence
    assert evidence.tool == "get_flight_status"
    assert evidence.args["flight_number"] == "LH400"
    assert "LH400" in evidence.result
    assert "Decision: all 2 proposed actions approved." in done["messages"][-1].text
    assert server.rejections == []


def test_the_irops_conversation_opens_with_the_users_request(
    api: str, served: list[ScriptedChatServer], clock: FakeClock
) -> None:
    """The first message the model receives is a user message naming the itinerary."""
    server = start(served, "LH400 is cancelled.")
    run_irops(model_for(server, api), clock, "opening")
    first = server.requests[0].messages[0]
    assert first["role"] == "user"
    assert "LH400" in first["content"]
    assert server.rejections == []


def test_the_reason_step_is_bounded_whatever_the_model_does(
    served: list[ScriptedChatServer], clock: FakeClock
) -> None:
    """A model that only ever calls tools: the report still comes, written by the engine."""

    def always_calling(request: ChatRequest) -> ScriptedReply:
        return reply("", call("get_flight_status", {"flight_number": "LH400"}))

    server = start_with(served, always_calling)
    done = run_irops(server.openai_model(), clock, "looping")
    assert len(server.requests) == IROPS_BUDGET.model_calls
    assert done["report"].explanation_source == "engine"
    assert server.rejections == []
