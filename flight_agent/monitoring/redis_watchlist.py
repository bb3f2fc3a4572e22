"""The watch store in Redis: watched flights shared by every process of one namespace.

``RedisWatchStore`` is the ``WatchStore`` (``monitoring.watchlist``, where the contract is) that
processes share. It keeps the states in a hash (``{namespace}:monitor:watches``, key -> state
JSON), the due index in a sorted set (``{namespace}:monitor:due``, score = epoch seconds, read
with a limited ZRANGEBYSCORE), when each finished watch is forgotten in another
(``{namespace}:monitor:finished``) and the events in a ``RedisEventStream``; add, claim, save and
forgetting are Lua scripts, so each is atomic across processes, and everything survives a
restart of the service. Its commands go through a ``RedisGuard``: when Redis fails, every
method raises ``StoreUnavailableError`` naming the server, and for ``backoff_s`` seconds after a
failure it raises at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from redis.asyncio import Redis

from flight_agent.cache.base import KEY_NAMESPACE
from flight_agent.cache.redis_cache import escape_credentials
from flight_agent.changes import FlightChange
from flight_agent.clock import SYSTEM_CLOCK, Clock
from flight_agent.monitoring.redis_stream import RedisEventStream
from flight_agent.monitoring.state import Watch, WatchState
from flight_agent.monitoring.stream import events_for
from flight_agent.monitoring.watchlist import (
    DEFAULT_DUE_LIMIT,
    FINISHED_RETENTION,
    FORGET_LIMIT,
    WatchStore,
)
from flight_agent.redis_guard import RedisGuard

_ADD = """
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 1 then
  redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
  return ARGV[2]
end
return redis.call('HGET', KEYS[1], ARGV[1])
"""

_CLAIM = """
local due = redis.call('ZSCORE', KEYS[2], ARGV[1])
if not due or tonumber(due) > tonumber(ARGV[2]) then
  return false
end
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
return redis.call('HGET', KEYS[1], ARGV[1])
"""

_SAVE = """
local stored = redis.call('HGET', KEYS[1], ARGV[1])
if not stored or (cjson.decode(stored).version or 0) ~= tonumber(ARGV[4]) - 1 then
  return 0
end
-- The events first: Redis does not undo a script's writes when one fails, and a failed append
-- must leave the snapshot where it was.
for i = 7, #ARGV do
  redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[5], '*', 'event', ARGV[i])
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
if ARGV[3] == '' then
  redis.call('ZREM', KEYS[2], ARGV[1])
  redis.call('ZADD', KEYS[4], ARGV[6], ARGV[1])
else
  redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
  redis.call('ZREM', KEYS[4], ARGV[1])
end
return 1
"""

_FORGET = """
local gone = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1], 'LIMIT', 0, ARGV[2])
for _, key in ipairs(gone) do
  redis.call('HDEL', KEYS[1], key)
  redis.call('ZREM', KEYS[2], key)
