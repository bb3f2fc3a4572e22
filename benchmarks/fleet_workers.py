"""The fleet benchmark's workers row: monitor worker processes sharing one Redis.

``WORKER_FLIGHTS`` flights, all due at once, in the real Redis (``BENCH_FLEET_REDIS_URL``,
default db 4), are polled by 1 to 4 monitor worker processes (``python -m
benchmarks.fleet_workers``, real clock) whose provider answers each call after
``UPSTREAM_LATENCY`` (a provider's round trip), until none is due. The row reports flights polled
per second against one worker, the CPU per poll, and checks that the workers together polled
every flight exactly once.
"""

from __future__ import annotations

import asyncio
import os
import random
import sys
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from redis.asyncio import Redis
from redis.exceptions import RedisError

from benchmarks.common import Section, Target
from benchmarks.scripted_world import DENSE, WATCH_START, build_script
from flight_agent.cache.base import KEY_NAMESPACE
from flight_agent.clock import SYSTEM_CLOCK
from flight_agent.flight_query import FlightQuery
from flight_agent.models import FlightStatusData
from flight_agent.monitoring import FlightMonitor, RedisWatchStore, Watch

REDIS_URL = os.environ.get("BENCH_FLEET_REDIS_URL", "redis://127.0.0.1:6379/4")
WORKER_FLIGHTS = 1_600
UPSTREAM_LATENCY = 0.2
"""Seconds each provider call of the scaling row takes."""
WORKER_COUNTS = (1, 2, 4)
ROOT = Path(__file__).resolve().parent.parent


class SlowProvider:
    """The scaling row's record source: every flight answers after ``latency`` seconds."""

    def __init__(self, latency: float) -> None:
        self.latency = latency
        departs = WATCH_START + timedelta(days=1)
        self._base = build_script("BA100", departs, random.Random(0), DENSE.airports)
        self.calls = 0

    async def get(
        self, query: FlightQuery, *, refresh: bool = False, batch: bool = False
    ) -> FlightStatusData | None:
        self.calls += 1
        await asyncio.sleep(self.latency)  # the provider's round trip
        first = self._base.states[0]
        return first.model_copy(
            update={
                "flight_id": query.flight_id,
                "ident_iata": query.flight_id,
                "flight_date": query.flight_date,
                "fetched_at": SYSTEM_CLOCK.now(),
            }
        )

    async def store(self, query: FlightQuery, record: FlightStatusData) -> None:
        """No boards here: nothing to store."""


async def _clear(redis: Redis, namespace: str) -> None:
    """Delete the monitor's keys of one run from the bench's Redis database."""
    keys = [key async for key in redis.scan_iter(match=f"{namespace}:monitor:*")]
    if keys:
        await redis.delete(*keys)


async def worker(latency: float, namespace: str) -> None:
    """One worker process: say ready, wait for the go (a line on stdin), poll until no flight
    is due, print the polls made and the CPU seconds they took."""
    redis = Redis.from_url(REDIS_URL)
    provider = SlowProvider(latency)
    monitor = FlightMonitor(provider, redis=redis, namespace=namespace)
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    await asyncio.to_thread(sys.stdin.readline)
    started = time.process_time()
    while await monitor.store.due(limit=1):
        await monitor.poll_due()
    sys.stdout.write(f"{monitor.polls} {time.process_time() - started}\n")
    sys.stdout.flush()
    await redis.aclose()


@dataclass(frozen=True, slots=True)
class WorkersRun:
    """What one count of worker processes measured."""

    seconds: float
    polls: int
    cpu: float
    polled_twice: int


async def polled_by(workers: int, flights: int, latency: float) -> WorkersRun:
    """How long ``workers`` worker processes take to poll ``flights`` due flights, the polls
    and CPU seconds they spent, and how many flights were polled more than once."""
    redis = Redis.from_url(REDIS_URL)
    namespace = f"{KEY_NAMESPACE}-bench-{uuid.uuid4().hex[:8]}"  # runs side by side never meet
    store = RedisWatchStore(redis, namespace=namespace)
    day = (WATCH_START + timedelta(days=1)).date()
    for ident in DENSE.designators(flights):
        await store.add(Watch(flight_id=ident, flight_date=day))
    children = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "benchmarks.fleet_workers",
            str(latency),
            namespace,
            cwd=ROOT,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
        )
        for _ in range(workers)
    ]
    try:
        for child in children:
            assert child.stdout is not None
            said = await asyncio.wait_for(child.stdout.readline(), 60)
            if said.strip() != b"ready":
                raise RuntimeError(f"a monitor worker did not start (said {said!r})")
        started = time.perf_counter()
        for child in children:
            assert child.stdin is not None
            child.stdin.write(b"go\n")
            await child.stdin.drain()
        polls, cpu = 0, 0.0
        for child in children:
            assert child.stdout is not None
            figures = (await asyncio.wait_for(child.stdout.readline(), 600)).split()
            polls, cpu = polls + int(figures[0]), cpu + float(figures[1])
        seconds = time.perf_counter() - started
        states = await store.list_all()
        twice = sum(1 for state in states if state.version > 1)
    finally:
        for child in children:
            if child.returncode is None:
                child.kill()
            await child.wait()
        await _clear(redis, namespace)
        await redis.aclose()
    return WorkersRun(seconds, polls, cpu, twice)


async def scaling(section: Section, flights: int, *, full: bool = True) -> None:
    """The 1-to-4-worker row: flights polled per second, against one worker (1 and 2 workers
    and a tenth of the latency unless ``full``)."""
    try:
        probe = Redis.from_url(REDIS_URL, socket_timeout=1.0)
        await probe.ping()
        await probe.aclose()
    except (RedisError, OSError) as error:
        section.note(f"Workers row skipped: Redis at {REDIS_URL} unavailable ({error!r}).")
        return
    rates: dict[int, float] = {}
    latency = UPSTREAM_LATENCY if full else UPSTREAM_LATENCY / 10
    for workers in WORKER_COUNTS if full else WORKER_COUNTS[:2]:
        run = await polled_by(workers, flights, latency)
        rates[workers] = run.polls / run.seconds
        section.add(
            f"{workers} worker processes: flights polled per second",
            rates[workers],
            "calls/s",
            context=f"{run.polls:,} polls of {flights:,} flights in {run.seconds:.1f} s; "
            f"{run.cpu / run.polls * 1e3:.2f} ms CPU per poll",
        )
        section.add(
            f"{workers} worker processes: flights polled more than once",
            run.polled_twice,
            "calls",
            Target(0),
        )
        if workers > 1:
            section.add(
                f"{workers} workers vs 1: throughput",
                rates[workers] / rates[1],
                "x",
                Target(0.8 * workers, ">="),
                f"ideal {workers}x; the row passes at 80 % of linear",
            )
    section.note(
        f"Workers row: {flights:,} flights due at once in the real Redis ({REDIS_URL}), "
        f"monitor worker processes on the real clock, each poll's provider call taking "
        f"{latency * 1e3:.0f} ms and each worker polling 16 flights at once, so one "
        f"worker tops out near {16 / latency:.0f} polls a second. Workers add up while "
        "they wait on the upstream, which is what a monitor mostly does; the CPU per poll "
        "(claim and save scripts, diff, JSON) is what would cap them at this machine's two "
        "cores with an instant upstream."
    )


if __name__ == "__main__":
    asyncio.run(worker(float(sys.argv[1]), sys.argv[2]))
