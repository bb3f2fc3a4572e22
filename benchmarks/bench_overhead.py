"""2. Overhead of the whole stack against a bare httpx GET of the same endpoint.

For each injected latency (0 and 20 ms), in each step of 5 rounds, one fresh flight (a cache miss
everywhere) is fetched six ways, in rotating order, from the fake upstream in its own process:

* bare: ``httpx.AsyncClient.get`` of the exact URL the provider sends, then ``.json()``;
* provider: ``FlightAwareProvider.fetch`` (HTTP, error mapping, record mapping);
* service: ``get_flight_status_with_failover`` (query, cache miss, single flight, failover,
  breaker, provider, TTL, cache write);
* runner: the tool's operation through ``ServiceRunner.call`` (the hop to the toolkit's service
  thread and back, the service, disruption detection), without LangChain;
* tool: the ``get_flight_status`` tool's ``ainvoke`` (LangChain, the hop to the toolkit's
  service thread, the service, disruption detection and formatting, the hop back);
* caller: the same tool of a ``FlightToolkit(loop="caller")``, whose service runs on the
  caller's loop (what an async application uses: no thread, no hop).

Each layer has its own service and connection pool, so no layer warms another's cache.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import httpx
from langchain_core.tools import BaseTool

from benchmarks.common import ROUNDS, Section, Stopwatch, Target, interleaved, median, scaled
from benchmarks.stack import aeroapi_request, flight_numbers, flightaware, remote, service, today
from benchmarks.upstream import RemoteUpstream
from flight_agent.flight_query import FlightQuery
from flight_agent.providers import FlightAwareProvider
from flight_agent.services import EnhancedFlightMonitoringService
from tools import FlightToolkit, operations
from tools.schemas import FlightRef
from tools.service_runner import ServiceRunner

STEPS = 40
"""Lookups per layer per round (``ROUNDS`` rounds per latency)."""
LATENCIES_MS = (0, 20)
HOPS = 2_000
LAYERS = ("bare", "provider", "service", "runner", "tool", "caller")


async def _noop(_: object) -> None:
    return None


async def bench(scale: float = 1.0, upstream: RemoteUpstream | None = None) -> Section:
    """Run the overhead benchmark; ``scale`` shrinks the number of rounds."""
    section = Section("2. Stack overhead (miss)")
    steps = scaled(STEPS, scale, 2)
    async with remote(upstream) as up:
        provider = flightaware(up)
        direct = service([flightaware(up)])
        runner = FlightToolkit(service=service([flightaware(up)])).runner
        toolkit = FlightToolkit(service=service([flightaware(up)]))
        tool = next(t for t in toolkit.get_tools() if t.name == "get_flight_status")
        local = FlightToolkit(service=service([flightaware(up)]), loop="caller")
        local_tool = next(t for t in local.get_tools() if t.name == "get_flight_status")
        bare = httpx.AsyncClient(
            base_url=up.base_url("flightaware"), headers={"x-apikey": up.api_key}
        )
        try:
            layers = Layers(bare, provider, direct, runner, tool, local_tool)
            medians: dict[int, dict[str, float]] = {}
            warm = flight_numbers(1)[0]  # connections, imports, first-call costs
            for name in LAYERS:
                await layers.fetch(name, warm)
            for n, latency_ms in enumerate(LATENCIES_MS):
                await up.set_latency(latency_ms / 1000)
                start = 1 + n * steps * ROUNDS
                sides = {
                    name: layers.timer(name, flight_numbers(steps * ROUNDS, start))
                    for name in LAYERS
                }
                per_round = await interleaved(ROUNDS, steps, sides)
                medians[latency_ms] = _report(section, latency_ms, per_round)
            noop = Stopwatch()
            for _ in range(scaled(HOPS, scale, 50)):
                with noop.lap():
                    await toolkit.runner.call(_noop)
            hop_p50 = noop.p(50, 1e3)
            section.add("thread hop p50", hop_p50, "ms", context="toolkit.runner.call(noop)")
        finally:
            await bare.aclose()
            await provider.aclose()
            await direct.aclose()
            runner.close()
            toolkit.close()
            await local.aclose()
    at20 = medians[20]
    section.note(
        f"{ROUNDS} rounds of {steps} steps per latency; each step fetches one new flight six "
        "ways (bare, provider, service, service through the toolkit's thread, the tool of a "
        "default toolkit, the tool of a `loop='caller'` toolkit) in rotating order; ratios are "
        "the median of the rounds' ratios of medians, times the medians of the rounds. The "
        "upstream runs in its own process, so its CPU is not counted."
    )
    section.note(
        "The target row is the toolkit an async application uses (`FlightToolkit(loop="
        "'caller')`: the service on the caller's loop). The default toolkit runs its service "
        "on a thread of its own so that sync `invoke` works anywhere (notebooks included); its "
        f"hop costs +{at20['runner'] - at20['service']:.2f} ms on a miss, when both threads "
        f"wake from idle, against {hop_p50:.2f} ms for a warm no-op hop. What is left at 20 ms "
        f"is LangChain's `ainvoke` (+{at20['caller'] - at20['service']:.2f} ms with the "
        "disruption check and the text: callback manager, input validation and the annotations "
        "of the schema resolved on every call) and provider, failover, cache and service "
        f"together (+{at20['service'] - at20['bare']:.2f} ms)."
    )
    return section


@dataclass(frozen=True, slots=True)
class Layers:
    """The six ways of fetching one flight, each with its own connections and cache."""

    bare: httpx.AsyncClient
    provider: FlightAwareProvider
    service: EnhancedFlightMonitoringService
    runner: ServiceRunner
    tool: BaseTool
    caller: BaseTool

    def timer(self, layer: str, idents: list[str]) -> Callable[[], Awaitable[float]]:
        """Each call fetches the next of ``idents`` through ``layer`` and returns its seconds."""
        pending = iter(idents)

        async def fetch_next() -> float:
            ident = next(pending)
            started = time.perf_counter()
            await self.fetch(layer, ident)
            return time.perf_counter() - started

        return fetch_next

    async def fetch(self, layer: str, ident: str) -> None:
        """Fetch today's ``ident`` through ``layer`` (one of ``LAYERS``)."""
        day = today()
        if layer == "bare":
            path, params = aeroapi_request(ident, day)
            response = await self.bare.get(path, params=params)
            response.raise_for_status()
            response.json()
        elif layer == "provider":
            await self.provider.fetch(FlightQuery.parse(ident, day))
        elif layer == "service":
            await self.service.get_flight_status_with_failover(ident, day)
        elif layer == "runner":
            ref = FlightRef(flight_number=ident, date=day.isoformat())
            await self.runner.call(lambda service: operations.flight_status(service, ref))
        else:
            tool = self.tool if layer == "tool" else self.caller
            await tool.ainvoke({"flight_number": ident, "date": day.isoformat()})


def _report(
    section: Section, latency_ms: int, per_round: dict[str, list[float]]
) -> dict[str, float]:
    """Add one latency's rows; returns each layer's median over the rounds, in ms."""
    p50 = {name: median(values) * 1e3 for name, values in per_round.items()}
    at = f"@{latency_ms} ms"
    section.add_ratio(
        f"tool / bare {at}, caller's loop",
        per_round["caller"],
        per_round["bare"],
        Target(1.10) if latency_ms == 20 else None,
        what="bare httpx GET",
    )
    section.add(
        f"tool ainvoke p50 {at}, caller's loop",
        p50["caller"],
        "ms",
        context=f"provider {p50['provider']:.2f}, service {p50['service']:.2f} ms",
    )
    section.add(
        f"overhead per call {at}, caller's loop",
        p50["caller"] - p50["bare"],
        "ms",
        context=(
            f"provider +{p50['provider'] - p50['bare']:.2f}, service "
            f"+{p50['service'] - p50['provider']:.2f}, LangChain "
            f"+{p50['caller'] - p50['service']:.2f}"
        ),
    )
    section.add_ratio(
        f"tool / bare {at}, own loop",
        per_round["tool"],
        per_round["bare"],
        what="bare httpx GET",
    )
    return p50
