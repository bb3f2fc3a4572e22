"""Where watched flights and their state live, shared by every monitoring process.

A ``WatchStore`` keeps one ``WatchState`` per watch plus a due index (next poll time per watch).
A poller loops over ``due()``, ``claim()``s each watch, polls it, and ``save()``s the state and
the changes that ``WatchState.observe`` returns. ``save`` appends the changes to the store's event
stream (``events``) in the same atomic step as the state, and takes a state only over its
predecessor (``WatchState.version``): a worker whose lease ran out while it polled saves nothing
over the state of the worker that took over, and each version's events are written once.

Claiming is a visibility timeout, not a lock: ``claim`` atomically checks that the watch is due
and moves its due time to ``now + lease``, so no other worker sees it as due while it is being
polled. ``save`` then sets the due time the schedule chose. A worker that dies mid-poll simply
never saves; the watch becomes due again when the lease runs out, and another worker takes it.
Leases follow the store's injected clock, so tests advance a fake clock instead of sleeping. A
lease must outlast one poll: a worker still polling when its lease ends may poll the same
interval as the worker that takes over, and only the first of their two saves is kept.

A finished watch (its flight arrived, its cancellation was confirmed, or no provider answered
past its follow-up horizon) is kept, never due, for ``finished_retention`` (a day by default) so
its last snapshot can still be read, then forgotten: a store watching a rolling fleet for weeks
holds that fleet and one day of finished flights, not every flight it ever watched.

Costs do not grow with the fleet faster than the fleet does: in both stores adding, removing,
claiming and saving a watch cost O(log n), ``count`` O(1), and ``due`` O(k log n) for the k
watches it answers, never a scan of every watch (``list_all`` is the one call that reads them
all).

``MemoryWatchStore`` serves one process (its events go to a ``MemoryEventStream``); its due index
is a heap (``DueIndex``), and it keeps each state packed (``state.pack``, about 250 bytes), so it
holds about 600 bytes per watched flight with its index (``benchmarks/bench_fleet.py``). It
hands out the states its last ``due`` unpacked to ``claim``, so a poll unpacks its state once.
``RedisWatchStore`` (``monitoring.redis_watchlist``) shares the watches
between processes and keeps them across restarts.
"""

from __future__ import annotations

import logging
import sys
from abc import ABC, abstractmethod
from collections.abc import Sequence
from datetime import datetime, timedelta

from flight_agent.changes import FlightChange
from flight_agent.clock import SYSTEM_CLOCK, Clock
from flight_agent.monitoring.due_index import DueIndex
from flight_agent.monitoring.memory_stream import MemoryEventStream
from flight_agent.monitoring.state import Watch, WatchState, pack, unpack
from flight_agent.monitoring.stream import EventStream, events_for

logger = logging.getLogger(__name__)

DEFAULT_DUE_LIMIT = 100
"""How many due watches one ``due()`` call returns at most."""

FINISHED_RETENTION = timedelta(days=1)
"""How long a finished watch is kept before the store forgets it."""

FORGET_LIMIT = 1_000
"""How many expired finished watches one ``due()`` call forgets at most."""


class WatchStore(ABC):
    """The set of watched flights, their states and when each is due for a poll.

    Args:
        clock: Time source for creation times, due checks and leases.
        finished_retention: How long a finished watch is kept before it is forgotten.

    Attributes:
        events: The stream ``save`` writes the change events to.
    """

    events: EventStream

    def __init__(
        self, *, clock: Clock = SYSTEM_CLOCK, finished_retention: timedelta = FINISHED_RETENTION
    ) -> None:
        self._clock = clock
        self.finished_retention = finished_retention

    @abstractmethod
    async def add(self, watch: Watch) -> WatchState:
        """Start watching a flight; it is due at once. Adding a watched flight changes nothing.

        Returns:
            The watch's state: new, or the existing one.
        """

    @abstractmethod
    async def remove(self, key: str) -> bool:
        """Stop watching a flight and forget its state.

        Returns:
            Whether the watch existed.
        """

    @abstractmethod
    async def get(self, key: str) -> WatchState | None:
        """The state of one watch, or None when it is not watched."""

    @abstractmethod
    async def list_all(self) -> list[WatchState]:
        """Every watch, finished ones included, ordered by key."""

    @abstractmethod
    async def count(self) -> int:
        """How many flights are watched, finished ones included."""

    @abstractmethod
    async def due(
        self, now: datetime | None = None, limit: int = DEFAULT_DUE_LIMIT
    ) -> list[WatchState]:
        """Watches due for a poll, earliest first; claimed and finished ones are not due.
        Finished watches past their retention are forgotten on the way.

        Args:
            now: The cut-off (default: the clock's now).
            limit: At most this many.
        """

    @abstractmethod
    async def claim(self, key: str, worker_id: str, lease: timedelta) -> WatchState | None:
        """Take a due watch for polling, so no other worker polls it meanwhile.

        Args:
            key: The watch's key.
            worker_id: Names the claiming worker (in logs).
            lease: How long the claim holds if the state is never saved.

        Returns:
            The watch's current state when claimed; None when it is not due (another worker
            claimed or polled it already, it finished, or it is no longer watched).
        """

    async def claim_many(
        self, keys: Sequence[str], worker_id: str, lease: timedelta
    ) -> list[WatchState | None]:
        """``claim`` each of ``keys`` (one round trip in Redis); the answers in their order."""
        return [await self.claim(key, worker_id, lease) for key in keys]

    @abstractmethod
    async def save(self, state: WatchState, changes: Sequence[FlightChange] = ()) -> bool:
        """Store a polled state and append its changes' events (``events_for``) to ``events``,
        both or neither; its ``next_due`` becomes the watch's due time (None: finished).

        Args:
            state: The next state: one ``version`` after the stored one.
            changes: The changes the poll found.

        Returns:
            False, storing nothing, when the watch was removed meanwhile or the stored state
            is not the one ``state`` follows (another worker saved first).
        """

    def _new_state(self, watch: Watch) -> WatchState:
        now = self._clock.now()
        return WatchState(watch=watch, created_at=now, next_due=now)

    def _log_claim(self, key: str, worker_id: str, until: datetime) -> None:
        logger.debug("watch %s claimed by %s until %s", key, worker_id, until.isoformat())


