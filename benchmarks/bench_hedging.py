"""7. Hedging: 2 % of upstream calls stall 1-3 s; p99 with and without a hedged second call.

Real loop time, real stalls. Both providers (FlightAware first, AeroDataBox second) sit on the
fake upstream, where every request waits 20 ms and, with probability 2 %, a further 1-3 s
(uniform). A ``FailoverManager`` answers 2,000 lookups, 8 at a time, twice: without hedging,
and with ``hedging=True`` (the hedge goes to AeroDataBox after the primary's rolling p95
latency, at least 50 ms). Attempt timeout 5 s, so no stall is cut short by a timeout. Extra
calls are upstream requests beyond one per lookup. The upstream replays rendered answers, so
its own CPU does not queue requests.
"""

from __future__ import annotations

import asyncio

from benchmarks.common import Section, Stopwatch, Target, scaled
from benchmarks.stack import aerodatabox, flight_numbers, flightaware, remote, today
from benchmarks.upstream import RemoteUpstream
from flight_agent.providers import FailoverConfig, FailoverManager

LOOKUPS = 2_000
CONCURRENCY = 8
FLIGHTS = 50
LATENCY = 0.020
STALL_RATE = 0.02
STALL = (1.0, 3.0)


async def _run(
    manager: FailoverManager, upstream: RemoteUpstream, flights: list[str], lookups: int
) -> tuple[Stopwatch, int]:
    """Time ``lookups`` lookups, ``CONCURRENCY`` at a time; also the upstream requests sent."""
    day = today()
    watch = Stopwatch()
    pending = iter(range(lookups))

    async def worker() -> None:
        for i in pending:
            with watch.lap():
                record = await manager.get_flight_status(flights[i % len(flights)], day)
            assert record is not None

    before = await upstream.requests()
    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    return watch, await upstream.requests() - before


async def bench(scale: float = 1.0, upstream: RemoteUpstream | None = None) -> Section:
    """Run the hedging benchmark; ``scale`` shrinks the lookups, and the stalls (to 0.1-0.3 s)
    when below 1."""
    section = Section("7. Hedging")
    lookups = scaled(LOOKUPS, scale, 50)
    stall = STALL if scale >= 1 else (STALL[0] / 10, STALL[1] / 10)
    flights = flight_numbers(scaled(FLIGHTS, scale, 5))
    day = today()
    results: dict[bool, tuple[Stopwatch, int, int]] = {}
    async with remote(upstream) as up:
        await up.set_replay(True)
        for hedging in (False, True):
            config = FailoverConfig(hedging=hedging, attempt_timeout=5.0, total_timeout=10.0)
            manager = FailoverManager([flightaware(up), aerodatabox(up)], config)
            try:
                await up.set_latency(0.0)
                for provider in manager.providers:  # render every answer once; connect
                    for ident in flights:
                        await provider.get_flight_status(ident, day)
                await up.set_latency(
                    LATENCY, stall_rate=STALL_RATE, stall_min=stall[0], stall_max=stall[1]
                )
                watch, sent = await _run(manager, up, flights, lookups)
                results[hedging] = (watch, sent, manager.hedges_sent)
            finally:
                await manager.aclose()
    plain, hedged = results[False][0], results[True][0]
    cut = plain.p(99) / hedged.p(99)
    extra = (results[True][1] - lookups) / lookups * 100
    section.add("p99 without hedging", plain.p(99, 1e3), "ms", context=_spread(plain))
    section.add("p99 with hedging", hedged.p(99, 1e3), "ms", context=_spread(hedged))
    section.add("p99 cut", cut, "x", Target(3.0, ">="))
    section.add(
        "extra upstream calls",
        extra,
        "%",
        Target(6.0),
        f"{results[True][2]} hedges for {lookups:,} lookups; "
        f"without hedging {(results[False][1] - lookups) / lookups * 100:.1f} %",
    )
    section.note(
        f"Real loop time: {lookups:,} lookups, {CONCURRENCY} concurrent, over {len(flights)} "
        f"flights; upstream latency {LATENCY * 1e3:.0f} ms plus a {stall[0]:g}-{stall[1]:g} s "
        f"stall on {STALL_RATE:.0%} of requests (both providers)."
    )
    return section


def _spread(watch: Stopwatch) -> str:
    return f"p50 {watch.p(50, 1e3):.1f} ms, max {max(watch.laps) * 1e3:,.0f} ms"
