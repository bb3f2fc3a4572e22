"""The event stream of one process: ``EventStream`` semantics in memory.

``MemoryWatchStore.save`` appends a poll's events in the same step as its snapshot (nothing is
awaited in between, so no other task sees one without the other). Reads, pending events, claims
after ``claim_idle`` (on the injected clock) and trimming to ``maxlen`` behave as the Redis
stream's do; nothing outlives the process, which is also the only one that could deliver it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from flight_agent.clock import SYSTEM_CLOCK, Clock
from flight_agent.monitoring.stream import (
    DEFAULT_BATCH,
    DEFAULT_CLAIM_IDLE,
    DEFAULT_MAXLEN,
    ChangeEvent,
    Delivery,
    EventStream,
)


class MemoryEventStream(EventStream):
    """Change events in this process's memory, read by one consumer group.

    Args:
        clock: Time source of the idle times.
        claim_idle: See ``EventStream``.
        maxlen: How many events the stream keeps (exactly).
    """

    def __init__(
        self,
        *,
        clock: Clock = SYSTEM_CLOCK,
        claim_idle: timedelta = DEFAULT_CLAIM_IDLE,
        maxlen: int = DEFAULT_MAXLEN,
    ) -> None:
        super().__init__(claim_idle=claim_idle, maxlen=maxlen)
        self._clock = clock
        self._events: dict[int, ChangeEvent] = {}
        self._next_entry = 1
        self._last_read = 0
        self._pending: dict[int, float] = {}
        """Entry -> monotonic time of its last delivery, in entry order."""

    def append(self, events: Sequence[ChangeEvent]) -> None:
        """Add events at the end, dropping the oldest beyond ``maxlen`` (pending or not)."""
        for event in events:
            self._events[self._next_entry] = event
            self._next_entry += 1
        while len(self._events) > self.maxlen:
            oldest = next(iter(self._events))
            del self._events[oldest]
            self._pending.pop(oldest, None)

    async def read(self, consumer: str, count: int = DEFAULT_BATCH) -> list[Delivery]:
        """See ``EventStream.read``."""
        first = next(iter(self._events), self._next_entry)
        entries = range(max(self._last_read + 1, first), self._next_entry)[:count]
        if entries:
            self._last_read = entries[-1]
        return self._hand_out(entries)

    async def claim(self, consumer: str, count: int = DEFAULT_BATCH) -> list[Delivery]:
        """See ``EventStream.claim``."""
        cutoff = self._clock.monotonic() - self.claim_idle.total_seconds()
        stale = [entry for entry, since in self._pending.items() if since <= cutoff]
        return self._hand_out(stale[:count])

    async def ack(self, deliveries: Sequence[Delivery]) -> None:
        """See ``EventStream.ack``."""
        for delivery in deliveries:
            self._pending.pop(int(delivery.entry), None)

    def _hand_out(self, entries: Sequence[int]) -> list[Delivery]:
        now = self._clock.monotonic()
        for entry in entries:
            self._pending[entry] = now
        return [Delivery(str(entry), self._events[entry]) for entry in entries]
