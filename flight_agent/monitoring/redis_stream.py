"""The event stream in Redis, shared by every monitor and consumer process.

The events are a Redis Stream at ``{namespace}:monitor:events``, one entry per event (field
``event``: the ``ChangeEvent`` JSON). ``RedisWatchStore.save`` appends them (``XADD`` with
``MAXLEN ~``) in the Lua script that saves their snapshot. Each reader group is a Redis consumer
group: ``read`` is ``XREADGROUP ... >``, ``ack`` is ``XACK`` and ``claim`` is ``XAUTOCLAIM`` with
``claim_idle`` as the minimum idle time, measured by the Redis server (not the injected clock).
The group is created on first use, starting at the oldest event kept, so a group that starts late
still gets every event the stream holds. An entry that does not read back as an event is logged,
acknowledged and skipped, so it cannot come back forever. Commands go through a ``RedisGuard``.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta
from typing import Any, TypeVar, cast

from pydantic import ValidationError
from redis.asyncio import Redis
from redis.exceptions import ResponseError

from flight_agent.cache.base import KEY_NAMESPACE
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
from flight_agent.redis_guard import RedisGuard

logger = logging.getLogger(__name__)

T = TypeVar("T")

Entry = tuple[bytes | str, dict[bytes | str, bytes | str] | None]
"""A stream entry as redis-py answers it: its id and its fields."""


def stream_key(namespace: str) -> str:
    """The Redis key of the event stream of ``namespace``."""
    return f"{namespace}:monitor:events"


class RedisEventStream(EventStream):
    """Change events in a Redis Stream, read by one consumer group.

    Every method raises ``StoreUnavailableError`` when Redis fails or rests after a failure.

    Args:
        redis: An asyncio Redis client, owned by the caller.
        clock: Time source of the back-off.
        namespace: Key prefix; the watch store writing the events must use the same one.
        group: The consumer group this reader belongs to.
        claim_idle: See ``EventStream``.
        maxlen: See ``EventStream`` (Redis trims whole nodes, so it may keep a few more).
        backoff_s: Seconds Redis is left alone after a failure.
    """

    def __init__(
        self,
        redis: Redis,
        *,
        clock: Clock = SYSTEM_CLOCK,
        namespace: str = KEY_NAMESPACE,
        group: str = DEFAULT_GROUP,
        claim_idle: timedelta = DEFAULT_CLAIM_IDLE,
        maxlen: int = DEFAULT_MAXLEN,
        backoff_s: float = 1.0,
    ) -> None:
        super().__init__(claim_idle=claim_idle, maxlen=maxlen)
        self.key = stream_key(namespace)
        self.group = group
        self._redis = redis
        self._clock = clock
        self._namespace = namespace
        self._backoff_s = backoff_s
        self._guard = RedisGuard(redis, role="event stream", backoff_s=backoff_s, clock=clock)

    def in_group(self, group: str, *, claim_idle: timedelta | None = None) -> RedisEventStream:
        """See ``EventStream.in_group``: the same stream and client, another consumer group."""
        return RedisEventStream(
            self._redis,
            clock=self._clock,
            namespace=self._namespace,
            group=group,
            claim_idle=claim_idle or self.claim_idle,
            maxlen=self.maxlen,
            backoff_s=self._backoff_s,
        )

    async def read(self, consumer: str, count: int = DEFAULT_BATCH) -> list[Delivery]:
        """See ``EventStream.read``."""
        reply = await self._in_group(
            lambda: self._redis.xreadgroup(self.group, consumer, {self.key: ">"}, count=count)
        )
        streams = cast("list[tuple[Any, list[Entry]]]", reply)
        return await self._deliveries(streams[0][1] if streams else [])

    async def claim(self, consumer: str, count: int = DEFAULT_BATCH) -> list[Delivery]:
        """See ``EventStream.claim``; pages through the pending entries until ``count``."""
        idle_ms = self.claim_idle // timedelta(milliseconds=1)
        found: list[Entry] = []
        cursor: bytes | str = "0-0"
        while True:

            def autoclaim(
                start: bytes | str = cursor, limit: int = count - len(found)
            ) -> Awaitable[Any]:
                return self._redis.xautoclaim(
                    self.key, self.group, consumer, idle_ms, start_id=start, count=limit
                )

            reply = cast("list[Any]", await self._in_group(autoclaim))
            cursor, entries = reply[0], cast("list[Entry]", reply[1])
            found += entries
            if _text(cursor) == "0-0" or len(found) >= count:
                return await self._deliveries(found)

    async def ack(self, deliveries: Sequence[Delivery]) -> None:
        """See ``EventStream.ack``."""
        await self._ack([delivery.entry for delivery in deliveries])

    async def _ack(self, entries: list[str]) -> None:
        if entries:
            await self._guard.run(lambda: self._redis.xack(self.key, self.group, *entries))

    async def _in_group(self, command: Callable[[], Awaitable[T]]) -> T:
        return await self._guard.run(lambda: in_group(self._redis, self.key, self.group, command))

    async def _deliveries(self, entries: list[Entry]) -> list[Delivery]:
        deliveries: list[Delivery] = []
        unreadable: list[str] = []
        for entry, fields in entries:
            text = entry_fields(fields)
            try:
                event = ChangeEvent.model_validate_json(text["event"])
            except (KeyError, ValidationError):
                logger.error("event stream %s: entry %s is no event; skipped", self.key, entry)
                unreadable.append(_text(entry))
            else:
                deliveries.append(Delivery(_text(entry), event))
        await self._ack(unreadable)
        return deliveries


async def in_group(redis: Redis, key: str, group: str, command: Callable[[], Awaitable[T]]) -> T:
    """Run a consumer-group command on the stream ``key``, creating the group first (at the
    oldest entry kept) if Redis does not know it: the first use, or the stream was deleted."""
    try:
        return await command()
    except ResponseError as error:
        if not str(error).startswith("NOGROUP"):
            raise
    try:
        await redis.xgroup_create(key, group, id="0", mkstream=True)
    except ResponseError as error:
        if not str(error).startswith("BUSYGROUP"):  # another process was first
            raise
    return await command()


def entry_fields(fields: dict[bytes | str, bytes | str] | None) -> dict[str, bytes | str]:
    """A stream entry's fields by their names as text."""
    return {_text(name): value for name, value in (fields or {}).items()}


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
