"""The IROPS agent graph: fetch, assess, reason, approve, finish.

::

    START -> fetch -> assess -> reason <-> tools -> approve (interrupt) -> finish -> END

Input: ``{"itinerary": [{"flight_number": "BA117", "date": "2026-11-29", "origin": "LHR"}]}``
(``IropsInput``, 1 to 6 legs); output: the ``report`` and the conversation (``IropsOutput``).

- ``fetch`` checks the itinerary, ending the run with one ``InvalidFlightQueryError`` line that
  names each bad leg, then asks ``batch_status`` for every leg. The conversation opens with a
  user message naming the legs, then the tool call and its answer.
- ``assess`` runs the rules engine (deterministic, no model): disruptions, connection risks,
  passenger rights, and recommendations; a rebooking names an alternative found with
  ``find_alternative_flights``. Its briefing is the model's next user message.
- ``reason`` lets the model explain; it may call the follow-up tools. It is the bounded loop of
  ``graphs.turns``: every call answered, a fixed number of rounds and model calls.
- ``approve`` pauses with ``interrupt()`` when there are actions to approve (see
  ``graphs.decisions`` for the request and the answers it takes).
- ``finish`` writes the ``IropsReport``: the engine's figures, the model's explanation if every
  figure it states matches the engine's facts (else the engine's own summary, with the
  mismatches), the tool results the model consulted, the human's decision and the data caveats
  (stale answers, failovers); then a final message saying what was decided.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import (
    AIMessage,
    AnyMessage,
    BaseMessage,
    HumanMessage,
    SystemMessage,
    ToolMessage,
)
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import END, START, StateGraph, add_messages
from langgraph.graph.state import CompiledStateGraph
from pydantic import Field, ValidationError
from typing_extensions import TypedDict  # pydantic reads typing's TypedDict on 3.12+ only

from flight_agent.clock import Clock
from flight_agent.errors import InvalidFlightQueryError
from flight_agent.irops import ConnectionAssessment, FlightDisruption, RightsResult
from flight_agent.services import EnhancedFlightMonitoringService
from graphs.assessment import Assessment, assess, journey_rights
from graphs.decisions import ask_for_approval
from graphs.grounding import check_explanation, collect_facts, engine_summary
from graphs.models import select_model
from graphs.prompts import PromptBuilder, irops_system_prompt
from graphs.report import Evidence, IropsReport, LegReport, Recommendation
from graphs.toolset import ToolSource, clock_of, tools_of
from graphs.turns import TurnBudget, add_tool_loop, calls_of, current_turn, is_fallback
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

IROPS_BUDGET = TurnBudget(tool_rounds=3, model_calls=5)
"""The reason step's bounds: tools offered for 3 rounds, at most 5 model calls."""

IROPS_FALLBACK = "The model gave no explanation within its limits; the report has the engine's."

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


def _request(refs: list[FlightRef]) -> HumanMessage:
    """The conversation's opening user message (chat APIs want one first)."""
    legs = "; ".join(
        " ".join(filter(None, (ref.flight_number, ref.date, ref.origin and f"from {ref.origin}")))
        for ref in refs
    )
    return HumanMessage(content=f"Assess this itinerary for the traveller: {legs}.")


