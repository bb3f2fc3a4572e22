"""Choosing the cache backend from a URL."""

from __future__ import annotations

import pytest

from flight_agent.cache import MemoryCache, RedisCache, cache_from_url
from flight_agent.clock import FakeClock


@pytest.mark.parametrize("url", [pytest.param(None, id="none"), pytest.param("", id="empty")])
async def test_no_url_means_memory(url: str | None, clock: FakeClock) -> None:
    """Without configuration the embedded in-process cache is used."""
    cache = cache_from_url(url, clock=clock)
    assert isinstance(cache, MemoryCache)
    await cache.aclose()


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("redis://localhost:6379/15", id="redis"),
        pytest.param("rediss://:pw@cache.example:6380/0", id="rediss"),
        pytest.param("REDIS://localhost", id="upper-case-scheme"),
    ],
)
async def test_a_redis_url_means_redis(url: str, clock: FakeClock) -> None:
    """redis:// and rediss:// URLs give a RedisCache, built without connecting."""
    cache = cache_from_url(url, clock=clock)
    assert isinstance(cache, RedisCache)
    assert "pw" not in repr(cache)
    await cache.aclose()


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("memcached://:s3cret@cache:11211", id="other-scheme"),
        pytest.param("s3cret@localhost:6379", id="no-scheme"),
    ],
)
def test_any_other_url_is_refused_without_echoing_it(url: str) -> None:
    """An unsupported URL fails clearly and the message does not repeat it."""
    with pytest.raises(ValueError, match="unsupported cache URL") as raised:
        cache_from_url(url)
    assert "s3cret" not in str(raised.value)
