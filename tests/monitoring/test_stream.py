"""Event streams, in memory and in a real Redis: one delivery per group, claims after the idle
time, acknowledgements, trimming, stable ids. Idle time passes without sleeping: the fake clock
moves for memory; for Redis the pending entries are aged the way Redis counts (XCLAIM IDLE)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from redis.asyncio import Redis

from flight_agent.clock import FakeClock
from flight_agent.monitoring import (
    ChangeEvent,
    ChangeKind,
    EventStream,
    FlightChange,
    MemoryEventStream,
    MemoryWatchStore,
    RedisEventStream,
    RedisWatchStore,
    Watch,
    WatchStore,
    events_for,
)
from flight_agent.monitoring.stream import DEFAULT_CLAIM_IDLE
from tests.conftest import RedisServer
from tests.monitoring.pending import age_pending
from tests.monitoring.records import DAY, NOON

MAXLEN = 10
IDLE = DEFAULT_CLAIM_IDLE.total_seconds()


def gate(number: int) -> FlightChange:
    return FlightChange(
        kind=ChangeKind.GATE,
        flight_id="BA117",
        flight_date=DAY,
        field="gate_origin",
        new=f"A{number}",
        detected_at=NOON,
        message=f"BA117 2026-11-28: departure gate A{number}",
    )


async def write(store: WatchStore, count: int, flight: int = 117) -> list[ChangeEvent]:
    """Save the next state of flight BA{flight} with ``count`` gate changes; their events."""
    current = await store.add(Watch(flight_id=f"BA{flight}", flight_date=DAY))
    state = current.model_copy(update={"version": current.version + 1})
    changes = [gate(number) for number in range(count)]
    assert await store.save(state, changes)
    return events_for(state, changes)


def ids(items: list[ChangeEvent]) -> list[str]:
    return [event.id for event in items]


async def read(stream: EventStream, consumer: str, count: int = 100) -> list[ChangeEvent]:
    return [delivery.event for delivery in await stream.read(consumer, count)]


async def claim(stream: EventStream, consumer: str) -> list[ChangeEvent]:
    return [delivery.event for delivery in await stream.claim(consumer)]


@dataclass
class Backend:
    """A watch store, the stream it writes, and how to let the stream's pending events idle."""

    store: WatchStore
    stream: EventStream
    idle: Callable[[float], Awaitable[None]]


@pytest.fixture(params=["memory", "redis"])
async def backend(request: pytest.FixtureRequest, clock: FakeClock) -> AsyncIterator[Backend]:
    if request.param == "memory":
        memory = MemoryEventStream(clock=clock, maxlen=MAXLEN)

        async def advance(seconds: float) -> None:
            clock.advance(seconds)

        yield Backend(MemoryWatchStore(clock=clock, events=memory), memory, advance)
        return
    server: RedisServer = request.getfixturevalue("redis_server")
    namespace: str = request.getfixturevalue("namespace")
    client = Redis.from_url(server.url)
    stream = RedisEventStream(client, clock=clock, namespace=namespace, maxlen=MAXLEN)
    store = RedisWatchStore(client, clock=clock, namespace=namespace, events=stream)

    async def age(seconds: float) -> None:
        await age_pending(client, stream.key, stream.group, seconds)

    yield Backend(store, stream, age)
    await client.aclose()


async def test_each_event_goes_to_one_consumer_in_save_order(backend: Backend) -> None:
    """Events saved before anyone read are delivered once across the group's consumers."""
    events = await write(backend.store, 5)
    first = await read(backend.stream, "a", count=3)
    second = await read(backend.stream, "b")
    assert first + second == events
    assert await read(backend.stream, "a") == []
    assert ids(events) == [f"BA117:2026-11-28/{created_us()}/1/{n}" for n in range(5)]


def created_us() -> int:
    """The fixtures' watches are created at NOON: its epoch microseconds."""
    return int(NOON.timestamp()) * 1_000_000


async def test_an_unacknowledged_event_is_claimed_by_another_consumer_after_the_idle_time(
    backend: Backend,
) -> None:
    """A consumer that read and never acknowledged (it died): its events go to the next
    consumer that claims once they idled ``claim_idle``, not a moment before, and once."""
    events = await write(backend.store, 3)
    assert await read(backend.stream, "dead") == events
    await backend.idle(IDLE - 1)
    assert await claim(backend.stream, "live") == []
    await backend.idle(1)
    claimed = await backend.stream.claim("live")
    assert [delivery.event for delivery in claimed] == events
    assert await claim(backend.stream, "other") == []  # claimed: its idle time restarted
    await backend.stream.ack(claimed)
    await backend.idle(IDLE)
    assert await claim(backend.stream, "other") == []  # acknowledged: never again


