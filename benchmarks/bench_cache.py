"""1. Cache hit latency, memory and Redis, against a baseline read of the same keys.

Each cache holds distinct realistic records (FlightAware answers from the fake upstream, mapped
by the real provider), one per key; every call is one ``await cache.get(key)`` of a fresh
entry, timed on its own and interleaved with a baseline read of the same key: a ``model_copy``
of the record kept as a pydantic object (memory), a bare ``GET`` (Redis). Redis is the server
at ``BENCH_REDIS_URL`` (default db 14 on 127.0.0.1), under a unique key prefix that is deleted
afterwards. For context, the same hit is also timed through the service (query parsing, key,
cache, freshness) and through the ``get_flight_status`` tool (``ainvoke``: LangChain, the hop
to the service's loop thread, the answer's formatting): the seed promised cached requests under
50 ms, 10 ms on average.
"""

from __future__ import annotations

import itertools
import os
import time
import uuid
from collections.abc import Awaitable, Callable

from redis.asyncio import Redis
from redis.exceptions import RedisError

from benchmarks.common import ROUNDS, Section, Stopwatch, Target, interleaved, median, scaled
from benchmarks.stack import flight_numbers, today
from benchmarks.upstream import RemoteUpstream
from flight_agent.cache import MemoryCache, RedisCache, TtlPolicy, status_key
from flight_agent.clock import SYSTEM_CLOCK
from flight_agent.flight_query import FlightQuery
from flight_agent.models import FlightStatusData
from flight_agent.providers import FlightAwareProvider
from flight_agent.services import EnhancedFlightMonitoringService
from flight_agent.settings import Settings
from flight_agent.testing import FakeUpstream
from tools import FlightToolkit

REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
KEYS = 500
CALLS = 20_000
REDIS_CALLS = 5_000
TOOL_CALLS = 1_000


async def distinct_records(count: int) -> list[FlightStatusData]:
    """``count`` distinct flights today, as the real AeroAPI provider maps the fake upstream's
    answers (each a different route, times, aircraft and status)."""
    upstream = FakeUpstream(seed=0)
    async with FlightAwareProvider(
        api_key=upstream.api_key,
        base_url=upstream.base_url("flightaware"),
        transport=upstream.transport(),
    ) as provider:
        records = [
            await provider.fetch(FlightQuery.parse(ident, today()))
            for ident in flight_numbers(count)
        ]
    found = [record for record in records if record is not None]
    if len(found) != count:
        raise RuntimeError(f"the fake upstream knew {len(found)} of {count} flights")
    return found


def hit_timer(
    read: Callable[[str], Awaitable[object]], keys: list[str]
) -> Callable[[], Awaitable[float]]:
    """Each call reads the next key (cycling) and returns the read's seconds; a miss fails."""
    cycle = itertools.cycle(keys)

    async def one() -> float:
        key = next(cycle)
        started = time.perf_counter()
        found = await read(key)
        elapsed = time.perf_counter() - started
        assert found is not None
        return elapsed

    return one


async def memory_hits(records: list[FlightStatusData], steps: int) -> dict[str, list[float]]:
    """Memory hits against the same records kept as pydantic objects in a dict, a hit being a
    ``model_copy`` (what such a cache must hand out so callers cannot change its entries)."""
    cache = MemoryCache(max_entries=len(records))
    objects: dict[str, FlightStatusData] = {}
    keys = [status_key(record.flight_id, today()) for record in records]
    now = SYSTEM_CLOCK.now()
    for key, record in zip(keys, records, strict=True):
        await cache.set(key, TtlPolicy().entry(record, now))
        objects[key] = record

    async def copy_of(key: str) -> FlightStatusData:
        return objects[key].model_copy()

    sides = {"memory": hit_timer(cache.get, keys), "objects": hit_timer(copy_of, keys)}
    for read in sides.values():  # warm up
        for _ in keys:
            await read()
    return await interleaved(ROUNDS, steps, sides)


