"""A toolkit over the simulated provider, shared by the tool tests."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from pydantic import BaseModel

from flight_agent.clock import SYSTEM_CLOCK, Clock, FakeClock
from flight_agent.providers import MockFlightDataProvider
from flight_agent.services import EnhancedFlightMonitoringService
from flight_agent.settings import Settings
from tools import FlightToolkit
from tools.specs import ToolSpec


def simulated_toolkit(clock: Clock = SYSTEM_CLOCK) -> FlightToolkit:
    """Tools over a fresh service on the simulated provider, memory cache, no Redis."""
    mock = MockFlightDataProvider("Simulated", clock=clock)
    service = EnhancedFlightMonitoringService(
        providers=[mock], settings=Settings(redis_url=None), clock=clock
    )
    return FlightToolkit(service=service)


NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
"""The tool tests' present: their flights on 2026-11-28 and 2026-11-29 have not yet flown."""


class Echo(BaseModel):
    """Arguments and result of a tool added in the tests."""

    flight_number: str


async def echo(service: EnhancedFlightMonitoringService, args: Echo) -> Echo:
    return args


ECHO = ToolSpec(
    "echo_flight", "Repeats a flight number.", Echo, Echo, echo, lambda r: r.flight_number
)
"""A tool a newcomer might add: one spec and its operation."""


@pytest.fixture
def toolkit() -> Iterator[FlightToolkit]:
    kit = simulated_toolkit(FakeClock(NOW))
    yield kit
    kit.close()


@pytest.fixture
def mock(toolkit: FlightToolkit) -> MockFlightDataProvider:
    provider = toolkit.runner.service.failover_manager.providers[0]
    assert isinstance(provider, MockFlightDataProvider)
    return provider
