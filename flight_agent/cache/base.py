"""What every flight-status cache shares: the entry, the counters, the interface and the key.

A ``CacheEntry`` carries two deadlines. Until ``fresh_until`` the value answers requests
directly; until ``stale_until`` it is kept as a stale copy the service may serve, marked stale,
while every provider is failing (stale-if-error). Past ``stale_until`` it is gone.

Keys follow one versioned schema, ``flight-agent:v1:status:{flight_id}:{YYYY-MM-DD}[:{origin}]``,
so a change of the stored format bumps ``v1`` and old values are simply never read again.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from flight_agent.models import FlightStatusData

KEY_NAMESPACE = "flight-agent:v1"
"""The versioned namespace of every cache key; bump the version when the stored format changes."""


class CacheSnapshot(BaseModel):
    """A cache's backend name and counters at one moment, with its hit ratio."""

    model_config = ConfigDict(frozen=True)

    backend: str
    hits: int
    stale_hits: int
    misses: int
    errors: int
    sets: int
    evictions: int
    corrupt: int
    hit_ratio: float
    """Fresh and stale hits over all reads, 0 when none."""


def status_key(flight_id: str, flight_date: date, origin: str | None = None) -> str:
    """The cache key of one flight on one date, optionally narrowed to one origin.

    Args:
        flight_id: The normalized designator, e.g. ``BA117`` (case is folded to upper).
        flight_date: The local departure date at the origin.
        origin: An airport code when the query named one (a designator can fly several legs).

    Returns:
        ``flight-agent:v1:status:BA117:2026-11-28`` or ``...:2026-11-28:LHR``.

    Raises:
        ValueError: A part is empty or holds a colon or whitespace, which would break the schema.
    """
    parts = [flight_id.upper()] + ([origin.upper()] if origin is not None else [])
    for part in parts:
        if not part or ":" in part or any(char.isspace() for char in part):
            raise ValueError(f"invalid cache key part {part!r}")
    key = f"{KEY_NAMESPACE}:status:{parts[0]}:{flight_date.isoformat()}"
    return f"{key}:{parts[1]}" if origin is not None else key


@dataclass(frozen=True, slots=True)
class CacheEntry:
    """One cached answer and its deadlines.

    Attributes:
        value: The record, or None for a cached "not found".
        stored_at: When the answer was stored (aware UTC).
        fresh_until: Until then the entry answers requests without asking a provider.
        stale_until: Until then the entry is kept as a stale copy for outages.
    """

    value: FlightStatusData | None
    stored_at: datetime
    fresh_until: datetime
    stale_until: datetime

    def __post_init__(self) -> None:
        """Reject naive times and deadlines out of order."""
        for name in ("stored_at", "fresh_until", "stale_until"):
            if getattr(self, name).utcoffset() is None:
                raise ValueError(f"CacheEntry.{name} must be an aware datetime")
        if not self.stored_at <= self.fresh_until <= self.stale_until:
            raise ValueError("CacheEntry needs stored_at <= fresh_until <= stale_until")

    def is_fresh(self, now: datetime) -> bool:
        """Whether the entry may answer a request at ``now`` without a provider call."""
        return now < self.fresh_until

    def is_expired(self, now: datetime) -> bool:
        """Whether the entry is past ``stale_until`` and must not be served at all."""
        return now >= self.stale_until

    def age(self, now: datetime) -> timedelta:
        """How long ago the entry was stored (never negative, even if clocks disagree)."""
        return max(now - self.stored_at, timedelta(0))


@dataclass(slots=True)
class CacheStats:
    """Counters of one cache instance.

    Attributes:
        hits: Reads answered by a fresh entry (a cached "not found" included).
        stale_hits: Reads answered by an entry past freshness but before ``stale_until``.
        misses: Reads with no usable entry (absent, expired, corrupt, or the backend failed).
        errors: Backend failures (Redis unreachable, timed out); a memory cache never has any.
        sets: Entries stored.
        evictions: Entries dropped to keep a bounded cache within its size.
        corrupt: Stored values that could not be decoded (and were deleted).
    """

    hits: int = 0
    stale_hits: int = 0
    misses: int = 0
    errors: int = 0
    sets: int = 0
    evictions: int = 0
    corrupt: int = 0

    def count_read(self, entry: CacheEntry | None, now: datetime) -> CacheEntry | None:
        """Count one read and return the entry when it is still servable at ``now``."""
        if entry is None or entry.is_expired(now):
            self.misses += 1
            return None
        if entry.is_fresh(now):
            self.hits += 1
        else:
            self.stale_hits += 1
        return entry

    def snapshot(self, backend: str) -> CacheSnapshot:
        """The counters of the cache named ``backend``, with the hit ratio."""
        reads = self.hits + self.stale_hits + self.misses
        ratio = (self.hits + self.stale_hits) / reads if reads else 0.0
        return CacheSnapshot(backend=backend, hit_ratio=ratio, **asdict(self))


class FlightCache(ABC):
    """A store of ``CacheEntry`` by key, with a single-flight lock per key.

    Implementations never raise on backend trouble: a failed read is a miss, a failed write is
    a no-op, and both are counted in ``stats.errors``.
    """

    backend: ClassVar[str] = "abstract"
    """A short name for stats, e.g. ``memory`` or ``redis``."""

    def __init__(self) -> None:
        self.stats = CacheStats()

    @abstractmethod
    async def get(self, key: str) -> CacheEntry | None:
        """The entry while ``now < stale_until`` (fresh or stale), else None."""

    @abstractmethod
    async def set(self, key: str, entry: CacheEntry) -> None:
        """Store ``entry`` under ``key`` until its ``stale_until``."""

    @abstractmethod
    async def delete(self, key: str) -> None:
        """Forget ``key`` (no error when absent)."""

    @abstractmethod
    async def acquire_lock(self, key: str, ttl_s: float) -> bool:
        """Take the single-flight lock for ``key`` for at most ``ttl_s`` seconds.

        Returns:
            True when this caller now holds the lock and should fetch; False when another
            holder is fetching (wait for its result in the cache instead).
        """

    @abstractmethod
    async def release_lock(self, key: str) -> None:
        """Release a lock this instance holds for ``key``; someone else's lock is left alone."""

    @abstractmethod
    async def aclose(self) -> None:
        """Release resources (connections); the cache must not be used afterwards."""

    def snapshot(self) -> CacheSnapshot:
        """The backend name and counters, for service stats."""
        return self.stats.snapshot(self.backend)
