"""The LangChain face of the tools: one ``StructuredTool`` per entry of ``TOOL_SPECS``.

Each tool has a sync and an async path over one ``ServiceRunner``; it returns
``(compact text, typed result)`` (``response_format="content_and_artifact"``), and bad
arguments and flight errors the model can act on come back as tool errors with a hint.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from langchain_core.tools import BaseTool
from pydantic import BaseModel

from flight_agent.errors import FlightDataError
from flight_agent.services import EnhancedFlightMonitoringService
from tools.errors import invalid_arguments, tool_error
from tools.fast_tool import FastTool
from tools.service_runner import ServiceRunner
from tools.specs import TOOL_SPECS, A, R, ToolSpec


def make_tools(runner: ServiceRunner) -> list[BaseTool]:
    """Every tool bound to ``runner``, in the order of ``TOOL_SPECS``."""
    return [langchain_tool(spec, runner) for spec in TOOL_SPECS]


def langchain_tool(spec: ToolSpec[A, R], runner: ServiceRunner) -> BaseTool:
    """The LangChain tool of ``spec``, running its operation on ``runner``'s service."""

    def operation(
        arguments: dict[str, Any],
    ) -> Callable[[EnhancedFlightMonitoringService], Awaitable[R]]:
        args = spec.args.model_validate(arguments)
        return lambda service: spec.run(service, args)

    def run(**arguments: Any) -> tuple[str, BaseModel]:
        try:
            result = runner.call_sync(operation(arguments))
        except FlightDataError as error:
            raise tool_error(error) from error
        return spec.summarize(result), result

    async def arun(**arguments: Any) -> tuple[str, BaseModel]:
        try:
            result = await runner.call(operation(arguments))
        except FlightDataError as error:
            raise tool_error(error) from error
        return spec.summarize(result), result

    return FastTool.from_function(
        func=run,
        coroutine=arun,
        name=spec.name,
        description=spec.description,
        args_schema=spec.args,
        response_format="content_and_artifact",
        handle_tool_error=True,
        handle_validation_error=invalid_arguments(spec.args),
    )