async def test_the_stream_keeps_about_maxlen_events_pending_or_not(backend: Backend) -> None:
    """Trimming drops the oldest events, pending ones included; the newest are kept."""
    pending = await write(backend.store, 5)
    assert await read(backend.stream, "dead") == pending
    newest = await write(backend.store, 300)
    await backend.idle(IDLE)
    assert await claim(backend.stream, "live") == []
    kept = await read(backend.stream, "live", count=1000)
    # Redis trims whole nodes of 100 entries (MAXLEN ~), memory exactly.
    assert MAXLEN <= len(kept) <= MAXLEN + 100
    assert kept == newest[-len(kept) :]


async def test_ids_name_the_watch_its_creation_the_version_and_the_place(clock: FakeClock) -> None:
    """Ids are the same however often they are derived, and differ for another version, or for
    a watch added again after it was removed."""
    store = MemoryWatchStore(clock=clock)
    first = await write(store, 2)
    again = await write(store, 2)
    assert ids(first) != ids(again)
    assert len(set(ids(first + again))) == 4
    state = await store.get("BA117:2026-11-28")
    assert state is not None
    assert ids(events_for(state, [gate(0), gate(1)])) == ids(again)
    await store.remove(state.key)
    clock.advance(1)
    assert ids(await write(store, 2))[0] != ids(first)[0]


@pytest.mark.parametrize(
    ("claim_idle", "maxlen"),
    [
        pytest.param(timedelta(0), 10, id="no-idle"),
        pytest.param(timedelta(seconds=1), 0, id="no-len"),
    ],
)
def test_a_stream_needs_a_positive_idle_time_and_length(claim_idle: timedelta, maxlen: int) -> None:
    """A zero claim time would take events from live consumers; a zero length keeps nothing."""
    with pytest.raises(ValueError, match="must be"):
        MemoryEventStream(claim_idle=claim_idle, maxlen=maxlen)


async def test_every_redis_group_gets_every_event(
    redis_server: RedisServer, namespace: str, clock: FakeClock
) -> None:
    """The monitors' feed and another reader (a desk, in its own process) read independently."""
    clients = [Redis.from_url(redis_server.url) for _ in range(2)]
    feed = RedisEventStream(clients[0], clock=clock, namespace=namespace)
    desk = RedisEventStream(clients[1], clock=clock, namespace=namespace, group="desk")
    store = RedisWatchStore(clients[0], clock=clock, namespace=namespace, events=feed)
    events = await write(store, 4)
    assert await read(feed, "monitor-1") == events
    assert await read(desk, "desk-1") == events
    for client in clients:
        await client.aclose()


async def test_a_redis_entry_that_is_no_event_is_skipped_and_acknowledged(
    redis_server: RedisServer, namespace: str, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    """An entry that does not read back is logged and acknowledged, so it never returns."""
    client = Redis.from_url(redis_server.url)
    stream = RedisEventStream(client, clock=clock, namespace=namespace)
    store = RedisWatchStore(client, clock=clock, namespace=namespace, events=stream)
    await client.xadd(stream.key, {"event": "{not json"})
    events = await write(store, 1)
    assert await read(stream, "a") == events
    assert "is no event" in caplog.text
    assert (await client.xpending(stream.key, stream.group))["pending"] == 1
    await client.aclose()


async def test_every_consumer_group_gets_every_event_whatever_the_others_do(
    backend: Backend,
) -> None:
    """The monitors' feed and the desk each read the stream in a group of their own."""
    events = await write(backend.store, 3)
    desk = backend.stream.in_group("desk")
    feed = await backend.stream.read("monitor")
    await backend.stream.ack(feed)
    assert [delivery.event for delivery in feed] == events
    assert await read(desk, "desk-1", count=2) == events[:2]
    assert await read(desk, "desk-2") == events[2:]
    more = await write(backend.store, 1, flight=118)
    assert await read(backend.stream, "monitor") == more
    assert await read(desk, "desk-1") == more
    assert await claim(desk, "desk-3") == []  # pending with desk-1 and desk-2, not idle yet
