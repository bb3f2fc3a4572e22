"""``flight-agent watch``: follow flights' change events until told to stop."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date

from flight_agent.monitoring import FlightChange
from flight_agent.services import EnhancedFlightMonitoringService
from tools.payloads import ResolvedFlight


async def follow(
    service: EnhancedFlightMonitoringService,
    flights: list[ResolvedFlight],
    emit: Callable[[FlightChange], None],
    *,
    max_events: int | None = None,
    seconds: float | None = None,
) -> None:
    """Watch ``flights`` on a started service and hand each change to ``emit``.

    Only these flights' changes are emitted (with Redis, this process's monitor also polls
    flights other processes watch). Flights this call starts watching are unwatched on the
    way out; ones already watched (by another process sharing Redis) stay watched.

    Args:
        service: The service; its monitor must be running (``start()``).
        flights: The flights, with their dates resolved.
        emit: Called with each change, in order.
        max_events: Return after this many changes (None: no limit).
        seconds: Give up after this long (None: no limit).

    Raises:
        TimeoutError: ``seconds`` passed first.
        FlightDataError: A flight could not be checked before watching it.
    """
    changes = service.changes()  # subscribe first: no change slips past
    already = {state.key for state in await service.watched()}
    added: list[ResolvedFlight] = []
    wanted: set[tuple[str, date]] = set()
    try:
        for flight in flights:
            state = await service.watch(flight.flight_number, flight.date, origin=flight.origin)
            wanted.add((state.watch.flight_id, state.watch.flight_date))
            if state.key not in already:
                added.append(flight)
        count = 0
        async with asyncio.timeout(seconds):
            async for change in changes:
                if (change.flight_id, change.flight_date) not in wanted:
                    continue
                emit(change)
                count += 1
                if count == max_events:
                    return
    finally:
        changes.close()
        for flight in added:
            await service.unwatch(flight.flight_number, flight.date, origin=flight.origin)
