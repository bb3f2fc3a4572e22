"""The shared flight-status cache on Redis: one cache for every process.

Each value is one JSON document: the record (or ``null`` for a cached "not found") with its
``stored_at``, ``fresh_until`` and ``stale_until``. Redis expires the key at ``stale_until``
(``SET ... PX``), so nothing outlives its stale window.

Redis trouble never reaches the caller: every command goes through a ``RedisGuard``, whose one
error (``StoreUnavailableError``) makes a failed read a miss and a failed write a no-op, counted in
``stats.errors``. After a failure the guard leaves Redis alone for ``backoff_s`` seconds, so an
outage costs at most one socket timeout per back-off period, not per request.

The single-flight lock is ``SET {lock key} {token} NX PX {ttl}``; release deletes the key only
while it still holds this instance's token (a Lua compare-and-delete), so a lock that expired
and was taken by another process is never released by the old holder. While Redis is down,
locks fall back to this process's own ``LocalLocks``.
"""

from __future__ import annotations

import logging
import math
import secrets
from collections.abc import Awaitable, Callable
from typing import Any, ClassVar
from urllib.parse import quote, unquote

from pydantic import BaseModel, ConfigDict
from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

from flight_agent.cache.base import KEY_NAMESPACE, CacheEntry, FlightCache
from flight_agent.cache.memory import LocalLocks
from flight_agent.clock import SYSTEM_CLOCK, Clock
from flight_agent.errors import StoreUnavailableError
from flight_agent.models import FlightStatusData, UtcDatetime
from flight_agent.redis_guard import RedisGuard

logger = logging.getLogger(__name__)

_RELEASE_SCRIPT = """
if redis.call('get', KEYS[1]) == ARGV[1] then
    return redis.call('del', KEYS[1])
end
return 0
"""
"""Delete the lock key only while it holds the caller's token."""

_UNAVAILABLE = object()
"""What ``RedisCache._command`` returns when Redis failed or is resting after a failure."""


