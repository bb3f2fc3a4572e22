"""4. Failover: what a failing primary costs a lookup, and how much traffic a flaky one keeps.

Latency (real time, loopback). Managers answer the same flight: the baseline has AeroDataBox
alone, the others put FlightAware in front of it as the primary, which fails in four ways:

* closed port: its base URL is a loopback port that is bound but not listening, so every
  connect is refused;
* 503: the upstream answers every primary request with 503 (a provider that is up but failing);
* hanging: the upstream never answers the primary (``fail_next('hang')``), so the attempt
  timeout ends the attempt (the breaker is reset before each hang: every hang is a first one);
* OPEN: the primary's breaker is tripped, so the manager skips it without a call.

The closed-port and 503 primaries are never reset: their breakers open after the failures
the default configuration needs and then skip the primary, as a user's process would. Each
round makes lookups through the managers step by step, in rotating order; a row is the median
over the rounds of (median lookup through the manager) / (median lookup of the baseline).
The primary under partial faults, on virtual time, is benchmark 4b (``bench_partial_faults``).
"""

from __future__ import annotations

import contextlib
import socket
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from benchmarks.common import (
    ROUNDS,
    Section,
    Target,
    interleaved,
    median,
    scaled,
)
from benchmarks.stack import aerodatabox, flightaware, remote, today
from benchmarks.upstream import RemoteUpstream
from flight_agent.errors import FlightDataError
from flight_agent.models import FlightStatusData
from flight_agent.providers import FailoverConfig, FailoverManager
from flight_agent.providers.interfaces import FlightDataProvider

LOOKUPS = {"failing": 30, "hanging": 1, "open": 100}
"""Lookups per manager per round."""
ATTEMPT_TIMEOUT = 1.0
FLIGHT = "BA117"
PRIMARY = "FlightAware"


def _asked_primary(record: FlightStatusData) -> bool:
    """Whether the lookup called the primary (rather than skipping it as OPEN)."""
    return any(a.provider == PRIMARY and a.outcome != "circuit_open" for a in record.attempts)


@dataclass
class Lookups:
    """Lookups through one way of answering, one per step of ``interleaved``.

    Args:
        build: Returns the manager for the next round (a fresh one, or the same each time).
        before_each: Awaited before each lookup, untimed.
        paying_only: A lookup that did not ask the primary is left out of the figures.
    """

    build: Callable[[], Awaitable[FailoverManager]]
    before_each: Callable[[], Awaitable[None]] | None = None
    paying_only: bool = False
    manager: FailoverManager | None = None
    asked: list[int] = field(default_factory=list)

    async def start(self) -> None:
        """Begin a round with the round's manager."""
        self.asked.append(0)
        self.manager = await self.build()

    async def step(self) -> float | None:
        """One timed lookup; None when it is left out."""
        assert self.manager is not None
        if self.before_each is not None:
            await self.before_each()
        started = time.perf_counter()
        record = await self.manager.get_flight_status(FLIGHT, today())
        elapsed = time.perf_counter() - started
        assert record is not None
        assert record.source == "AeroDataBox"
        paid = _asked_primary(record)
        self.asked[-1] += paid
        return elapsed if paid or not self.paying_only else None


