"""Watch stores, in memory and in a real Redis: watch set, due index, claims, restarts."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from datetime import datetime, timedelta

import pytest
from redis.asyncio import Redis

from flight_agent.clock import FakeClock
from flight_agent.errors import FlightDataError, StoreUnavailableError
from flight_agent.monitoring import (
    MemoryWatchStore,
    RedisWatchStore,
    Watch,
    WatchState,
    WatchStore,
)
from flight_agent.services import EnhancedFlightMonitoringService
from flight_agent.settings import Settings
from tests.conftest import RedisServer
from tests.monitoring.records import DAY, DEPARTURE, minutes, record
from tests.stubs import StubProvider

LEASE = timedelta(minutes=1)
REFUSING = "redis://:s3cret@127.0.0.1:1/0"
"""A Redis URL with a password that nothing listens on: connections are refused at once."""


def watch(number: int, origin: str | None = None) -> Watch:
    return Watch(flight_id=f"BA{number}", flight_date=DAY, origin=origin)


def keys(states: list[WatchState]) -> list[str]:
    return [state.key for state in states]


def due_at(state: WatchState, when: datetime) -> WatchState:
    """The state after ``state``, due at ``when``."""
    return state.model_copy(update={"next_due": when, "version": state.version + 1})


@pytest.fixture(params=["memory", "redis"])
async def store(request: pytest.FixtureRequest, clock: FakeClock) -> AsyncIterator[WatchStore]:
    """Each store under test, on the fake clock."""
    if request.param == "memory":
        yield MemoryWatchStore(clock=clock)
        return
    server: RedisServer = request.getfixturevalue("redis_server")
    redis_store = RedisWatchStore(
        server.url, clock=clock, namespace=request.getfixturevalue("namespace")
    )
    yield redis_store
    await redis_store.aclose()


async def test_add_watches_a_flight_once_and_makes_it_due_at_once(
    store: WatchStore, clock: FakeClock
) -> None:
    """A new watch is due now; adding it again later returns the existing state unchanged."""
    start = clock.now()
    first = await store.add(watch(117))
    clock.advance(60)
    again = await store.add(watch(117))
    assert first == again
    assert (first.created_at, first.next_due, first.last_snapshot) == (start, start, None)
    assert keys(await store.list_all()) == ["BA117:2026-11-28"]
    assert await store.get("BA117:2026-11-28") == first
    assert keys(await store.due()) == ["BA117:2026-11-28"]


async def test_list_and_get_show_every_watch_by_key(store: WatchStore) -> None:
    """list_all is ordered by key and includes finished watches; get of a stranger is None."""
    for item in (watch(2), watch(1, "LHR"), watch(1)):
        await store.add(item)
    finished = await store.add(watch(3))
    await store.save(finished.stopped())
    assert keys(await store.list_all()) == [
        "BA1:2026-11-28",
        "BA1:2026-11-28:LHR",
        "BA2:2026-11-28",
        "BA3:2026-11-28",
    ]
    assert await store.get("BA9:2026-11-28") is None


async def test_due_returns_the_earliest_first_up_to_the_limit(
    store: WatchStore, clock: FakeClock
) -> None:
    """Only watches due by the cut-off come back, earliest first, at most ``limit``."""
    now = clock.now()
    for number, wait in ((1, 30), (2, 10), (3, 20), (4, 90)):
        state = await store.add(watch(number))
        await store.save(due_at(state, now + minutes(wait)))
    assert await store.due() == []
    assert keys(await store.due(now + minutes(30))) == [
        "BA2:2026-11-28",
        "BA3:2026-11-28",
        "BA1:2026-11-28",
    ]
    assert keys(await store.due(now + minutes(30), limit=2)) == [
        "BA2:2026-11-28",
        "BA3:2026-11-28",
    ]


async def test_the_due_index_follows_reschedules_removals_and_ties(
    store: WatchStore, clock: FakeClock
) -> None:
    """A rescheduled watch moves to its new place, a removed one leaves, a claimed one waits for
    its lease; watches due at the same time come back by key; count counts every watch."""
    now = clock.now()
    states = {number: await store.add(watch(number)) for number in (5, 6, 7, 8)}
    for number, wait in ((5, 10), (6, 20), (7, 10), (8, 30)):
        states[number] = due_at(states[number], now + minutes(wait))
        assert await store.save(states[number])
    assert await store.save(due_at(states[5], now + minutes(25)))
    assert await store.remove(watch(6).key)
    assert await store.count() == 3
    assert keys(await store.due(now + minutes(40))) == [
        "BA7:2026-11-28",
        "BA5:2026-11-28",
        "BA8:2026-11-28",
    ]
    clock.advance(minutes(10).total_seconds())
    assert await store.claim(watch(7).key, "worker-a", minutes(30)) is not None
    assert keys(await store.due(now + minutes(30))) == ["BA5:2026-11-28", "BA8:2026-11-28"]
    assert keys(await store.due(now + minutes(40))) == [
        "BA5:2026-11-28",
        "BA8:2026-11-28",
        "BA7:2026-11-28",
    ]


async def test_a_claim_hides_the_watch_until_saved_or_the_lease_ends(
    store: WatchStore, clock: FakeClock
) -> None:
    """One worker claims; the other cannot; a lost lease makes the watch due again."""
    added = await store.add(watch(117))
    claimed = await store.claim(added.key, "worker-a", LEASE)
    assert claimed == added
    assert await store.claim(added.key, "worker-b", LEASE) is None
    assert await store.due() == []
    clock.advance(LEASE.total_seconds())
    assert keys(await store.due()) == [added.key]
    assert await store.claim(added.key, "worker-b", LEASE) == added
    assert await store.claim("BA9:2026-11-28", "worker-b", LEASE) is None


async def test_claim_many_claims_each_due_watch_once_and_answers_in_order(
    store: WatchStore,
) -> None:
    """A board's flights are claimed together; one already claimed or unknown answers None."""
    first, second = await store.add(watch(117)), await store.add(watch(118))
    assert await store.claim(second.key, "worker-a", LEASE) == second
    claimed = await store.claim_many([first.key, second.key, "BA9:2026-11-28"], "worker-b", LEASE)
    assert claimed == [first, None, None]
    assert await store.claim_many([first.key], "worker-c", LEASE) == [None]
    assert await store.claim_many([], "worker-c", LEASE) == []