class _StoredEntry(BaseModel):
    """The JSON document stored per key; validation failures mark a value corrupt."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    value: FlightStatusData | None
    stored_at: UtcDatetime
    fresh_until: UtcDatetime
    stale_until: UtcDatetime


def encode_entry(entry: CacheEntry) -> str:
    """The JSON document stored for ``entry`` (the computed ``is_disrupted`` is left out)."""
    stored = _StoredEntry(
        value=entry.value,
        stored_at=entry.stored_at,
        fresh_until=entry.fresh_until,
        stale_until=entry.stale_until,
    )
    return stored.model_dump_json(exclude={"value": {"is_disrupted"}})


def decode_entry(raw: bytes | str) -> CacheEntry:
    """The entry stored as ``raw``.

    Raises:
        ValueError: ``raw`` is not a valid stored entry (pydantic's ``ValidationError`` included).
    """
    stored = _StoredEntry.model_validate_json(raw)
    return CacheEntry(stored.value, stored.stored_at, stored.fresh_until, stored.stale_until)


def lock_key(key: str) -> str:
    """The lock key of a cache key, e.g. ``flight-agent:v1:lock:status:BA117:2026-11-28``."""
    return f"{KEY_NAMESPACE}:lock:{key.removeprefix(KEY_NAMESPACE + ':')}"


def redact_url(url: str) -> str:
    """``url`` without credentials or query, e.g. ``redis://***@host:6379/0``.

    The last ``@`` ends the credentials, so a password holding unescaped ``/``, ``?`` or ``@``
    is still hidden; the query is dropped because redis-py accepts ``?password=`` too.
    """
    scheme, separator, rest = url.partition("://")
    if not separator:
        return "***"
    _, at, location = rest.rpartition("@")
    location = location.split("?", 1)[0].split("#", 1)[0]
    return f"{scheme}://{'***@' if at else ''}{location}"


def escape_credentials(url: str) -> str:
    """``url`` with its user name and password percent-encoded, read as ``redact_url`` reads it.

    The last ``@`` ends the credentials. redis-py's parser would end them at the first ``/``,
    ``?`` or ``#`` instead: for ``redis://:p@ss/word@host`` it would send the password ``p``
    to the host ``ss``, and its connection errors would name that part of the password.
    Credentials already percent-encoded are kept as they are.
    """
    scheme, separator, rest = url.partition("://")
    credentials, at, location = rest.rpartition("@")
    if not separator or not at:
        return url
    user, colon, password = credentials.partition(":")
    escaped = colon.join(quote(unquote(part), safe="") for part in (user, password))
    return f"{scheme}://{escaped}@{location}"


def fail_fast_client(url: str, socket_timeout: float = 0.25) -> Redis:
    """A Redis client for a cache: short timeouts and one attempt per command.

    The caller's back-off after a failure is the only retry policy, so an outage costs one
    timeout, not several. The credentials are escaped first (``escape_credentials``), so the
    client connects to the server ``redact_url`` names and never mistakes a password for a host.
    """
    return Redis.from_url(
        escape_credentials(url),
        socket_timeout=socket_timeout,
        socket_connect_timeout=socket_timeout,
        retry=Retry(NoBackoff(), 0),
    )


class RedisCache(FlightCache):
    """A flight-status cache in Redis, shared by every process that uses the same server.

    Args:
        url: ``redis://`` or ``rediss://`` URL (credentials allowed; they are never shown).
        clock: Time source: wall time for entry deadlines and key expiry, monotonic time for
            the back-off after a Redis failure.
        socket_timeout: Seconds allowed to connect and for each reply.
        backoff_s: Seconds Redis is left alone after a failure.
        client: A ready client to use instead of one built from ``url`` (``url`` then only
            names the server in ``repr``); the caller keeps ownership and closes it.

    Attributes:
        url: The server's URL with credentials and query removed, safe to show.

    Raises:
        ValueError: ``socket_timeout`` is not positive or ``backoff_s`` is negative.
    """

    backend: ClassVar[str] = "redis"

    def __init__(
        self,
        url: str,
        *,
        clock: Clock = SYSTEM_CLOCK,
        socket_timeout: float = 0.25,
        backoff_s: float = 5.0,
        client: Redis | None = None,
    ) -> None:
        if socket_timeout <= 0:
            raise ValueError("socket_timeout must be positive")
        super().__init__()
        self.url = redact_url(url)
        self._clock = clock
        self._owns_client = client is None
        self._redis = client or fail_fast_client(url, socket_timeout)
        self._guard = RedisGuard(self._redis, role="shared cache", backoff_s=backoff_s, clock=clock)
        self._release = self._redis.register_script(_RELEASE_SCRIPT)
        self._token = secrets.token_hex(16)
        self._local_locks = LocalLocks(clock)

    def __repr__(self) -> str:
        """The class and the server, credentials redacted."""
        return f"RedisCache(url={self.url!r})"

    async def get(self, key: str) -> CacheEntry | None:
        """The entry while it is fresh or stale, else None (also when Redis fails).

        A value that cannot be decoded is counted in ``stats.corrupt``, deleted, and missed.
        """
        raw = await self._command(lambda: self._redis.get(key))
        entry = None
        if raw is not _UNAVAILABLE and raw is not None:
            try:
                entry = decode_entry(raw)
            except ValueError:
                self.stats.corrupt += 1
                logger.warning("corrupt cache value deleted: %s", key)
                await self._command(lambda: self._redis.delete(key))
        return self.stats.count_read(entry, self._clock.now())

    async def set(self, key: str, entry: CacheEntry) -> None:
        """Store ``entry`` until its ``stale_until`` (Redis expires the key then).

        An entry already past its ``stale_until`` is not stored; a Redis failure is a no-op.
        """
        ttl_ms = math.ceil((entry.stale_until - self._clock.now()).total_seconds() * 1000)
        if ttl_ms <= 0:
            return
        payload = encode_entry(entry)
        if await self._command(lambda: self._redis.set(key, payload, px=ttl_ms)) is True:
            self.stats.sets += 1

    async def delete(self, key: str) -> None:
        """Forget ``key`` (no error when absent; a Redis failure is a no-op)."""
        await self._command(lambda: self._redis.delete(key))

    async def acquire_lock(self, key: str, ttl_s: float) -> bool:
        """Take the lock for ``key`` across every process sharing this Redis.

        While Redis is unavailable the lock is taken in this process only, so callers here
        still fetch once per key.

        Raises:
            ValueError: ``ttl_s`` is not positive.
        """
        if ttl_s <= 0:
            raise ValueError("lock ttl_s must be positive")
        ttl_ms = math.ceil(ttl_s * 1000)
        taken = await self._command(
            lambda: self._redis.set(lock_key(key), self._token, nx=True, px=ttl_ms)
        )
        if taken is _UNAVAILABLE:
            return self._local_locks.acquire(key, ttl_s)
        return taken is True

    async def release_lock(self, key: str) -> None:
        """Release this instance's lock for ``key``; a lock holding another token is left alone."""
        if self._local_locks.release(key):
            return
        await self._command(lambda: self._release(keys=[lock_key(key)], args=[self._token]))

    async def aclose(self) -> None:
        """Close the client's connections when this cache created the client."""
        if self._owns_client:
            await self._redis.aclose()

    async def _command(self, command: Callable[[], Awaitable[Any]]) -> Any:
        """Run one Redis command; ``_UNAVAILABLE`` when it fails or Redis is resting."""
        try:
            return await self._guard.run(command)
        except StoreUnavailableError:
            self.stats.errors = self._guard.failures
            return _UNAVAILABLE