def build_irops_graph(
    model: BaseChatModel | None = None,
    *,
    tools: ToolSource = None,
    prompt: PromptBuilder | None = None,
    service: EnhancedFlightMonitoringService | None = None,
    checkpointer: BaseCheckpointSaver[Any] | None = None,
    clock: Clock | None = None,
    zone: str = "UTC",
    budget: TurnBudget = IROPS_BUDGET,
) -> CompiledStateGraph[IropsState, Any, IropsInput, IropsOutput]:
    """The IROPS graph.

    Args:
        model: The chat model of the reason step; ``select_model()`` when None.
        tools: A toolkit or tools holding at least the fetch and follow-up tools; when None,
            the shared toolkit of ``service`` (``tools.shared_toolkit``).
        prompt: Builds the reason step's system prompt for the current time;
            ``irops_system_prompt`` when None.
        service: Where flight data comes from when ``tools`` is None (the environment's
            service when None too).
        checkpointer: Needed for the approval interrupt (``graphs.memory_checkpointer()`` or a
            durable one); leave None for ``langgraph dev``, which brings its own.
        clock: What "now" is for the rules engine and the prompt; the service's clock, else
            the system clock.
        zone: The IANA zone the prompt shows the current time in.
        budget: The bounds of the reason step.

    Raises:
        ValueError: ``tools`` lacks a tool the graph calls.
    """
    by_name = {tool.name: tool for tool in tools_of(tools, service)}
    if missing := [n for n in (BATCH_STATUS.name, *FOLLOW_UP_TOOLS) if n not in by_name]:
        raise ValueError(f"the IROPS graph needs the tools {missing}")
    system = prompt or (lambda at: irops_system_prompt(at, zone))
    now = clock_of(clock, service).now

    def call_tool(name: str, args: dict[str, Any], call_id: str) -> tuple[AIMessage, ToolMessage]:
        call = _tool_call(name, args, call_id)
        result = by_name[name].invoke(call)
        assert isinstance(result, ToolMessage)
        return AIMessage(content="", tool_calls=[call]), result

    def fetch(state: IropsState) -> IropsState:
        refs = parse_itinerary(state.get("itinerary"))
        flights = [ref.model_dump(exclude_none=True) for ref in refs]
        request, answer = call_tool(BATCH_STATUS.name, {"flights": flights}, "fetch-statuses")
        return {"messages": [_request(refs), request, answer], "statuses": answer.artifact.items}

    def assess_node(state: IropsState) -> IropsState:
        found: Assessment = assess(state["statuses"], now(), find_alternatives=alternatives)
        return {
            "messages": [*found.messages, HumanMessage(content=found.briefing)],
            "legs": found.legs,
            "disruptions": found.disruptions,
            "connections": found.connections,
            "rights": found.rights,
            "recommendations": found.recommendations,
        }

    def alternatives(args: dict[str, Any], call_id: str) -> tuple[AIMessage, ToolMessage]:
        return call_tool(FIND_ALTERNATIVE_FLIGHTS.name, args, call_id)

    def instructions(state: IropsState) -> list[BaseMessage]:
        return [SystemMessage(content=system(now()))]

    def approve(state: IropsState) -> IropsState:
        if not state.get("recommendations"):
            return {"decision": "not_needed"}
        decided, decision = ask_for_approval(state["recommendations"])
        return {"recommendations": decided, "decision": decision}

    def finish(state: IropsState) -> IropsState:
        decided = state.get("recommendations", [])
        rights = state.get("rights", [])
        if any(r.action == "rebook" and r.decision == "edit" for r in decided):
            # A human chose another flight: the rights follow the journey they chose.
            rights = journey_rights(state["statuses"], now(), decided)
        report = IropsReport(
            generated_at=now(),
            legs=state.get("legs", []),
            disruptions=state.get("disruptions", []),
            connections=state.get("connections", []),
            rights=rights,
            recommendations=decided,
            decision=state.get("decision", "not_needed"),
            explanation="",
            notes=_notes(state.get("legs", [])),
        )
        report = grounded(report, state)
        return {"report": report, "messages": [AIMessage(content=_final_text(report))]}

    graph = StateGraph(IropsState, input_schema=IropsInput, output_schema=IropsOutput)
    graph.add_node("fetch", fetch)
    graph.add_node("assess", assess_node)
    add_tool_loop(
        graph,
        model=model or select_model(),
        tools=[by_name[name] for name in FOLLOW_UP_TOOLS],
        prompt=instructions,
        budget=budget,
        fallback_text=IROPS_FALLBACK,
        done="approve",
        name="reason",
    )
    graph.add_node("approve", approve)
    graph.add_node("finish", finish)
    graph.add_edge(START, "fetch")
    graph.add_edge("fetch", "assess")
    graph.add_edge("assess", "reason")
    graph.add_edge("approve", "finish")
    graph.add_edge("finish", END)
    return graph.compile(checkpointer=checkpointer, name="irops")


def grounded(report: IropsReport, state: IropsState) -> IropsReport:
    """The report with the explanation checked against the engine's facts.

    The model's last answer is kept when every amount, flight number, time and airport it
    states is among the facts; otherwise (or when it gave none) the engine's summary replaces
    it, and the report names the claims that did not match.
    """
    messages = state.get("messages", [])
    briefing = _last_briefing(messages)
    turn = current_turn(messages)
    evidence = _evidence(turn)
    report = report.model_copy(update={"evidence": evidence})
    records = [item.flight for item in state.get("statuses", []) if item.flight is not None]
    engine_texts = [
        m.text for m in messages[: briefing + 1] if isinstance(m, ToolMessage | HumanMessage)
    ]
    facts = collect_facts(report, records, evidence, engine_texts)
    said = _model_answer(turn)
    mismatches = check_explanation(said, facts) if said else []
    if said and not mismatches:
        return report.model_copy(update={"explanation": said, "explanation_source": "model"})
    return report.model_copy(
        update={
            "explanation": engine_summary(report),
            "explanation_source": "engine",
            "explanation_mismatches": mismatches,
        }
    )


def _last_briefing(messages: list[AnyMessage]) -> int:
    """The index of the last human message (the engine's briefing)."""
    return max((i for i, m in enumerate(messages) if isinstance(m, HumanMessage)), default=0)


def _model_answer(turn: list[BaseMessage]) -> str:
    """The model's last answer in the reason step that is not a tool request nor the fallback."""
    for message in reversed(turn):
        if isinstance(message, AIMessage) and not calls_of(message) and not is_fallback(message):
            return message.text.strip()
    return ""


def _evidence(turn: list[BaseMessage]) -> list[Evidence]:
    """Each tool result the model consulted, with the arguments it called the tool with."""
    args = {
        call["id"]: call["args"]
        for message in turn
        if isinstance(message, AIMessage)
        for call in message.tool_calls
    }
    return [
        Evidence(
            tool=message.name or "?",
            args=args.get(message.tool_call_id, {}),
            result=message.text,
            error=message.status == "error",
        )
        for message in turn
        if isinstance(message, ToolMessage)
    ]


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


def _decision_line(recommendations: list[Recommendation]) -> str:
    approved, total = sum(1 for item in recommendations if item.approved), len(recommendations)
    if not approved:
        return "Decision: the proposed actions were rejected; nothing will be done."
    if approved == total:
        return f"Decision: all {total} proposed actions approved."
    return f"Decision: {approved} of {total} proposed actions approved; only those will be done."


def _final_text(report: IropsReport) -> str:
    """The explanation, then what the human decided about each action, then the caveats."""
    lines = [report.explanation]
    if report.recommendations:
        lines.append(_decision_line(report.recommendations))
    for item in report.recommendations:
        verdict = {True: "approved", False: "rejected", None: "pending"}[item.approved]
        lines.append(f"- {item.description} ({verdict})")
    lines += [f"Note: {note}" for note in report.notes]
    return "\n".join(lines)
