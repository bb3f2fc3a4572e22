"""4. Failover latency: what a failing primary adds to an answer from the secondary.

Two ``FailoverManager``s answer the same flight from AeroDataBox on the fake upstream: one has
AeroDataBox alone (the baseline), the other has FlightAware in front of it as the primary. The
primary fails in three ways:

* refused: its base URL is a loopback port that is bound but not listening, so every connect is
  refused at once;
* hanging: the upstream never answers the primary (``fail_next('hang')``), so the attempt
  timeout (1 s) ends the attempt;
* OPEN: the primary's breaker is tripped, so the manager skips it without a call.

Calls alternate between the two managers and the figure is the difference of their medians.
The primary's breaker is reset before each refused or hanging call (outside the timing), so it
keeps failing by its own fault rather than being skipped as OPEN.
"""

from __future__ import annotations

import socket
from collections.abc import Awaitable, Callable

from benchmarks.common import Section, Stopwatch, Target, median, scaled
from benchmarks.stack import aerodatabox, flightaware, remote, today
from benchmarks.upstream import RemoteUpstream
from flight_agent.providers import FailoverConfig, FailoverManager

ROUNDS = {"refused": 200, "hanging": 5, "open": 500}
ATTEMPT_TIMEOUT = 1.0
FLIGHT = "BA117"


async def _paired(
    rounds: int,
    baseline: FailoverManager,
    scenario: FailoverManager,
    before: Callable[[], Awaitable[None]],
) -> tuple[float, float]:
    """Median seconds of the baseline and of the scenario, calls alternating."""
    day = today()
    base, test = Stopwatch(), Stopwatch()
    for i in range(rounds):
        for which in ("base", "test") if i % 2 == 0 else ("test", "base"):
            if which == "base":
                with base.lap():
                    await baseline.get_flight_status(FLIGHT, day)
            else:
                await before()
                with test.lap():
                    record = await scenario.get_flight_status(FLIGHT, day)
                assert record is not None
                assert record.source == "AeroDataBox"
    return median(base.laps), median(test.laps)


async def bench(scale: float = 1.0, upstream: RemoteUpstream | None = None) -> Section:
    """Run the failover benchmark; ``scale`` shrinks the rounds, and the attempt timeout too
    when below 1 (a smoke run waits 0.1 s per hang instead of 1 s)."""
    section = Section("4. Failover")
    timeout = ATTEMPT_TIMEOUT if scale >= 1 else ATTEMPT_TIMEOUT / 10
    config = FailoverConfig(attempt_timeout=timeout, total_timeout=5.0)
    # Bound but never listening: connects to it are refused.
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    refused_url = f"http://127.0.0.1:{closed.getsockname()[1]}/aeroapi"
    async with remote(upstream) as up:
        alone = FailoverManager([aerodatabox(up)], config)
        refusing = FailoverManager([flightaware(up, base_url=refused_url), aerodatabox(up)], config)
        both = FailoverManager([flightaware(up), aerodatabox(up)], config)
        managers = (alone, refusing, both)
        try:
            for manager in managers:  # connections, first-call costs
                await manager.get_flight_status(FLIGHT, today())
            primary = "FlightAware"

            async def reset_refusing() -> None:
                refusing.breaker(primary).reset()

            async def hang_next() -> None:
                both.breaker(primary).reset()
                await up.fail_next(1, "hang", provider="flightaware")

            async def nothing() -> None:
                return None

            refused = await _paired(
                scaled(ROUNDS["refused"], scale, 5), alone, refusing, reset_refusing
            )
            hanging = await _paired(scaled(ROUNDS["hanging"], scale, 2), alone, both, hang_next)
            both.breaker(primary).trip(duration=3600)
            opened = await _paired(scaled(ROUNDS["open"], scale, 5), alone, both, nothing)
        finally:
            for manager in managers:
                await manager.aclose()
            closed.close()
    secondary = refused[0]
    section.add(
        "refused: added latency",
        (refused[1] - refused[0]) * 1e3,
        "ms",
        Target(5.0),
        f"secondary alone {secondary * 1e3:.2f} ms",
    )
    section.add(
        "hanging: added latency",
        (hanging[1] - hanging[0]) * 1e3,
        "ms",
        Target(timeout * 1.1 * 1e3),
        f"attempt timeout {timeout * 1e3:.0f} ms",
    )
    section.add(
        "OPEN: added latency",
        (opened[1] - opened[0]) * 1e3,
        "ms",
        Target(1.0),
        f"secondary alone {opened[0] * 1e3:.2f} ms",
    )
    section.note(
        f"Medians over {scaled(ROUNDS['refused'], scale, 5)} refused, "
        f"{scaled(ROUNDS['hanging'], scale, 2)} hanging and {scaled(ROUNDS['open'], scale, 5)} "
        f"OPEN rounds; attempt timeout {timeout:g} s. A negative figure means the difference "
        "is below the run-to-run noise of one loopback request."
    )
    return section
