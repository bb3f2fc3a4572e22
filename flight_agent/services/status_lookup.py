"""Flight status through the cache: fresh hits, single-flight fetches and stale-if-error.

One lookup of (flight, date, origin) goes:

1. A fresh cache entry answers at once (a cached "not found" too).
2. Otherwise one fetch per key runs in this process, however many callers wait for it; with a
   shared cache (Redis) a lock makes it one fetch across processes: a process that finds the
   lock taken waits for the holder's answer to appear in the cache.
3. The answer is stored with a TTL that follows the flight's phase (``TtlPolicy``).
4. When every provider fails, the last known record is served marked ``stale=True`` (its
   ``fetched_at`` gives its age); only without one does the error reach the caller.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from flight_agent.cache import CacheEntry, FlightCache, TtlPolicy, status_key
from flight_agent.clock import SYSTEM_CLOCK, Clock
from flight_agent.errors import AllProvidersFailedError
from flight_agent.flight_query import FlightQuery
from flight_agent.models import Attempt, FlightStatusData


class Fetch(Protocol):
    """An upstream fetch (``FailoverManager.fetch``); raises ``AllProvidersFailedError``."""

    def __call__(
        self, query: FlightQuery, *, batch: bool = False
    ) -> Awaitable[FlightStatusData | None]: ...


@dataclass(slots=True)
class LookupStats:
    """What the lookups cost upstream and how they were answered.

    Attributes:
        requests: Lookups asked for.
        cache_hits: Lookups answered by a fresh cache entry.
        fetches: Upstream fetches started (each may make several provider attempts).
        coalesced: Callers answered by another caller's fetch in this process.
        lock_waits: Times another process held the key's lock and this one waited for it.
        stale_answers: Answers served from a stale copy during an outage.
        provider_calls: Provider attempts by provider name (what the upstream bill counts).
    """

    requests: int = 0
    cache_hits: int = 0
    fetches: int = 0
    coalesced: int = 0
    lock_waits: int = 0
    stale_answers: int = 0
    provider_calls: Counter[str] = field(default_factory=Counter)

    @property
    def hit_rate(self) -> float:
        """Share of lookups answered by a fresh cache entry (0 before any)."""
        return self.cache_hits / self.requests if self.requests else 0.0

    def count_attempts(self, attempts: tuple[Attempt, ...]) -> None:
        """Count the attempts that reached a provider (skipped ones cost nothing)."""
        for attempt in attempts:
            if attempt.reached_provider:
                self.provider_calls[attempt.provider] += 1


class StatusLookup:
    """Cache-first flight status with single-flight fetches and stale-if-error.

    Args:
        fetch: The upstream call (the failover manager's ``fetch``).
        cache: Where answers are kept; a shared cache also coalesces across processes.
        policy: How long an answer stays fresh, and how long a stale copy is kept.
        clock: Time source for freshness.
        lock_ttl: Seconds a cross-process fetch lock lives; a waiter gives up after this.
        lock_poll: Seconds between a waiter's looks at the cache.
    """

    def __init__(
        self,
        fetch: Fetch,
        cache: FlightCache,
        policy: TtlPolicy | None = None,
        *,
        clock: Clock = SYSTEM_CLOCK,
        lock_ttl: float = 15.0,
        lock_poll: float = 0.05,
    ) -> None:
        self._fetch = fetch
        self.cache = cache
        self.policy = policy or TtlPolicy()
        self._clock = clock
        self._lock_ttl = lock_ttl
        self._lock_poll = lock_poll
        self._inflight: dict[str, asyncio.Task[FlightStatusData | None]] = {}
        self.stats = LookupStats()

    async def get(
        self, query: FlightQuery, *, refresh: bool = False, batch: bool = False
    ) -> FlightStatusData | None:
        """The record of one flight, from the cache when fresh.

        Args:
            query: The validated query.
            refresh: Skip a fresh cache entry and ask the providers (the answer is cached).
            batch: Route the upstream fetch as a batch item (see ``FailoverManager.fetch``).

        Returns:
            The record (``stale=True`` when served during an outage), or None when the
            providers agree the flight does not exist.

        Raises:
            AllProvidersFailedError: No provider answered and no stale copy exists.
        """
        self.stats.requests += 1
        key = status_key(query.flight_id, query.flight_date, query.origin)
        entry = await self.cache.get(key)
        if entry is not None and entry.is_fresh(self._clock.now()) and not refresh:
            self.stats.cache_hits += 1
            return entry.value
        task = self._inflight.get(key)
        if task is None:
            task = asyncio.ensure_future(self._refresh(query, key, entry, batch=batch))
            self._inflight[key] = task
            task.add_done_callback(lambda _: self._inflight.pop(key, None))
        else:
            self.stats.coalesced += 1
        # A caller that gives up must not cancel the fetch the other callers wait for.
        return await asyncio.shield(task)

    async def _refresh(
        self, query: FlightQuery, key: str, known: CacheEntry | None, *, batch: bool
    ) -> FlightStatusData | None:
        started = self._clock.now()
        if not await self.cache.acquire_lock(key, self._lock_ttl):
            self.stats.lock_waits += 1
            answered = await self._wait_for_holder(key, started)
            if answered is not None:
                return answered.value
        try:
            self.stats.fetches += 1
            try:
                record = await self._fetch(query, batch=batch)
            except AllProvidersFailedError as error:
                self.stats.count_attempts(error.attempts)
                return self._stale_or_raise(known, error)
            if record is not None:
                self.stats.count_attempts(record.attempts)
            await self._put(key, record)
            return record
        finally:
            await self.cache.release_lock(key)

    async def store(self, query: FlightQuery, record: FlightStatusData) -> None:
        """Cache a record fetched another way (from a departure board, say) as a fetch would."""
        await self._put(status_key(query.flight_id, query.flight_date, query.origin), record)

    async def _put(self, key: str, record: FlightStatusData | None) -> None:
        # Cached without its attempts: a later hit made no provider calls.
        cached = record.model_copy(update={"attempts": ()}) if record is not None else None
        await self.cache.set(key, self.policy.entry(cached, self._clock.now()))

    async def _wait_for_holder(self, key: str, since: datetime) -> CacheEntry | None:
        """Wait for another process's fetch to land in the cache; None if it never does."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._lock_ttl
        while loop.time() < deadline:
            await asyncio.sleep(self._lock_poll)
            entry = await self.cache.get(key)
            if entry is not None and entry.is_fresh(self._clock.now()) and entry.stored_at >= since:
                return entry
            if await self.cache.acquire_lock(key, self._lock_ttl):
                return None  # the holder gave up or died: fetch here
        return None

    def _stale_or_raise(
        self, known: CacheEntry | None, error: AllProvidersFailedError
    ) -> FlightStatusData:
        if known is None or known.value is None or known.is_expired(self._clock.now()):
            raise error
        self.stats.stale_answers += 1
        return known.value.model_copy(update={"stale": True, "attempts": error.attempts})
