"""The Redis cache against a real server: storage, expiry, corruption, outages and locks."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from typing import Any

import pytest
from redis.asyncio import Redis

from flight_agent.cache import RedisCache, status_key
from flight_agent.cache.redis_cache import encode_entry, lock_key, redact_url
from flight_agent.clock import FakeClock
from tests.cache.samples import DAY, entry, flight, full_flight
from tests.conftest import RedisServer

MINUTE = timedelta(minutes=1)


@pytest.fixture
def flight_id() -> str:
    """A designator no other test (or other run on the shared server) uses."""
    return f"ZZ{uuid.uuid4().hex[:10].upper()}"


@pytest.fixture
def key(flight_id: str) -> str:
    return status_key(flight_id, DAY)


@pytest.fixture
async def client(redis_server: RedisServer, flight_id: str) -> AsyncIterator[Redis]:
    """A plain client to inspect the server; removes this test's keys afterwards."""
    redis = Redis.from_url(redis_server.url, socket_timeout=1, socket_connect_timeout=1)
    yield redis
    keys = [found async for found in redis.scan_iter(match=f"*{flight_id}*")]
    if keys:
        await redis.delete(*keys)
    await redis.aclose()


@pytest.fixture
async def cache(
    redis_server: RedisServer, client: Redis, clock: FakeClock
) -> AsyncIterator[RedisCache]:
    redis_cache = RedisCache(redis_server.url, clock=clock)
    yield redis_cache
    await redis_cache.aclose()


async def test_round_trip_preserves_the_record_exactly(cache: RedisCache, key: str) -> None:
    """Every field of the record and every deadline come back equal."""
    stored = entry(full_flight())
    await cache.set(key, stored)
    assert await cache.get(key) == stored
    assert (cache.stats.sets, cache.stats.hits) == (1, 1)


async def test_a_not_found_answer_round_trips(cache: RedisCache, key: str) -> None:
    """A None value is stored as null and read back as a cached "not found"."""
    stored = entry(None)
    await cache.set(key, stored)
    assert await cache.get(key) == stored


async def test_the_key_expires_at_stale_until(cache: RedisCache, client: Redis, key: str) -> None:
    """Redis holds the value until the entry's stale_until (PX), measured on the cache's clock."""
    await cache.set(key, entry(flight(), fresh=10 * MINUTE, stale=6 * 60 * MINUTE))
    expected_ms = (370 * MINUTE).total_seconds() * 1000
    assert expected_ms - 1000 < await client.pttl(key) <= expected_ms


async def test_stale_then_expired_on_the_clock(
    cache: RedisCache, clock: FakeClock, key: str
) -> None:
    """Past fresh_until the entry is a stale hit; past stale_until a miss, whatever Redis holds."""
    await cache.set(key, entry(flight(), fresh=5 * MINUTE, stale=60 * MINUTE))
    clock.advance(6 * 60)
    stale = await cache.get(key)
    assert stale is not None
    assert not stale.is_fresh(clock.now())
    clock.advance(60 * 60)
    assert await cache.get(key) is None
    assert (cache.stats.stale_hits, cache.stats.misses) == (1, 1)


async def test_an_expired_entry_is_not_stored(
    cache: RedisCache, client: Redis, clock: FakeClock, key: str
) -> None:
    """An entry past stale_until is not written (Redis would refuse a non-positive PX anyway)."""
    old = entry(flight(), fresh=MINUTE, stale=MINUTE)
    clock.advance(120)
    await cache.set(key, old)
    assert await client.exists(key) == 0
    assert cache.stats.sets == 0


async def test_delete_removes_the_key(cache: RedisCache, client: Redis, key: str) -> None:
    """Delete forgets the key; deleting an absent key is harmless."""
    await cache.set(key, entry(flight()))
    await cache.delete(key)
    await cache.delete(key)
    assert await client.exists(key) == 0


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(b"\x80\x81 not json", id="not-json"),
        pytest.param('"just a string"', id="wrong-shape"),
        pytest.param('{"value": null}', id="missing-deadlines"),
        pytest.param(
            encode_entry(entry(flight())).replace('"source":"Test"', '"source":7'),
            id="invalid-record",
        ),
        pytest.param(
            '{"value":null,"stored_at":"2026-11-28T12:00:00","fresh_until":"2026-11-28T12:05:00",'
            '"stale_until":"2026-11-28T13:00:00"}',
            id="naive-times",
        ),
        pytest.param(
            '{"value":null,"stored_at":"2026-11-28T12:00:00Z","fresh_until":"2026-11-28T13:05:00Z",'
            '"stale_until":"2026-11-28T13:00:00Z"}',
            id="deadlines-out-of-order",
        ),
    ],
)
async def test_a_corrupt_value_is_counted_deleted_and_missed(
    cache: RedisCache, client: Redis, key: str, raw: bytes | str
) -> None:
    """An undecodable value is a miss, counted as corrupt, and removed from Redis."""
    await client.set(key, raw)
    assert await cache.get(key) is None
    assert (cache.stats.corrupt, cache.stats.misses, cache.stats.errors) == (1, 1, 0)
    assert await client.exists(key) == 0


