"""The flight-status tools: ``get_flight_status``, ``batch_status`` and ``provider_health``.

Each is a ``StructuredTool`` with a sync and an async path over one ``ServiceRunner``; it returns
``(compact text, typed payload)`` (``response_format="content_and_artifact"``), and errors the
model can act on come back as tool errors with a hint.
"""

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from langchain_core.tools import BaseTool, StructuredTool
from pydantic import BaseModel

from flight_agent.errors import FlightDataError
from flight_agent.services import EnhancedFlightMonitoringService
from tools import formatting, operations
from tools.errors import invalid_arguments, tool_error
from tools.schemas import (
    MAX_BATCH,
    BatchStatusInput,
    FlightRef,
    GetFlightStatusInput,
    ProviderHealthInput,
)
from tools.service_runner import ServiceRunner

P = TypeVar("P", bound=BaseModel)

Operation = Callable[[EnhancedFlightMonitoringService], Awaitable[P]]

GET_FLIGHT_STATUS = (
    "Live status of ONE flight on ONE date: departure and arrival times (local and UTC), "
    "delay, gates, terminals, cancellation or diversion, aircraft, and which provider answered "
    "and how old the data is. Use it whenever a traveller asks about a specific flight. "
    "For two or more flights use batch_status; for connections use check_connection."
)
BATCH_STATUS = (
    f"Status of several flights (up to {MAX_BATCH}) in one call, e.g. every leg of an "
    "itinerary or a list of departures. Each flight answers on its own line; one unknown or "
    "failed flight does not spoil the others. For a single flight use get_flight_status."
)
PROVIDER_HEALTH = (
    "Health of the flight-data providers: circuit state (closed = healthy, open = skipped), "
    "success rate, p95 latency, last error and cool-down. Use it to explain missing or stale "
    "data, or when asked which data source is up. It does not give any flight's status."
)


def content_and_artifact(
    runner: ServiceRunner, summarize: Callable[[P], str]
) -> tuple[
    Callable[[Operation[P]], tuple[str, P]],
    Callable[[Operation[P]], Awaitable[tuple[str, P]]],
]:
    """Sync and async runners of an operation that turn flight errors into tool errors."""

    def run(operation: Operation[P]) -> tuple[str, P]:
        try:
            payload = runner.call_sync(operation)
        except FlightDataError as error:
            raise tool_error(error) from error
        return summarize(payload), payload

    async def arun(operation: Operation[P]) -> tuple[str, P]:
        try:
            payload = await runner.call(operation)
        except FlightDataError as error:
            raise tool_error(error) from error
        return summarize(payload), payload

    return run, arun


class FlightTool(StructuredTool):
    """A ``StructuredTool`` that calls its function without inspecting it on every call.

    ``StructuredTool`` resolves its function's type hints on each call, to find a
    ``RunnableConfig`` parameter ours never take. This module keeps its annotations as objects
    (no ``from __future__ import annotations``), so LangChain's own look at these two methods
    stays cheap too.
    """

    def _run(self, *args: Any, **kwargs: Any) -> Any:
        assert self.func is not None
        return self.func(*args, **kwargs)

    async def _arun(self, *args: Any, **kwargs: Any) -> Any:
        assert self.coroutine is not None
        return await self.coroutine(*args, **kwargs)


def structured_tool(
    name: str,
    description: str,
    schema: type[BaseModel],
    func: Callable[..., Any],
    coroutine: Callable[..., Awaitable[Any]],
) -> StructuredTool:
    """A tool with both invocation paths, typed args and content plus artifact."""
    return FlightTool.from_function(
        func=func,
        coroutine=coroutine,
        name=name,
        description=description,
        args_schema=schema,
        response_format="content_and_artifact",
        handle_tool_error=True,
        handle_validation_error=invalid_arguments(schema),
    )


def make_flight_tools(runner: ServiceRunner) -> list[BaseTool]:
    """``get_flight_status``, ``batch_status`` and ``provider_health`` bound to ``runner``."""
    status_run, status_arun = content_and_artifact(runner, formatting.flight_summary)
    batch_run, batch_arun = content_and_artifact(runner, formatting.batch_summary)
    health_run, health_arun = content_and_artifact(runner, formatting.health_summary)

    def status_op(args: dict[str, Any]) -> Operation[Any]:
        ref = FlightRef(**args)
        return lambda service: operations.flight_status(service, ref)

    def batch_op(flights: list[Any]) -> Operation[Any]:
        refs = [FlightRef.model_validate(f, from_attributes=True) for f in flights]
        return lambda service: operations.batch_status(service, refs)

    def health_op(provider: str | None) -> Operation[Any]:
        async def op(service: EnhancedFlightMonitoringService) -> Any:
            return operations.provider_health(service, provider)

        return op

    def get_flight_status(
        flight_number: str, date: str | None = None, origin: str | None = None
    ) -> tuple[str, Any]:
        return status_run(
            status_op({"flight_number": flight_number, "date": date, "origin": origin})
        )

    async def aget_flight_status(
        flight_number: str, date: str | None = None, origin: str | None = None
    ) -> tuple[str, Any]:
        args = {"flight_number": flight_number, "date": date, "origin": origin}
        return await status_arun(status_op(args))

    def batch_status(flights: list[Any]) -> tuple[str, Any]:
        return batch_run(batch_op(flights))

    async def abatch_status(flights: list[Any]) -> tuple[str, Any]:
        return await batch_arun(batch_op(flights))

    def provider_health(provider: str | None = None) -> tuple[str, Any]:
        return health_run(health_op(provider))

    async def aprovider_health(provider: str | None = None) -> tuple[str, Any]:
        return await health_arun(health_op(provider))

    return [
        structured_tool(
            "get_flight_status",
            GET_FLIGHT_STATUS,
            GetFlightStatusInput,
            get_flight_status,
            aget_flight_status,
        ),
        structured_tool(
            "batch_status", BATCH_STATUS, BatchStatusInput, batch_status, abatch_status
        ),
        structured_tool(
            "provider_health",
            PROVIDER_HEALTH,
            ProviderHealthInput,
            provider_health,
            aprovider_health,
        ),
    ]
