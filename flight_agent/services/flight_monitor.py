"""The monitoring loop: poll watched flights when due, diff, and publish their changes.

Each pass asks the watch store which flights are due, claims each (so processes sharing Redis
never poll one flight twice in an interval), fetches it through the cached lookup, lets
``WatchState.observe`` detect changes and schedule the next poll, saves the state and publishes
the changes. A failed fetch saves nothing: the claim's lease runs out and the flight is due
again, so an outage delays polls without losing watches; a flight still unanswered two days
after its date is dropped from the schedule.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from datetime import UTC, datetime, time, timedelta
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

from flight_agent.clock import SYSTEM_CLOCK, Clock
from flight_agent.errors import FlightDataError, FlightNotFoundError
from flight_agent.flight_query import FlightQuery
from flight_agent.models import DISRUPTION_DELAY_MINUTES, FlightStatusData
from flight_agent.monitoring import (
    ChangeFeed,
    FlightChange,
    MemoryWatchStore,
    PollSchedule,
    RedisWatchStore,
    Watch,
    WatchState,
    WatchStore,
)
from flight_agent.services.status_lookup import StatusLookup

logger = logging.getLogger(__name__)

GIVE_UP_AFTER = timedelta(days=2)
"""A flight no provider answers for is dropped this long after its date began (UTC)."""

MAX_TICK_SECONDS = 30.0
"""The loop looks for due flights at least this often, so a 5-minute schedule holds."""


class FlightMonitor:
    """Polls watched flights on their adaptive schedule and publishes their changes.

    Args:
        lookup: Where records come from (cache first, then the providers).
        redis: Keep watches in Redis (shared by processes, kept across restarts); memory if None.
        check_interval: The loop looks for due flights at least this often (seconds; at most
            every ``MAX_TICK_SECONDS``).
        clock: Time source.
        schedule: The poll-interval table.
        delay_threshold_minutes: Smallest move of a delay or estimate reported as a change.
        lease: How long a claimed poll holds before another worker may take the flight.
        concurrency: Flights polled at once in one pass.
    """

    def __init__(
        self,
        lookup: StatusLookup,
        *,
        redis: Redis | None = None,
        check_interval: float = 300.0,
        clock: Clock = SYSTEM_CLOCK,
        schedule: PollSchedule | None = None,
        delay_threshold_minutes: int = DISRUPTION_DELAY_MINUTES,
        lease: timedelta = timedelta(minutes=2),
        concurrency: int = 16,
    ) -> None:
        self.lookup = lookup
        self.store: WatchStore = (
            RedisWatchStore(redis, clock=clock)
            if redis is not None
            else MemoryWatchStore(clock=clock)
        )
        self.feed = ChangeFeed()
        self.schedule = schedule or PollSchedule()
        self.worker_id = f"monitor-{uuid.uuid4().hex[:8]}"
        self._clock = clock
        self._tick = min(check_interval, MAX_TICK_SECONDS)
        self._threshold = delay_threshold_minutes
        self._lease = lease
        self._slots = asyncio.Semaphore(concurrency)
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.polls = 0
        self.poll_errors = 0
        self.changes_published = 0
        self.watched_count = 0

    async def watch(self, query: FlightQuery) -> WatchState:
        """Start watching a flight (it must exist); it is polled at once by the loop.

        Raises:
            FlightNotFoundError: The providers know no such flight.
            AllProvidersFailedError: The flight could not be checked (and nothing is cached).
        """
        if await self.lookup.get(query) is None:
            raise FlightNotFoundError(
                f"Cannot watch {query}: no provider knows that flight on that date."
            )
        state = await self.store.add(
            Watch(flight_id=query.flight_id, flight_date=query.flight_date, origin=query.origin)
        )
        self.watched_count = len(await self.store.list_all())
        self._wake.set()
        return state

    async def unwatch(self, query: FlightQuery) -> bool:
        """Stop watching a flight; False when it was not watched."""
        key = Watch(flight_id=query.flight_id, flight_date=query.flight_date, origin=query.origin)
        removed = await self.store.remove(key.key)
        self.watched_count = len(await self.store.list_all())
        return removed

    async def watched(self) -> list[WatchState]:
        """Every watched flight with its last snapshot and next poll time."""
        states = await self.store.list_all()
        self.watched_count = len(states)
        return states

    async def last_snapshot(self, query: FlightQuery) -> FlightStatusData | None:
        """The record of the monitor's last poll of a watched flight (None if not watched)."""
        watch = Watch(flight_id=query.flight_id, flight_date=query.flight_date, origin=query.origin)
        try:
            state = await self.store.get(watch.key)
        except (RedisError, OSError) as error:
            logger.warning("watch store unavailable: %s", error)
            return None
        return state.last_snapshot if state is not None else None

    async def poll_due(self) -> list[FlightChange]:
        """One pass: poll every due flight this worker can claim; return the changes found."""
        due = await self.store.due(self._clock.now())
        found = await asyncio.gather(
            *(self._poll(state.key) for state in due), return_exceptions=True
        )
        changes: list[FlightChange] = []
        for state, outcome in zip(due, found, strict=True):
            if isinstance(outcome, BaseException):
                if isinstance(outcome, asyncio.CancelledError):
                    raise outcome
                self.poll_errors += 1
                logger.error("poll of %s failed", state.key, exc_info=outcome)
            else:
                changes += outcome
        return changes

    async def _poll(self, key: str) -> list[FlightChange]:
        async with self._slots:
            claimed = await self.store.claim(key, self.worker_id, self._lease)
            if claimed is None:
                return []
            watch = claimed.watch
            query = FlightQuery.parse(watch.flight_id, watch.flight_date, origin=watch.origin)
            self.polls += 1
            try:
                # The schedule decides freshness here (the debounce needs a new look); the
                # answer still refreshes the cache for everyone else. Only the first poll, the
                # baseline, takes a fresh cached answer: ``watch`` has usually just fetched it.
                first = claimed.last_snapshot is None
                record = await self.lookup.get(query, refresh=not first)
            except FlightDataError as error:
                logger.warning("poll of %s failed: %s", key, error)
                record = None
            if record is None or record.stale:
                self.poll_errors += 1
                await self._give_up_if_past(claimed)
                return []  # the lease runs out and the flight is due again
            state, changes = claimed.observe(
                record,
                now=self._clock.now(),
                schedule=self.schedule,
                delay_threshold_minutes=self._threshold,
            )
            if not await self.store.save(state):
                return []  # unwatched while polling
            await self.feed.publish(changes)
            self.changes_published += len(changes)
            return changes

    async def _give_up_if_past(self, state: WatchState) -> None:
        """Stop polling a flight no provider answers for once its date is long past."""
        flight_day = datetime.combine(state.watch.flight_date, time(), UTC)
        if self._clock.now() - flight_day >= GIVE_UP_AFTER:
            logger.warning("giving up on %s: no answer since its date passed", state.key)
            await self.store.save(state.model_copy(update={"next_due": None}))

    async def run(self) -> None:
        """Poll due flights until cancelled; a failed pass is logged and the next one runs."""
        while True:
            self._wake.clear()  # before the pass, so a watch added during it is not missed
            try:
                await self.poll_due()
            except (RedisError, OSError) as error:
                logger.warning("monitor pass failed (watch store unavailable): %s", error)
            except Exception:
                logger.exception("monitor pass failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self._tick)

    def start(self) -> None:
        """Run the loop in the background (idempotent)."""
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self.run(), name=self.worker_id)

    async def stop(self) -> None:
        """Stop the loop and end subscriptions."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        self.feed.close()

    def stats(self) -> dict[str, Any]:
        """Watched flights, polls, failed polls and changes published."""
        return {
            "worker_id": self.worker_id,
            "watched_flights": self.watched_count,
            "polls": self.polls,
            "poll_errors": self.poll_errors,
            "changes_published": self.changes_published,
            "running": self._task is not None and not self._task.done(),
        }
