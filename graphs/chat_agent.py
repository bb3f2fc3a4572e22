"""The conversational IROPS agent: every tool, a prompt stating the current time, hard bounds.

``START -> agent <-> tools -> END`` (the loop of ``graphs.turns``): every tool call is answered
by exactly one tool message, each user turn is bounded whatever the model does, and a turn
never ends with an empty answer. With a checkpointer, each ``thread_id`` keeps its conversation.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage, SystemMessage
from langchain_core.tools import BaseTool
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.graph.state import CompiledStateGraph

from flight_agent.clock import Clock
from flight_agent.services import EnhancedFlightMonitoringService
from graphs.models import select_model
from graphs.prompts import PromptBuilder, chat_system_prompt
from graphs.toolset import clock_of, tools_of
from graphs.turns import TurnBudget, add_tool_loop
from tools import FlightToolkit

CHAT_BUDGET = TurnBudget(tool_rounds=5, model_calls=7)
"""Per user turn: tools offered for 5 rounds, at most 7 model calls."""

CHAT_FALLBACK = (
    "I could not finish an answer within this turn's limits. Please ask again, naming the "
    "flight number and date, or one question at a time."
)


def build_chat_agent(
    model: BaseChatModel | None = None,
    *,
    tools: FlightToolkit | Sequence[BaseTool] | None = None,
    prompt: PromptBuilder | None = None,
    service: EnhancedFlightMonitoringService | None = None,
    checkpointer: BaseCheckpointSaver[Any] | None = None,
    clock: Clock | None = None,
    zone: str = "UTC",
    budget: TurnBudget = CHAT_BUDGET,
) -> CompiledStateGraph[MessagesState, Any, MessagesState, MessagesState]:
    """A chat agent over the flight tools.

    Args:
        model: The chat model; ``select_model()`` when None.
        tools: A toolkit or tools; when None, the shared toolkit of ``service``
            (``tools.shared_toolkit``: one per service, however many graphs use it).
        prompt: Builds the system prompt for the current time; ``chat_system_prompt`` when None.
        service: Where flight data comes from when ``tools`` is None (the environment's
            service when None too).
        checkpointer: Memory per ``thread_id`` (``graphs.memory_checkpointer()``); None for
            ``langgraph dev``.
        clock: What "now" is in the prompt; the service's clock, else the system clock.
        zone: The IANA zone the prompt shows the current time in.
        budget: The bounds of one user turn.
    """
    system = prompt or (lambda now: chat_system_prompt(now, zone))
    now = clock_of(clock, service).now

    def instructions(state: MessagesState) -> list[BaseMessage]:
        return [SystemMessage(content=system(now()))]

    graph = StateGraph(MessagesState)
    add_tool_loop(
        graph,
        model=model or select_model(),
        tools=tools_of(tools, service),
        prompt=instructions,
        budget=budget,
        fallback_text=CHAT_FALLBACK,
        done=END,
        name="agent",
    )
    graph.add_edge(START, "agent")
    return graph.compile(checkpointer=checkpointer, name="chat")