class MemoryWatchStore(WatchStore):
    """A watch store in this process's memory (the embedded default).

    Args:
        clock: See ``WatchStore``.
        finished_retention: See ``WatchStore``.
        events: Where the change events go (default: a ``MemoryEventStream`` on ``clock``).
    """

    def __init__(
        self,
        *,
        clock: Clock = SYSTEM_CLOCK,
        finished_retention: timedelta = FINISHED_RETENTION,
        events: MemoryEventStream | None = None,
    ) -> None:
        super().__init__(clock=clock, finished_retention=finished_retention)
        self.events: MemoryEventStream = events or MemoryEventStream(clock=clock)
        self._states: dict[str, bytes] = {}
        """Each watch's state: its version (8 bytes), then the state packed (``_stored``)."""
        self._due = DueIndex()
        self._forget_at = DueIndex()
        """When each finished watch is forgotten."""
        self._answered: dict[str, WatchState] = {}
        """The states the last ``due`` answered, so claiming one does not unpack it again."""

    async def add(self, watch: Watch) -> WatchState:
        """See ``WatchStore.add``."""
        key = sys.intern(watch.key)  # one string per watch, however many indexes hold it
        stored = self._states.get(key)
        if stored is not None:
            return unpack(stored[_VERSION:])
        state = self._new_state(watch)
        self._states[key] = _stored(state)
        self._due.set(key, state.created_at)
        return state

    async def remove(self, key: str) -> bool:
        """See ``WatchStore.remove``."""
        self._due.discard(key)
        self._forget_at.discard(key)
        return self._states.pop(key, None) is not None

    async def get(self, key: str) -> WatchState | None:
        """See ``WatchStore.get``."""
        stored = self._states.get(key)
        return None if stored is None else unpack(stored[_VERSION:])

    async def list_all(self) -> list[WatchState]:
        """See ``WatchStore.list_all``."""
        return [unpack(self._states[key][_VERSION:]) for key in sorted(self._states)]

    async def count(self) -> int:
        """See ``WatchStore.count``."""
        return len(self._states)

    async def due(
        self, now: datetime | None = None, limit: int = DEFAULT_DUE_LIMIT
    ) -> list[WatchState]:
        """See ``WatchStore.due``."""
        now = now or self._clock.now()
        for key in self._forget_at.due(now, FORGET_LIMIT):
            await self.remove(key)
        keys = self._due.due(now, limit)
        self._answered = {key: unpack(self._states[key][_VERSION:]) for key in keys}
        return list(self._answered.values())

    async def claim(self, key: str, worker_id: str, lease: timedelta) -> WatchState | None:
        """See ``WatchStore.claim``."""
        now = self._clock.now()
        when = self._due.get(key)
        if when is None or when > now:
            return None
        key = sys.intern(key)
        self._due.set(key, now + lease)
        self._log_claim(key, worker_id, now + lease)
        stored = self._states[key]
        answered = self._answered.pop(key, None)
        if answered is not None and answered.version == _version(stored):
            return answered
        return unpack(stored[_VERSION:])

    async def save(self, state: WatchState, changes: Sequence[FlightChange] = ()) -> bool:
        """See ``WatchStore.save``."""
        key = sys.intern(state.key)
        stored = self._states.get(key)
        if stored is None or _version(stored) != state.version - 1:
            return False
        self.events.append(events_for(state, changes))
        self._states[key] = _stored(state)
        if state.next_due is None:
            self._due.discard(key)
            self._forget_at.set(key, self._clock.now() + self.finished_retention)
        else:
            self._forget_at.discard(key)
            self._due.set(key, state.next_due)
        return True


_VERSION = 8
"""Bytes of the version in front of a packed state in ``MemoryWatchStore``."""


def _stored(state: WatchState) -> bytes:
    """What ``MemoryWatchStore`` keeps of a state: its version, then the state packed."""
    return state.version.to_bytes(_VERSION, "big") + pack(state)


def _version(stored: bytes) -> int:
    """The version of a state as ``_stored`` keeps it."""
    return int.from_bytes(stored[:_VERSION], "big")
