"""1. Cache hit latency, memory and Redis, p50/p99 per call.

Each cache holds a realistic record (a FlightAware answer from the fake upstream, mapped by the
real provider) under many keys; every call is one ``await cache.get(key)`` of a fresh entry,
timed on its own. Redis is the server at ``BENCH_REDIS_URL`` (default db 14 on 127.0.0.1),
under a unique key prefix that is deleted afterwards. For context, the same hit is also timed
through the service (query parsing, key, cache, freshness) and through the
``get_flight_status`` tool (``ainvoke``: LangChain, the hop to the service's loop thread, the
answer's formatting): the seed promised cached requests under 50 ms, 10 ms on average.
"""

from __future__ import annotations

import os
import uuid

from redis.asyncio import Redis
from redis.exceptions import RedisError

from benchmarks.common import Section, Stopwatch, Target, scaled
from benchmarks.stack import flight_numbers, today
from benchmarks.upstream import RemoteUpstream
from flight_agent.cache import FlightCache, MemoryCache, RedisCache, TtlPolicy, status_key
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


async def sample_record() -> FlightStatusData:
    """BA117 today, as the real AeroAPI provider maps the fake upstream's answer."""
    upstream = FakeUpstream(seed=0)
    async with FlightAwareProvider(
        api_key=upstream.api_key,
        base_url=upstream.base_url("flightaware"),
        transport=upstream.transport(),
    ) as provider:
        record = await provider.fetch(FlightQuery.parse("BA117", today()))
    assert record is not None
    return record


async def time_hits(cache: FlightCache, keys: list[str], calls: int) -> Stopwatch:
    """Time ``calls`` reads of fresh entries, cycling over ``keys``."""
    entry = TtlPolicy().entry(await sample_record(), SYSTEM_CLOCK.now())
    for key in keys:
        await cache.set(key, entry)
    for key in keys:  # warm up: first reads, connections
        assert await cache.get(key) is not None
    watch = Stopwatch()
    for i in range(calls):
        key = keys[i % len(keys)]
        with watch.lap():
            found = await cache.get(key)
        assert found is not None
    return watch


async def redis_hits(keys: int, calls: int) -> Stopwatch | str:
    """Hits on the real Redis under a unique prefix (deleted after), or why they could not run."""
    prefix = f"flight-agent-bench:{uuid.uuid4().hex}:"
    admin = Redis.from_url(REDIS_URL, socket_timeout=1.0)
    try:
        await admin.ping()
    except (RedisError, OSError) as error:
        await admin.aclose()
        return f"Redis at {REDIS_URL} is unavailable ({type(error).__name__})"
    cache = RedisCache(REDIS_URL)
    try:
        return await time_hits(cache, [f"{prefix}{i}" for i in range(keys)], calls)
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
    """Run the cache benchmark; ``scale`` shrinks the number of calls.

    It runs in process (Redis aside): ``upstream`` is not used.
    """
    section = Section("1. Cache hit")
    memory = MemoryCache(max_entries=KEYS)
    keys = [status_key(ident, today()) for ident in flight_numbers(KEYS)]
    hits = await time_hits(memory, keys, scaled(CALLS, scale, 100))
    section.add("memory hit p50", hits.p(50, 1e6), "us", Target(50.0))
    section.add("memory hit p99", hits.p(99, 1e6), "us")
    remote = await redis_hits(scaled(KEYS, scale, 10), scaled(REDIS_CALLS, scale, 100))
    if isinstance(remote, str):
        section.add("Redis hit p50", float("nan"), "ms", Target(0.5), remote)
        section.note(f"Redis was skipped: {remote}.")
    else:
        section.add("Redis hit p50", remote.p(50, 1e3), "ms", Target(0.5), "loopback")
        section.add("Redis hit p99", remote.p(99, 1e3), "ms", context="loopback")
    service, tool = await service_and_tool_hits(scaled(TOOL_CALLS, scale, 20))
    section.add("service hit p50", service.p(50, 1e6), "us", context="memory cache")
    section.add(
        "tool ainvoke hit p50", tool.p(50, 1e3), "ms", context="target < 50 ms, 10 ms average"
    )
    section.add("tool ainvoke hit p99", tool.p(99, 1e3), "ms")
    section.note(
        f"Each call is one `await cache.get(key)` of a fresh entry holding a mapped AeroAPI "
        f"record, timed alone with `perf_counter` ({len(hits.laps):,} memory calls over "
        f"{KEYS} keys; Redis {REDIS_URL}, one connection, no pipelining, JSON decoded and "
        "validated by pydantic on every hit)."
    )
    section.note(
        "The service hit adds query parsing, the cache key and the freshness check; the tool "
        "hit adds LangChain's `ainvoke`, the hop to the toolkit's service thread and back, and "
        "the answer's formatting."
    )
    return section
