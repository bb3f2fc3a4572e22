"""The IROPS agent graph: fetch, assess, reason, approve, finish.

::

    START -> fetch -> assess -> reason <-> tools
                                  |
                                  +-> approve (interrupt: a human approves the actions) -> finish
                                  +-> finish -> END

Input: ``{"itinerary": [{"flight_number": "BA117", "date": "2026-11-29", "origin": "LHR"}]}``
(``IropsInput``, 1 to 6 legs); output: the ``report`` and the conversation (``IropsOutput``).

- ``fetch`` checks the itinerary, ending the run with one ``InvalidFlightQueryError`` line that
  names each bad leg, then asks ``batch_status`` for every leg (the tool message stays in the
  conversation).
- ``assess`` runs the rules engine (deterministic, no model): disruptions, connection risks,
  passenger rights, and recommendations; a rebooking names an alternative found with
  ``find_alternative_flights``.
- ``reason`` lets the model explain the situation; it may call the IROPS tools for follow-ups.
  Tool errors come back to it as tool messages.
- ``approve`` pauses with ``interrupt()`` when there are actions to approve; resume with
  ``Command(resume="approve" | "reject" | {"approve": ["rebook-1", ...]})``. An answer it
  cannot read pauses it again with an ``error`` in the request.
- ``finish`` writes the ``IropsReport`` (with stale data and failovers noted) and a final message.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AnyMessage, HumanMessage, SystemMessage, ToolMessage
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import END, START, StateGraph, add_messages
from langgraph.graph.state import CompiledStateGraph
from langgraph.prebuilt import ToolNode
from pydantic import Field, ValidationError
from typing_extensions import TypedDict  # pydantic reads typing's TypedDict on 3.12+ only

from flight_agent.errors import InvalidFlightQueryError
from flight_agent.irops import ConnectionAssessment, FlightDisruption, RightsResult
from flight_agent.services import EnhancedFlightMonitoringService
from graphs.assessment import Assessment, assess
from graphs.decisions import ask_for_approval
from graphs.models import select_model
from graphs.prompts import IROPS_SYSTEM_PROMPT
from graphs.report import IropsReport, LegReport, Recommendation
from tools import FlightToolkit
from tools.errors import explain_invalid, quoted
from tools.payloads import BatchItem
from tools.schemas import MAX_LEGS, FlightRef, FlightRefDict
from tools.specs import (
    ASSESS_DISRUPTION,
    BATCH_STATUS,
    CHECK_CONNECTION,
    FIND_ALTERNATIVE_FLIGHTS,
    GET_FLIGHT_STATUS,
    PASSENGER_RIGHTS,
)

MAX_MODEL_CALLS = 4
"""The reason step's bound: model turns before the graph moves on without more tools."""

FOLLOW_UP_TOOLS = tuple(
    spec.name
    for spec in (
        GET_FLIGHT_STATUS,
        CHECK_CONNECTION,
        ASSESS_DISRUPTION,
        PASSENGER_RIGHTS,
        FIND_ALTERNATIVE_FLIGHTS,
    )
)
"""The tools the model may call for follow-ups."""


EXAMPLE_LEG = '{"flight_number": "BA117", "date": "2026-11-29", "origin": "LHR"}'
EXAMPLE_ITINERARY = f"[{EXAMPLE_LEG}]"


class IropsInput(TypedDict):
    """The trip to assess."""

    itinerary: Annotated[
        list[FlightRefDict],
        Field(
            description=f"The booking's legs in travel order, 1 to {MAX_LEGS}, e.g. "
            f"{EXAMPLE_ITINERARY}.",
            min_length=1,
            max_length=MAX_LEGS,
        ),
    ]


class IropsOutput(TypedDict, total=False):
    """The conversation and, once the run finishes, the report."""

    messages: Annotated[list[AnyMessage], add_messages]
    report: IropsReport


class IropsState(TypedDict, total=False):
    """Everything the nodes share, from the input itinerary to the report."""

    itinerary: list[FlightRefDict]
    messages: Annotated[list[AnyMessage], add_messages]
    statuses: list[BatchItem]
    legs: list[LegReport]
    disruptions: list[FlightDisruption]
    connections: list[ConnectionAssessment]
    rights: list[RightsResult]
    recommendations: list[Recommendation]
    model_calls: int
    decision: Literal["approved", "rejected", "not_needed"]
    report: IropsReport


def parse_itinerary(itinerary: object) -> list[FlightRef]:
    """The legs of the input, validated.

    Raises:
        InvalidFlightQueryError: One line naming every bad leg and what is wrong with it, e.g.
            "Invalid itinerary: leg 2: flight_number 'XX': has the wrong format (...)".
    """
    if not isinstance(itinerary, list) or not 1 <= len(itinerary) <= MAX_LEGS:
        raise InvalidFlightQueryError(
            f"Invalid itinerary: {_received(itinerary)}; send 'itinerary' as a list of 1 to "
            f"{MAX_LEGS} legs such as {EXAMPLE_ITINERARY}."
        )
    legs, problems = [], []
    for number, leg in enumerate(itinerary, start=1):
        if not isinstance(leg, dict):
            problems.append(f"leg {number} is {quoted(leg)}, not an object such as {EXAMPLE_LEG}")
            continue
        try:
            legs.append(FlightRef.model_validate(leg))
        except ValidationError as error:
            problems.append(f"leg {number}: {explain_invalid(FlightRef, error)}")
    if problems:
        raise InvalidFlightQueryError(f"Invalid itinerary: {'; '.join(problems)}.")
    return legs


def _received(itinerary: object) -> str:
    if itinerary is None:
        return "it is missing"
    if isinstance(itinerary, list):
        return f"it has {len(itinerary)} legs"
    return f"it is {quoted(itinerary)}, not a list"


