"""11. Monitoring at fleet scale: the monitor's cost per watched flight at 1,000, 10,000 and
50,000 flights.

The upstream-cost benchmark's world and harness (``bench_upstream_cost.Simulation``: scripted
flights, the service's own ``FlightMonitor`` on a ``FakeClock``, a pass every 30 s of clock time,
one worker, memory store), at three fleet sizes. Departures are spread evenly over the two days
from the watch's start, so the window holds every phase: flights watched from 0-48 h out, the
first ones through their final hours, departure and arrival.

Every size runs the same simulated window (``WINDOW``, shorter than a day so the whole section
takes minutes on a small machine), so the per-flight figures compare like with like and the
ratios are against the 1,000-flight run of the same process. Per fleet size:

* monitor CPU per simulated day per flight: process CPU of the passes (the scripted provider's
  answers included), scaled from the window to a day;
* of which choosing due flights: CPU inside ``WatchStore.due``;
* watching: CPU of ``watch`` per flight (its first lookup included);
* upstream calls per flight over the window (board result sets counted one each);
* worker bytes per watched flight: what the service holds at the window's end (the size of
  every object reachable from it but not from the simulated world, by ``sys.getsizeof``: watch
  store, due index, cache, event stream, monitor), per flight; and, as information, resident
  memory at the window's end less resident memory once the world was built, which adds the
  allocator's free lists and the passes' transient objects;
* of which in the watch store (packed states, due index, keys), the rest being mostly the
  service's cache (one compact record per flight) and the event stream (bounded);
* store bytes per watched flight: the JSON of a state, what ``RedisWatchStore`` keeps per watch
  (Redis adds its own overhead per hash field and sorted-set member).

A simulated week: ``WEEK_FLIGHTS`` flights depart each day for seven days, each watched from the
start of the day before its departure (a rolling watch list, as a service runs for weeks). The
row reports the watches the store holds and the worker's resident memory at the end of each day
(the week runs first, while the process is small): flat once the first finished flights are past
their retention (a day), not growing with every flight ever watched.

Workers that add up: see ``fleet_workers`` (the 1-to-4-worker row).
"""

from __future__ import annotations

import gc
import os
import resource
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import BuiltinFunctionType, CodeType, FunctionType, ModuleType

from benchmarks.bench_upstream_cost import TICK, Simulation
from benchmarks.common import Section, Target, scaled
from benchmarks.fleet_workers import WORKER_FLIGHTS, scaling
from benchmarks.scripted_world import WATCH_START
from benchmarks.upstream import RemoteUpstream
from flight_agent.monitoring import WatchState

SIZES = (1_000, 10_000, 50_000)
WINDOW = timedelta(hours=2)
"""The simulated window every fleet size runs (from the watch's start)."""
SPREAD = timedelta(days=2)
"""Departures are spread over this long from the watch's start."""
CPU_RATIO_TARGET = 1.5
WORKER_BYTES_TARGET = 2048.0
WEEK_FLIGHTS = 80
"""Flights departing each day of the simulated week."""
DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class FleetRun:
    """What one fleet size measured over the window."""

    flights: int
    window: timedelta
    watch_cpu: float
    pass_cpu: float
    due_cpu: float
    calls: int
    board_pages: int
    worker_bytes: float
    resident_bytes: float
    watch_store_bytes: float
    store_bytes: float

    def per_flight_day(self, seconds: float) -> float:
        """``seconds`` of the window per flight per simulated day."""
        return seconds / self.flights / (self.window / timedelta(days=1))

    @property
    def calls_per_flight(self) -> float:
        """Upstream calls per flight over the window."""
        return self.calls / self.flights


def _rss() -> int:
    """This process's resident memory now, in bytes."""
    gc.collect()
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


_NOT_HELD = (type, ModuleType, FunctionType, BuiltinFunctionType, CodeType)


