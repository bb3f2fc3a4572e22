"""The disruption desk at scale: trips on the simulated day, monitors and desks over Redis and
PostgreSQL, one case per injected disruption.

``TRIPS`` trips (a quarter one leg, the rest two legs connecting with two hours or more; about
1.75 legs a trip) are drawn from the simulated world's flights departing 06:00-15:00 UTC on one
day. Two monitor workers (two services, each with its own ``FlightMonitor``, sharing one Redis:
watch list, claims and the event stream) and three desks (each with its own PostgreSQL
connection pool, store and checkpointer) with one ``DeskWorker`` each run in this process, on a
``FakeClock`` stepped ten simulated minutes at a time from 03:00 to 23:30 UTC: each step runs
both monitors' passes at once, then all desk workers at once until the stream is drained. The
workers are in one process so one virtual clock drives them all; they share nothing but Redis and
PostgreSQL, as processes would (the crash tests in ``tests/graphs/desk`` run real processes).

The simulated world knows most disruptions from the morning on (those trips open their cases
when added); at 09:00 the simulator injects more: a tenth of the on-time legs departing after
11:00 are cancelled or made 3 h late, and only the monitor's events can tell. The truth is the
simulator's: a trip is disrupted when one of its legs is cancelled, diverted (by the end of the
run: a diversion shows when the aircraft lands) or 15 minutes or more late in the simulated
world (``Leg``), or injected, whatever the monitor saw. Figures:

* injected disruptions with exactly one case (their trips have no other trouble), disrupted
  trips with a case, trips with a case the truth calls undisrupted, and duplicate cases: a
  trip's case that brings no trouble its earlier cases lacked (a trip may have two genuine
  episodes: a delay known in the morning that needed nothing, then a diversion in flight);
* events handled per second (wall time of the desk phases);
* event-to-case-paused latency, p50 and p95, over the cases events open: from the moment a
  desk worker takes the event that opens a case to the moment the case waits for approval (or
  is resolved), IROPS graph run with the offline model included (target p95 < 1 s);
* upstream calls per watched leg over the day (monitor polls and the graphs' lookups);
* Redis round trips per event in the desk phases, and the lag of the services' event loops
  (how late a 10 ms timer fires) in the poll and desk phases. The service's Redis client gives
  each reply 0.25 s; a reply is read on its service's loop, so a loop running late by that
  much is a Redis "timeout" whatever Redis did. The lag tells a busy loop from a busy Redis.

Run: ``python -m benchmarks.bench_desk [--scale S]`` (1 = 2,000 trips). Redis:
``BENCH_DESK_REDIS_URL`` (default ``redis://127.0.0.1:6379/8``, the service's keys cleared before
and after); PostgreSQL: ``BENCH_DESK_POSTGRES_URL`` (default the test database), in a schema of
its own, dropped afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import os
import random
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any
from unittest.mock import patch

import psycopg
import redis

from benchmarks.common import Row, Section, Target, percentile
from benchmarks.upstream import RemoteUpstream
from flight_agent.cache.base import KEY_NAMESPACE
from flight_agent.clock import FakeClock
from flight_agent.errors import StoreUnavailableError
from flight_agent.flight_query import FlightDesignator
from flight_agent.providers import MockFlightDataProvider
from flight_agent.providers.simulation.scenarios import Scenario
from flight_agent.providers.simulation.timeline import TAXI_IN, Leg
from flight_agent.services import EnhancedFlightMonitoringService
from flight_agent.settings import Settings
from graphs.desk import Case, CaseStatus, Desk, DeskWorker, open_storage
from graphs.desk.cases import episode_of
from tools import FlightToolkit

TRIPS = 2_000
DAY = dt.date(2026, 11, 29)
START = dt.datetime.combine(DAY, dt.time(3), dt.UTC)
END = dt.datetime.combine(DAY, dt.time(23, 30), dt.UTC)
STEP = dt.timedelta(minutes=10)
CARRIERS = ("BA", "LH", "AF", "KL", "IB", "AA", "DL", "UA", "AC", "EK", "QR", "SQ")
MONITORS, DESKS = 2, 3
SEED = 0
INJECT_AT = dt.datetime.combine(DAY, dt.time(9), dt.UTC)
INJECTED_SHARE = 0.1
"""The share of the on-time watched legs the simulator disrupts at ``INJECT_AT``."""


def injections(trips: list[list[Leg]]) -> dict[str, Scenario]:
    """``INJECTED_SHARE`` of the legs departing after 11:00 that no naturally disrupted trip
    flies (so each trip has one disruption episode at most): cancelled or 3 h late from
    ``INJECT_AT`` on."""
    rng = random.Random(SEED + 1)
    troubled = {leg.designator.flight_id for t in trips if any(map(_troubled, t)) for leg in t}
    candidates = sorted(
        {
            leg.designator.flight_id
            for trip in trips
            for leg in trip
            if leg.designator.flight_id not in troubled and leg.scheduled_out.hour >= 11
        }
    )
    chosen = rng.sample(candidates, round(len(candidates) * INJECTED_SHARE))
    return {
        flight: Scenario.CANCELLED if n % 2 else Scenario.MAJOR_DELAY
        for n, flight in enumerate(chosen)
    }


def _troubled(leg: Leg) -> bool:
    """Whether the simulated world disrupts the leg at all (cancelled, diverted, 15 min late)."""
    if leg.scenario in (Scenario.CANCELLED, Scenario.DIVERTED):
        return True
    return max(leg.departure_delay or 0, leg.arrival_delay or 0) >= 15


def _disrupted(leg: Leg) -> bool:
    """Whether the leg's trouble is known by ``END``: a diversion shows when the aircraft lands
    at the alternate, at about its landing time at its destination."""
    if leg.scenario is Scenario.DIVERTED:
        return leg.estimated_in - TAXI_IN <= END
    return _troubled(leg)


def flight_pool(simulator: Any) -> list[Leg]:
    """One-leg flights departing 06:00-15:00 UTC on the day, across the carriers."""
    pool = []
    for carrier in CARRIERS:
        for number in range(100, 4000, 3):
            legs = simulator.legs(FlightDesignator.parse(f"{carrier}{number}"), DAY)
            if legs and len(legs) == 1 and 6 <= legs[0].scheduled_out.hour < 15:
                pool.append(legs[0])
    return pool


def draw_trips(count: int, pool: list[Leg]) -> list[list[Leg]]:
    """``count`` trips: a quarter one leg, the rest a connection of two hours or more (drawn
    from every such pair in the pool; singles from the legs no pair uses first)."""
    rng = random.Random(SEED)
    by_origin: dict[str, list[Leg]] = {}
    for leg in pool:
        by_origin.setdefault(leg.origin.code, []).append(leg)
    pairs = [
        [first, onward]
        for first in pool
        for onward in by_origin.get(first.destination.code, [])
        if onward.scheduled_out >= first.scheduled_in + dt.timedelta(hours=2)
    ]
    rng.shuffle(pairs)
    paired = {id(leg) for pair in pairs for leg in pair}
    singles = [[leg] for leg in pool if id(leg) not in paired]
    rng.shuffle(singles)
    connections = min(len(pairs), count * 3 // 4)
    return pairs[:connections] + singles[: count - connections]


def duplicate_cases(cases: list[Case]) -> list[str]:
    """The cases whose trouble (signature) their trip's earlier cases all had already."""
    seen: dict[str, set[str]] = {}
    duplicates = []
    for case in sorted(cases, key=lambda c: (c.trip_id, episode_of(c.id))):
        before = seen.setdefault(case.trip_id, set())
        if before and set(case.signature) <= before:
            duplicates.append(case.id)
        before.update(case.signature)
    return duplicates


