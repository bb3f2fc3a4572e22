"""The CLI's itinerary and agent commands: ``assess``, ``run`` and ``chat``.

``assess`` reads an itinerary file and prints the rules engine's verdicts (no model). ``run`` is
the main job: the IROPS graph over a disrupted demo itinerary on simulated data, with the
primary provider down. ``chat`` is a REPL over the chat agent. The graph modules are imported
inside the commands, so the other commands start without them.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from datetime import timedelta
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from rich.markup import escape
from rich.table import Table
from rich.text import Text
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError

from flight_agent.apps.cli.common import console, exit_code, fail, print_json, read_text
from flight_agent.irops import (
    Cause,
    ConnectionAssessment,
    FlightDisruption,
    RightsResult,
    TripAssessment,
    assess_trip,
)
from flight_agent.services import EnhancedFlightMonitoringService
from tools import operations
from tools.errors import explain_invalid
from tools.payloads import BatchStatusResult
from tools.schemas import MAX_LEGS, BatchStatusInput, Count, FlightRef


class ItineraryFile(BaseModel):
    """What ``assess`` reads: the legs of one booking and what the airline said."""

    model_config = ConfigDict(extra="forbid")

    itinerary: list[FlightRef] = Field(min_length=1, max_length=MAX_LEGS)
    cause: Literal["unknown", "carrier", "carrier_safety", "extraordinary"] = "unknown"
    cancellation_notice_days: Count | None = Field(default=None, ge=0, le=365)


class AssessResult(BaseModel):
    """``assess --json``: each leg's answer and the verdicts."""

    statuses: BatchStatusResult
    assessment: TripAssessment


MAX_NESTING = 10
"""Levels an itinerary file may nest; a leg's field is at the fourth."""


