"""The conversational IROPS agent: every tool, an IROPS system prompt, bounded steps, memory.

A hand-built loop (model -> tools -> model) rather than ``create_agent``: it needs nothing
beyond langgraph, bounds the tool rounds per user turn, and keeps tool errors as tool messages.
With a checkpointer, each ``thread_id`` keeps its conversation.
"""

from __future__ import annotations

from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AnyMessage, HumanMessage, SystemMessage
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.prebuilt import ToolNode

from flight_agent.services import EnhancedFlightMonitoringService
from graphs.models import select_model
from graphs.prompts import CHAT_SYSTEM_PROMPT
from tools import FlightToolkit

MAX_TOOL_ROUNDS = 5
"""Tool rounds allowed per user turn before the agent must answer."""


def tool_rounds_this_turn(messages: list[AnyMessage]) -> int:
    """Model turns that asked for tools since the last user message."""
    rounds = 0
    for message in reversed(messages):
        if isinstance(message, HumanMessage):
            break
        if isinstance(message, AIMessage) and message.tool_calls:
            rounds += 1
    return rounds


def build_chat_agent(
    model: BaseChatModel | None = None,
    *,
    service: EnhancedFlightMonitoringService | None = None,
    checkpointer: BaseCheckpointSaver[Any] | None = None,
) -> CompiledStateGraph[MessagesState, Any, MessagesState, MessagesState]:
    """A chat agent over every tool (a service built from the environment when None).

    Args:
        model: The chat model; ``select_model()`` when None.
        service: Where flight data comes from.
        checkpointer: Memory per ``thread_id`` (``graphs.memory_checkpointer()``); None for
            ``langgraph dev``.
    """
    tools = FlightToolkit(service=service).get_tools()
    chat_model = model or select_model()
    with_tools = chat_model.bind_tools(tools)

    def agent(state: MessagesState) -> dict[str, list[AnyMessage]]:
        conversation = [SystemMessage(content=CHAT_SYSTEM_PROMPT), *state["messages"]]
        if tool_rounds_this_turn(state["messages"]) >= MAX_TOOL_ROUNDS:
            # Out of tool rounds: the model must answer from what it has.
            return {"messages": [chat_model.invoke(conversation)]}
        return {"messages": [with_tools.invoke(conversation)]}

    def route(state: MessagesState) -> str:
        last = state["messages"][-1]
        return "tools" if isinstance(last, AIMessage) and last.tool_calls else END

    graph = StateGraph(MessagesState)
    graph.add_node("agent", agent)
    graph.add_node("tools", ToolNode(tools, handle_tool_errors=True))
    graph.add_edge(START, "agent")
    graph.add_conditional_edges("agent", route, ["tools", END])
    graph.add_edge("tools", "agent")
    return graph.compile(checkpointer=checkpointer, name="chat")
