"""One model turn with tools, valid for real chat APIs and bounded whatever the model does.

Both graphs let a model call tools in a loop. ``add_tool_loop`` adds that loop to a graph:

::

    model -> tools -> model ... -> done
      |                  ^
      +-> over_budget ---+        (calls past the budget: answered "budget spent", model again)
      +-> fallback -> done        (an empty answer, or the model still calling tools)

It keeps three promises that LangGraph's ``ToolNode`` alone does not:

- **Every call gets exactly one tool message.** A call whose arguments are not valid JSON
  (``AIMessage.invalid_tool_calls``) is answered with an error the model can act on, since the
  chat APIs reject a history holding an unanswered call id. Unknown tools and bad arguments
  are answered by ``ToolNode`` (``handle_tool_errors``).
- **Hard bounds.** Per user turn (the messages after the last human message): tools are offered
  for ``budget.tool_rounds`` rounds, then the model is asked without them; calls it makes past
  the budget are answered "budget spent"; after ``budget.model_calls`` model calls a fixed text
  answers. The graph never reaches LangGraph's recursion limit.
- **A turn never ends empty.** An empty answer is replaced by the fixed text.

Written here rather than taken from ``langchain.agents.create_agent``: that needs the
``langchain`` package (not a dependency of the core install), and its call limits end the run or
raise rather than answering the calls that went past the limit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import (
    AIMessage,
    AnyMessage,
    BaseMessage,
    HumanMessage,
    InvalidToolCall,
    ToolMessage,
)
from langchain_core.runnables import RunnableConfig, RunnableLambda
from langchain_core.tools import BaseTool
from langgraph.graph import StateGraph
from langgraph.prebuilt import ToolNode

FALLBACK_MARK = "flight_agent_fallback"
"""``response_metadata`` key marking the fixed answer (it is not the model's)."""


@dataclass(frozen=True)
class TurnBudget:
    """What one user turn may spend: tool rounds offered and model calls in all."""

    tool_rounds: int
    model_calls: int

    def __post_init__(self) -> None:
        if not 1 <= self.tool_rounds < self.model_calls:
            raise ValueError("a turn needs 1 <= tool_rounds < model_calls")


def current_turn(messages: Sequence[BaseMessage]) -> list[BaseMessage]:
    """The messages after the last human message."""
    for index in range(len(messages) - 1, -1, -1):
        if isinstance(messages[index], HumanMessage):
            return list(messages[index + 1 :])
    return list(messages)


def calls_of(message: BaseMessage) -> list[str]:
    """The ids of every tool call a message makes, valid or not."""
    if not isinstance(message, AIMessage):
        return []
    return [str(c.get("id")) for c in [*message.tool_calls, *message.invalid_tool_calls]]


def tool_rounds(turn: Sequence[BaseMessage]) -> int:
    """Model replies in the turn that called tools."""
    return sum(1 for message in turn if calls_of(message))


def model_calls(turn: Sequence[BaseMessage]) -> int:
    """Model replies in the turn."""
    return sum(1 for message in turn if isinstance(message, AIMessage))


def is_fallback(message: BaseMessage) -> bool:
    """Whether the message is the loop's fixed answer rather than the model's."""
    return isinstance(message, AIMessage) and bool(message.response_metadata.get(FALLBACK_MARK))


def invalid_call_reply(call: InvalidToolCall) -> ToolMessage:
    """The error answering a call whose arguments could not be read."""
    name = call.get("name") or "(no name)"
    return ToolMessage(
        content=(
            f"Error: the call to {name} was not run: its arguments are not a valid JSON "
            f"object ({call.get('error') or 'unreadable'}). Call it again with the arguments "
            "as one JSON object matching the tool's schema."
        ),
        tool_call_id=str(call.get("id")),
        name=name,
        status="error",
    )


def spent_reply(call_id: str, name: str, budget: TurnBudget) -> ToolMessage:
    """The error answering a call made after the turn's tool budget is spent."""
    return ToolMessage(
        content=(
            f"Error: not run: this turn's budget of {budget.tool_rounds} tool rounds is spent. "
            "Answer now from the tool results above, without calling tools."
        ),
        tool_call_id=call_id,
        name=name,
        status="error",
    )


def add_tool_loop(
    graph: StateGraph[Any, Any, Any, Any],
    *,
    model: BaseChatModel,
    tools: Sequence[BaseTool],
    prompt: Callable[[Any], list[BaseMessage]],
    budget: TurnBudget,
    fallback_text: str,
    done: str,
    name: str = "model",
) -> None:
    """Add the loop's nodes to ``graph``; enter at node ``name``, leave to node ``done``.

    Args:
        graph: A graph whose state has ``messages`` (with the ``add_messages`` reducer).
        model: The chat model; it is bound to ``tools`` while the budget lasts.
        tools: The tools offered.
        prompt: The messages to send before the state's messages (the system prompt).
        budget: The turn's bounds.
        fallback_text: The fixed answer when the model gives none within the budget.
        done: The node after the loop.
        name: The model node's name; the others are ``tools``, ``over_budget``, ``fallback``.
    """
    with_tools = model.bind_tools(tools)
    run_tools = ToolNode(tools, handle_tool_errors=True)

    def ask(state: Any) -> dict[str, list[AnyMessage]]:
        turn = current_turn(state["messages"])
        chosen = with_tools if tool_rounds(turn) < budget.tool_rounds else model
        reply = chosen.invoke([*prompt(state), *state["messages"]])
        return {"messages": [reply]}

    def after_model(state: Any) -> str:
        last = state["messages"][-1]
        if calls_of(last):
            within = tool_rounds(current_turn(state["messages"])) <= budget.tool_rounds
            return "tools" if within else "over_budget"
        return done if isinstance(last, AIMessage) and last.text.strip() else "fallback"

    def answer_invalid(state: Any) -> list[ToolMessage]:
        last = state["messages"][-1]
        return [invalid_call_reply(call) for call in last.invalid_tool_calls]

    def tools_sync(state: Any, config: RunnableConfig) -> dict[str, list[Any]]:
        ran = (
            run_tools.invoke(state, config)["messages"] if state["messages"][-1].tool_calls else []
        )
        return {"messages": [*ran, *answer_invalid(state)]}

    async def tools_async(state: Any, config: RunnableConfig) -> dict[str, list[Any]]:
        last = state["messages"][-1]
        ran = (await run_tools.ainvoke(state, config))["messages"] if last.tool_calls else []
        return {"messages": [*ran, *answer_invalid(state)]}

    def over_budget(state: Any) -> dict[str, list[AnyMessage]]:
        last = state["messages"][-1]
        names = {c.get("id"): c.get("name") for c in [*last.tool_calls, *last.invalid_tool_calls]}
        return {
            "messages": [
                spent_reply(call_id, str(names.get(call_id) or "tool"), budget)
                for call_id in calls_of(last)
            ]
        }

    def after_over_budget(state: Any) -> str:
        spent = model_calls(current_turn(state["messages"])) >= budget.model_calls
        return "fallback" if spent else name

    def fallback(state: Any) -> dict[str, list[AnyMessage]]:
        last = state["messages"][-1]
        # An empty answer is replaced (same id), so the history holds no empty message.
        same = {"id": last.id} if isinstance(last, AIMessage) and not calls_of(last) else {}
        answer = AIMessage(content=fallback_text, response_metadata={FALLBACK_MARK: True}, **same)
        return {"messages": [answer]}

    graph.add_node(name, ask)
    graph.add_node("tools", RunnableLambda(tools_sync, afunc=tools_async, name="tools"))
    graph.add_node("over_budget", over_budget)
    graph.add_node("fallback", fallback)
    graph.add_conditional_edges(name, after_model, ["tools", "over_budget", "fallback", done])
    graph.add_edge("tools", name)
    graph.add_conditional_edges("over_budget", after_over_budget, [name, "fallback"])
    graph.add_edge("fallback", done)
