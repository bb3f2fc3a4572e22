"""The chat agent: tools through a real graph, memory per thread, bounded tool rounds."""

from __future__ import annotations

from typing import Any

from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from graphs import build_chat_agent, memory_checkpointer
from graphs.chat_agent import CHAT_BUDGET
from tests.graphs.conftest import simulated_service
from tests.graphs.scripted import scripted


def status_call(call_id: str, flight: str = "BA117") -> AIMessage:
    return AIMessage(
        content="",
        tool_calls=[
            {"name": "get_flight_status", "args": {"flight_number": flight}, "id": call_id}
        ],
    )


def thread(name: str) -> dict[str, Any]:
    return {"configurable": {"thread_id": name}}


def test_a_question_runs_the_tool_and_the_answer_follows() -> None:
    """The model asks for a tool, gets its message, and answers."""
    agent = build_chat_agent(
        scripted(status_call("c1"), "BA117 is on its way."), service=simulated_service()
    )
    result = agent.invoke({"messages": [HumanMessage(content="status of BA117?")]})
    kinds = [type(m).__name__ for m in result["messages"]]
    assert kinds == ["HumanMessage", "AIMessage", "ToolMessage", "AIMessage"]
    tool_message = result["messages"][2]
    assert isinstance(tool_message, ToolMessage)
    assert tool_message.status == "success"
    assert "BA117" in tool_message.content


def test_a_thread_remembers_earlier_turns() -> None:
    """The second turn on one thread sees the first; another thread does not."""
    model = scripted("First answer.", "Second answer.", "Other thread.")
    agent = build_chat_agent(model, service=simulated_service(), checkpointer=memory_checkpointer())
    agent.invoke({"messages": [HumanMessage(content="hello")]}, thread("a"))
    agent.invoke({"messages": [HumanMessage(content="and again")]}, thread("a"))
    agent.invoke({"messages": [HumanMessage(content="new")]}, thread("b"))
    second, other = model.seen[1], model.seen[2]
    assert [m.content for m in second if isinstance(m, HumanMessage)] == ["hello", "and again"]
    assert [m.content for m in other if isinstance(m, HumanMessage)] == ["new"]


def test_tool_rounds_are_bounded_per_turn() -> None:
    """A model that keeps asking for tools is made to answer after the bound."""
    calls = [status_call(f"c{n}") for n in range(CHAT_BUDGET.tool_rounds)]
    model = scripted(*calls, "Enough lookups: BA117 is scheduled.")
    agent = build_chat_agent(model, service=simulated_service())
    result = agent.invoke({"messages": [HumanMessage(content="status of BA117?")]})
    assert result["messages"][-1].content == "Enough lookups: BA117 is scheduled."
    rounds = [m for m in result["messages"] if isinstance(m, AIMessage) and m.tool_calls]
    assert len(rounds) == CHAT_BUDGET.tool_rounds