@dataclass
class Timings:
    """When each opening event was taken, and how long until its case paused."""

    taken: dict[str, float] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def watch(self, desk: Desk) -> None:
        handle = desk.handle_event

        def timed(event: Any) -> list[Case]:
            with self.lock:
                self.taken.setdefault(event.id, time.perf_counter())
            return handle(event)

        def paused(case: Case) -> None:
            if case.status is not CaseStatus.OPEN:
                with self.lock:
                    start = self.taken.get(case.opened_by)
                    if start is not None and case.status in (
                        CaseStatus.AWAITING_APPROVAL,
                        CaseStatus.RESOLVED,
                    ):
                        self.latencies.append(time.perf_counter() - start)
                        self.taken.pop(case.opened_by, None)

        desk.handle_event = timed  # type: ignore[method-assign]
        desk.listen(paused)


PROBE_S = 0.01
"""The loop-lag probe's timer."""


@dataclass
class Traffic:
    """Redis round trips (commands and pipelines) and loop lags, by phase."""

    phase: str = "setup"
    round_trips: Counter[str] = field(default_factory=Counter)
    lags: dict[str, list[float]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, lag: float | None = None) -> None:
        with self.lock:
            if lag is None:
                self.round_trips[self.phase] += 1
            else:
                self.lags.setdefault(self.phase, []).append(lag)

    @contextlib.contextmanager
    def counting(self) -> Iterator[None]:
        """Count every round trip of every asyncio Redis client in the process."""
        from redis.asyncio.client import Pipeline
        from redis.asyncio.client import Redis as AsyncRedis

        command: Any = AsyncRedis.execute_command
        pipeline: Any = Pipeline.execute

        async def counted_command(client: Any, *args: Any, **kwargs: Any) -> Any:
            self.add()
            return await command(client, *args, **kwargs)

        async def counted_pipeline(client: Any, *args: Any, **kwargs: Any) -> Any:
            self.add()
            return await pipeline(client, *args, **kwargs)

        with (
            patch.object(AsyncRedis, "execute_command", counted_command),
            patch.object(Pipeline, "execute", counted_pipeline),
        ):
            yield

    async def probe(self, _: EnhancedFlightMonitoringService) -> None:
        """Start timing the service's loop: how late a ``PROBE_S`` timer fires, for ever."""

        async def timing() -> None:
            loop = asyncio.get_running_loop()
            while True:
                before = loop.time()
                await asyncio.sleep(PROBE_S)
                self.add(max(0.0, loop.time() - before - PROBE_S))

        PROBES.append(asyncio.get_running_loop().create_task(timing()))