async def test_a_redis_outage_is_a_miss_and_redis_rests_during_back_off(
    private_redis: RedisServer, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Redis killed mid-run: no exception, errors counted, one attempt per back-off period."""
    cache = RedisCache(private_redis.url, clock=clock, backoff_s=5.0)
    key = status_key("BA117", DAY)
    await cache.set(key, entry(flight()))
    assert await cache.get(key) is not None

    commands = 0
    execute: Callable[..., Awaitable[Any]] = Redis.execute_command

    async def counting(self: Redis, *args: Any, **options: Any) -> Any:
        nonlocal commands
        commands += 1
        return await execute(self, *args, **options)

    monkeypatch.setattr(Redis, "execute_command", counting)
    private_redis.stop()

    assert await cache.get(key) is None
    assert (commands, cache.stats.errors) == (1, 1)

    await cache.set(key, entry(flight()))
    await cache.delete(key)
    assert await cache.get(key) is None
    assert await cache.acquire_lock(key, 10)
    assert not await cache.acquire_lock(key, 10)
    await cache.release_lock(key)
    clock.advance(4.999)
    assert await cache.get(key) is None
    assert (commands, cache.stats.errors, cache.stats.sets) == (1, 1, 1)

    clock.advance(0.001)
    assert await cache.get(key) is None
    assert (commands, cache.stats.errors, cache.stats.misses) == (2, 2, 4)
    await cache.aclose()


async def test_the_password_never_shows(caplog: pytest.LogCaptureFixture) -> None:
    """Neither repr nor the outage warning reveals a password from the URL."""
    cache = RedisCache("redis://user:s3cret@127.0.0.1:1/0", socket_timeout=0.1)
    with caplog.at_level(logging.WARNING, logger="flight_agent.cache"):
        assert await cache.get(status_key("BA117", DAY)) is None
    await cache.aclose()
    assert repr(cache) == "RedisCache(url='redis://***@127.0.0.1:1/0')"
    assert cache.stats.errors == 1
    assert "unavailable" in caplog.text
    assert "s3cret" not in caplog.text


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        pytest.param("redis://localhost:6379/0", "redis://localhost:6379/0", id="no-credentials"),
        pytest.param("redis://:pw@cache:6379/1", "redis://***@cache:6379/1", id="password"),
        pytest.param("rediss://u:p@ss/w@h:6380", "rediss://***@h:6380", id="unescaped-specials"),
        pytest.param("redis://h:6379/0?password=pw", "redis://h:6379/0", id="password-in-query"),
        pytest.param("user:pw@host", "***", id="no-scheme"),
    ],
)
def test_urls_are_redacted(url: str, shown: str) -> None:
    """Credentials and query strings are cut from the URL shown to people."""
    assert redact_url(url) == shown


def test_the_lock_key_is_derived_from_the_status_key() -> None:
    """Locks live beside statuses in the same versioned namespace."""
    assert lock_key(status_key("BA117", DAY)) == "flight-agent:v1:lock:status:BA117:2026-11-28"


async def test_two_instances_share_one_lock(
    redis_server: RedisServer, client: Redis, clock: FakeClock, key: str
) -> None:
    """Only one instance holds the lock; the other gets it after release, not by releasing."""
    first = RedisCache(redis_server.url, clock=clock)
    second = RedisCache(redis_server.url, clock=clock)
    assert await first.acquire_lock(key, 30)
    assert not await second.acquire_lock(key, 30)
    await second.release_lock(key)
    assert not await second.acquire_lock(key, 30)
    await first.release_lock(key)
    assert await second.acquire_lock(key, 30)
    await second.release_lock(key)
    assert await client.exists(lock_key(key)) == 0
    await first.aclose()
    await second.aclose()


async def test_an_expired_lock_passes_on_and_the_old_holder_cannot_release_it(
    redis_server: RedisServer, client: Redis, clock: FakeClock, key: str
) -> None:
    """The lock key carries the TTL; once gone, another instance takes it and keeps it."""
    first = RedisCache(redis_server.url, clock=clock)
    second = RedisCache(redis_server.url, clock=clock)
    assert await first.acquire_lock(key, 2.5)
    assert 0 < await client.pttl(lock_key(key)) <= 2500
    # What Redis does when the PX runs out, without waiting for it.
    await client.delete(lock_key(key))
    assert await second.acquire_lock(key, 30)
    await first.release_lock(key)
    assert not await first.acquire_lock(key, 30)
    await first.aclose()
    await second.aclose()


async def test_one_fetcher_across_processes_and_callers(
    redis_server: RedisServer, client: Redis, clock: FakeClock, key: str
) -> None:
    """Two instances with 25 concurrent callers each elect exactly one fetcher (C1)."""
    caches = [RedisCache(redis_server.url, clock=clock) for _ in range(2)]
    results = await asyncio.gather(
        *(cache.acquire_lock(key, 30) for cache in caches for _ in range(25))
    )
    assert results.count(True) == 1
    for cache in caches:
        await cache.aclose()


def test_constructor_rejects_unsafe_timeouts() -> None:
    """A zero socket timeout or a negative back-off is refused."""
    with pytest.raises(ValueError, match="socket_timeout"):
        RedisCache("redis://localhost", socket_timeout=0)
    with pytest.raises(ValueError, match="backoff_s"):
        RedisCache("redis://localhost", backoff_s=-1)


async def test_a_given_client_is_used_and_left_open(
    redis_server: RedisServer, client: Redis, clock: FakeClock, key: str
) -> None:
    """With client= the cache talks through that client and aclose leaves it to its owner."""
    cache = RedisCache("redis://:pw@elsewhere:1/0", clock=clock, client=client)
    await cache.set(key, entry(None))
    await cache.aclose()
    assert await client.exists(key) == 1
    assert "pw" not in repr(cache)
