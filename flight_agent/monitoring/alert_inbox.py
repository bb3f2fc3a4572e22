"""The alert inbox: accepted alert callbacks, kept until a worker has handled them.

The webhook answers 202 only once a callback is in the inbox (``put``), and a worker
acknowledges it (``done``) only after its handler finished. A process that dies in between
loses nothing: a callback nobody read yet goes to the next worker that reads, and one a dead
worker had taken stays pending until another worker claims it after ``claim_idle`` (``take``
claims such callbacks first). Delivery is at least once; the monitor's handling is idempotent
(a record observed twice raises its changes once).

``RedisAlertInbox`` is a Redis Stream at ``{namespace}:alerts:inbox`` read by one consumer group
(XADD with ``MAXLEN ~``, XREADGROUP, XACK, XAUTOCLAIM), the machinery of the change-event stream
(``redis_stream``): every process sharing Redis takes from one inbox. ``MemoryAlertInbox`` gives
one process the same semantics in memory, bounded (full: ``AlertInboxFullError``, the webhook
answers 503 and AeroAPI delivers again). The change-event stream classes themselves are not
reused: they carry ``ChangeEvent``s, written by the watch store's save script.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Protocol, cast

from pydantic import ValidationError
from redis.asyncio import Redis

from flight_agent.cache.base import KEY_NAMESPACE
from flight_agent.clock import SYSTEM_CLOCK, Clock
from flight_agent.errors import StoreUnavailableError
from flight_agent.monitoring.redis_stream import Entry, entry_fields, in_group
from flight_agent.monitoring.stream import DEFAULT_CLAIM_IDLE, DEFAULT_MAXLEN
from flight_agent.providers.alert_callback import AlertCallback
from flight_agent.redis_guard import RedisGuard

logger = logging.getLogger(__name__)

INBOX_GROUP = "alert-handlers"
"""The consumer group of every worker handling alerts."""
MEMORY_INBOX_SIZE = 1000
"""Most callbacks a process keeps waiting in memory."""


class AlertInboxFullError(StoreUnavailableError):
    """The inbox holds as many callbacks as it may; deliver again later."""


@dataclass(frozen=True, slots=True)
class InboxEntry:
    """A callback handed to one worker, pending until ``done``."""

    entry: str
    callback: AlertCallback


class AlertInbox(Protocol):
    """Accepted callbacks, each handed to one worker and kept until it is done."""

    async def put(self, callback: AlertCallback) -> str:
        """Keep the callback; its entry id.

        Raises:
            StoreUnavailableError: It could not be kept (``AlertInboxFullError``: no room).
        """
        ...

    async def take(self, consumer: str, count: int = 1) -> list[InboxEntry]:
        """Callbacks for ``consumer``: those left pending by a dead worker first, then new ones."""
        ...

    async def done(self, entry: InboxEntry) -> None:
        """The callback was handled: it is never handed out again."""
        ...


@dataclass
class MemoryAlertInbox:
    """An ``AlertInbox`` of this process (it does not outlive the process).

    Args:
        size: Most callbacks kept (waiting or pending).
        claim_idle: How long a taken callback may stay undone before another worker takes it.
        clock: Time source of the idle times.
    """

    size: int = MEMORY_INBOX_SIZE
    claim_idle: timedelta = DEFAULT_CLAIM_IDLE
    clock: Clock = SYSTEM_CLOCK
    _entries: dict[int, AlertCallback] = field(default_factory=dict)
    _waiting: list[int] = field(default_factory=list)
    _pending: dict[int, float] = field(default_factory=dict)
    _next: int = 1

    async def put(self, callback: AlertCallback) -> str:
        if len(self._entries) >= self.size:
            raise AlertInboxFullError(f"the alert inbox holds {self.size} callbacks")
        entry, self._next = self._next, self._next + 1
        self._entries[entry] = callback
        self._waiting.append(entry)
        return str(entry)

    async def take(self, consumer: str, count: int = 1) -> list[InboxEntry]:
        cutoff = self.clock.monotonic() - self.claim_idle.total_seconds()
        chosen = [entry for entry, since in self._pending.items() if since <= cutoff][:count]
        while self._waiting and len(chosen) < count:
            chosen.append(self._waiting.pop(0))
        now = self.clock.monotonic()
        for entry in chosen:
            self._pending.pop(entry, None)
            self._pending[entry] = now
        return [InboxEntry(str(entry), self._entries[entry]) for entry in chosen]

    async def done(self, entry: InboxEntry) -> None:
        key = int(entry.entry)
        self._pending.pop(key, None)
        self._entries.pop(key, None)


class RedisAlertInbox:
    """An ``AlertInbox`` in a Redis Stream, shared by every process of ``namespace``.

    Every method raises ``StoreUnavailableError`` when Redis fails or rests after a failure.

    Args:
        redis: An asyncio Redis client, owned by the caller.
        namespace: Key prefix.
        claim_idle: How long a taken callback may stay undone before another worker takes it
            (measured by the Redis server).
        maxlen: About how many callbacks the stream keeps.
        clock: Time source of the back-off.
    """

    def __init__(
        self,
        redis: Redis,
        *,
        namespace: str = KEY_NAMESPACE,
        claim_idle: timedelta = DEFAULT_CLAIM_IDLE,
        maxlen: int = DEFAULT_MAXLEN,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self.key = f"{namespace}:alerts:inbox"
        self._redis = redis
        self._idle_ms = claim_idle // timedelta(milliseconds=1)
        self._maxlen = maxlen
        self._guard = RedisGuard(redis, role="alert inbox", backoff_s=1.0, clock=clock)

    async def put(self, callback: AlertCallback) -> str:
        body = callback.model_dump_json()
        entry = await self._guard.run(
            lambda: self._redis.xadd(
                self.key, {"callback": body}, maxlen=self._maxlen, approximate=True
            )
        )
        return _text(entry)

    async def take(self, consumer: str, count: int = 1) -> list[InboxEntry]:
        def autoclaim() -> Any:
            return self._redis.xautoclaim(
                self.key, INBOX_GROUP, consumer, self._idle_ms, start_id="0-0", count=count
            )

        claimed = cast("list[Any]", await self._run(autoclaim))[1]
        entries = cast("list[Entry]", claimed)
        if len(entries) < count:
            reply = await self._run(
                lambda: self._redis.xreadgroup(
                    INBOX_GROUP, consumer, {self.key: ">"}, count=count - len(entries)
                )
            )
            streams = cast("list[tuple[Any, list[Entry]]]", reply)
            entries += streams[0][1] if streams else []
        return await self._readable(entries)

    async def done(self, entry: InboxEntry) -> None:
        await self._ack([entry.entry])

    async def _run(self, command: Any) -> Any:
        return await self._guard.run(lambda: in_group(self._redis, self.key, INBOX_GROUP, command))

    async def _ack(self, entries: list[str]) -> None:
        if entries:
            await self._guard.run(lambda: self._redis.xack(self.key, INBOX_GROUP, *entries))

    async def _readable(self, entries: list[Entry]) -> list[InboxEntry]:
        found: list[InboxEntry] = []
        unreadable: list[str] = []
        for entry, fields in entries:
            try:
                callback = AlertCallback.model_validate_json(entry_fields(fields)["callback"])
            except (KeyError, ValidationError):
                logger.error("alert inbox %s: entry %s is no callback; skipped", self.key, entry)
                unreadable.append(_text(entry))
            else:
                found.append(InboxEntry(_text(entry), callback))
        await self._ack(unreadable)
        return found


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