async def bench(scale: float = 1.0, upstream: RemoteUpstream | None = None) -> Section:
    """Run the failover latency benchmark; ``scale`` shrinks the lookups, and the attempt
    timeout too when below 1 (a smoke run waits 0.1 s per hang instead of 1 s)."""
    section = Section("4. Failover")
    timeout = ATTEMPT_TIMEOUT if scale >= 1 else ATTEMPT_TIMEOUT / 10
    config = FailoverConfig(attempt_timeout=timeout, total_timeout=5.0)
    rounds = ROUNDS if scale >= 1 else 1
    failing_n = scaled(LOOKUPS["failing"], scale, 12)
    open_n = scaled(LOOKUPS["open"], scale, 5)
    closed = socket.socket()  # bound but never listening: connects to it are refused
    closed.bind(("127.0.0.1", 0))
    closed_url = f"http://127.0.0.1:{closed.getsockname()[1]}/aeroapi"
    managers: list[FailoverManager] = []
    async with remote(upstream) as up:

        async def warm(providers: list[FlightDataProvider]) -> FailoverManager:
            """A manager whose connections to the upstream are open: first-call costs are
            paid outside the timing (a closed port's refusal too, without judging it)."""
            manager = FailoverManager(providers, config)
            managers.append(manager)
            for provider in providers:
                with contextlib.suppress(FlightDataError):
                    await provider.get_flight_status(FLIGHT, today())
            return manager

        async def refusing() -> FailoverManager:
            return await warm([flightaware(up, base_url=closed_url), aerodatabox(up)])

        async def answering_503() -> FailoverManager:
            await up.reset()  # drop the previous round's unused 503s
            manager = await warm([flightaware(up), aerodatabox(up)])
            await up.fail_next(failing_n, 503, provider="flightaware")
            return manager

        alone = await warm([aerodatabox(up)])
        opened = await warm([flightaware(up), aerodatabox(up)])
        opened.breaker(PRIMARY).trip(duration=3600)
        hanging = await warm([flightaware(up), aerodatabox(up)])

        def same(manager: FailoverManager) -> Callable[[], Awaitable[FailoverManager]]:
            async def build() -> FailoverManager:
                return manager

            return build

        async def hang_next() -> None:
            hanging.breaker(PRIMARY).reset()
            await up.fail_next(1, "hang", provider="flightaware")

        ways = {
            "alone": Lookups(same(alone)),
            "closed port": Lookups(refusing, paying_only=True),
            "503": Lookups(answering_503, paying_only=True),
        }
        open_ways = {"alone": Lookups(same(alone)), "OPEN": Lookups(same(opened))}
        hang_ways = {"alone": Lookups(same(alone)), "hanging": Lookups(same(hanging), hang_next)}

        async def compare(group: dict[str, Lookups], steps: int) -> dict[str, list[float]]:
            async def start_round() -> None:
                for way in group.values():
                    await way.start()

            sides = {name: way.step for name, way in group.items()}
            return await interleaved(rounds, steps, sides, before_round=start_round)

        try:
            times = await compare(ways, failing_n)
            await up.reset()
            skipped = await compare(open_ways, open_n)
            hung = await compare(hang_ways, 1)
        finally:
            for manager in managers:
                await manager.aclose()
            closed.close()
    for name in ("closed port", "503"):
        way = ways[name]
        section.add_ratio(
            f"{name}: a lookup that asks the primary / secondary alone",
            times[name],
            times["alone"],
            Target(4.0),
            what="secondary alone",
        )
        added = (median(times[name]) - median(times["alone"])) * median(way.asked)
        section.add(
            f"{name}: time added until the breaker opens",
            added * 1e3,
            "ms",
            context=f"primary asked {min(way.asked)}-{max(way.asked)} times in {failing_n} "
            "lookups from a fresh start, then skipped as OPEN",
        )
    section.add_ratio(
        "OPEN: lookup / secondary alone", skipped["OPEN"], skipped["alone"], Target(1.2)
    )
    section.add_ratio(
        "hanging: lookup / (attempt timeout + secondary alone)",
        hung["hanging"],
        [timeout + alone_s for alone_s in hung["alone"]],
        Target(1.1),
        what=f"timeout {timeout * 1e3:.0f} ms + secondary alone",
    )
    section.note(
        f"{rounds} rounds of {failing_n} steps; each step makes one lookup through each "
        "manager, in rotating order. Each round builds fresh managers whose primary is a "
        "closed loopback port, or an upstream answering 503, and never resets their breakers: "
        "a lookup pays the primary's failure until the breaker opens (10 failures in a row by "
        "default), then skips it. The ratio rows compare the median lookup that asked the "
        "primary with the median lookup of AeroDataBox alone in the same round; the time added "
        f"is that difference times the calls the primary got. OPEN: {rounds} rounds of {open_n} "
        "steps of AeroDataBox alone and the manager whose primary's breaker is tripped; "
        f"hanging: one hang a round (breaker reset, so each is a first failure), attempt "
        f"timeout {timeout:g} s."
    )
    return section
