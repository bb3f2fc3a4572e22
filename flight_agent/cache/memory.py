"""The in-process flight-status cache: a bounded LRU of entries and per-key try-locks.

The embedded default when no Redis is configured. Deadlines are read from the
injected clock: wall time for entries, monotonic time for locks.

A record is kept in a compact form, about two thirds of the pydantic object's memory: the tuple of
its field values (strings interned, so the 'Scheduled' and 'B77W' of thousands of records are
one object each; equal times within a record shared), and one shared copy of its set of field
names (pydantic gives every instance its own, a hash table of about 2.2 KB for a provider's
record of 38 names). A hit rebuilds the record with ``model_construct`` (about 10 us): the values
were validated when the record was made, so the copy equals the record stored.
"""

from __future__ import annotations

import sys
from collections import OrderedDict
from datetime import datetime
from typing import Any, ClassVar

from flight_agent.cache.base import CacheEntry, FlightCache
from flight_agent.clock import SYSTEM_CLOCK, Clock
from flight_agent.models import FlightStatusData

MAX_SHARED_FIELD_SETS = 1024
"""At most this many distinct sets of field names are kept for sharing, the most recently used
(a provider's records rarely have 10; a long-lived process sees more over time)."""

_shared_field_sets: OrderedDict[frozenset[str], set[str]] = OrderedDict()
_FIELD_NAMES = tuple(FlightStatusData.model_fields)

Packed = tuple[tuple[object, ...] | None, set[str] | None, datetime, datetime, datetime]
"""A stored entry: the record's values and field names (None for "not found"), then the
entry's ``stored_at``, ``fresh_until`` and ``stale_until``."""


def _shared_names(record: FlightStatusData) -> set[str]:
    """One shared copy of the record's set of field names (safe: records are frozen, and
    ``model_copy`` copies the set before adding names to it)."""
    names = record.__pydantic_fields_set__
    key = frozenset(names)
    shared = _shared_field_sets.get(key)
    if shared is None:
        if len(_shared_field_sets) >= MAX_SHARED_FIELD_SETS:
            _shared_field_sets.popitem(last=False)  # records holding it keep their copy
        shared = _shared_field_sets[key] = set(key)
    else:
        _shared_field_sets.move_to_end(key)
    return shared


def _compact(record: FlightStatusData) -> tuple[object, ...]:
    """The record's field values in ``_FIELD_NAMES`` order, strings interned and equal times
    of the record one object."""
    times: dict[tuple[datetime, object], datetime] = {}
    values: list[object] = []
    for name in _FIELD_NAMES:
        value = record.__dict__[name]
        if type(value) is str:
            value = sys.intern(value)
        elif type(value) is datetime:
            value = times.setdefault((value, value.tzinfo), value)
        values.append(value)
    return tuple(values)


def pack(entry: CacheEntry) -> Packed:
    """The compact form of an entry."""
    record = entry.value
    if record is None:
        return (None, None, entry.stored_at, entry.fresh_until, entry.stale_until)
    return (
        _compact(record),
        _shared_names(record),
        entry.stored_at,
        entry.fresh_until,
        entry.stale_until,
    )


def unpack(packed: Packed) -> CacheEntry:
    """The entry a compact form was made from (an equal copy)."""
    values, names, stored_at, fresh_until, stale_until = packed
    record = None
    if values is not None:
        fields: dict[str, Any] = dict(zip(_FIELD_NAMES, values, strict=True))
        record = FlightStatusData.model_construct(names, **fields)
    return CacheEntry(record, stored_at, fresh_until, stale_until)


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
