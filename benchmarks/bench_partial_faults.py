"""4b. The primary under partial faults: the share of lookups it answers, minute by minute.

Virtual loop time (``on_virtual_time``): FlightAware (the primary) and AeroDataBox (the
secondary) each talk to an in-process fake upstream of their own, 20 ms a request, through a
``FailoverManager`` with the default configuration. Lookups arrive at a fixed rate, whatever
the answers take (an open loop, as users' requests do), over 50 flights:

* 503 on 30 %: the primary's upstream answers 30 % of its requests with 503; 20 lookups/s for
  90 s, with the default breaker and with the defaults before this benchmark (a 20-call
  window deciding from 10 calls, 5 failures in a row), which ejected the primary for 30 s at a
  time whenever chance put 10 failures in 20 calls;
* quota: the primary's upstream answers at most 100 requests in each second and answers the
  rest 429 with ``Retry-After: 1``; 120 lookups/s for 60 s, first with the Retry-After
  cool-down alone, then with a local rate limit that keeps the primary under its quota
  (``RateLimit(requests=98, burst=2)``: at most 100 calls in any second) and fails over when
  it has no slot (``max_rate_limit_wait=0``).

The share is of all lookups, per 10 s of virtual time; what the primary could answer at best
is 70 % (it fails 30 %) and 100/120 = 83 %. Virtual time makes the figures independent of the
machine's speed and load.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass

from benchmarks.common import Section, Target, fmt, on_virtual_time, percentile, scaled
from benchmarks.stack import flight_numbers, in_process_pair, today
from benchmarks.upstream import RemoteUpstream
from flight_agent.errors import FlightDataError
from flight_agent.providers import FailoverConfig, RateLimit
from flight_agent.testing import FakeUpstream

LATENCY = 0.020
BUCKET = 10.0
PRIMARY = "FlightAware"
FLIGHTS = 50
ERROR_RATE = 0.3
QUOTA = 100
OLD_DEFAULTS = FailoverConfig(
    breaker_window_size=20, breaker_minimum_calls=10, circuit_breaker_threshold=5
)


@dataclass(frozen=True, slots=True)
class Traffic:
    """Lookups at ``rate`` per second for ``seconds`` of virtual time."""

    rate: float
    seconds: float


@dataclass(frozen=True, slots=True)
class Share:
    """What the primary answered: overall and per ``BUCKET`` seconds, in percent."""

    overall: float
    buckets: list[float]
    p99_ms: float
    lookups: int

    def context(self, best: float) -> str:
        per_bucket = ", ".join(f"{share:.0f}" for share in self.buckets)
        return (
            f"at best {best:.0f} %; per {BUCKET:.0f} s: {per_bucket}; lookup p99 "
            f"{fmt(self.p99_ms)} ms, {self.lookups:,} lookups"
        )


async def _share(
    config: FailoverConfig, traffic: Traffic, *, error_rate: float = 0.0, quota: int | None = None
) -> Share:
    """Run the traffic on the current (virtual) loop against a faulty primary."""
    faulty = FakeUpstream(seed=1, latency=LATENCY, error_rate=error_rate)
    if quota is not None:
        faulty.set_quota("flightaware", quota)
    manager = in_process_pair(faulty, FakeUpstream(seed=2, latency=LATENCY), config)
    flights, day = flight_numbers(FLIGHTS), today()
    loop = asyncio.get_running_loop()
    start = loop.time()
    answered: Counter[int] = Counter()
    total: Counter[int] = Counter()
    latencies: list[float] = []

    async def lookup(i: int) -> None:
        arrived = loop.time()
        bucket = int((arrived - start) // BUCKET)
        total[bucket] += 1
        try:
            record = await manager.get_flight_status(flights[i % len(flights)], day)
        except FlightDataError:
            record = None
        latencies.append(loop.time() - arrived)
        if record is not None and record.source == PRIMARY:
            answered[bucket] += 1

    count = round(traffic.rate * traffic.seconds)
    tasks: list[asyncio.Task[None]] = []
    try:
        for i in range(count):
            wait = start + i / traffic.rate - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            tasks.append(asyncio.create_task(lookup(i)))
        await asyncio.gather(*tasks)
    finally:
        await manager.aclose()
    buckets = sorted(total)
    return Share(
        overall=sum(answered.values()) * 100 / count,
        buckets=[answered[b] * 100 / total[b] for b in buckets],
        p99_ms=percentile(latencies, 99) * 1e3,
        lookups=count,
    )


async def bench(scale: float = 1.0, upstream: RemoteUpstream | None = None) -> Section:
    """Run the partial-fault benchmark; ``scale`` shortens the simulated minutes.

    It runs in process on virtual time: ``upstream`` is not used.
    """
    section = Section("4b. Primary under partial faults")
    flaky = Traffic(20.0, scaled(90, scale, 10))
    busy = Traffic(scaled(120, scale, 12), scaled(60, scale, 10))
    best_quota = min(100.0, QUOTA * 100 / busy.rate)
    limited = FailoverConfig(
        rate_limits={PRIMARY: RateLimit(requests=QUOTA - 2, burst=2)}, max_rate_limit_wait=0
    )

    async def run() -> dict[str, Share]:
        return {
            "flaky": await _share(FailoverConfig(), flaky, error_rate=ERROR_RATE),
            "flaky, old": await _share(OLD_DEFAULTS, flaky, error_rate=ERROR_RATE),
            "quota": await _share(FailoverConfig(), busy, quota=QUOTA),
            "quota, limited": await _share(limited, busy, quota=QUOTA),
        }

    shares = await on_virtual_time(run)
    best_flaky = (1 - ERROR_RATE) * 100
    section.add(
        "503 on 30 %: lookups the primary answers",
        shares["flaky"].overall,
        "%",
        Target(0.9 * best_flaky, ">="),
        shares["flaky"].context(best_flaky),
    )
    section.add(
        "503 on 30 %, breaker defaults before: primary answers",
        shares["flaky, old"].overall,
        "%",
        context=shares["flaky, old"].context(best_flaky),
    )
    section.add(
        "quota 100/s, Retry-After alone: primary answers",
        shares["quota"].overall,
        "%",
        context=shares["quota"].context(best_quota),
    )
    section.add(
        "quota 100/s, local limit 98/s burst 2: primary answers",
        shares["quota, limited"].overall,
        "%",
        Target(0.9 * best_quota, ">="),
        shares["quota, limited"].context(best_quota),
    )
    section.note(
        f"Virtual time: {flaky.rate:g} lookups/s for {flaky.seconds:g} s with 30 % of the "
        f"primary's answers 503, {busy.rate:g} lookups/s for {busy.seconds:g} s against a "
        f"{QUOTA} requests/s quota (fixed one-second windows, 429 with `Retry-After: 1`); "
        f"{LATENCY * 1e3:.0f} ms per request, default `FailoverConfig` unless the row says."
    )
    section.note(
        "Retry-After alone: the 429 arrives once the second's 100 requests are spent and asks "
        "for a whole second, so the primary sits out the rest of that second and the start of "
        "the next. A local limit just under the quota, with a small burst so that no second "
        "ever sees more than the quota, never meets a 429 and fails over at once when it has no "
        "slot, so the primary serves what its quota allows."
    )
    return section
