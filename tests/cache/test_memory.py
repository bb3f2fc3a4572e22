"""The in-process cache: freshness on the fake clock, LRU bounds, single-flight locks."""

from __future__ import annotations

import asyncio
import gc
import tracemalloc
from collections import OrderedDict
from datetime import timedelta

import pytest

from flight_agent.cache import MemoryCache, compact
from flight_agent.clock import FakeClock
from tests.cache.samples import entry, flight, full_flight

MINUTE = 60.0


@pytest.fixture
def cache(clock: FakeClock) -> MemoryCache:
    return MemoryCache(3, clock=clock)


async def test_a_fresh_entry_is_a_hit(cache: MemoryCache) -> None:
    """A stored entry comes back equal to the one stored, counted as a hit."""
    cached = entry(flight())
    await cache.set("k", cached)
    assert await cache.get("k") == cached
    assert (cache.stats.hits, cache.stats.sets) == (1, 1)


async def test_storage_loses_nothing_of_a_record(cache: MemoryCache) -> None:
    """Every field, the set of fields given, and the derived flags survive the compact form."""
    record = full_flight()
    await cache.set("k", entry(record))
    read = await cache.get("k")
    assert read is not None
    assert read.value is not None
    assert read.value == record
    assert read.value.model_fields_set == record.model_fields_set
    assert read.value.is_disrupted == record.is_disrupted
    assert read.value.model_dump_json() == record.model_dump_json()


async def test_a_not_found_answer_is_cached_too(cache: MemoryCache) -> None:
    """An entry whose value is None (flight not found) is a hit, not a miss."""
    await cache.set("k", entry(None))
    cached = await cache.get("k")
    assert cached is not None
    assert cached.value is None
    assert cache.stats.hits == 1


async def test_an_absent_key_is_a_miss(cache: MemoryCache) -> None:
    """Reading a key never stored returns None and counts a miss."""
    assert await cache.get("absent") is None
    assert cache.stats.misses == 1


async def test_past_freshness_the_entry_is_served_stale_then_dropped(
    cache: MemoryCache, clock: FakeClock
) -> None:
    """After fresh_until the entry is a stale hit; at stale_until it is a miss and is dropped."""
    await cache.set("k", entry(flight(), fresh=timedelta(minutes=5), stale=timedelta(hours=1)))
    clock.advance(5 * MINUTE)
    stale = await cache.get("k")
    assert stale is not None
    assert not stale.is_fresh(clock.now())
    clock.advance(60 * MINUTE)
    assert await cache.get("k") is None
    assert len(cache) == 0
    assert (cache.stats.stale_hits, cache.stats.misses) == (1, 1)


async def test_an_entry_already_expired_is_not_stored(cache: MemoryCache, clock: FakeClock) -> None:
    """Storing an entry whose stale window has passed is a no-op."""
    old = entry(flight(), fresh=timedelta(minutes=1), stale=timedelta(minutes=1))
    clock.advance(2 * MINUTE)
    await cache.set("k", old)
    assert (len(cache), cache.stats.sets) == (0, 0)


async def test_the_least_recently_used_entry_is_evicted_first(cache: MemoryCache) -> None:
    """Reads refresh recency; each store beyond max_entries evicts the oldest and counts it."""
    for key in "abc":
        await cache.set(key, entry(flight()))
    await cache.get("a")
    await cache.set("d", entry(flight()))
    assert await cache.get("b") is None
    await cache.set("e", entry(flight()))
    assert await cache.get("c") is None
    assert [await cache.get(key) is not None for key in "ade"] == [True, True, True]
    assert (len(cache), cache.stats.evictions) == (3, 2)


async def test_overwriting_a_key_refreshes_it_without_eviction(cache: MemoryCache) -> None:
    """Storing an existing key replaces its entry, makes it most recent, and evicts nothing."""
    for key in "abc":
        await cache.set(key, entry(flight()))
    newer = entry(None)
    await cache.set("a", newer)
    await cache.set("d", entry(flight()))
    assert await cache.get("a") == newer
    assert await cache.get("b") is None
    assert cache.stats.evictions == 1


async def test_delete_forgets_a_key_and_ignores_absent_ones(cache: MemoryCache) -> None:
    """Delete removes the entry; deleting again is harmless."""
    await cache.set("k", entry(flight()))
    await cache.delete("k")
    await cache.delete("k")
    assert await cache.get("k") is None


