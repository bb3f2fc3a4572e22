"""The tool specs: one list from which every face of every tool is derived."""

from __future__ import annotations

import inspect
import re
from pathlib import Path
from typing import Any, cast

import pytest

import tools
import tools.langchain_tools
from flight_agent.clock import FakeClock
from flight_agent.providers import MockFlightDataProvider
from flight_agent.services import EnhancedFlightMonitoringService
from flight_agent.settings import Settings
from graphs.checkpoints import STATE_ROOTS
from graphs.report import IropsReport
from tests.tools.conftest import ECHO, NOW, Echo
from tools import FlightToolkit
from tools.specs import (
    ASSESS_DISRUPTION,
    BATCH_STATUS,
    CHECK_CONNECTION,
    FIND_ALTERNATIVE_FLIGHTS,
    GET_FLIGHT_STATUS,
    PASSENGER_RIGHTS,
    PROVIDER_HEALTH,
    TOOL_SPECS,
    ToolSpec,
)

ROOT = Path(__file__).resolve().parents[2]

EXAMPLES: dict[str, dict[str, Any]] = {
    GET_FLIGHT_STATUS.name: {"flight_number": "BA117", "date": "2026-11-29"},
    BATCH_STATUS.name: {"flights": [{"flight_number": "BA117"}, {"flight_number": "ZZ9999"}]},
    PROVIDER_HEALTH.name: {},
    CHECK_CONNECTION.name: {
        "inbound": {"flight_number": "BA117", "date": "2026-11-29"},
        "onward": {"flight_number": "AA100", "date": "2026-11-29", "origin": "JFK"},
    },
    ASSESS_DISRUPTION.name: {"flight_number": "QF1", "date": "2026-11-29"},
    PASSENGER_RIGHTS.name: {"flights": [{"flight_number": "AF6", "date": "2026-11-28"}]},
    FIND_ALTERNATIVE_FLIGHTS.name: {"origin": "LHR", "destination": "JFK", "date": "2026-11-29"},
}
"""Arguments each tool answers on the simulated provider at the tests' present."""


def test_the_langchain_tools_are_the_specs(toolkit: FlightToolkit) -> None:
    """Each tool has its spec's name, description and argument schema, in the specs' order."""
    faces = [
        (tool.name, tool.description, tool.args_schema, tool.response_format)
        for tool in toolkit.get_tools()
    ]
    specs = [
        (spec.name, spec.description, spec.args, "content_and_artifact") for spec in TOOL_SPECS
    ]
    assert faces == specs


def test_the_module_level_tools_are_the_specs() -> None:
    """``from tools import <name>`` gives the default tool of every spec, and nothing else."""
    assert list(tools.default_tools) == [spec.name for spec in TOOL_SPECS]
    for spec in TOOL_SPECS:
        assert getattr(tools, spec.name) is tools.default_tools[spec.name]
        assert spec.name in tools.__all__
    with pytest.raises(AttributeError, match="no attribute 'get_flight_statuses'"):
        _ = tools.get_flight_statuses


def test_a_checkpoint_restores_every_tool_result() -> None:
    """The checkpoint allow-list starts from the report and every spec's result model."""
    assert set(STATE_ROOTS) == {IropsReport, *(spec.result for spec in TOOL_SPECS)}


def test_each_tool_name_is_written_in_one_module() -> None:
    """Everything but the spec module takes a tool's name from its spec."""
    for spec in TOOL_SPECS:
        quoted = re.compile(rf"""["']{spec.name}["']""")
        holders = [
            str(path.relative_to(ROOT))
            for package in ("flight_agent", "tools", "graphs", "evals")
            for path in sorted((ROOT / package).rglob("*.py"))
            if quoted.search(path.read_text("utf-8"))
        ]
        assert holders == ["tools/specs.py"], spec.name


def test_an_added_spec_becomes_a_langchain_tool(
    toolkit: FlightToolkit, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Adding a tool takes one spec: the toolkit offers it with its text and typed artifact."""
    monkeypatch.setattr(tools.langchain_tools, "TOOL_SPECS", (*TOOL_SPECS, ECHO))
    tool = toolkit.get_tools()[-1]
    message = tool.invoke(
        {"type": "tool_call", "id": "1", "name": ECHO.name, "args": {"flight_number": "BA117"}}
    )
    assert (tool.name, tool.description) == (ECHO.name, ECHO.description)
    assert (message.content, message.artifact) == ("BA117", Echo(flight_number="BA117"))


class PublicMethodsOnly:
    """A service that lets its callers use its public methods and nothing else."""

    def __init__(self, service: EnhancedFlightMonitoringService) -> None:
        self._service = service

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._service, name)
        if name.startswith("_") or not inspect.ismethod(value):
            raise AssertionError(f"reached into service.{name}, which is not a public method")
        return value


@pytest.mark.parametrize("spec", TOOL_SPECS, ids=lambda spec: spec.name)
async def test_every_operation_calls_the_services_public_methods_only(
    spec: ToolSpec[Any, Any],
) -> None:
    """The service is the tools' one facade: no operation reaches into its parts."""
    clock = FakeClock(NOW)
    service = EnhancedFlightMonitoringService(
        providers=[MockFlightDataProvider("Simulated", clock=clock)],
        settings=Settings(redis_url=None),
        clock=clock,
    )
    facade = cast(EnhancedFlightMonitoringService, PublicMethodsOnly(service))
    try:
        result = await spec.run(facade, spec.args.model_validate(EXAMPLES[spec.name]))
    finally:
        await service.aclose()
    assert isinstance(result, spec.result)