async def test_save_stores_the_state_and_its_next_poll(store: WatchStore, clock: FakeClock) -> None:
    """A saved state is what get returns, and its next_due is the watch's due time."""
    added = await store.add(watch(117))
    claimed = await store.claim(added.key, "worker-a", LEASE)
    assert claimed is not None
    polled, _ = claimed.observe(record(scheduled_out=DEPARTURE), now=clock.now())
    assert await store.save(polled)
    assert await store.get(added.key) == polled
    assert await store.due(clock.now() + minutes(29)) == []
    assert keys(await store.due(clock.now() + minutes(30))) == [added.key]


async def test_a_finished_watch_is_kept_but_never_due_until_its_retention_ends(
    store: WatchStore, clock: FakeClock
) -> None:
    """A state with next_due None stays listed for a day but is not due and cannot be claimed;
    after the day the store forgets it entirely, while a watch still polled stays."""
    finished = await store.add(watch(117))
    polled = await store.add(watch(118))
    assert await store.save(finished.stopped())
    assert await store.save(due_at(polled, clock.now() + timedelta(days=2)))
    clock.advance(86_399)
    assert await store.due() == []
    assert await store.claim(finished.key, "worker-a", LEASE) is None
    assert keys(await store.list_all()) == [finished.key, polled.key]
    clock.advance(1)
    assert await store.due() == []
    assert keys(await store.list_all()) == [polled.key]
    assert await store.get(finished.key) is None
    assert await store.count() == 1


async def test_the_retention_of_finished_watches_is_a_setting(clock: FakeClock) -> None:
    """A store told to keep finished watches an hour forgets them after the hour."""
    store = MemoryWatchStore(clock=clock, finished_retention=timedelta(hours=1))
    added = await store.add(watch(117))
    assert await store.save(added.stopped())
    clock.advance(3_600)
    await store.due()
    assert await store.count() == 0


async def test_finished_watches_leave_nothing_behind_in_redis(
    redis_server: RedisServer, namespace: str, clock: FakeClock
) -> None:
    """Once forgotten, a finished watch has no hash field and no member in either index."""
    store = RedisWatchStore(redis_server.url, clock=clock, namespace=namespace)
    added = await store.add(watch(117))
    assert await store.save(added.stopped())
    clock.advance(86_400)
    await store.due()
    client = Redis.from_url(redis_server.url)
    watched = await client.hlen(f"{namespace}:monitor:watches")
    indexed = [await client.zcard(f"{namespace}:monitor:{name}") for name in ("due", "finished")]
    assert (watched, indexed) == (0, [0, 0])
    await client.aclose()
    await store.aclose()


async def test_remove_forgets_the_watch_and_a_late_save_does_not_revive_it(
    store: WatchStore,
) -> None:
    """Removed watches are gone from every view; saving one afterwards is refused."""
    added = await store.add(watch(117))
    assert await store.remove(added.key)
    assert not await store.remove(added.key)
    assert not await store.save(added.stopped())
    assert await store.get(added.key) is None
    assert await store.list_all() == []
    assert await store.due() == []


async def test_a_save_over_a_newer_state_is_refused(store: WatchStore, clock: FakeClock) -> None:
    """A worker whose lease ran out saves after the one that took over: its state and its
    events are refused, so each version is saved, with its events, once."""
    added = await store.add(watch(117))
    baseline, _ = added.observe(record(gate_origin="A1"), now=clock.now())
    assert await store.save(baseline)
    clock.set(baseline.next_due or clock.now())
    late = await store.claim(added.key, "worker-a", LEASE)
    clock.advance(LEASE.total_seconds())
    taken = await store.claim(added.key, "worker-b", LEASE)
    assert late is not None
    assert taken is not None
    first, moved = taken.observe(record(gate_origin="B1"), now=clock.now())
    second, stale = late.observe(record(gate_origin="C2"), now=clock.now())
    assert len(moved) == len(stale) == 1  # each worker found its own gate change
    assert await store.save(first, moved)
    assert not await store.save(second, stale)
    assert not await store.save(first.stopped().stopped())  # not the next version either
    assert await store.get(added.key) == first
    assert [d.event.change for d in await store.events.read("reader")] == moved


