"""The monitoring loop: poll watched flights when due, diff, and publish their changes.

Each pass asks the watch store which flights are due, claims each (so processes sharing Redis
never poll one flight twice in an interval), fetches it through the cached lookup, lets
``WatchState.observe`` detect changes and schedule the next poll, and saves the state with its
change events in one atomic write. The pass ends by delivering the event stream's waiting events
to this process's feed (``EventRelay``), so events saved by a worker that died before delivering
them reach the feed of the next worker's pass. A failed fetch saves nothing: the claim's lease
(``FLIGHT_AGENT_MONITOR_LEASE_SECONDS``) runs out and the flight is due again, so an outage delays
polls without losing watches; a flight left unanswered past its follow-up horizon
(``WatchState.follow_up_ends``: the record's ``FOLLOW_UP_HORIZON`` after its expected gate time,
or after the latest departure its date allows before any answer) is dropped from the schedule.

Flights that fall due together and leave one airport with one airline may be answered by one
departure board instead (``monitoring.board_polls``: which windows pay, the call, the back-off).

With an ``AlertReconciler`` whose provider can push (AeroAPI alerts), each watch keeps one alert
and ``take_alert`` takes each pushed event in as a poll's answer (``monitoring.pushes``).

A pass takes up to ``PASS_LIMIT`` due flights, so the flights of one board that fall due
together (on the schedule's grid) are planned together even at fleets of tens of thousands.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Coroutine
from datetime import timedelta
from typing import Any

from redis.asyncio import Redis

from flight_agent.cache.base import KEY_NAMESPACE
from flight_agent.changes import FlightChange
from flight_agent.clock import SYSTEM_CLOCK, Clock
from flight_agent.errors import FlightDataError, FlightNotFoundError, StoreUnavailableError
from flight_agent.flight_query import FlightQuery
from flight_agent.models import DISRUPTION_DELAY_MINUTES, FlightStatusData
from flight_agent.monitoring.alerts import AlertReconciler
from flight_agent.monitoring.board_polls import BoardPolls
from flight_agent.monitoring.boards import BoardKey, BoardSource, BoardWindow
from flight_agent.monitoring.events import ChangeFeed
from flight_agent.monitoring.pushes import AlertPushes
from flight_agent.monitoring.redis_watchlist import RedisWatchStore
from flight_agent.monitoring.relay import EventRelay
from flight_agent.monitoring.schedule import PollSchedule
from flight_agent.monitoring.state import Watch, WatchState
from flight_agent.monitoring.stats import MonitorStats
from flight_agent.monitoring.status_source import StatusSource
from flight_agent.monitoring.watchlist import MemoryWatchStore, WatchStore
from flight_agent.providers.alert_callback import AlertCallback

logger = logging.getLogger(__name__)

MAX_TICK_SECONDS = 30.0
"""The loop looks for due flights at least this often, so a 5-minute schedule holds."""

PASS_LIMIT = 1_000
"""How many due flights one pass takes at most."""

DEFAULT_LEASE = timedelta(minutes=2)
"""How long a claimed poll holds unless the service says otherwise."""


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
        lease: How long a claimed poll holds before another worker may take the flight
            (the service passes ``FLIGHT_AGENT_MONITOR_LEASE_SECONDS``; 2 minutes by default).
        concurrency: Flights polled at once in one pass.
        boards: Departure boards, to answer flights leaving together with one call; None
            polls every flight on its own.
        board_page_cost: What one board result set costs, counted in single-flight lookups
            (at least 1; AeroAPI's prices make it 4).
        alerts: Keeps one push alert per watched flight; None (or a provider that cannot
            push) polls every flight by the table.
        namespace: Prefix of the Redis keys of the watches and their events.
    """

    def __init__(
        self,
        lookup: StatusSource,
        *,
        redis: Redis | None = None,
        check_interval: float = 300.0,
        clock: Clock = SYSTEM_CLOCK,
        schedule: PollSchedule | None = None,
        delay_threshold_minutes: int = DISRUPTION_DELAY_MINUTES,
        lease: timedelta = DEFAULT_LEASE,
        concurrency: int = 16,
        boards: BoardSource | None = None,
        board_page_cost: float = 4.0,
        alerts: AlertReconciler | None = None,
        namespace: str = KEY_NAMESPACE,
    ) -> None:
        self.boards = BoardPolls(boards, board_page_cost, clock)
        self.lookup = lookup
        self.store: WatchStore = (
            RedisWatchStore(redis, clock=clock, namespace=namespace)
            if redis is not None
            else MemoryWatchStore(clock=clock)
        )
        self.feed = ChangeFeed()
        self.schedule = schedule or PollSchedule()
        self.worker_id = f"monitor-{uuid.uuid4().hex[:8]}"
        self.relay = EventRelay(self.store.events, self.feed, self.worker_id)
        self._clock = clock
        self._tick = min(check_interval, MAX_TICK_SECONDS)
        self._threshold = delay_threshold_minutes
        self.lease = lease
        self._slots = asyncio.Semaphore(concurrency)
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._backlog = False
        self.polls = 0
        self._pushes = AlertPushes(
            alerts,
            store=self.store,
            lookup=lookup,
            relay=self.relay,
            observe=lambda state, record: self._apply(state, record, pushed=True),
        )
        self.poll_errors = 0
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
        self.watched_count = await self.store.count()
        await self._pushes.ensure(state.watch)
        self._wake.set()
        return state

    async def unwatch(self, query: FlightQuery) -> bool:
        """Stop watching a flight; False when it was not watched."""
        key = Watch(flight_id=query.flight_id, flight_date=query.flight_date, origin=query.origin)
        removed = await self.store.remove(key.key)
        self.watched_count = await self.store.count()
        await self._pushes.release(key)
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
        except StoreUnavailableError as error:
            logger.warning("watch store unavailable: %s", error)
            return None
        return state.last_snapshot if state is not None else None

    async def poll_due(self) -> list[FlightChange]:
        """One pass: poll every due flight this worker can claim, then deliver the waiting events
        to the feed (``relay``); return the changes this pass found."""
        now = self._clock.now()
        due = await self.store.due(now, PASS_LIMIT)
        self._backlog = len(due) >= PASS_LIMIT
        windows, singles = self.boards.split(due, now)
        jobs: list[tuple[str, Coroutine[Any, Any, list[FlightChange]]]] = [
            (f"the {key[1]} board at {key[0]}", self._poll_board(key, window))
            for key, window in windows
        ]
        jobs += [(state.key, self._poll(state.key)) for state in singles]
        found = await asyncio.gather(*(job for _, job in jobs), return_exceptions=True)
        changes = self._collect([label for label, _ in jobs], found)
        await self.relay.deliver()
        return changes

    def _collect(
        self, labels: list[str], outcomes: list[list[FlightChange] | BaseException]
    ) -> list[FlightChange]:
        """The changes of polls run together; a failed poll is counted and logged."""
        changes: list[FlightChange] = []
        for label, outcome in zip(labels, outcomes, strict=True):
            if isinstance(outcome, BaseException):
                if isinstance(outcome, asyncio.CancelledError):
                    raise outcome
                self.poll_errors += 1
                logger.error("poll of %s failed", label, exc_info=outcome)
            else:
                changes += outcome
        return changes

    async def _poll(self, key: str) -> list[FlightChange]:
        async with self._slots:
            claimed = await self.store.claim(key, self.worker_id, self.lease)
            if claimed is None:
                return []
            return await self._refresh(claimed)

    async def _poll_board(self, key: BoardKey, window: BoardWindow) -> list[FlightChange]:
        """Answer flights leaving one airport with one airline from one departure board."""
        async with self._slots:
            keys = [state.key for state in window.states]
            claims = await self.store.claim_many(keys, self.worker_id, self.lease)
            claimed = [state for state in claims if state is not None]
            pays = self.boards.pays(window, len(claimed))
            board = await self.boards.fetch(key, window) if pays else None
        listed = self.boards.listed(key, board, claimed)
        # Each flight on its own: one failing flight must not cost the others their poll.
        found = await asyncio.gather(
            *(self._take_in(state, listed.get(state.key)) for state in claimed),
            return_exceptions=True,
        )
        return self._collect([state.key for state in claimed], found)

    async def _take_in(
        self, state: WatchState, record: FlightStatusData | None
    ) -> list[FlightChange]:
        """Take in the board's record of a claimed flight, or poll it alone without one."""
        if record is None:
            async with self._slots:
                return await self._refresh(state)
        watch = state.watch
        query = FlightQuery.parse(watch.flight_id, watch.flight_date, origin=watch.origin)
        await self.lookup.store(query, record)
        return await self._apply(state, record) or []

    async def _refresh(self, claimed: WatchState) -> list[FlightChange]:
        """Fetch one claimed flight and take the answer in."""
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
            logger.warning("poll of %s failed: %s", claimed.key, error)
            record = None
        if record is None or record.stale:
            self.poll_errors += 1
            await self._give_up_if_past(claimed)
            return []  # the lease runs out and the flight is due again
        # None: unwatched while polling, or another worker saved it after its lease.
        return await self._apply(claimed, record) or []

    async def _apply(
        self, claimed: WatchState, record: FlightStatusData, *, pushed: bool = False
    ) -> list[FlightChange] | None:
        """Observe a fresh record of a claimed flight; save its state with its change events.
        None when nothing was saved (unwatched meanwhile, or another worker saved first)."""
        alert = await self._pushes.has_alert(claimed.watch)
        state, changes = claimed.observe(
            record,
            now=self._clock.now(),
            schedule=self.schedule,
            delay_threshold_minutes=self._threshold,
            alert=alert,
            pushed=pushed,
        )
        if not await self.store.save(state, changes):
            return None
        if alert and state.next_due is None:
            await self._pushes.release(state.watch)  # finished: its alert has nothing to say
        return changes

    @property
    def alerts(self) -> AlertReconciler | None:
        """The alert reconciler, when its provider can push; None otherwise."""
        return self._pushes.alerts

    @property
    def pushes(self) -> int:
        """Pushed events taken in."""
        return self._pushes.taken

    async def take_alert(self, callback: AlertCallback) -> list[FlightChange]:
        """Take in one pushed event of a watched flight as a poll's answer; ``AlertPushes.take``
        says which events are ignored and what it raises."""
        return await self._pushes.take(callback)

    async def _give_up_if_past(self, state: WatchState) -> None:
        """Stop polling a flight no provider answers for once its follow-up horizon passed."""
        if self._clock.now() >= state.follow_up_ends:
            logger.warning("giving up on %s: no answer past its follow-up horizon", state.key)
            await self.store.save(state.stopped())

    async def reconcile_alerts(self) -> None:
        """Bring the provider's alerts in step with the watch list (``AlertPushes.reconcile``)."""
        await self._pushes.reconcile()

    async def run(self) -> None:
        """Reconcile alerts, then poll due flights until cancelled; a failed pass is logged and
        the next one runs."""
        await self.reconcile_alerts()
        while True:
            self._wake.clear()  # before the pass, so a watch added during it is not missed
            try:
                await self.poll_due()
            except StoreUnavailableError as error:
                logger.warning("monitor pass failed (watch store unavailable): %s", error)
            except Exception:
                logger.exception("monitor pass failed")
            if self._backlog:
                continue  # more flights were due than one pass takes: no waiting
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

    def stats(self) -> MonitorStats:
        """Watched flights, polls, failed polls and changes published."""
        return MonitorStats(
            worker_id=self.worker_id,
            watched_flights=self.watched_count,
            polls=self.polls,
            board_polls=self.boards.calls,
            board_pages=self.boards.pages,
            poll_errors=self.poll_errors,
            changes_published=self.relay.delivered,
            running=self._task is not None and not self._task.done(),
        )
