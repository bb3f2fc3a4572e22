"""The tools, each specified once: every face of a tool is derived from ``TOOL_SPECS``.

A ``ToolSpec`` names a tool, tells the model what it is for, and gives its argument model,
its result model, the operation that computes the result from the service, and the compact
text the model reads. From these specs come the LangChain tools (``tools.langchain_tools``),
the MCP tools (``flight_agent.apps.mcp_server``), the CLI's read commands and the types a
graph checkpoint may restore (``graphs.checkpoints``). Everything else that names a tool (the
prompts, the offline model, the evals) takes the name from here, e.g. ``GET_FLIGHT_STATUS.name``.

Adding a tool takes its operation (``async (service, args) -> result``, raising
``FlightDataError`` for what the model can act on) and one entry in ``TOOL_SPECS``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from flight_agent.services import EnhancedFlightMonitoringService
from tools import formatting, irops_formatting, irops_operations, operations
from tools.payloads import (
    AlternativesResult,
    BatchStatusResult,
    ConnectionResult,
    DisruptionReport,
    FlightStatusResult,
    ProviderHealthResult,
    RightsReport,
)
from tools.schemas import (
    MAX_BATCH,
    AssessDisruptionInput,
    BatchStatusInput,
    CheckConnectionInput,
    FindAlternativeFlightsInput,
    FlightRef,
    GetFlightStatusInput,
    PassengerRightsInput,
    ProviderHealthInput,
)

A = TypeVar("A", bound=BaseModel)
R = TypeVar("R", bound=BaseModel)


@dataclass(frozen=True)
class ToolSpec(Generic[A, R]):
    """One tool: its face (name, description, schemas) and the operation behind it.

    Attributes:
        name: The tool's name, as the model calls it.
        description: What it does and when to use it (a prompt).
        args: The argument model; every face validates the arguments against it.
        result: The result model: the LangChain artifact and the MCP structured output.
        run: The operation: ``await run(service, args)`` gives the result.
        summarize: The compact text the model reads.
    """

    name: str
    description: str
    args: type[A]
    result: type[R]
    run: Callable[[EnhancedFlightMonitoringService, A], Awaitable[R]]
    summarize: Callable[[R], str]


# Its operation takes any flight reference: the CLI passes the ones it reads as they are.
GET_FLIGHT_STATUS: ToolSpec[FlightRef, FlightStatusResult] = ToolSpec(
    "get_flight_status",
    "Live status of ONE flight on ONE date: departure and arrival times (local and UTC), "
    "delay, gates, terminals, cancellation or diversion, aircraft, and which provider answered "
    "and how old the data is. Use it whenever a traveller asks about a specific flight. "
    "For two or more flights use batch_status; for connections use check_connection.",
    GetFlightStatusInput,
    FlightStatusResult,
    operations.flight_status,
    formatting.flight_summary,
)
BATCH_STATUS = ToolSpec(
    "batch_status",
    f"Status of several flights (up to {MAX_BATCH}) in one call, e.g. every leg of an "
    "itinerary or a list of departures. Each flight answers on its own line; one unknown or "
    "failed flight does not spoil the others. For a single flight use get_flight_status.",
    BatchStatusInput,
    BatchStatusResult,
    operations.batch_status,
    formatting.batch_summary,
)
PROVIDER_HEALTH = ToolSpec(
    "provider_health",
    "Health of the flight-data providers: circuit state (closed = healthy, open = skipped), "
    "success rate, p95 latency, last error and cool-down. Use it to explain missing or stale "
    "data, or when asked which data source is up. It does not give any flight's status.",
    ProviderHealthInput,
    ProviderHealthResult,
    operations.provider_health,
    formatting.health_summary,
)
CHECK_CONNECTION = ToolSpec(
    "check_connection",
    "Whether a traveller makes a connection: fetches the arriving and the onward flight and "
    "compares the time between them with the minimum connection time at that airport "
    "(ok / tight / at risk / missed, with the slack). Use it for any 'will I make my "
    "connection' question. Not for a single flight's status.",
    CheckConnectionInput,
    ConnectionResult,
    irops_operations.check_connection,
    irops_formatting.connection_summary,
)
ASSESS_DISRUPTION = ToolSpec(
    "assess_disruption",
    "What is going wrong with ONE flight and why: delays with severity, cancellation, "
    "diversion, tarmac delay, gate or aircraft changes, a late inbound aircraft with the "
    "predicted departure, and FAA airport programmes. Use it when a flight is disrupted or "
    "the traveller asks what to expect. For plain status use get_flight_status.",
    AssessDisruptionInput,
    DisruptionReport,
    irops_operations.assess_disruption,
    irops_formatting.disruption_summary,
)
PASSENGER_RIGHTS = ToolSpec(
    "passenger_rights",
    "What the traveller is owed for a delayed or cancelled booking under EU261, UK261, US DOT "
    "and Canada APPR: compensation amount and currency, care (meals, hotel), refund rights, "
    "legal basis and caveats. Give every leg of ONE booking in travel order, the cause if the "
    "airline stated one, the final arrival after a diversion or re-routing, and whether the "
    "ticket was refunded. Not legal advice; say so when answering.",
    PassengerRightsInput,
    RightsReport,
    irops_operations.passenger_rights,
    irops_formatting.rights_summary,
)
FIND_ALTERNATIVE_FLIGHTS = ToolSpec(
    "find_alternative_flights",
    "Scheduled flights between two airports on a date within a local departure window, "
    "earliest first: candidates for rebooking after a cancellation or a missed connection. "
    "Not for the status of a known flight.",
    FindAlternativeFlightsInput,
    AlternativesResult,
    irops_operations.alternative_flights,
    irops_formatting.alternatives_summary,
)

TOOL_SPECS: tuple[ToolSpec[Any, Any], ...] = (
    GET_FLIGHT_STATUS,
    BATCH_STATUS,
    PROVIDER_HEALTH,
    CHECK_CONNECTION,
    ASSESS_DISRUPTION,
    PASSENGER_RIGHTS,
    FIND_ALTERNATIVE_FLIGHTS,
)
"""Every tool, in the order an agent should consider them."""
