"""6. Upstream cost of monitoring: adaptive polling against a fixed 5-minute poller.

Virtual time: a ``FakeClock`` drives the service's own ``FlightMonitor`` (``poll_due`` every
30 s of clock time, the real loop's longest tick) over a scripted world, so two simulated days
take seconds. Nothing sleeps.

The world (``scripted_world``): 1,000 flights, each with a script of changes at known instants
(the provider answers the state the script has reached at the clock's time).

Two scenarios, both watched from 00:00 on day 0:

* day-ahead: departures spread evenly over day 1, so each watch starts 24-48 h out;
* same-day: departures spread evenly over day 0, so each watch starts 0-24 h out.

The flights fly 8 airlines between 10 airports, and the provider has departure boards paged
as AeroAPI pages them (15 flights a result set), so the monitor answers flights leaving one
airport with one airline together from one board when that is cheaper.

Calls are provider calls (the watch's first lookup included), each board result set counted
as one. The fixed 5-minute poller is computed over the same spans: a poll at the watch start
and every 5 minutes until the poll that sees the flight at the gate; a change waits for its
next poll. The phased poller, the smarter baseline, is computed over the same scripts: it
polls by phase with the schedule's bounds (every 30 minutes, every 5 in the last 3 h before
the departure it sees and from 45 minutes before the arrival it sees) but never uses a board.

Beside the day-ahead scenario runs the same in the sparse world (``scripted_world.SPARSE``: 48
airlines between 60 airports, as an agency's customers' trips spread), where boards rarely pay.

``Simulation`` is the harness: ``bench_fleet`` runs it at fleet sizes.
"""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from benchmarks.common import Section, Target, median, percentile, scaled
from benchmarks.scripted_world import (
    DENSE,
    HOUR,
    MINUTE,
    SPARSE,
    WATCH_START,
    BoardlessScriptedProvider,
    Script,
    ScriptedProvider,
    World,
    build_script,
    phased_poller_calls,
)
from benchmarks.upstream import RemoteUpstream
from flight_agent.cache import MemoryCache
from flight_agent.clock import FakeClock
from flight_agent.monitoring import FlightChange
from flight_agent.services import EnhancedFlightMonitoringService
from flight_agent.settings import Settings

FLIGHTS = 1_000
TICK = timedelta(seconds=30)
FIXED = timedelta(minutes=5)
PHASES = ("far", "day", "final", "arrival")
BOARD_PAGE_COST = 4
"""A board result set's price in single-flight lookups ($0.020 against $0.005 at AeroAPI)."""
BOUNDS = {"far": 30.0, "day": 30.0, "final": 5.0}
"""The detection targets in minutes: 5 in the last 3 h, 30 before that."""


@dataclass(slots=True)
class Outcome:
    """What one scenario measured."""

    flights: int
    calls: int
    calls_by_phase: Counter[str]
    fixed_calls: int
    phased_calls: int
    watch_days: float
    far_hours: float
    flight_hours: float
    delays: dict[str, list[float]]
    fixed_delays: dict[str, list[float]]
    missed: int
    seconds_simulated: float


