"""What the earlier turns of a conversation established, for the offline model's next move.

``remember`` reads the turns before the current one: the flights last talked about (from the
traveller's words and the model's own tool calls), a return flight, the last tool asked for,
the last search, routes seen in tool results, and the request the model last answered with a
question (with what that question offered to do). Tool results are read only for well-formed
routes, never for what to do next.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage

from flight_agent.airports import find_airport
from graphs.offline.clarified import completed
from graphs.offline.flights import find_flights
from graphs.offline.intents import FlightMention, Request, read_request
from graphs.offline.keywords import Intent, intent_of
from tools.payloads import (
    BatchStatusResult,
    ConnectionResult,
    DisruptionReport,
    FlightStatusResult,
    RightsReport,
)
from tools.schemas import DATE_PATTERN
from tools.specs import (
    ASSESS_DISRUPTION,
    BATCH_STATUS,
    CHECK_CONNECTION,
    FIND_ALTERNATIVE_FLIGHTS,
    GET_FLIGHT_STATUS,
    PASSENGER_RIGHTS,
    PROVIDER_HEALTH,
)

TOOL_INTENTS = {
    GET_FLIGHT_STATUS.name: Intent.STATUS,
    BATCH_STATUS.name: Intent.STATUS,
    PROVIDER_HEALTH.name: Intent.HEALTH,
    CHECK_CONNECTION.name: Intent.CONNECTION,
    ASSESS_DISRUPTION.name: Intent.DISRUPTION,
    PASSENGER_RIGHTS.name: Intent.RIGHTS,
    FIND_ALTERNATIVE_FLIGHTS.name: Intent.ALTERNATIVES,
}

_ROUTE_LINE = re.compile(
    r"^(?:[0-9]+\. |Inbound: |Onward: )?(?P<flight>[A-Z0-9]{2,3}[0-9]{1,4}[A-Z]?) "
    r"(?P<origin>[A-Z]{3,4})->(?P<destination>[A-Z]{3,4}) (?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2}):",
    re.M,
)


_ROUTE_TEXT = re.compile(
    r"\b(?P<flight>[A-Z0-9]{2}[0-9]{1,4}[A-Z]?) (?P<origin>[A-Z]{3})(?: [0-9]{1,2}:[0-9]{2}"
    r"(?:\+[0-9])?)? ?(?:->|\u2192) ?(?P<destination>[A-Z]{3})\b"
)
"""A route as a result's text may write it without a date: 'AF6 JFK 18:30 -> CDG 07:45+1'."""


@dataclass(frozen=True, slots=True)
class Route:
    """Where and when a flight seen in a tool result flies (when the result gives the day)."""

    origin: str
    destination: str
    date: str | None = None


@dataclass
class Memory:
    """What the earlier turns established."""

    flights: tuple[FlightMention, ...] = ()
    return_flights: tuple[FlightMention, ...] = ()
    intent: Intent | None = None
    routes: dict[str, Route] = field(default_factory=dict)
    itinerary: tuple[FlightMention, ...] = ()
    """The flights of the last message that named several, with where each lands."""
    search: dict[str, Any] = field(default_factory=dict)
    """The arguments of the last search for alternative flights."""
    results: tuple[ToolMessage, ...] = ()
    """The results of the last tool calls."""
    pending: Request | None = None
    """The last request the assistant answered with a question, not a tool call."""
    offered: Intent | None = None
    """What that question offered to do ('Would you like me to check what you're owed?')."""


