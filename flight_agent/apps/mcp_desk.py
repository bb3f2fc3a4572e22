"""The disruption desk's MCP tools: trips and cases, next to the flight tools.

``desk_tools(slot)`` gives ``list_trips``, ``get_trip``, ``list_cases`` and ``get_case``
(read-only), ``add_trip`` (a write), ``remove_trip`` and ``decide_case`` (destructive writes:
they unwatch flights, close cases, approve or reject actions). Their annotations say so, and
over HTTP they sit behind the same bearer-token rule as every tool (a token is required off
loopback). The desk (``graphs.desk.open_desk``: ``DATABASE_URL`` or the SQLite file) opens on
the first call; its calls are synchronous, so each runs on a worker thread. Desk errors come
back as MCP error results whose text says what to do.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable
from typing import Any, Literal, TypeVar

from mcp.server.fastmcp.exceptions import ToolError
from mcp.server.fastmcp.tools import Tool
from mcp.types import ToolAnnotations

from flight_agent.errors import FlightDataError
from graphs.desk import CaseStatus, Desk
from graphs.desk.session import open_desk

T = TypeVar("T")

DESK_READ = ToolAnnotations(readOnlyHint=True, idempotentHint=True, openWorldHint=False)
DESK_WRITE = ToolAnnotations(
    readOnlyHint=False, destructiveHint=False, idempotentHint=False, openWorldHint=True
)
DESK_DESTRUCTIVE = ToolAnnotations(
    readOnlyHint=False, destructiveHint=True, idempotentHint=False, openWorldHint=False
)


class DeskSlot:
    """The server's desk: the given one, or one opened from settings on first use.

    Args:
        desk: Use this desk (the caller closes it).
        database: Where to open one (``DeskSettings().desk_database()`` when None).
    """

    def __init__(self, desk: Desk | None = None, database: str | None = None) -> None:
        self._desk = desk
        self._database = database
        self._stack = contextlib.ExitStack()
        self._lock = threading.Lock()

    def get(self) -> Desk:
        """The desk, opened now if it was not yet."""
        with self._lock:
            if self._desk is None:
                self._desk = self._stack.enter_context(open_desk(self._database))
            return self._desk

    def opened(self) -> Desk | None:
        """The desk if it is open, without opening it."""
        with self._lock:
            return self._desk

    def close(self) -> None:
        """Close a desk this slot opened."""
        with self._lock:
            self._stack.close()


def desk_tools(slot: DeskSlot) -> list[Tool]:
    """The desk's MCP tools over ``slot``."""

    async def run(call: Callable[[Desk], T]) -> T:
        try:
            return await asyncio.to_thread(lambda: call(slot.get()))
        except FlightDataError as error:
            raise ToolError(str(error)) from None

    async def add_trip(
        legs: list[dict[str, str]],
        id: str | None = None,
        passengers: int = 1,
        label: str = "",
    ) -> dict[str, Any]:
        """Register a traveller's trip (1 to 6 legs, each {flight_number, date, origin?}) and
        watch its flights: a disruption then opens an IROPS case by itself."""
        request = {"id": id, "legs": legs, "passengers": passengers, "label": label}
        trip = await run(lambda desk: desk.add_trip(request))
        return trip.model_dump(mode="json")

    async def list_trips() -> dict[str, Any]:
        """Every trip the desk watches."""
        trips = await run(lambda desk: desk.trips())
        return {"trips": [trip.model_dump(mode="json") for trip in trips]}

    async def get_trip(trip_id: str) -> dict[str, Any]:
        """One trip and the ids of its cases."""

        def both(desk: Desk) -> dict[str, Any]:
            cases = [case.id for case in desk.cases(trip_id=trip_id)]
            return {"trip": desk.trip(trip_id).model_dump(mode="json"), "cases": cases}

        return await run(both)

    async def remove_trip(trip_id: str) -> dict[str, Any]:
        """Remove a trip: its live case closes and flights no other trip needs are unwatched."""
        trip = await run(lambda desk: desk.remove_trip(trip_id))
        return {"removed": trip.id}

    async def list_cases(
        status: CaseStatus | None = None, trip_id: str | None = None
    ) -> dict[str, Any]:
        """The IROPS cases, oldest first; filter by status (e.g. awaiting_approval) or trip."""
        cases = await run(lambda desk: desk.cases(status=status, trip_id=trip_id))
        return {"cases": [case.model_dump(mode="json") for case in cases]}

    async def get_case(case_id: str) -> dict[str, Any]:
        """One case: its status, what the IROPS graph found (disruptions with evidence,
        connection verdicts, rights per regime), the actions awaiting approval, the report and
        its history."""

        def everything(desk: Desk) -> dict[str, Any]:
            case = desk.case(case_id)
            return {
                "case": case.model_dump(mode="json"),
                "findings": desk.case_findings(case_id).as_json(),
                "history": [entry.model_dump(mode="json") for entry in desk.history(case_id)],
            }

        return await run(everything)

    async def decide_case(
        case_id: str,
        decision: Literal["approve", "reject"],
        actions: list[str] | None = None,
        reason: str | None = None,
    ) -> dict[str, Any]:
        """Decide a case awaiting approval: approve all its actions (or only the action ids in
        ``actions``) or reject them (with a reason); the IROPS graph resumes from its
        checkpoint. A case takes one decision: a second one is refused."""
        if decision == "approve":
            case = await run(lambda desk: desk.approve(case_id, actions))
        else:
            case = await run(lambda desk: desk.reject(case_id, reason))
        return case.model_dump(mode="json")

    tools: list[tuple[Callable[..., Any], ToolAnnotations]] = [
        (add_trip, DESK_WRITE),
        (list_trips, DESK_READ),
        (get_trip, DESK_READ),
        (remove_trip, DESK_DESTRUCTIVE),
        (list_cases, DESK_READ),
        (get_case, DESK_READ),
        (decide_case, DESK_DESTRUCTIVE),
    ]
    return [
        Tool.from_function(fn, name=fn.__name__, annotations=annotations, structured_output=True)
        for fn, annotations in tools
    ]