def _tool_call(name: str, args: dict[str, Any], call_id: str) -> dict[str, Any]:
    return {"type": "tool_call", "name": name, "args": args, "id": call_id}


def build_irops_graph(
    model: BaseChatModel | None = None,
    *,
    service: EnhancedFlightMonitoringService | None = None,
    checkpointer: BaseCheckpointSaver[Any] | None = None,
) -> CompiledStateGraph[IropsState, Any, IropsInput, IropsOutput]:
    """The IROPS graph over a service (one built from the environment when None).

    Args:
        model: The chat model of the reason step; ``select_model()`` when None.
        service: Where flight data comes from; ``default_service()`` (built on first use) when None.
        checkpointer: Needed for the approval interrupt (``graphs.memory_checkpointer()``);
            leave None for ``langgraph dev``, which brings its own.
    """
    toolkit = FlightToolkit(service=service)
    tools = {tool.name: tool for tool in toolkit.get_tools()}
    follow_ups = [tools[name] for name in FOLLOW_UP_TOOLS]
    llm = (model or select_model()).bind_tools(follow_ups)

    def now() -> Any:
        return toolkit.runner.service.now()

    def call_tool(name: str, args: dict[str, Any], call_id: str) -> tuple[AIMessage, ToolMessage]:
        call = _tool_call(name, args, call_id)
        result = tools[name].invoke(call)
        assert isinstance(result, ToolMessage)
        return AIMessage(content="", tool_calls=[call]), result

    def fetch(state: IropsState) -> IropsState:
        refs = parse_itinerary(state.get("itinerary"))
        flights = [ref.model_dump(exclude_none=True) for ref in refs]
        request, answer = call_tool(BATCH_STATUS.name, {"flights": flights}, "fetch-statuses")
        return {"messages": [request, answer], "statuses": answer.artifact.items}

    def assess_node(state: IropsState) -> IropsState:
        found: Assessment = assess(state["statuses"], now(), find_alternatives=alternatives)
        return {
            "messages": [*found.messages, HumanMessage(content=found.briefing)],
            "legs": found.legs,
            "disruptions": found.disruptions,
            "connections": found.connections,
            "rights": found.rights,
            "recommendations": found.recommendations,
            "model_calls": 0,
        }

    def alternatives(args: dict[str, Any], call_id: str) -> tuple[AIMessage, ToolMessage]:
        return call_tool(FIND_ALTERNATIVE_FLIGHTS.name, args, call_id)

    def reason(state: IropsState) -> IropsState:
        reply = llm.invoke([SystemMessage(content=IROPS_SYSTEM_PROMPT), *state["messages"]])
        return {"messages": [reply], "model_calls": state.get("model_calls", 0) + 1}

    def after_reason(state: IropsState) -> str:
        last = state["messages"][-1]
        wants_tools = isinstance(last, AIMessage) and bool(last.tool_calls)
        if wants_tools and state.get("model_calls", 0) < MAX_MODEL_CALLS:
            return "tools"
        return "approve" if state.get("recommendations") else "finish"

    def approve(state: IropsState) -> IropsState:
        decided, decision = ask_for_approval(state["recommendations"])
        return {"recommendations": decided, "decision": decision}

    def finish(state: IropsState) -> IropsState:
        report = IropsReport(
            generated_at=now(),
            legs=state.get("legs", []),
            disruptions=state.get("disruptions", []),
            connections=state.get("connections", []),
            rights=state.get("rights", []),
            recommendations=state.get("recommendations", []),
            decision=state.get("decision", "not_needed"),
            explanation=_explanation(state.get("messages", [])),
            notes=_notes(state.get("legs", [])),
        )
        return {"report": report, "messages": [AIMessage(content=_final_text(report))]}

    graph = StateGraph(IropsState, input_schema=IropsInput, output_schema=IropsOutput)
    graph.add_node("fetch", fetch)
    graph.add_node("assess", assess_node)
    graph.add_node("reason", reason)
    graph.add_node("tools", ToolNode(follow_ups, handle_tool_errors=True))
    graph.add_node("approve", approve)
    graph.add_node("finish", finish)
    graph.add_edge(START, "fetch")
    graph.add_edge("fetch", "assess")
    graph.add_edge("assess", "reason")
    graph.add_conditional_edges("reason", after_reason, ["tools", "approve", "finish"])
    graph.add_edge("tools", "reason")
    graph.add_edge("approve", "finish")
    graph.add_edge("finish", END)
    return graph.compile(checkpointer=checkpointer, name="irops")


def _explanation(messages: list[AnyMessage]) -> str:
    """The model's last answer that is not a tool request."""
    for message in reversed(messages):
        if isinstance(message, AIMessage) and not message.tool_calls and message.text:
            return message.text
    return "No explanation was produced."


def _notes(legs: list[LegReport]) -> list[str]:
    notes = []
    for leg in legs:
        if leg.error:
            notes.append(f"{leg.flight_number}: no data ({leg.error})")
        if leg.stale:
            notes.append(
                f"{leg.flight_number}: STALE data, {leg.data_age_minutes} min old "
                "(every provider is failing)"
            )
        if leg.failover:
            notes.append(f"{leg.flight_number}: answered by {leg.source} after {leg.failover}")
    return notes


def _final_text(report: IropsReport) -> str:
    lines = [report.explanation]
    for item in report.recommendations:
        verdict = {True: "approved", False: "rejected", None: "pending"}[item.approved]
        lines.append(f"- {item.description} ({verdict})")
    lines += [f"Note: {note}" for note in report.notes]
    return "\n".join(lines)
