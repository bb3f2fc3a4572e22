"""LangChain's standard tool tests, for every tool."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

import pytest
from langchain_core.tools import BaseTool
from langchain_tests.integration_tests import ToolsIntegrationTests
from langchain_tests.unit_tests import ToolsUnitTests

from tests.tools.conftest import simulated_toolkit

TOOLKIT = simulated_toolkit()
TOOLS = {tool.name: tool for tool in TOOLKIT.get_tools()}


@pytest.fixture(scope="module", autouse=True)
def _close_toolkit() -> Iterator[None]:
    yield
    TOOLKIT.close()


class StandardCase:
    name: str
    example: ClassVar[dict[str, Any]]

    @property
    def tool_constructor(self) -> BaseTool:
        return TOOLS[self.name]

    @property
    def tool_invoke_params_example(self) -> dict[str, Any]:
        return self.example


class GetFlightStatusCase(StandardCase):
    name = "get_flight_status"
    example: ClassVar[dict[str, Any]] = {"flight_number": "BA117", "date": "today", "origin": "LHR"}


class BatchStatusCase(StandardCase):
    name = "batch_status"
    example: ClassVar[dict[str, Any]] = {
        "flights": [{"flight_number": "BA117"}, {"flight_number": "AA100"}]
    }


class ProviderHealthCase(StandardCase):
    name = "provider_health"
    example: ClassVar[dict[str, Any]] = {"provider": "Simulated"}


class TestGetFlightStatusUnit(GetFlightStatusCase, ToolsUnitTests):
    """Standard unit checks of get_flight_status."""


class TestGetFlightStatusIntegration(GetFlightStatusCase, ToolsIntegrationTests):
    """Standard invocation checks of get_flight_status."""


class TestBatchStatusUnit(BatchStatusCase, ToolsUnitTests):
    """Standard unit checks of batch_status."""


class TestBatchStatusIntegration(BatchStatusCase, ToolsIntegrationTests):
    """Standard invocation checks of batch_status."""


class TestProviderHealthUnit(ProviderHealthCase, ToolsUnitTests):
    """Standard unit checks of provider_health."""


class TestProviderHealthIntegration(ProviderHealthCase, ToolsIntegrationTests):
    """Standard invocation checks of provider_health."""


class CheckConnectionCase(StandardCase):
    name = "check_connection"
    example: ClassVar[dict[str, Any]] = {
        "inbound": {"flight_number": "BA117", "date": "2026-11-29"},
        "onward": {"flight_number": "AA100", "date": "2026-11-29", "origin": "JFK"},
    }


class AssessDisruptionCase(StandardCase):
    name = "assess_disruption"
    example: ClassVar[dict[str, Any]] = {"flight_number": "QF1", "date": "2026-11-29"}


class PassengerRightsCase(StandardCase):
    name = "passenger_rights"
    example: ClassVar[dict[str, Any]] = {
        "flights": [{"flight_number": "AF6", "date": "2026-11-28"}],
        "cause": "unknown",
    }


class FindAlternativeFlightsCase(StandardCase):
    name = "find_alternative_flights"
    example: ClassVar[dict[str, Any]] = {
        "origin": "LHR",
        "destination": "JFK",
        "date": "2026-11-29",
        "earliest": "12:00",
    }


class TestCheckConnectionUnit(CheckConnectionCase, ToolsUnitTests):
    """Standard unit checks of check_connection."""


class TestCheckConnectionIntegration(CheckConnectionCase, ToolsIntegrationTests):
    """Standard invocation checks of check_connection."""


class TestAssessDisruptionUnit(AssessDisruptionCase, ToolsUnitTests):
    """Standard unit checks of assess_disruption."""


class TestAssessDisruptionIntegration(AssessDisruptionCase, ToolsIntegrationTests):
    """Standard invocation checks of assess_disruption."""


class TestPassengerRightsUnit(PassengerRightsCase, ToolsUnitTests):
    """Standard unit checks of passenger_rights."""


class TestPassengerRightsIntegration(PassengerRightsCase, ToolsIntegrationTests):
    """Standard invocation checks of passenger_rights."""


class TestFindAlternativeFlightsUnit(FindAlternativeFlightsCase, ToolsUnitTests):
    """Standard unit checks of find_alternative_flights."""


class TestFindAlternativeFlightsIntegration(FindAlternativeFlightsCase, ToolsIntegrationTests):
    """Standard invocation checks of find_alternative_flights."""
