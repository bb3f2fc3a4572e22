"""The flight-status cache: entries with fresh and stale deadlines, in memory or in Redis.

``cache_from_url`` picks the backend; ``TtlPolicy`` decides how long an answer stays fresh from
the flight's phase; ``status_key`` names the entry of one flight on one date.
"""

from flight_agent.cache.base import CacheEntry, CacheStats, FlightCache, status_key
from flight_agent.cache.factory import cache_from_url
from flight_agent.cache.memory import MemoryCache
from flight_agent.cache.redis_cache import RedisCache
from flight_agent.cache.ttl_policy import TtlPolicy

__all__ = [
    "CacheEntry",
    "CacheStats",
    "FlightCache",
    "MemoryCache",
    "RedisCache",
    "TtlPolicy",
    "cache_from_url",
    "status_key",
]