async def redis_hits(records: list[FlightStatusData], steps: int) -> dict[str, list[float]] | str:
    """Hits on the real Redis against a bare GET of the same keys (no decoding), under a
    unique prefix deleted after; or why they could not run."""
    prefix = f"flight-agent-bench:{uuid.uuid4().hex}:"
    admin = Redis.from_url(REDIS_URL, socket_timeout=1.0)
    try:
        await admin.ping()
    except (RedisError, OSError) as error:
        await admin.aclose()
        return f"Redis at {REDIS_URL} is unavailable ({type(error).__name__})"
    cache = RedisCache(REDIS_URL)
    keys = [f"{prefix}{record.flight_id}" for record in records]
    try:
        now = SYSTEM_CLOCK.now()
        for key, record in zip(keys, records, strict=True):
            await cache.set(key, TtlPolicy().entry(record, now))
        sides = {"cache": hit_timer(cache.get, keys), "GET": hit_timer(admin.get, keys)}
        for read in sides.values():  # warm up: connections, first reads
            for _ in keys:
                await read()
        return await interleaved(ROUNDS, steps, sides)
    finally:
        await cache.aclose()
        stored = [key async for key in admin.scan_iter(match=prefix + "*", count=1000)]
        if stored:
            await admin.delete(*stored)
        await admin.aclose()


async def service_and_tool_hits(calls: int) -> tuple[Stopwatch, Stopwatch]:
    """Hits through the service (on this loop) and through the tool (on the toolkit's loop)."""
    day = today()

    def build() -> EnhancedFlightMonitoringService:
        upstream = FakeUpstream(seed=0)
        provider = FlightAwareProvider(
            api_key=upstream.api_key,
            base_url=upstream.base_url("flightaware"),
            transport=upstream.transport(),
        )
        return EnhancedFlightMonitoringService(
            providers=[provider], settings=Settings(redis_url=None)
        )

    direct = build()
    service_watch = Stopwatch()
    try:
        await direct.get_flight_status_with_failover("BA117", day)
        for _ in range(calls):
            with service_watch.lap():
                await direct.get_flight_status_with_failover("BA117", day)
    finally:
        await direct.aclose()
    toolkit = FlightToolkit(service=build())
    tool = next(t for t in toolkit.get_tools() if t.name == "get_flight_status")
    args = {"flight_number": "BA117", "date": day.isoformat()}
    tool_watch = Stopwatch()
    try:
        await tool.ainvoke(args)
        for _ in range(calls):
            with tool_watch.lap():
                await tool.ainvoke(args)
    finally:
        toolkit.close()
    return service_watch, tool_watch


async def bench(scale: float = 1.0, upstream: RemoteUpstream | None = None) -> Section:
    """Run the cache benchmark; ``scale`` shrinks the number of keys and calls.

    It runs in process (Redis aside): ``upstream`` is not used.
    """
    section = Section("1. Cache hit")
    records = await distinct_records(scaled(KEYS, scale, 10))
    size = sum(len(record.model_dump_json()) for record in records) / len(records)
    memory = await memory_hits(records, scaled(CALLS, scale, 100) // ROUNDS)
    section.add_ratio(
        "memory hit / pydantic model_copy",
        memory["memory"],
        memory["objects"],
        Target(6.0),
        what="model_copy",
        unit="us",
        scale=1e6,
    )
    section.add("memory hit p50", median(memory["memory"]) * 1e6, "us", context="median of rounds")
    remote = await redis_hits(records, scaled(REDIS_CALLS, scale, 100) // ROUNDS)
    if isinstance(remote, str):
        section.add("Redis hit / bare GET", float("nan"), "x", Target(2.0), remote)
        section.note(f"Redis was skipped: {remote}.")
    else:
        section.add_ratio(
            "Redis hit / bare GET", remote["cache"], remote["GET"], Target(2.0), what="bare GET"
        )
        section.add("Redis hit p50", median(remote["cache"]) * 1e3, "ms", context="loopback")
    service, tool = await service_and_tool_hits(scaled(TOOL_CALLS, scale, 20))
    section.add("service hit p50", service.p(50, 1e6), "us", context="memory cache")
    section.add(
        "tool ainvoke hit p50", tool.p(50, 1e3), "ms", context="target < 50 ms, 10 ms average"
    )
    section.add("tool ainvoke hit p99", tool.p(99, 1e3), "ms")
    section.note(
        f"{len(records)} distinct mapped AeroAPI records (flights of the fake upstream, "
        f"{size:,.0f} B of JSON on average), each under its own key. {ROUNDS} rounds; each "
        "step times one `await cache.get(key)` of a fresh entry and one read of the baseline, "
        "in alternating order, with `perf_counter`. Memory: the baseline keeps the same "
        "records as pydantic objects in a dict and hands out a `model_copy`. Redis "
        f"({REDIS_URL}, one connection each, no pipelining): the baseline is a bare `GET` of "
        "the same key, so the ratio is what decoding and validating the entry adds to the "
        "round trip."
    )
    section.note(
        "The service hit adds query parsing, the cache key and the freshness check; the tool "
        "hit adds LangChain's `ainvoke`, the hop to the toolkit's service thread and back, and "
        "the answer's formatting."
    )
    return section
