"""7. Hedging under stalls and hangs: the tail a user gets by default, and with hedging on.

Virtual loop time (``on_virtual_time``). FlightAware (the primary) and AeroDataBox (the
secondary) each talk to an in-process fake upstream of their own whose requests take a
lognormal time (median 100 ms, sigma 0.35: RESILIENCE.md's provider model); 2 % of them
stall 1-3 s and 1 % hang (never answer), on both providers independently. A
``FailoverManager`` answers the same lookups, 8 at a time, twice:

* default: ``FailoverConfig()``, hedging off: a hang is cut by the attempt timeout (3 s) and
  failed over, a stall is waited out;
* hedging on: ``FailoverConfig(hedging=True)``: when the primary has not answered after its
  rolling p95 latency (at least 50 ms), the secondary is asked too and the first answer wins.

Extra calls are upstream requests beyond one per lookup. Virtual time makes the figures
independent of the machine's speed and load (each run takes the CPU time its requests need).
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable

from benchmarks.common import Section, Stopwatch, Target, on_virtual_time, scaled
from benchmarks.stack import flight_numbers, in_process_pair, today
from benchmarks.upstream import RemoteUpstream
from flight_agent.providers import FailoverConfig
from flight_agent.providers.simulation import lognormal_latency
from flight_agent.testing import FakeUpstream

LOOKUPS = 2_000
CONCURRENCY = 8
FLIGHTS = 50
STALL_RATE = 0.02
STALL = (1.0, 3.0)
HANG_RATE = 0.01
HANG = 3_600.0
"""A hang: far longer than any deadline, so only a timeout or a won hedge ends it."""


def _provider_latency() -> Callable[[random.Random], float]:
    """Lognormal (100 ms, 0.35), plus a 1-3 s stall on 2 % and a hang on 1 % of requests."""
    base = lognormal_latency(0.1, 0.35)

    def draw(rng: random.Random) -> float:
        fault = rng.random()
        if fault < HANG_RATE:
            return HANG
        if fault < HANG_RATE + STALL_RATE:
            return rng.uniform(*STALL)
        return base(rng)

    return draw


async def _run(config: FailoverConfig, lookups: int) -> tuple[Stopwatch, int, int]:
    """Lookups through a fresh pair on the current (virtual) loop: their times, the upstream
    requests they made and the hedges sent."""
    primary = FakeUpstream(seed=11, latency=_provider_latency())
    secondary = FakeUpstream(seed=12, latency=_provider_latency())
    manager = in_process_pair(primary, secondary, config)
    flights, day = flight_numbers(FLIGHTS), today()
    loop = asyncio.get_running_loop()
    watch = Stopwatch()
    pending = iter(range(lookups))

    async def worker() -> None:
        for i in pending:
            started = loop.time()
            record = await manager.get_flight_status(flights[i % len(flights)], day)
            assert record is not None
            watch.laps.append(loop.time() - started)

    try:
        await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    finally:
        await manager.aclose()
    sent = sum(primary.requests.values()) + sum(secondary.requests.values())
    return watch, sent, manager.hedges_sent


async def bench(scale: float = 1.0, upstream: RemoteUpstream | None = None) -> Section:
    """Run the hedging benchmark; ``scale`` shrinks the lookups.

    It runs in process on virtual time: ``upstream`` is not used.
    """
    section = Section("7. Hedging")
    lookups = scaled(LOOKUPS, scale, 50)
    default, hedged = FailoverConfig(), FailoverConfig(hedging=True)

    async def both() -> dict[str, tuple[Stopwatch, int, int]]:
        return {"default": await _run(default, lookups), "on": await _run(hedged, lookups)}

    runs = await on_virtual_time(both)
    plain, fast = runs["default"][0], runs["on"][0]
    section.add(
        "p99, default (hedging off)",
        plain.p(99, 1e3),
        "ms",
        context=_spread(plain) + f"; attempt timeout {default.attempt_timeout:g} s",
    )
    section.add("p99, hedging on", fast.p(99, 1e3), "ms", context=_spread(fast))
    section.add(
        "p99 cut, hedging on / default",
        plain.p(99) / fast.p(99),
        "x",
        Target(3.0, ">="),
        f"p99.9 {plain.p(99.9, 1e3):,.0f} -> {fast.p(99.9, 1e3):,.0f} ms",
    )
    extra = {name: (sent - lookups) * 100 / lookups for name, (_, sent, _) in runs.items()}
    section.add(
        "extra upstream calls, hedging on",
        extra["on"],
        "%",
        Target(6.0),
        f"{runs['on'][2]} hedges for {lookups:,} lookups; default {extra['default']:.1f} % "
        "(failovers after a hang)",
    )
    section.note(
        f"Virtual time: {lookups:,} lookups, {CONCURRENCY} concurrent, over {FLIGHTS} flights; "
        f"each request lognormal (median 100 ms, sigma 0.35), {STALL_RATE:.0%} stalling "
        f"{STALL[0]:g}-{STALL[1]:g} s and {HANG_RATE:.0%} hanging, on both providers. Hedging "
        "is off by default: turn it on (`FailoverConfig(hedging=True)`, or `hedge_delay` for a "
        "fixed delay) for read lookups whose tail matters more than a few % of extra calls."
    )
    return section


def _spread(watch: Stopwatch) -> str:
    return f"p50 {watch.p(50, 1e3):.0f} ms, max {max(watch.laps) * 1e3:,.0f} ms"