class ItineraryLoader(yaml.SafeLoader):
    """Safe YAML that keeps a date as written (``date: 2026-12-05``), the text legs take.

    Aliases (``*name``) are refused, for a few of them can stand for billions of nodes, and so
    is nesting deeper than ``MAX_NESTING``: both as the file is parsed, before any value is built.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]  # untyped in types-PyYAML
        if self.check_event(yaml.AliasEvent):
            problem = f"alias *{event.anchor} is not allowed: write the value out in full"
            raise ComposerError(None, None, problem, event.start_mark)
        if self.depth == MAX_NESTING:
            problem = f"nested deeper than {MAX_NESTING} levels"
            raise ComposerError(None, None, problem, event.start_mark)
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _as_written(loader: ItineraryLoader, node: yaml.Node) -> str:
    return loader.construct_yaml_str(node)


def _integer(loader: ItineraryLoader, node: yaml.ScalarNode) -> int:
    """The integer, or an error at its place when it is too long for Python to read."""
    try:
        return loader.construct_yaml_int(node)
    except ValueError:
        digits = sys.get_int_max_str_digits()
        problem = f"a number of more than {digits} digits"
        raise ConstructorError(None, None, problem, node.start_mark) from None


ItineraryLoader.add_constructor("tag:yaml.org,2002:timestamp", _as_written)
ItineraryLoader.add_constructor("tag:yaml.org,2002:int", _integer)

EXAMPLE_ITINERARY = "itinerary: [{flight_number: BA117, date: 2026-12-05}]"


def read_itinerary(path: Path) -> ItineraryFile:
    """The itinerary file, or exit 2 with one line saying what is wrong with it.

    A YAML error names its place as ``file:line:column``, e.g. "trip.yaml:3:5: mapping values
    are not allowed here".
    """
    text = read_text(path)
    try:
        data = yaml.load(text, Loader=ItineraryLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        fail(f"{where}: {error.problem or error.context}", 2)
    except yaml.YAMLError as error:
        fail(f"{path}: not YAML: {error}", 2)
    if not isinstance(data, dict):
        fail(f"{path}: expected the legs under 'itinerary:', e.g. {EXAMPLE_ITINERARY}", 2)
    try:
        return ItineraryFile.model_validate(data)
    except ValidationError as error:
        fail(f"{path}: {explain_invalid(ItineraryFile, error)}", 2)


async def assess_itinerary(
    service: EnhancedFlightMonitoringService, trip: ItineraryFile
) -> AssessResult:
    """Fetch every leg and judge the booking."""
    statuses = await operations.batch_status(service, BatchStatusInput(flights=trip.itinerary))
    records = [item.flight for item in statuses.items if item.flight is not None]
    notice = trip.cancellation_notice_days
    assessment = assess_trip(
        records,
        now=service.now(),
        complete=len(records) == len(trip.itinerary),
        cause=Cause(trip.cause),
        notice=None if notice is None else timedelta(days=notice),
    )
    return AssessResult(statuses=statuses, assessment=assessment)


def show_assessment(result: AssessResult, as_json: bool) -> int:
    """Print the verdicts (tables, or JSON); return the exit code."""
    kinds = [item.error_kind for item in result.statuses.items if item.error_kind is not None]
    if as_json:
        print_json(result.model_dump(mode="json"))
        return exit_code(kinds)
    for item in result.statuses.items:
        if item.flight is None:
            name = item.query.flight_number if item.query else f"leg {item.index + 1}"
            console.print(f"[red]{escape(f'{name}: {item.error}')}[/red]", soft_wrap=True)
    found = result.assessment
    table = Table(title="Disruptions")
    for column in ("flight", "kind", "severity", "explanation"):
        table.add_column(column)
    for entry in found.disruptions:
        d = entry.disruption
        table.add_row(
            *map(Text, (entry.flight_number, d.kind.value, d.severity.value)), Text(d.explanation)
        )
    console.print(table if found.disruptions else "No disruption in the data.")
    for connection in found.connections:
        console.print(
            f"Connection: [bold]{connection.risk.value}[/bold]: {escape(connection.explanation)}"
        )
    for rights in found.rights:
        console.print(f"Rights: {rights.summary}", markup=False)
    if found.rights:
        console.print("[dim]Estimates under the stated rules, not legal advice.[/dim]")
    return exit_code(kinds)


def print_findings(
    disruptions: Iterable[FlightDisruption],
    connections: Iterable[ConnectionAssessment],
    rights: Iterable[RightsResult],
) -> None:
    """What the IROPS graph found: one line per disruption, connection verdict and regime."""
    for item in disruptions:
        console.print(
            f"- {item.disruption.severity.value}: {item.disruption.explanation}", markup=False
        )
    for connection in connections:
        console.print(
            f"Connection: [bold]{connection.risk.value}[/bold]: {escape(connection.explanation)}"
        )
    for result in rights:
        console.print(f"Rights: {result.summary}", markup=False)


def run_demo_command(approve: bool) -> None:
    """The main job: the IROPS graph over the demo itinerary, printing what it decided."""
    from graphs.demo import run_demo
    from graphs.models import ModelSelectionError, model_failure

    try:
        request, report = run_demo(approve=approve)
    except ModelSelectionError as error:
        fail(str(error), 2)
    except Exception as error:  # the model's API refusing or unreachable mid-run
        fail(model_failure(error), 2)
    console.rule("IROPS agent: BA117 LHR-JFK connecting to AA1830 JFK-BOS (simulated data)")
    for leg in report.legs:
        where = f"answered by {leg.source}" + (f" after {leg.failover}" if leg.failover else "")
        console.print(
            f"{leg.flight_number} {leg.route} {leg.date}: {leg.status}, departure "
            f"{leg.departure_delay_minutes:+d} min ({where})"
            if leg.departure_delay_minutes is not None and not leg.error
            else f"{leg.flight_number}: {leg.error or leg.status}",
            markup=False,
        )
    print_findings(report.disruptions, report.connections, report.rights)
    if request:
        console.rule("Approval requested (answered automatically by this demo)")
        for action in request.get("action_requests", []):
            console.print(f"- [{action['args']['id']}] {action['description']}", markup=False)
    console.rule(f"Decision: {report.decision}")
    console.print(report.explanation, markup=False)
    for note in report.notes:
        console.print(f"[yellow]Note:[/yellow] {escape(note)}")


def chat_loop(thread: str) -> None:
    """Read questions, print the agent's answers, until EOF or 'exit'."""
    from langchain_core.messages import HumanMessage
    from langchain_core.runnables import RunnableConfig

    from graphs import build_chat_agent, memory_checkpointer
    from graphs.models import ModelSelectionError, model_failure
    from tools import close_shared_toolkits

    try:
        agent = build_chat_agent(checkpointer=memory_checkpointer())
    except ModelSelectionError as error:
        fail(str(error), 2)
    config: RunnableConfig = {"configurable": {"thread_id": thread}}
    console.print("[dim]flight-agent chat: ask about flights; 'exit' or Ctrl-D to leave.[/dim]")
    try:
        while True:
            try:
                question = console.input("[bold]you>[/bold] ").strip()
            except (EOFError, KeyboardInterrupt):
                break
            if question.lower() in {"exit", "quit"}:
                break
            if not question:
                continue
            try:
                result = agent.invoke({"messages": [HumanMessage(content=question)]}, config)
            except Exception as error:  # the model's API refusing or unreachable
                fail(model_failure(error), 2)
            console.print(f"[bold]agent>[/bold] {escape(result['messages'][-1].text)}")
    finally:
        close_shared_toolkits()
