"""Breaker OPEN decisions shared across processes through Redis.

Only the decision is shared: ``SET {prefix}:{provider}:open 1 PX <open ms>`` when a process
opens a provider's breaker, so every process skips that provider until the key expires by
itself. Counters stay local, so one process's network trouble cannot count as everyone's.
A guarded call costs one ``PTTL`` (or none while a recent answer is cached). Redis trouble never
reaches the caller: commands go through a ``RedisGuard``, whose ``StoreUnavailableError`` means
"go on with local state"; the guard counts the failure and leaves Redis alone for
``retry_interval`` seconds, so an outage adds no latency per request.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from redis.asyncio import Redis

from flight_agent.clock import SYSTEM_CLOCK, Clock
from flight_agent.errors import StoreUnavailableError
from flight_agent.redis_guard import RedisGuard

DEFAULT_PREFIX = "flight-agent:v1:cb"


class SharedBreakerState:
    """Publishes and reads provider OPEN decisions in Redis.

    Args:
        redis: An asyncio Redis client (give it short socket timeouts).
        prefix: Key prefix; processes sharing decisions must use the same one.
        cache_ttl: Seconds a read answer is reused before Redis is asked again (0: every call).
        retry_interval: Seconds Redis is left alone after an error.
        clock: Time source (monotonic).
    """

    def __init__(
        self,
        redis: Redis,
        *,
        prefix: str = DEFAULT_PREFIX,
        cache_ttl: float = 0.0,
        retry_interval: float = 1.0,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self._redis = redis
        self._guard = RedisGuard(
            redis, role="shared breaker state", backoff_s=retry_interval, clock=clock
        )
        self._prefix = prefix
        self._cache_ttl = cache_ttl
        self._clock = clock
        self._cache: dict[str, tuple[float, float | None]] = {}

    @property
    def errors(self) -> int:
        """Redis commands that failed."""
        return self._guard.failures

    @property
    def commands(self) -> int:
        """Redis commands sent (none while Redis is left alone after a failure)."""
        return self._guard.commands

    def key(self, provider: str) -> str:
        """The Redis key holding ``provider``'s OPEN decision."""
        return f"{self._prefix}:{provider}:open"

    async def open_elsewhere(self, provider: str) -> float | None:
        """Seconds the provider stays open by a shared decision, or None when it is not open."""
        now = self._clock.monotonic()
        cached = self._cache.get(provider)
        if cached is not None and now - cached[0] < self._cache_ttl:
            return cached[1]
        pttl = await self._command(lambda: self._redis.pttl(self.key(provider)))
        left = pttl / 1000 if isinstance(pttl, int) and pttl > 0 else None
        self._cache[provider] = (now, left)
        return left

    async def publish_open(self, provider: str, seconds: float) -> None:
        """Tell every process that ``provider`` is open for ``seconds``."""
        millis = max(1, round(seconds * 1000))
        await self._command(lambda: self._redis.set(self.key(provider), "1", px=millis))
        self._cache.pop(provider, None)

    async def clear(self, provider: str) -> None:
        """Withdraw a shared OPEN decision (the provider recovered)."""
        await self._command(lambda: self._redis.delete(self.key(provider)))
        self._cache.pop(provider, None)

    async def _command(self, command: Callable[[], Awaitable[Any]]) -> Any:
        """Run one Redis command; None when it fails or Redis is resting (local state decides)."""
        try:
            return await self._guard.run(command)
        except StoreUnavailableError:
            return None
