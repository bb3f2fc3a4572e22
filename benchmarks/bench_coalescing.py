"""5. Coalescing: 1,000 concurrent identical requests make one upstream call.

On a fresh service (memory cache, 50 ms upstream latency), one cold request for a flight is
timed; then 1,000 concurrent requests for another cold flight are started at once and timed
until the last answer. The upstream counts the requests it received. Repeated on fresh
flights and fresh services; figures are medians.
"""

from __future__ import annotations

import asyncio
import time

from benchmarks.common import ROUNDS, Section, Target, median, scaled
from benchmarks.stack import flight_numbers, flightaware, remote, service, today
from benchmarks.upstream import RemoteUpstream

CALLERS = 1_000
LATENCY = 0.050


async def bench(scale: float = 1.0, upstream: RemoteUpstream | None = None) -> Section:
    """Run the coalescing benchmark; ``scale`` shrinks the number of concurrent callers."""
    section = Section("5. Coalescing")
    callers = scaled(CALLERS, scale, 10)
    day = today()
    runs = ROUNDS if scale >= 1 else 1
    singles, crowds, calls = [], [], []
    numbers = iter(flight_numbers(3 * runs))
    async with remote(upstream) as up:
        await up.set_latency(LATENCY)
        for _ in range(runs):
            fresh = service([flightaware(up)])
            try:
                await fresh.get_flight_status_with_failover(next(numbers), day)  # connect
                started = time.perf_counter()
                await fresh.get_flight_status_with_failover(next(numbers), day)
                singles.append(time.perf_counter() - started)
                ident = next(numbers)
                before = await up.requests()
                started = time.perf_counter()
                answers = await asyncio.gather(
                    *(fresh.get_flight_status_with_failover(ident, day) for _ in range(callers))
                )
                crowds.append(time.perf_counter() - started)
                calls.append(await up.requests() - before)
                assert all(answer is not None for answer in answers)
            finally:
                await fresh.aclose()
    single, crowd = median(singles), median(crowds)
    section.add(
        f"upstream calls for {callers:,} callers",
        max(calls),
        "calls",
        Target(1),
        f"worst of {runs} runs",
    )
    section.add(f"{callers:,} concurrent callers", crowd * 1e3, "ms")
    section.add_ratio(
        "crowd / one call",
        crowds,
        singles,
        what="one call",
    )
    section.add(
        "added per extra caller",
        (crowd - single) * 1e6 / callers,
        "us",
        context="crowd minus one call, over the callers",
    )
    section.note(
        f"{runs} runs, each on a fresh service with one warm connection; upstream latency "
        f"{LATENCY * 1e3:.0f} ms. Every caller parses its query, misses the cache and joins the "
        "one fetch in flight; its answer is shared."
    )
    return section
