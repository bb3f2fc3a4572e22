"""The desk's side of the flight service: watching legs and reading their latest records.

The service runs on the toolkit's own loop; the desk's code is synchronous and runs on worker
threads, so each call here is one hop onto that loop (``runner.call_sync``). ``latest`` reads
every leg an event (or a starting desk) needs in one hop, concurrently, rather than one hop and
one Redis round trip after another per trip and leg: an event costs the desk one hop and one
read per distinct leg, however many trips fly it (``benchmarks/bench_desk.py`` counts the
round trips per event and how late the service's loop runs).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from flight_agent.errors import FlightDataError
from flight_agent.flight_query import FlightQuery
from flight_agent.models import FlightStatusData
from flight_agent.services import EnhancedFlightMonitoringService
from graphs.desk.trips import Trip, leg_day, leg_key
from tools import FlightToolkit
from tools.schemas import FlightRef


class Legs:
    """The legs of the desk's trips on the flight service.

    Args:
        toolkit: The flight tools and their service, on the toolkit's own loop.
    """

    def __init__(self, toolkit: FlightToolkit) -> None:
        self.toolkit = toolkit

    def watch(self, leg: FlightRef) -> None:
        """Have the monitor watch a leg (the first lookup is made and cached now)."""

        async def watch(service: EnhancedFlightMonitoringService) -> None:
            await service.watch(leg.flight_number, leg_day(leg), origin=leg.origin)

        self.toolkit.runner.call_sync(watch)

    def unwatch(self, leg: FlightRef) -> None:
        """Stop watching a leg."""

        async def unwatch(service: EnhancedFlightMonitoringService) -> None:
            await service.unwatch(leg.flight_number, leg_day(leg), origin=leg.origin)

        self.toolkit.runner.call_sync(unwatch)

    def latest(self, trips: Sequence[Trip]) -> dict[str, list[FlightStatusData]]:
        """The latest record of every leg of ``trips`` that has one, by trip, in travel order:
        the monitor's last poll, or before its first poll the cached lookup (the one ``watch``
        just made). One call on the service's loop reads every distinct leg at once, so an
        event costs one hop and one concurrent read per leg, however many trips fly it."""
        queries = {
            leg_key(leg.flight_number, leg_day(leg)): FlightQuery.parse(
                leg.flight_number, leg_day(leg), origin=leg.origin
            )
            for trip in trips
            for leg in trip.legs
        }

        async def latest(
            service: EnhancedFlightMonitoringService,
        ) -> list[FlightStatusData | None]:
            async def one(query: FlightQuery) -> FlightStatusData | None:
                try:
                    return await service.last_snapshot(query) or await service.get_status(query)
                except FlightDataError:  # no provider answers: judged on the other legs
                    return None

            return list(await asyncio.gather(*(one(query) for query in queries.values())))

        found = dict(zip(queries, self.toolkit.runner.call_sync(latest), strict=True))
        return {
            trip.id: [record for key in trip.leg_keys if (record := found[key]) is not None]
            for trip in trips
        }