@dataclass(slots=True)
class Simulation:
    """One scripted world watched by the service's own monitor on a fake clock.

    ``start`` builds the scripts and watches every flight at ``WATCH_START``; ``run_until``
    advances the clock in 30-s ticks, running the monitor's passes while flights are due;
    ``outcome`` compares what the monitor saw with the scripts.
    """

    scripts: list[Script]
    clock: FakeClock
    provider: ScriptedProvider
    service: EnhancedFlightMonitoringService
    seen: defaultdict[tuple[str, date], list[FlightChange]]

    @classmethod
    def build(
        cls,
        departures: list[datetime],
        seed: int = 0,
        *,
        boards: bool = True,
        world: World = DENSE,
        record: bool = True,
        provider_type: type[ScriptedProvider] | None = None,
        settings: Settings | None = None,
    ) -> Simulation:
        """The world's scripts and a service over them; nothing watched yet. The changes the
        monitor publishes are kept for ``outcome`` unless ``record`` is False. ``provider_type``
        replaces the scripted provider (``boards`` chooses it otherwise), ``settings`` the
        service's (no Redis)."""
        rng = random.Random(seed)
        scripts = [
            build_script(ident, departs, rng, world.airports)
            for ident, departs in zip(world.designators(len(departures)), departures, strict=True)
        ]
        clock = FakeClock(WATCH_START)
        chosen = provider_type or (ScriptedProvider if boards else BoardlessScriptedProvider)
        provider = chosen(scripts, clock)
        service = EnhancedFlightMonitoringService(
            providers=[provider],
            cache=MemoryCache(max_entries=2 * len(scripts), clock=clock),
            settings=settings or Settings(redis_url=None),
            clock=clock,
            check_interval_seconds=TICK.total_seconds(),
        )
        seen: defaultdict[tuple[str, date], list[FlightChange]] = defaultdict(list)
        if record:
            service.on_change(lambda c: seen[(c.flight_id, c.flight_date)].append(c))
        return cls(scripts, clock, provider, service, seen)

    @property
    def end(self) -> datetime:
        """When every flight is at its gate, and one tick more."""
        return max(script.at_gate for script in self.scripts) + TICK

    async def watch_all(self) -> None:
        """Watch every flight of the world."""
        for script in self.scripts:
            await self.service.monitor.watch(script.query)

    async def run_until(self, end: datetime) -> None:
        """Tick the clock to ``end``, running monitor passes while flights are due."""
        monitor = self.service.monitor
        while self.clock.now() <= end:
            while await monitor.store.due(self.clock.now(), limit=1):
                await monitor.poll_due()
            self.clock.advance(TICK.total_seconds())

    def outcome(self) -> Outcome:
        """What the monitor saw against the scripts, and what the fixed poller would have."""
        scripts = self.scripts
        delays: dict[str, list[float]] = {phase: [] for phase in PHASES}
        fixed_delays: dict[str, list[float]] = {phase: [] for phase in PHASES}
        missed = 0
        fixed_calls = 0
        phased_calls = 0
        for script in scripts:
            key = (script.query.flight_id, script.query.flight_date)
            fixed_calls += math.ceil((script.at_gate - WATCH_START) / FIXED) + 1
            phased_calls += phased_poller_calls(script)
            for event, phase in script.events:
                detected = [
                    change.detected_at
                    for change in self.seen[key]
                    if change.kind is event.kind and change.detected_at >= event.at
                ]
                if not detected:
                    missed += 1
                    continue
                delays[phase].append((min(detected) - event.at) / MINUTE)
                waited = -(event.at - WATCH_START) % FIXED
                fixed_delays[phase].append(waited / MINUTE)
        watched = sum(((s.at_gate - WATCH_START) for s in scripts), timedelta())
        far = sum(
            (max(s.departs - WATCH_START - 24 * HOUR, timedelta()) for s in scripts), timedelta()
        )
        return Outcome(
            flights=len(scripts),
            calls=self.provider.calls.total(),
            calls_by_phase=self.provider.calls,
            fixed_calls=fixed_calls,
            phased_calls=phased_calls,
            watch_days=watched / timedelta(days=1),
            far_hours=far / HOUR,
            flight_hours=sum(((s.at_gate - s.off_gate) for s in scripts), timedelta()) / HOUR,
            delays=delays,
            fixed_delays=fixed_delays,
            missed=missed,
            seconds_simulated=(self.end - WATCH_START).total_seconds(),
        )


async def simulate(
    departures: list[datetime], seed: int = 0, *, boards: bool = True, world: World = DENSE
) -> Outcome:
    """Watch one flight per departure from ``WATCH_START`` until every one is at its gate
    (with departure boards, or polling every flight on its own)."""
    simulation = Simulation.build(departures, seed, boards=boards, world=world)
    try:
        await simulation.watch_all()
        await simulation.run_until(simulation.end)
    finally:
        await simulation.service.aclose()
    return simulation.outcome()


def spread(day_offset: int, count: int) -> list[datetime]:
    """``count`` departures spread evenly over day ``day_offset`` (0 = the watch's day)."""
    start = WATCH_START + timedelta(days=day_offset)
    return [start + timedelta(days=1) * (i + 0.5) / count for i in range(count)]


