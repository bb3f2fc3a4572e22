"""Pick the cache backend from configuration: memory by default, Redis when a URL is given."""

from __future__ import annotations

from flight_agent.cache.base import FlightCache
from flight_agent.cache.memory import MemoryCache
from flight_agent.cache.redis_cache import RedisCache
from flight_agent.clock import SYSTEM_CLOCK, Clock

REDIS_SCHEMES = ("redis://", "rediss://")
"""URL prefixes that select the Redis cache (``rediss`` is Redis over TLS)."""


def cache_from_url(url: str | None, *, clock: Clock = SYSTEM_CLOCK) -> FlightCache:
    """The cache a URL names: in-process memory unless Redis is configured.

    Args:
        url: None or empty for an in-process ``MemoryCache``; a ``redis://`` or ``rediss://``
            URL (e.g. ``REDIS_URL``) for a shared ``RedisCache``. Nothing connects yet.
        clock: Time source for deadlines and back-off.

    Returns:
        A ``MemoryCache`` with default size, or a ``RedisCache`` with default timeouts.

    Raises:
        ValueError: Any other URL; the message never repeats the URL, which may hold a password.
    """
    if not url:
        return MemoryCache(clock=clock)
    if url.lower().startswith(REDIS_SCHEMES):
        return RedisCache(url, clock=clock)
    raise ValueError(
        "unsupported cache URL: use redis://host:port/db or rediss://..., or none for memory"
    )