PROBES: list[asyncio.Task[None]] = []
"""The running loop-lag probes (kept referenced; they end with their loops)."""


@contextlib.contextmanager
def postgres_schema(base: str) -> Iterator[str]:
    schema = f"bench_desk_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(base, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
        try:
            separator = "&" if "?" in base else "?"
            yield f"{base}{separator}options=-csearch_path%3D{schema}"
        finally:
            admin.execute(f"DROP SCHEMA {schema} CASCADE")


def clear_redis(url: str) -> None:
    client = redis.Redis.from_url(url)
    stale = list(client.scan_iter(match=f"{KEY_NAMESPACE}:*", count=1000))
    for start in range(0, len(stale), 1000):
        client.delete(*stale[start : start + 1000])
    client.close()


def run(scale: float) -> Section:
    """The benchmark, synchronously (it drives its own loops)."""
    redis_url = os.environ.get("BENCH_DESK_REDIS_URL", "redis://127.0.0.1:6379/8")
    pg_base = os.environ.get("BENCH_DESK_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
    clock = FakeClock(START)
    settings = Settings(redis_url=redis_url)
    providers = [MockFlightDataProvider("Simulated", 0, seed=SEED, clock=clock) for _ in range(2)]
    trips = draw_trips(max(10, round(TRIPS * scale)), flight_pool(providers[0].simulator))
    legs = {(leg.designator.flight_id, leg.scheduled_out.date()) for trip in trips for leg in trip}
    injected = injections(trips)
    truth = {
        f"t{n}": any(_disrupted(leg) or leg.designator.flight_id in injected for leg in trip)
        for n, trip in enumerate(trips)
    }
    hit = [
        f"t{n}"
        for n, trip in enumerate(trips)
        if any(leg.designator.flight_id in injected for leg in trip)
    ]
    clear_redis(redis_url)
    timings, traffic = Timings(), Traffic()
    started = time.perf_counter()
    with contextlib.ExitStack() as stack:
        stack.enter_context(traffic.counting())
        url = stack.enter_context(postgres_schema(pg_base))
        stack.callback(clear_redis, redis_url)
        toolkits = [
            stack.enter_context(
                FlightToolkit(
                    service=EnhancedFlightMonitoringService(
                        providers=[provider], settings=settings, clock=clock
                    )
                )
            )
            for provider in providers[:MONITORS]
        ]
        desks = [
            Desk(stack.enter_context(open_storage(url)), toolkits[n % MONITORS], clock=clock)
            for n in range(DESKS)
        ]
        for desk in desks:
            timings.watch(desk)
        for toolkit in toolkits:
            toolkit.runner.call_sync(traffic.probe)
        workers = [
            (desk.toolkit, DeskWorker(desk, desk.toolkit.runner.service.monitor.store.events))
            for desk in desks
        ]
        for n, trip in enumerate(trips):
            desks[n % DESKS].add_trip(
                {
                    "id": f"t{n}",
                    "legs": [
                        {"flight_number": leg.designator.flight_id, "date": str(DAY)}
                        for leg in trip
                    ],
                }
            )
        setup_s = time.perf_counter() - started
        desk_s = 0.0
        with ThreadPoolExecutor(max_workers=MONITORS + DESKS) as pool:
            while clock.now() < END:
                clock.advance(STEP.total_seconds())
                if clock.now() == INJECT_AT:
                    for provider in providers:
                        for flight, scenario in injected.items():
                            provider.set_scenario(flight, scenario)
                traffic.phase = "poll"
                list(pool.map(lambda t: t.runner.call_sync(_poll), toolkits))
                traffic.phase = "desk"
                begun = time.perf_counter()
                while sum(
                    pool.map(lambda pair: pair[0].runner.call_sync(_drain(pair[1])), workers)
                ):
                    pass
                desk_s += time.perf_counter() - begun
        cases = desks[0].cases()
        poll_errors = sum(t.runner.service.monitor.poll_errors for t in toolkits)
    handled = sum(worker.handled for _, worker in workers)
    failed = sum(worker.failed for _, worker in workers)
    per_trip = Counter(case.trip_id for case in cases)
    disrupted = [trip for trip, bad in truth.items() if bad]
    exactly_one = sum(1 for trip in hit if per_trip[trip] == 1)
    covered = sum(1 for trip in disrupted if per_trip[trip])
    spurious = sum(1 for trip, bad in truth.items() if not bad and trip in per_trip)
    duplicates = duplicate_cases(cases)
    stuck = sum(1 for case in cases if case.status is CaseStatus.OPEN)
    calls = sum(provider.calls for provider in providers)
    section = Section(f"Disruption desk: {len(trips)} trips, {len(legs)} legs")
    section.rows += [
        Row(
            "injected disruptions with exactly one case",
            100 * exactly_one / max(1, len(hit)),
            "%",
            Target(100, ">="),
            f"{exactly_one} of {len(hit)} trips on {len(injected)} injected legs",
        ),
        Row(
            "disrupted trips with a case",
            100 * covered / max(1, len(disrupted)),
            "%",
            Target(100, ">="),
            f"{covered} of {len(disrupted)}; {len(cases)} cases in all",
        ),
        Row("duplicate cases", len(duplicates), "calls", Target(0), "no new trouble"),
        Row("undisrupted trips with a case", spurious, "calls", Target(0), "per the simulator"),
        Row("cases stuck open", stuck, "calls", Target(0)),
        Row(
            "events handled per second",
            handled / max(desk_s, 1e-9),
            "calls/s",
            None,
            f"{handled} events, {failed} failed handlings, {desk_s:.1f} s of desk phases",
        ),
        Row("event to case paused p50", 1000 * percentile(timings.latencies, 50), "ms"),
        Row(
            "event to case paused p95",
            1000 * percentile(timings.latencies, 95),
            "ms",
            Target(1000),
            f"{len(timings.latencies)} cases, offline model",
        ),
        Row(
            "Redis round trips per event (desk phases)",
            traffic.round_trips["desk"] / max(1, handled),
            "calls",
            None,
            f"{traffic.round_trips['desk']} round trips; poll phases "
            f"{traffic.round_trips['poll']}, setup {traffic.round_trips['setup']}",
        ),
        *(
            Row(
                f"service loop lag, {phase} phases, p99",
                1000 * percentile(traffic.lags.get(phase, []), 99),
                "ms",
                Target(250),
                f"max {1000 * max(traffic.lags.get(phase, [0.0])):.0f} ms; the Redis reply "
                "timeout is 250 ms",
            )
            for phase in ("setup", "poll", "desk")
        ),
        Row(
            "monitor polls failed",
            poll_errors,
            "calls",
            Target(0),
            "a Redis reply later than 250 ms; polled again when next due",
        ),
        Row(
            "upstream calls per leg",
            calls / max(1, len(legs)),
            "calls",
            None,
            f"{calls} calls over the day, {len(legs)} legs",
        ),
    ]
    missed = [trip for trip in disrupted if not per_trip[trip]]
    missed += [trip for trip in hit if per_trip[trip] != 1]
    if missed or duplicates:
        section.notes.append(f"Missed: {missed[:10]}; duplicates: {duplicates[:10]}.")
    section.notes.append(
        f"{MONITORS} monitors and {DESKS} desks in one process over one Redis and one "
        f"PostgreSQL; setup (adding trips) {setup_s:.1f} s; {OUTAGES[0]} passes found Redis "
        "unavailable (retried on the next step)."
    )
    return section


OUTAGES = [0]
"""Passes that found Redis unavailable (a busy machine misses the service's 0.25 s timeout):
retried on the next step, as the monitor's and the workers' loops do."""


async def _poll(service: EnhancedFlightMonitoringService) -> None:
    try:
        await service.monitor.poll_due()
    except StoreUnavailableError:
        OUTAGES[0] += 1


def _drain(worker: DeskWorker) -> Any:
    async def once(_: EnhancedFlightMonitoringService) -> int:
        try:
            return await worker.run_once()
        except StoreUnavailableError:
            OUTAGES[0] += 1
            return 0

    return once


async def bench(scale: float, upstream: RemoteUpstream | None) -> Section:
    """See the module docstring; ``upstream`` is not used (the simulated provider answers)."""
    return await asyncio.to_thread(run, scale)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    result = run(parser.parse_args().scale)
    for row in result.rows:
        sys.stdout.write(f"{row.label}: {row.value:.1f} {row.unit} [{row.verdict}] {row.context}\n")
    sys.stdout.write("".join(f"{note}\n" for note in result.notes))