def test_max_entries_must_be_positive() -> None:
    """A cache that can hold nothing is refused."""
    with pytest.raises(ValueError, match="max_entries"):
        MemoryCache(0)


async def test_a_lock_is_exclusive_until_released(cache: MemoryCache) -> None:
    """The second acquire fails while the first holds the lock; after release it succeeds."""
    assert await cache.acquire_lock("k", 10)
    assert not await cache.acquire_lock("k", 10)
    assert await cache.acquire_lock("other", 10)
    await cache.release_lock("k")
    assert await cache.acquire_lock("k", 10)


async def test_a_lock_expires_after_its_ttl(cache: MemoryCache, clock: FakeClock) -> None:
    """A holder that never releases blocks others only until its TTL has passed."""
    assert await cache.acquire_lock("k", 10)
    clock.advance(9.999)
    assert not await cache.acquire_lock("k", 10)
    clock.advance(0.001)
    assert await cache.acquire_lock("k", 10)


async def test_one_of_many_concurrent_callers_gets_the_lock(cache: MemoryCache) -> None:
    """50 concurrent misses on one key elect exactly one fetcher (RESILIENCE C1)."""
    results = await asyncio.gather(*(cache.acquire_lock("k", 10) for _ in range(50)))
    assert results.count(True) == 1


async def test_a_lock_ttl_must_be_positive(cache: MemoryCache) -> None:
    """A lock that would never hold is refused."""
    with pytest.raises(ValueError, match="ttl_s"):
        await cache.acquire_lock("k", 0)


async def test_aclose_drops_entries_and_locks(cache: MemoryCache) -> None:
    """After aclose nothing is cached and no lock is held."""
    await cache.set("k", entry(flight()))
    assert await cache.acquire_lock("k", 10)
    await cache.aclose()
    assert len(cache) == 0
    assert await cache.acquire_lock("k", 10)


INTERPRETER_TABLE_GROWTH = 1 << 20
"""Blocks this large are the interpreter's own tables growing in one step (the interned-string
table, once it fills), which happens at a point set by everything the process did before: not a
cost of the flights stored while it happens."""


async def test_a_cached_flight_costs_well_under_two_kilobytes(clock: FakeClock) -> None:
    """A stored flight, with its key and LRU slot, holds under 1.5 KB once the caller's copy
    is gone (as a pydantic object alone it holds about 2.5 KB)."""
    count = 5_000
    cache = MemoryCache(count, clock=clock)
    full_flight()  # loads the airport table outside the count
    gc.collect()
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        for i in range(count):
            record = full_flight().model_copy(update={"flight_id": f"BA{i}", "attempts": ()})
            await cache.set(f"key-{i}", entry(record))
        del record
        gc.collect()
        held = sum(
            trace.size
            for trace in tracemalloc.take_snapshot().traces
            if trace.size < INTERPRETER_TABLE_GROWTH
        )
    finally:
        tracemalloc.stop()
    assert (held - before) / count < 1_500
    read = await cache.get("key-0")
    assert read is not None
    assert read.value is not None
    assert read.value.flight_id == "BA0"


async def test_records_share_their_field_names_however_many_shapes_came_before(
    clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once the table of shared field-name sets is full, the least recently used set makes room:
    records of a new shape still share one set instead of each keeping its own."""
    monkeypatch.setattr(compact, "_shared_field_sets", OrderedDict())
    monkeypatch.setattr(compact, "MAX_SHARED_FIELD_SETS", 2)
    cache = MemoryCache(clock=clock)
    for index, record in enumerate([full_flight(), flight()]):  # two shapes fill the table
        await cache.set(f"shape-{index}", entry(record))
    first, second = (  # a third shape: every field set, "stale" too
        full_flight().model_copy(update={"flight_id": f"BA{i}", "stale": False}) for i in (1, 2)
    )
    await cache.set("a", entry(first))
    await cache.set("b", entry(second))
    a, b = await cache.get("a"), await cache.get("b")
    assert a is not None
    assert b is not None
    assert a.value is not None
    assert b.value is not None
    assert a.value.model_fields_set is b.value.model_fields_set
    assert len(compact._shared_field_sets) == 2