def _report(
    section: Section, name: str, outcome: Outcome, *, headline: bool, delays: bool = True
) -> None:
    ratio = outcome.calls / outcome.fixed_calls
    per_flight = outcome.calls / outcome.flights
    section.add(
        f"{name}: calls per flight",
        per_flight,
        "calls",
        context=f"fixed 5-min poller {outcome.fixed_calls / outcome.flights:.0f}; "
        f"{outcome.calls / outcome.watch_days:.1f} per flight-day of watch",
    )
    section.add(
        f"{name}: calls vs fixed poller",
        ratio,
        "x",
        Target(0.2) if headline else None,
        "by phase: "
        + ", ".join(
            f"{p} {outcome.calls_by_phase[p] / outcome.flights:.1f}" for p in (*PHASES, "board")
        ),
    )
    section.add(
        f"{name}: calls vs phased poller",
        outcome.calls / outcome.phased_calls,
        "x",
        context=f"a poller by phase without boards (30 min, 5 min in the last 3 h and from "
        f"45 min before arrival): {outcome.phased_calls / outcome.flights:.0f} per flight",
    )
    pages = outcome.calls_by_phase["board"]
    cost = outcome.calls - pages + BOARD_PAGE_COST * pages
    section.add(
        f"{name}: cost vs fixed poller",
        cost / outcome.fixed_calls,
        "x",
        context=f"AeroAPI prices: a board result set ${0.005 * BOARD_PAGE_COST:.3f}, a flight "
        f"$0.005; ${0.005 * cost / outcome.flights:.2f} per flight against "
        f"${0.005 * outcome.fixed_calls / outcome.flights:.2f}",
    )
    if not delays:
        return
    labels = {
        "far": "> 24 h before departure",
        "day": "3-24 h before departure",
        "final": "last 3 h before departure",
        "arrival": "landing",
    }
    for phase in PHASES:
        found = outcome.delays[phase]
        if not found:
            continue
        bound = BOUNDS.get(phase)
        section.add(
            f"{name}: max detection delay, {labels[phase]}",
            max(found),
            "min",
            Target(bound) if bound is not None and headline else None,
            f"{len(found)} changes, p50 {median(found):.1f}, p99 {percentile(found, 99):.1f}; "
            f"fixed poller max {max(outcome.fixed_delays[phase]):.1f} min",
        )
    if outcome.missed:
        section.add(f"{name}: changes never detected", outcome.missed, "changes", Target(0))


async def bench(scale: float = 1.0, upstream: RemoteUpstream | None = None) -> Section:
    """Run the upstream-cost benchmark; ``scale`` shrinks the number of flights.

    It runs in process on a virtual clock: ``upstream`` is not used.
    """
    section = Section("6. Upstream cost")
    count = scaled(FLIGHTS, scale, 10)
    ahead = await simulate(spread(1, count))
    alone = await simulate(spread(1, count), boards=False)
    same = await simulate(spread(0, count))
    sparse = await simulate(spread(1, count), world=SPARSE)
    _report(section, "day-ahead", ahead, headline=True)
    _report(section, "day-ahead, no boards", alone, headline=False, delays=False)
    _report(section, "same-day", same, headline=False)
    _report(section, "day-ahead, sparse world", sparse, headline=False)
    section.note(
        f"{count:,} flights per scenario; virtual clock, monitor pass every 30 s; "
        f"{ahead.seconds_simulated / 3600:.0f} h and {same.seconds_simulated / 3600:.0f} h "
        "simulated. Calls count every provider call, the watch's first lookup included."
    )
    n = ahead.flights
    section.note(
        "The schedule polls every 30 min until 3 h before departure, every 5 min in the last "
        "3 h, every 30 min en route and every 5 min from 45 min before arrival, on the grid of "
        "each interval, so flights due together can share a departure board. A board is asked "
        "for when its result sets cost less than the single polls it replaces (a set is priced "
        "as 4 lookups, AeroAPI's $0.020 against $0.005): here, in the half-hour passes, where "
        "the flights 3 h to 2 days out of one airline at one airport fall due together. In the "
        "5-min passes of the last 3 h a group rarely has 5 flights due, so those flights are "
        f"polled one by one ({ahead.calls_by_phase['final'] / n:.1f} calls per flight), as are "
        f"flights after take-off ({ahead.calls_by_phase['arrival'] / n:.1f})."
    )
    section.note(
        "Calls against money: a board result set is one call but four lookups' price, so in "
        "AeroAPI's prices boards save less than they save in calls (compare the cost rows), "
        "and with providers priced per request (AviationStack, AeroDataBox's units) they save "
        "what the calls rows show. Without boards the same 30-minute bound costs a flight "
        "watched from 24-48 h out the day phase's 42 polls and more again before it. Left: "
        "arrival boards for flights in the air, and the same-day scenario, whose watches start "
        "too close to departure for boards to gather more than the final polls."
    )
    section.note(
        f"Two worlds. The dense one flies {len(DENSE.carriers)} airlines between "
        f"{len(DENSE.airports)} airports (about "
        f"{count / (len(DENSE.carriers) * len(DENSE.airports)):.1f} "
        "watched flights per airline and airport a day): an airline's or a hub's watch list, "
        f"where boards pay. The sparse one flies {len(SPARSE.carriers)} airlines between "
        f"{len(SPARSE.airports)} airports (about "
        f"{count / (len(SPARSE.carriers) * len(SPARSE.airports)):.2f} per airline and airport a "
        "day): an agency's customers' trips, where a board rarely gathers enough flights to pay, "
        "so its savings are the schedule's alone. The phased poller is the smarter baseline: "
        "it polls by phase like the schedule, with the same bounds, but never uses a board."
    )
    return section
