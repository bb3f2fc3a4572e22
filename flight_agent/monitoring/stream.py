"""The event stream: the durable log of change events that consumers read in a group.

A poll's changes become ``ChangeEvent``s, written by ``WatchStore.save`` together with the
snapshot they were found against: with Redis in the same Lua script, so either the snapshot
moves and its events are in the stream, or neither happens. A monitor worker that dies after the
save loses nothing: the events wait in the stream for whoever reads next.

Consumers read the stream as one consumer group (``EventStream.read``): each event goes to one
consumer of the group and stays pending until that consumer acknowledges it (``ack``). An event
left unacknowledged for ``claim_idle`` (its consumer died or hung) is taken over by the next
consumer that calls ``claim``. Delivery is therefore at least once: a consumer that dies after
handling an event but before acknowledging it has the event handled again elsewhere. Each event
carries a stable ``id`` (the watch, its creation, the snapshot version and the change's place in
that poll), the same on every delivery, so consumers make their handling idempotent by id.
Events arrive in the order they were saved, except that a claimed event arrives after newer
ones. The stream keeps about ``maxlen`` events (acknowledged or not), so a backlog longer than
that loses its oldest events.

``RedisEventStream`` is a Redis Stream (XADD, XREADGROUP, XACK, XAUTOCLAIM, ``MAXLEN ~``):
consumer groups, pending-entry lists, idle-time claims and trimming are Redis's own, atomic on
the server and shared by every process, so no hand-made queue of lists, timestamps and
bookkeeping scripts re-implements them with its own races. ``MemoryEventStream`` gives one
process the same behaviour in memory.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from pydantic import BaseModel, ConfigDict

from flight_agent.changes import FlightChange
from flight_agent.monitoring.state import WatchState

DEFAULT_GROUP = "monitor-feed"
"""The group of the monitors' in-process feeds; another reader (a desk) uses its own group
(``EventStream.in_group``)."""

DEFAULT_MAXLEN = 10_000
"""About how many events a stream keeps."""

DEFAULT_CLAIM_IDLE = timedelta(minutes=1)
"""How long a delivered event may stay unacknowledged before another consumer claims it."""

DEFAULT_BATCH = 100
"""How many events one ``read`` or ``claim`` returns at most."""

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class ChangeEvent(BaseModel):
    """One change of one watched flight, as the stream carries it.

    Attributes:
        id: Stable across deliveries: ``{watch key}/{watch created, epoch µs}/{version}/{n}``
            for the ``n``-th change found by the poll that saved state ``version``.
        change: The change.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    change: FlightChange


def events_for(state: WatchState, changes: Sequence[FlightChange]) -> list[ChangeEvent]:
    """The events of the changes found by the poll that produced ``state``."""
    created = (state.created_at - _EPOCH) // timedelta(microseconds=1)
    prefix = f"{state.key}/{created}/{state.version}"
    return [ChangeEvent(id=f"{prefix}/{n}", change=change) for n, change in enumerate(changes)]


@dataclass(frozen=True)
class Delivery:
    """An event handed to one consumer, pending until acknowledged.

    Attributes:
        entry: The event's place in the stream (a Redis stream entry id), used to acknowledge.
        event: The event.
    """

    entry: str
    event: ChangeEvent


class EventStream(ABC):
    """The change events, read by one consumer group.

    Args:
        claim_idle: How long a delivered event may stay unacknowledged before ``claim`` hands
            it to another consumer.
        maxlen: About how many events the stream keeps.

    Raises:
        ValueError: ``claim_idle`` is not positive or ``maxlen`` is below 1.
    """

    def __init__(self, *, claim_idle: timedelta, maxlen: int) -> None:
        if claim_idle <= timedelta(0):
            raise ValueError("claim_idle must be positive")
        if maxlen < 1:
            raise ValueError("maxlen must be at least 1")
        self.claim_idle = claim_idle
        self.maxlen = maxlen

    @abstractmethod
    def in_group(self, group: str, *, claim_idle: timedelta | None = None) -> EventStream:
        """A reader of the same events as consumer group ``group`` (``claim_idle``: this
        reader's unless given): each group gets every event, whatever the other groups do."""

    @abstractmethod
    async def read(self, consumer: str, count: int = DEFAULT_BATCH) -> list[Delivery]:
        """Events no consumer of the group has had yet, oldest first; now pending for
        ``consumer``."""

    @abstractmethod
    async def claim(self, consumer: str, count: int = DEFAULT_BATCH) -> list[Delivery]:
        """Events pending unacknowledged for at least ``claim_idle``, whichever consumer had
        them; now pending for ``consumer``, their idle time restarted."""

    @abstractmethod
    async def ack(self, deliveries: Sequence[Delivery]) -> None:
        """Acknowledge handled events: they are delivered to this group never again."""
