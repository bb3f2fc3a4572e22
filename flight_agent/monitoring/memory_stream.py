"""The event stream of one process: ``EventStream`` semantics in memory.

``MemoryWatchStore.save`` appends a poll's events in the same step as its snapshot (nothing is
awaited in between, so no other task sees one without the other). Reads, pending events, claims
after ``claim_idle`` (on the injected clock), several consumer groups over the same events
(``in_group``) and trimming to ``maxlen`` behave as the Redis stream's do; nothing outlives the
process, which is also the only one that could deliver it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from flight_agent.clock import SYSTEM_CLOCK, Clock
from flight_agent.monitoring.stream import (
    DEFAULT_BATCH,
    DEFAULT_CLAIM_IDLE,
    DEFAULT_GROUP,
    DEFAULT_MAXLEN,
    ChangeEvent,
    Delivery,
    EventStream,
)


@dataclass
class _Group:
    """One consumer group's place in the log."""

    last_read: int = 0
    pending: dict[int, float] = field(default_factory=dict)
    """Entry -> monotonic time of its last delivery, in entry order."""


@dataclass
class _Log:
    """The events every group of one stream reads."""

    maxlen: int
    events: dict[int, ChangeEvent] = field(default_factory=dict)
    next_entry: int = 1
    groups: dict[str, _Group] = field(default_factory=dict)

    def group(self, name: str) -> _Group:
        """The group ``name``, created at the oldest event kept (as Redis's ``XGROUP 0``)."""
        return self.groups.setdefault(name, _Group())


class MemoryEventStream(EventStream):
    """Change events in this process's memory, read by one consumer group.

    Args:
        clock: Time source of the idle times.
        claim_idle: See ``EventStream``.
        maxlen: How many events the stream keeps (exactly).
        group: The consumer group this reader belongs to.
    """

    def __init__(
        self,
        *,
        clock: Clock = SYSTEM_CLOCK,
        claim_idle: timedelta = DEFAULT_CLAIM_IDLE,
        maxlen: int = DEFAULT_MAXLEN,
        group: str = DEFAULT_GROUP,
    ) -> None:
        super().__init__(claim_idle=claim_idle, maxlen=maxlen)
        self.group = group
        self._clock = clock
        self._log = _Log(maxlen)
        self._log.group(group)

    def in_group(self, group: str, *, claim_idle: timedelta | None = None) -> MemoryEventStream:
        """See ``EventStream.in_group``: the same events, another consumer group."""
        reader = MemoryEventStream(
            clock=self._clock,
            claim_idle=claim_idle or self.claim_idle,
            maxlen=self.maxlen,
            group=group,
        )
        reader._log = self._log
        self._log.group(group)
        return reader

    def append(self, events: Sequence[ChangeEvent]) -> None:
        """Add events at the end, dropping the oldest beyond ``maxlen`` (pending or not)."""
        log = self._log
        for event in events:
            log.events[log.next_entry] = event
            log.next_entry += 1
        while len(log.events) > log.maxlen:
            oldest = next(iter(log.events))
            del log.events[oldest]
            for group in log.groups.values():
                group.pending.pop(oldest, None)

    async def read(self, consumer: str, count: int = DEFAULT_BATCH) -> list[Delivery]:
        """See ``EventStream.read``."""
        log, group = self._log, self._log.group(self.group)
        first = next(iter(log.events), log.next_entry)
        entries = range(max(group.last_read + 1, first), log.next_entry)[:count]
        if entries:
            group.last_read = entries[-1]
        return self._hand_out(group, entries)

    async def claim(self, consumer: str, count: int = DEFAULT_BATCH) -> list[Delivery]:
        """See ``EventStream.claim``."""
        group = self._log.group(self.group)
        cutoff = self._clock.monotonic() - self.claim_idle.total_seconds()
        stale = [entry for entry, since in group.pending.items() if since <= cutoff]
        return self._hand_out(group, stale[:count])

    async def ack(self, deliveries: Sequence[Delivery]) -> None:
        """See ``EventStream.ack``."""
        pending = self._log.group(self.group).pending
        for delivery in deliveries:
            pending.pop(int(delivery.entry), None)

    def _hand_out(self, group: _Group, entries: Sequence[int]) -> list[Delivery]:
        now = self._clock.monotonic()
        for entry in entries:
            group.pending[entry] = now
        return [Delivery(str(entry), self._log.events[entry]) for entry in entries]
