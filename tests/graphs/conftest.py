"""Services over the simulated provider for the graph tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from flight_agent.clock import SYSTEM_CLOCK, Clock
from flight_agent.providers import FlightDataProvider, MockFlightDataProvider
from flight_agent.services import EnhancedFlightMonitoringService
from flight_agent.settings import Settings
from tools import close_shared_toolkits


@pytest.fixture(autouse=True)
def _close_shared_toolkits() -> Iterator[None]:
    """Graphs built without tools share a toolkit per service; each test closes its own."""
    yield
    close_shared_toolkits()


def simulated_service(
    *providers: FlightDataProvider, clock: Clock = SYSTEM_CLOCK
) -> EnhancedFlightMonitoringService:
    """A service on the given providers (one simulated provider by default), memory only."""
    chosen = list(providers) or [MockFlightDataProvider("Simulated", clock=clock)]
    return EnhancedFlightMonitoringService(
        providers=chosen, settings=Settings(redis_url=None), clock=clock
    )