def remember(messages: Sequence[BaseMessage], now: dt.datetime) -> Memory:
    """What ``messages`` (the turns before the current one) say about flights and intent."""
    memory = Memory()
    asked: Request | None = None
    for message in messages:
        if isinstance(message, HumanMessage):
            request = asked = completed(
                read_request(message.text, now), memory.pending, memory.offered
            )
            if request.flights:
                memory.flights = asked_flights(request.flights)
            if len(request.flights) > 1:
                memory.itinerary = request.flights
            returns = tuple(f for f in request.flights if f.is_return)
            memory.return_flights = returns or memory.return_flights
        elif isinstance(message, AIMessage) and not message.tool_calls:
            memory.pending, asked = asked, None
            memory.offered = intent_of(message.text, 0) if "?" in message.text else None
        elif isinstance(message, AIMessage):
            memory.pending = asked = None
            memory.offered = None
            memory.results = ()
            for call in message.tool_calls:
                if call["name"] == FIND_ALTERNATIVE_FLIGHTS.name:
                    memory.search = dict(call["args"])
                memory.intent = TOOL_INTENTS.get(call["name"], memory.intent)
                flights = _flights_in(call["args"])
                memory.flights = flights or memory.flights
        elif isinstance(message, ToolMessage):
            asked = None
            memory.routes.update(_routes(message))
            memory.results += (message,)
    return memory


def asked_flights(flights: tuple[FlightMention, ...]) -> tuple[FlightMention, ...]:
    """The flights a turn asks about: a return flight mentioned beside others is context."""
    outbound = tuple(f for f in flights if not f.is_return)
    return outbound or flights


def _flights_in(args: dict[str, Any]) -> tuple[FlightMention, ...]:
    """The well-formed flights in a tool call's arguments (a model's, so maybe a bad one)."""
    refs: list[Any] = [args]
    if isinstance(args.get("flights"), list):
        refs = args["flights"]
    elif "inbound" in args or "onward" in args:
        refs = [args.get("inbound"), args.get("onward")]
    found = []
    for ref in refs:
        if not isinstance(ref, dict) or not isinstance(ref.get("flight_number"), str):
            continue
        designators = find_flights(ref["flight_number"])
        if designators:
            date, origin = ref.get("date"), ref.get("origin")
            found.append(
                FlightMention(
                    designators[0][0],
                    date if isinstance(date, str) and re.match(DATE_PATTERN, date) else None,
                    origin if isinstance(origin, str) and find_airport(origin) else None,
                )
            )
    return tuple(found)


def _routes(message: ToolMessage) -> dict[str, Route]:
    """Routes of the flights in a tool result: from its payload, else from its text (lines
    with the day, else routes written without it)."""
    artifact = message.artifact
    records = []
    if isinstance(artifact, FlightStatusResult | DisruptionReport):
        records = [artifact.flight]
    elif isinstance(artifact, BatchStatusResult):
        records = [item.flight for item in artifact.items if item.flight is not None]
    elif isinstance(artifact, ConnectionResult):
        records = [artifact.inbound, artifact.onward]
    elif isinstance(artifact, RightsReport):
        records = list(artifact.legs)
    if records:
        return {
            r.flight_id: Route(r.origin.code, r.destination.code, r.flight_date.isoformat())
            for r in records
        }
    dated = {
        match["flight"]: Route(match["origin"], match["destination"], match["date"])
        for match in _ROUTE_LINE.finditer(message.text)
    }
    undated = {
        match["flight"]: Route(match["origin"], match["destination"])
        for match in _ROUTE_TEXT.finditer(message.text)
        if find_airport(match["origin"]) and find_airport(match["destination"])
    }
    return undated | dated


def day_of(memory: Memory) -> str | None:
    """The day the last lookup was about: the last search's after a search, else the day of the
    flight last talked about; what 'the day after' counts from."""
    if memory.intent is Intent.ALTERNATIVES and memory.search.get("date"):
        return str(memory.search["date"])
    return memory.flights[0].date if memory.flights else None


def zone_of(memory: Memory) -> dt.tzinfo | None:
    """The zone of the origin of the flight last talked about, when a tool result gave it."""
    route = memory.routes.get(memory.flights[0].flight_number) if memory.flights else None
    airport = find_airport(route.origin) if route else None
    return airport.zone if airport is not None else None
