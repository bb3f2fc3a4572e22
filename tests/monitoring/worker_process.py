"""A monitor worker in a process of its own, for the test that kills one mid-pass.

``python -m tests.monitoring.worker_process REDIS_URL START`` runs one pass of a
``FlightMonitor`` over the Redis watch store, on a fake clock stopped at ``START`` (ISO 8601), with
the lease of ``FLIGHT_AGENT_MONITOR_LEASE_SECONDS``. Flights with an even number are answered and
saved (``saved KEY`` on stdout once stored); flights with an odd number hang for good
(``hanging KEY`` once claimed and asked for), so the process holds their claims until it is
killed.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Sequence
from datetime import datetime, timedelta

from redis.asyncio import Redis

from flight_agent.changes import FlightChange
from flight_agent.clock import FakeClock
from flight_agent.flight_query import FlightQuery
from flight_agent.models import FlightStatusData
from flight_agent.monitoring import FlightMonitor, WatchState
from flight_agent.settings import Settings
from tests.monitoring.records import record


def say(line: str) -> None:
    """One line to the test, at once."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


class HalfAnswering:
    """Answers flights with an even number; hangs on the others."""

    async def get(
        self, query: FlightQuery, *, refresh: bool = False, batch: bool = False
    ) -> FlightStatusData | None:
        if int(query.flight_id[2:]) % 2:
            say(f"hanging {query.flight_id}")
            await asyncio.Event().wait()
        return record(flight_id=query.flight_id)

    async def store(self, query: FlightQuery, record: FlightStatusData) -> None:
        """No boards here: nothing to store."""


async def main(url: str, start: str) -> None:
    lease = timedelta(seconds=Settings().flight_agent_monitor_lease_seconds)
    clock = FakeClock(datetime.fromisoformat(start))
    monitor = FlightMonitor(HalfAnswering(), redis=Redis.from_url(url), clock=clock, lease=lease)
    save = monitor.store.save

    async def reporting(state: WatchState, changes: Sequence[FlightChange] = ()) -> bool:
        saved = await save(state, changes)
        say(f"saved {state.key}")
        return saved

    monitor.store.save = reporting  # type: ignore[method-assign]
    await monitor.poll_due()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
