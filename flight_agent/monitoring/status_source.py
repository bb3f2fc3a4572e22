"""Where the monitor's records come from: the cache first, then the providers."""

from __future__ import annotations

from typing import Protocol

from flight_agent.flight_query import FlightQuery
from flight_agent.models import FlightStatusData


class StatusSource(Protocol):
    """Where records come from: the cache first, then the providers (``StatusLookup``)."""

    async def get(
        self, query: FlightQuery, *, refresh: bool = False, batch: bool = False
    ) -> FlightStatusData | None: ...

    async def store(self, query: FlightQuery, record: FlightStatusData) -> None: ...
