"""The in-process flight-status cache: a bounded LRU of entries and per-key try-locks.

The embedded default when no Redis is configured. Deadlines are read from the
injected clock: wall time for entries, monotonic time for locks. Records are kept in the
compact form of ``flight_agent.cache.compact`` (about two thirds of a pydantic object's memory).
"""

from __future__ import annotations

from collections import OrderedDict
from typing import ClassVar

from flight_agent.cache.base import CacheEntry, FlightCache
from flight_agent.cache.compact import Packed, pack, unpack
from flight_agent.clock import SYSTEM_CLOCK, Clock


class LocalLocks:
    """Single-flight try-locks for one process, each with a deadline.

    Taking a lock never awaits, so under asyncio the check and the claim cannot interleave with
    another task. A lock whose deadline has passed is free again, so a holder that never
    releases (a cancelled fetch) blocks others for at most its TTL.

    Args:
        clock: Time source; deadlines use its monotonic reading.
    """

    __slots__ = ("_clock", "_deadlines")

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._deadlines: dict[str, float] = {}

    def acquire(self, key: str, ttl_s: float) -> bool:
        """Take the lock for ``key`` for ``ttl_s`` seconds; False while someone else holds it.

        Raises:
            ValueError: ``ttl_s`` is not positive.
        """
        if ttl_s <= 0:
            raise ValueError("lock ttl_s must be positive")
        now = self._clock.monotonic()
        deadline = self._deadlines.get(key)
        if deadline is not None and now < deadline:
            return False
        self._deadlines[key] = now + ttl_s
        return True

    def release(self, key: str) -> bool:
        """Free the lock for ``key``; True when this table held it (expired or not)."""
        return self._deadlines.pop(key, None) is not None

    def clear(self) -> None:
        """Free every lock."""
        self._deadlines.clear()


class MemoryCache(FlightCache):
    """A bounded, least-recently-used cache of ``CacheEntry`` in this process.

    Reads and writes both count as use. When full, storing a new key evicts the least recently
    used entry (counted in ``stats.evictions``). An entry past its ``stale_until`` is dropped
    when read; one never read again leaves by eviction.

    Args:
        max_entries: The most entries kept at once.
        clock: Time source for entry deadlines and lock TTLs.

    Raises:
        ValueError: ``max_entries`` is below 1.
    """

    backend: ClassVar[str] = "memory"

    def __init__(self, max_entries: int = 10_000, *, clock: Clock = SYSTEM_CLOCK) -> None:
        if max_entries < 1:
            raise ValueError("max_entries must be at least 1")
        super().__init__()
        self.max_entries = max_entries
        self._clock = clock
        self._entries: OrderedDict[str, Packed] = OrderedDict()
        self._locks = LocalLocks(clock)

    def __len__(self) -> int:
        """The number of entries held, expired ones not yet dropped included."""
        return len(self._entries)

    async def get(self, key: str) -> CacheEntry | None:
        """The entry while it is fresh or stale, else None (an expired entry is dropped)."""
        now = self._clock.now()
        packed = self._entries.get(key)
        entry = None
        if packed is not None:
            if now >= packed[4]:  # past stale_until
                del self._entries[key]
            else:
                self._entries.move_to_end(key)
                entry = unpack(packed)
        return self.stats.count_read(entry, now)

    async def set(self, key: str, entry: CacheEntry) -> None:
        """Store ``entry`` as the most recently used, evicting the least recent when full.

        An entry already past its ``stale_until`` is not stored.
        """
        if entry.is_expired(self._clock.now()):
            return
        self._entries[key] = pack(entry)
        self._entries.move_to_end(key)
        self.stats.sets += 1
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)
            self.stats.evictions += 1

    async def delete(self, key: str) -> None:
        """Forget ``key`` (no error when absent)."""
        self._entries.pop(key, None)

    async def acquire_lock(self, key: str, ttl_s: float) -> bool:
        """Take the single-flight lock for ``key`` unless a holder's lock has not yet expired.

        Raises:
            ValueError: ``ttl_s`` is not positive.
        """
        return self._locks.acquire(key, ttl_s)

    async def release_lock(self, key: str) -> None:
        """Release the lock for ``key``.

        In one process the cache instance is the holder: callers pair each successful
        ``acquire_lock`` with one ``release_lock`` (in a ``finally``).
        """
        self._locks.release(key)

    async def aclose(self) -> None:
        """Drop every entry and lock."""
        self._entries.clear()
        self._locks.clear()