end
return #gone
"""


class RedisWatchStore(WatchStore):
    """A watch store in Redis, shared by every process that uses the same namespace.

    Every method raises ``StoreUnavailableError`` (a ``FlightDataError``) when Redis fails or
    rests after a failure; its message names the server, never the password.

    Args:
        redis: A ``redis://`` URL (the store then owns the client; ``aclose`` closes it) or an
            asyncio Redis client owned by the caller.
        clock: Time source for creation times, due checks, leases and the back-off.
        finished_retention: See ``WatchStore``.
        namespace: Key prefix; processes sharing watches must use the same one.
        backoff_s: Seconds Redis is left alone after a failure.
        events: Where the change events go (default: a ``RedisEventStream`` of ``namespace``
            on this store's client); its key and ``maxlen`` are what ``save`` writes with.
    """

    def __init__(
        self,
        redis: str | Redis,
        *,
        clock: Clock = SYSTEM_CLOCK,
        finished_retention: timedelta = FINISHED_RETENTION,
        namespace: str = KEY_NAMESPACE,
        backoff_s: float = 1.0,
        events: RedisEventStream | None = None,
    ) -> None:
        super().__init__(clock=clock, finished_retention=finished_retention)
        self._owns_client = isinstance(redis, str)
        self._redis = Redis.from_url(escape_credentials(redis)) if isinstance(redis, str) else redis
        self._guard = RedisGuard(self._redis, role="watch store", backoff_s=backoff_s, clock=clock)
        self.events: RedisEventStream = events or RedisEventStream(
            self._redis, clock=clock, namespace=namespace, backoff_s=backoff_s
        )
        self._keys = [f"{namespace}:monitor:watches", f"{namespace}:monitor:due"]
        self._finished_key = f"{namespace}:monitor:finished"
        self._add = self._redis.register_script(_ADD)
        self._claim = self._redis.register_script(_CLAIM)
        self._save = self._redis.register_script(_SAVE)
        self._forget = self._redis.register_script(_FORGET)

    async def aclose(self) -> None:
        """Close the Redis client if this store created it."""
        if self._owns_client:
            await self._redis.aclose()

    async def add(self, watch: Watch) -> WatchState:
        """See ``WatchStore.add``."""
        state = self._new_state(watch)
        args = [watch.key, state.model_dump_json(), _score(state.created_at)]
        stored = await self._guard.run(lambda: self._add(keys=self._keys, args=args))
        return WatchState.model_validate_json(stored)

    async def remove(self, key: str) -> bool:
        """See ``WatchStore.remove``."""

        async def forget() -> list[Any]:
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.hdel(self._keys[0], key)
                pipe.zrem(self._keys[1], key)
                pipe.zrem(self._finished_key, key)
                return await pipe.execute()

        removed, _, _ = await self._guard.run(forget)
        return bool(removed)

    async def get(self, key: str) -> WatchState | None:
        """See ``WatchStore.get``."""
        stored = await self._guard.run(lambda: self._redis.hget(self._keys[0], key))
        return None if stored is None else WatchState.model_validate_json(stored)

    async def list_all(self) -> list[WatchState]:
        """See ``WatchStore.list_all``."""
        stored = await self._guard.run(lambda: self._redis.hvals(self._keys[0]))
        states = [WatchState.model_validate_json(value) for value in stored]
        return sorted(states, key=lambda state: state.key)

    async def count(self) -> int:
        """See ``WatchStore.count``."""
        return int(await self._guard.run(lambda: self._redis.hlen(self._keys[0])))

    async def due(
        self, now: datetime | None = None, limit: int = DEFAULT_DUE_LIMIT
    ) -> list[WatchState]:
        """See ``WatchStore.due``."""
        cutoff = _score(now or self._clock.now())
        forget = [self._keys[0], self._finished_key]
        await self._guard.run(lambda: self._forget(keys=forget, args=[cutoff, FORGET_LIMIT]))
        # Without scores, ZRANGEBYSCORE answers plain members.
        keys = cast(
            "list[bytes | str]",
            await self._guard.run(
                lambda: self._redis.zrangebyscore(self._keys[1], "-inf", cutoff, start=0, num=limit)
            ),
        )
        if not keys:
            return []
        stored = await self._guard.run(lambda: self._redis.hmget(self._keys[0], keys))
        # A watch removed between the two reads has no state any more; skip it.
        return [WatchState.model_validate_json(value) for value in stored if value is not None]

    async def claim(self, key: str, worker_id: str, lease: timedelta) -> WatchState | None:
        """See ``WatchStore.claim``."""
        now = self._clock.now()
        args = [key, _score(now), _score(now + lease)]
        stored = await self._guard.run(lambda: self._claim(keys=self._keys, args=args))
        if stored is None:
            return None
        self._log_claim(key, worker_id, now + lease)
        return WatchState.model_validate_json(stored)

    async def claim_many(
        self, keys: Sequence[str], worker_id: str, lease: timedelta
    ) -> list[WatchState | None]:
        """See ``WatchStore.claim_many``: the claim scripts in one pipeline."""
        now = self._clock.now()
        since, until = _score(now), _score(now + lease)

        async def claim_all() -> list[Any]:
            async with self._redis.pipeline(transaction=False) as pipe:
                for key in keys:
                    await self._claim(keys=self._keys, args=[key, since, until], client=pipe)
                return await pipe.execute()

        answers = await self._guard.run(claim_all) if keys else []
        claimed: list[WatchState | None] = []
        for key, stored in zip(keys, answers, strict=True):
            if stored is not None:
                self._log_claim(key, worker_id, now + lease)
            claimed.append(None if stored is None else WatchState.model_validate_json(stored))
        return claimed

    async def save(self, state: WatchState, changes: Sequence[FlightChange] = ()) -> bool:
        """See ``WatchStore.save``."""
        due = "" if state.next_due is None else _score(state.next_due)
        events = [event.model_dump_json() for event in events_for(state, changes)]
        version, maxlen = str(state.version), str(self.events.maxlen)
        forget_at = _score(self._clock.now() + self.finished_retention)
        args = [state.key, state.model_dump_json(), due, version, maxlen, forget_at]
        keys = [*self._keys, self.events.key, self._finished_key]
        return bool(await self._guard.run(lambda: self._save(keys=keys, args=[*args, *events])))


def _score(when: datetime) -> str:
    """A due-index score: epoch seconds, exact to the microsecond."""
    return repr(when.astimezone(UTC).timestamp())