def _held(root: object, simulation: Simulation, *also_not: object) -> int:
    """Bytes of the objects reachable from ``root`` but not through the simulated world (its
    provider and scripts), the harness's record of changes or ``also_not``."""
    stop = {id(simulation.provider), id(simulation.seen), id(simulation.clock)}
    stop.update(id(item) for item in also_not)
    seen: set[int] = set()
    total = 0
    pending: list[object] = [root]
    while pending:
        item = pending.pop()
        if id(item) in seen or id(item) in stop or isinstance(item, _NOT_HELD):
            continue
        seen.add(id(item))
        total += sys.getsizeof(item)
        pending.extend(gc.get_referents(item))
    return total


def _timed_due(simulation: Simulation) -> Callable[[], float]:
    """Count the CPU spent in the store's ``due``; returns a reader of the total."""
    store = simulation.service.monitor.store
    due: Callable[..., Awaitable[list[WatchState]]] = store.due
    spent = [0.0]

    async def timed(now: datetime | None = None, limit: int = 100) -> list[WatchState]:
        started = time.process_time()
        try:
            return await due(now, limit)
        finally:
            spent[0] += time.process_time() - started

    store.due = timed  # type: ignore[method-assign]
    return lambda: spent[0]


async def measure(flights: int, window: timedelta = WINDOW) -> FleetRun:
    """Watch ``flights`` flights and run the monitor over ``window`` of simulated time."""
    departures = [WATCH_START + SPREAD * (i + 0.5) / flights for i in range(flights)]
    simulation = Simulation.build(departures)
    try:
        world = _rss()
        started = time.process_time()
        await simulation.watch_all()
        watch_cpu = time.process_time() - started
        due_cpu = _timed_due(simulation)
        started = time.process_time()
        await simulation.run_until(WATCH_START + window)
        pass_cpu = time.process_time() - started
        resident = _rss() - world
        held = _held(simulation.service, simulation)
        store = simulation.service.monitor.store
        in_store = _held(store, simulation, store.events)
        states = await simulation.service.monitor.store.list_all()
        sample = states[:: max(1, len(states) // 500)]
        store_bytes = sum(len(state.model_dump_json()) for state in sample) / len(sample)
    finally:
        await simulation.service.aclose()
    return FleetRun(
        flights=flights,
        window=window,
        watch_cpu=watch_cpu,
        pass_cpu=pass_cpu,
        due_cpu=due_cpu(),
        calls=simulation.provider.calls.total(),
        board_pages=simulation.provider.calls["board"],
        worker_bytes=held / flights,
        resident_bytes=resident / flights,
        watch_store_bytes=in_store / flights,
        store_bytes=store_bytes,
    )


async def bench(scale: float = 1.0, upstream: RemoteUpstream | None = None) -> Section:
    """Run the fleet-scale benchmark; ``scale`` shrinks the fleets (and the window below 1).

    It runs in process on a virtual clock: ``upstream`` is not used.
    """
    section = Section("11. Monitoring at fleet scale")
    window = WINDOW if scale >= 1 else max(timedelta(hours=1), WINDOW * scale)
    # The week first, while the process is small: its resident memory is then the week's own.
    weekly = Section(section.title)
    await week(weekly, scaled(WEEK_FLIGHTS, scale, 10), days=7 if scale >= 1 else 3)
    runs = [
        await measure(scaled(size, scale, 10 * (i + 1)), window) for i, size in enumerate(SIZES)
    ]
    base = runs[0]
    for run in runs:
        n = f"{run.flights:,} flights"
        cpu = run.per_flight_day(run.pass_cpu)
        section.add(
            f"{n}: monitor CPU per simulated day per flight",
            cpu * 1e3,
            "ms",
            context=f"{run.pass_cpu:.1f} s over {window / timedelta(hours=1):g} simulated h; "
            f"watching {run.watch_cpu / run.flights * 1e3:.2f} ms per flight",
        )
        section.add(
            f"{n}: of which choosing due flights",
            run.per_flight_day(run.due_cpu) * 1e3,
            "ms",
            context=f"{run.due_cpu:.2f} s in WatchStore.due",
        )
        section.add(
            f"{n}: upstream calls per flight",
            run.calls_per_flight,
            "calls",
            context=f"over {window / timedelta(hours=1):g} simulated h; "
            f"{run.board_pages / run.flights:.2f} of them board result sets",
        )
        section.add(
            f"{n}: worker bytes per watched flight",
            run.worker_bytes,
            "B",
            Target(WORKER_BYTES_TARGET) if run is runs[-1] else None,
            f"objects reachable from the service, not the world, {run.watch_store_bytes:,.0f} B "
            f"of them in the watch store and its due index; resident memory "
            f"{run.resident_bytes:,.0f} B per flight over the world's",
        )
        section.add(
            f"{n}: store bytes per watched flight",
            run.store_bytes,
            "B",
            context="a state's JSON, as RedisWatchStore keeps it",
        )
        if run is base:
            continue
        base_cpu = base.per_flight_day(base.pass_cpu)
        section.add(
            f"{n}: CPU per flight vs {base.flights:,}",
            cpu / base_cpu,
            "x",
            Target(CPU_RATIO_TARGET),
            f"{cpu * 1e3:.1f} against {base_cpu * 1e3:.1f} ms per simulated day",
        )
        section.add(
            f"{n}: calls per flight vs {base.flights:,}",
            run.calls_per_flight / base.calls_per_flight,
            "x",
            Target(1.0),
            f"{run.calls_per_flight:.1f} against {base.calls_per_flight:.1f}",
        )
    section.rows += weekly.rows
    section.notes += weekly.notes
    await scaling(section, scaled(WORKER_FLIGHTS, scale, 40), full=scale >= 1)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    section.note(
        f"Fleets of {', '.join(f'{run.flights:,}' for run in runs)} watched flights, one worker, "
        f"memory store, virtual clock; every size runs the same first "
        f"{window / timedelta(hours=1):g} simulated hours (not the whole 2-day watch, to keep "
        "the section to minutes), departures spread over the 2 days from the watch's start. "
        f"Ratios are against the {base.flights:,}-flight run of this process. "
        f"Peak resident memory of the process {peak:.0f} MiB, the simulated worlds included."
    )
    return section


async def week(section: Section, per_day: int, days: int) -> None:
    """The simulated week: watches held and resident memory at the end of each day."""
    departures = [
        WATCH_START + DAY * (1 + day) + DAY * (i + 0.5) / per_day
        for day in range(days)
        for i in range(per_day)
    ]
    simulation = Simulation.build(departures, record=False)
    monitor = simulation.service.monitor
    held: list[int] = []
    resident: list[int] = []
    try:
        for day in range(days + 1):
            for script in simulation.scripts[day * per_day : (day + 1) * per_day]:
                await monitor.watch(script.query)
            await simulation.run_until(WATCH_START + DAY * (day + 1) - TICK)
            held.append(await monitor.store.count())
            resident.append(_rss())
    finally:
        await simulation.service.aclose()
    growth = (resident[-1] - resident[2]) / 2**20
    section.add(
        f"simulated week: watches held on day {days + 1} vs day 3",
        held[-1] / held[2],
        "x",
        Target(1.1),
        f"{per_day} departures a day; watches held at each day's end: "
        + ", ".join(str(count) for count in held),
    )
    section.add(
        f"simulated week: worker memory growth, day 3 to day {days + 1}",
        growth,
        "MiB",
        context=f"{growth * 2**20 / (per_day * (days - 2)):.0f} B per flight watched meanwhile; "
        "resident memory at each day's end, MiB: "
        + ", ".join(f"{value / 2**20:.0f}" for value in resident),
    )
    section.note(
        "Simulated week: the watch store holds tomorrow's flights, today's and a day of "
        "finished ones, flat from day 3. The worker's resident memory still grows slowly "
        "over the week: the in-memory event stream keeps delivered events up to its maxlen "
        "(10,000, as the Redis stream's MAXLEN does) and the cache keeps records up to its "
        "max_entries; both are bounded, and neither had reached its bound by day 8."
    )