async def test_two_redis_workers_claim_each_due_flight_exactly_once_per_interval(
    redis_server: RedisServer, namespace: str, clock: FakeClock
) -> None:
    """Two stores on their own connections race over 20 flights for 3 intervals: no overlap."""
    workers = [
        RedisWatchStore(redis_server.url, clock=clock, namespace=namespace) for _ in range(2)
    ]
    for number in range(20):
        await workers[0].add(watch(number))
    snapshot = record(scheduled_out=clock.now() + timedelta(hours=2))

    async def work(store: RedisWatchStore, worker_id: str, claims: Counter[str]) -> None:
        for state in await store.due():
            claimed = await store.claim(state.key, worker_id, LEASE)
            if claimed is not None:
                claims[claimed.key] += 1
                polled, _ = claimed.observe(snapshot, now=clock.now())
                assert await store.save(polled)

    try:
        for _ in range(3):
            claims: Counter[str] = Counter()
            await asyncio.gather(*(work(store, f"w{n}", claims) for n, store in enumerate(workers)))
            assert sorted(claims) == sorted(watch(number).key for number in range(20))
            assert set(claims.values()) == {1}
            assert await workers[1].due() == []
            clock.advance(minutes(5).total_seconds())
    finally:
        for store in workers:
            await store.aclose()


async def test_a_restarted_redis_store_resumes_the_watch_set_with_last_snapshots(
    redis_server: RedisServer, namespace: str, clock: FakeClock
) -> None:
    """A new store on the same Redis sees the watches, their snapshots and their due times."""
    client = Redis.from_url(redis_server.url)
    before = RedisWatchStore(client, clock=clock, namespace=namespace)
    added = await before.add(watch(117))
    polled, _ = added.observe(record(gate_origin="A10"), now=clock.now())
    await before.save(polled)
    await before.add(watch(118))
    await before.aclose()
    assert await client.ping()  # a caller's client stays open
    await client.aclose()

    after = RedisWatchStore(redis_server.url, clock=clock, namespace=namespace)
    try:
        states = await after.list_all()
        assert keys(states) == ["BA117:2026-11-28", "BA118:2026-11-28"]
        assert states[0] == polled
        assert states[0].last_snapshot is not None
        assert states[0].last_snapshot.gate_origin == "A10"
        assert keys(await after.due()) == ["BA118:2026-11-28"]
        assert polled.next_due is not None
        assert keys(await after.due(polled.next_due)) == ["BA118:2026-11-28", "BA117:2026-11-28"]
    finally:
        await after.aclose()


async def test_a_redis_that_refuses_connections_fails_each_call_with_one_error(
    clock: FakeClock,
) -> None:
    """Every method raises StoreUnavailableError naming the server, never the password; for the
    back-off after a failure the store does not try Redis again."""
    store = RedisWatchStore(REFUSING, clock=clock, backoff_s=2.0)
    with pytest.raises(StoreUnavailableError) as refused:
        await store.add(watch(117))
    assert isinstance(refused.value, FlightDataError)
    assert str(refused.value).startswith("Redis at 127.0.0.1:1 is unavailable: ConnectionError")
    assert "s3cret" not in str(refused.value)
    calls = [
        store.remove("BA117:2026-11-28"),
        store.get("BA117:2026-11-28"),
        store.list_all(),
        store.count(),
        store.due(),
        store.claim("BA117:2026-11-28", "w1", LEASE),
        store.save(WatchState(watch=watch(117), created_at=clock.now(), next_due=None)),
    ]
    for call in calls:
        with pytest.raises(StoreUnavailableError, match=r"asked again in 2\.0 s"):
            await call
    clock.advance(2.0)
    with pytest.raises(StoreUnavailableError, match="ConnectionError"):
        await store.list_all()
    await store.aclose()


async def test_watching_through_the_service_names_the_unreachable_redis(clock: FakeClock) -> None:
    """service.watch, watched and unwatch raise the one store error a person can act on; the
    flight lookup before the watch still answers (the cache reads the outage as a miss)."""
    service = EnhancedFlightMonitoringService(
        providers=[StubProvider("primary")], settings=Settings(redis_url=REFUSING), clock=clock
    )
    try:
        with pytest.raises(StoreUnavailableError, match=r"^Redis at 127\.0\.0\.1:1 is unavailable"):
            await service.watch("BA117", DAY)
        with pytest.raises(StoreUnavailableError):
            await service.watched()
        with pytest.raises(StoreUnavailableError):
            await service.unwatch("BA117", DAY)
        assert service.cache.stats.misses >= 1
    finally:
        await service.aclose()
