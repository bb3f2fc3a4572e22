"""A monitor worker process killed mid-pass loses nothing: what it saved stays saved, and its
claims come back to the other workers exactly when the lease setting ends, each flight polled
once. The dying worker is a real process (``worker_process``) killed with SIGKILL; both workers
run fake clocks stopped at the same instant, so the lease is crossed without sleeping."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from redis.asyncio import Redis

from flight_agent.clock import FakeClock
from flight_agent.flight_query import FlightQuery
from flight_agent.models import FlightStatusData
from flight_agent.monitoring import FlightMonitor, RedisWatchStore, Watch
from tests.conftest import RedisServer
from tests.monitoring.records import DAY, NOON, record

ROOT = Path(__file__).resolve().parents[2]
LEASE_SETTING = "FLIGHT_AGENT_MONITOR_LEASE_SECONDS"
FLIGHTS = 20


class CountingLookup:
    """Answers every flight, counting the calls per flight."""

    def __init__(self) -> None:
        self.asked: Counter[str] = Counter()

    async def get(
        self, query: FlightQuery, *, refresh: bool = False, batch: bool = False
    ) -> FlightStatusData | None:
        self.asked[query.flight_id] += 1
        return record(flight_id=query.flight_id)

    async def store(self, query: FlightQuery, record: FlightStatusData) -> None:
        """No boards here: nothing to store."""


async def killed_mid_pass(url: str, lease_s: float) -> tuple[set[str], set[str]]:
    """Run a worker process until it saved the even flights and hangs on the odd ones' polls,
    then SIGKILL it; returns the keys it saved and the flights it held."""
    environment = os.environ | {LEASE_SETTING: str(lease_s)}
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.monitoring.worker_process",
        url,
        NOON.isoformat(),
        cwd=ROOT,
        env=environment,
        stdout=asyncio.subprocess.PIPE,
    )
    assert child.stdout is not None
    said: dict[str, set[str]] = {"saved": set(), "hanging": set()}
    try:
        while len(said["saved"]) + len(said["hanging"]) < FLIGHTS:
            line = await asyncio.wait_for(child.stdout.readline(), timeout=30)
            assert line, "the worker process ended before its pass was under way"
            what, name = line.decode().split()
            said[what].add(name)
    finally:
        child.send_signal(signal.SIGKILL)
        await child.wait()
    assert child.returncode == -signal.SIGKILL
    return said["saved"], said["hanging"]


@pytest.mark.parametrize("lease_s", [45.0, 120.0])
async def test_a_worker_killed_mid_pass_loses_nothing(
    private_redis: RedisServer, lease_s: float
) -> None:
    """Twenty flights: the killed worker saved the ten even ones and held the ten odd ones.
    The surviving worker sees none due until the lease ends, then polls exactly the ten held
    ones, each once; afterwards every flight has its snapshot."""
    clock = FakeClock(NOON)
    store = RedisWatchStore(private_redis.url, clock=clock)
    for number in range(1, FLIGHTS + 1):
        await store.add(Watch(flight_id=f"BA{number}", flight_date=DAY))
    saved, held = await killed_mid_pass(private_redis.url, lease_s)
    assert saved == {f"BA{n}:{DAY.isoformat()}" for n in range(2, FLIGHTS + 1, 2)}
    assert held == {f"BA{n}" for n in range(1, FLIGHTS + 1, 2)}

    lookup = CountingLookup()
    client = Redis.from_url(private_redis.url)
    survivor = FlightMonitor(lookup, redis=client, clock=clock, lease=timedelta(seconds=lease_s))
    await survivor.poll_due()
    clock.advance(lease_s - 1e-3)
    await survivor.poll_due()
    assert lookup.asked == Counter()
    clock.advance(1e-3)
    await survivor.poll_due()
    assert lookup.asked == Counter(held)
    await survivor.poll_due()
    assert lookup.asked.total() == len(held)  # a second pass at the same instant polls none

    states = await store.list_all()
    assert len(states) == FLIGHTS
    assert all(state.last_snapshot is not None for state in states)
    assert all(state.version == 1 for state in states)
    await client.aclose()
    await store.aclose()
