"""Change events survive the monitor worker that found them (the hardening issue's scenario).

Ten watched flights each get a new gate; the worker that polls them saves the snapshots (and,
in the same write, their events) and dies before its feed has them: killed between the save and
the delivery, or after reading the events but before acknowledging them. Another worker on the
same Redis (or, in memory, the process's next pass) delivers all ten, each once by id. A failed
stream write leaves the snapshots where they were, and a dead worker's flights wait exactly the
lease setting. Time is a fake clock; nothing sleeps.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import redis
from pydantic import ValidationError
from redis.asyncio import Redis

from flight_agent.cache.base import KEY_NAMESPACE
from flight_agent.clock import FakeClock
from flight_agent.errors import StoreUnavailableError
from flight_agent.flight_query import FlightQuery
from flight_agent.models import FlightStatusData
from flight_agent.monitoring import ChangeEvent, ChangeKind, FlightChange, FlightMonitor, Watch
from flight_agent.monitoring.redis_stream import stream_key
from flight_agent.monitoring.stream import DEFAULT_CLAIM_IDLE, DEFAULT_GROUP
from flight_agent.services import EnhancedFlightMonitoringService
from flight_agent.settings import Settings
from tests.conftest import RedisServer
from tests.monitoring.pending import age_pending
from tests.monitoring.records import DAY, minutes, record

FLIGHTS = [f"BA{number}" for number in range(1, 11)]
LEASE_SETTING = "FLIGHT_AGENT_MONITOR_LEASE_SECONDS"


class Lookup:
    """The monitor's record source: each flight's current record; ``hang`` makes calls hang."""

    def __init__(self) -> None:
        self.records: dict[str, FlightStatusData] = {}
        self.hang = False
        self.asked = asyncio.Event()

    async def get(
        self, query: FlightQuery, *, refresh: bool = False, batch: bool = False
    ) -> FlightStatusData | None:
        self.asked.set()
        if self.hang:
            await asyncio.Event().wait()
        return self.records[query.flight_id]

    async def store(self, query: FlightQuery, record: FlightStatusData) -> None:
        """The monitor stores board answers only; no boards here."""


@dataclass
class Workers:
    """Two monitor workers sharing their store, and how to let pending events idle."""

    first: FlightMonitor
    second: FlightMonitor
    idle: Callable[[float], Awaitable[None]]
    seen: dict[str, list[FlightChange]] = field(default_factory=dict)

    def watch_feeds(self) -> None:
        """Record what each worker's feed gets from now on (in ``seen``, by worker id)."""
        for monitor in {id(monitor): monitor for monitor in (self.first, self.second)}.values():
            self.seen[monitor.worker_id] = []
            monitor.feed.add_callback(self.seen[monitor.worker_id].append)


@pytest.fixture
def default_namespace(redis_server: RedisServer) -> Iterator[str]:
    """The shared Redis's URL; no monitor keys of the default namespace before or after."""

    def clean() -> None:
        client = redis.Redis.from_url(redis_server.url)
        stale = list(client.scan_iter(match=f"{KEY_NAMESPACE}:monitor:*"))
        if stale:
            client.delete(*stale)
        client.close()

    clean()
    yield redis_server.url
    clean()


@pytest.fixture
async def connect(default_namespace: str) -> AsyncIterator[Callable[[], Redis]]:
    """Makes connections to the shared Redis (one per worker process), closed afterwards."""
    opened: list[Redis] = []

    def new_client() -> Redis:
        opened.append(Redis.from_url(default_namespace))
        return opened[-1]

    yield new_client
    for client in opened:
        await client.aclose()


@pytest.fixture
def lookup() -> Lookup:
    return Lookup()


@pytest.fixture(params=["memory", "redis"])
async def workers(
    request: pytest.FixtureRequest, clock: FakeClock, lookup: Lookup
) -> AsyncIterator[Workers]:
    """Redis: two monitors on their own connections (two processes). Memory: one process, whose
    next pass is the only other worker there is."""
    if request.param == "memory":
        monitor = FlightMonitor(lookup, clock=clock)

        async def advance(seconds: float) -> None:
            clock.advance(seconds)

        yield Workers(monitor, monitor, advance)
        return
    url: str = request.getfixturevalue("default_namespace")
    clients = [Redis.from_url(url) for _ in range(2)]
    first, second = (FlightMonitor(lookup, redis=client, clock=clock) for client in clients)

    async def age(seconds: float) -> None:
        await age_pending(clients[0], stream_key(KEY_NAMESPACE), DEFAULT_GROUP, seconds)

    yield Workers(first, second, age)
    for client in clients:
        await client.aclose()


async def polled_once_with_new_gates(
    monitor: FlightMonitor, lookup: Lookup, clock: FakeClock
) -> None:
    """Watch the ten flights, take their baselines, then move every gate and the clock to the
    next poll."""
    for ident in FLIGHTS:
        lookup.records[ident] = record(flight_id=ident, gate_origin="A1")
        await monitor.store.add(Watch(flight_id=ident, flight_date=DAY))
    assert await monitor.poll_due() == []
    for ident in FLIGHTS:
        lookup.records[ident] = record(flight_id=ident, gate_origin="B2")
    clock.advance(minutes(30).total_seconds())


async def killed_at(reached: asyncio.Event, work: Coroutine[Any, Any, list[FlightChange]]) -> None:
    """Run ``work`` until it reaches the point that sets ``reached``; kill it there."""
    task = asyncio.create_task(work)
    await asyncio.wait_for(reached.wait(), timeout=5)  # a guard: it is reached at once
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


def delivered_by(monitor: FlightMonitor, monkeypatch: pytest.MonkeyPatch) -> list[ChangeEvent]:
    """The events ``monitor``'s passes deliver from now on, as its relay returns them."""
    delivered: list[ChangeEvent] = []
    deliver = monitor.relay.deliver

    async def recording() -> list[ChangeEvent]:
        events = await deliver()
        delivered.extend(events)
        return events

    monkeypatch.setattr(monitor.relay, "deliver", recording)
    return delivered


def assert_each_gate_once(events: list[ChangeEvent], seen: list[FlightChange]) -> None:
    assert sorted(event.change.flight_id for event in events) == sorted(FLIGHTS)
    assert {event.change.kind for event in events} == {ChangeKind.GATE}
    assert len({event.id for event in events}) == len(FLIGHTS)
    assert [event.change for event in events] == seen


async def test_a_worker_killed_between_saving_and_delivering_loses_no_event(
    workers: Workers, lookup: Lookup, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The issue's 10 of 10: the events were saved with the snapshots, so the next worker's pass
    delivers them all, each once by id, although nothing is due for it to poll."""
    first, second = workers.first, workers.second
    await polled_once_with_new_gates(first, lookup, clock)
    reached = asyncio.Event()

    async def killed_here() -> list[ChangeEvent]:
        reached.set()
        await asyncio.Event().wait()
        raise AssertionError("unreachable")

    deliver = first.relay.deliver
    monkeypatch.setattr(first.relay, "deliver", killed_here)
    await killed_at(reached, first.poll_due())
    monkeypatch.setattr(first.relay, "deliver", deliver)  # in memory, the next pass is first's
    workers.watch_feeds()
    delivered = delivered_by(second, monkeypatch)
    assert await second.poll_due() == []  # every flight was polled and saved by the first
    assert_each_gate_once(delivered, workers.seen[second.worker_id])
    assert await second.poll_due() == []
    assert len(delivered) == len(FLIGHTS)  # once: the next pass delivers nothing again
    assert second.stats().changes_published == len(FLIGHTS)


async def test_events_a_dead_consumer_never_acknowledged_are_claimed_after_the_idle_time(
    workers: Workers, lookup: Lookup, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first worker read the events and died handing the first one to its feed: the others
    are delivered once they idled ``claim_idle``, all ten, each once by id."""
    first, second = workers.first, workers.second
    await polled_once_with_new_gates(first, lookup, clock)
    reached = asyncio.Event()

    async def dies_handling(_: FlightChange) -> None:
        reached.set()
        await asyncio.Event().wait()

    remove = first.feed.add_callback(dies_handling)
    await killed_at(reached, first.poll_due())
    remove()
    workers.watch_feeds()
    delivered = delivered_by(second, monkeypatch)
    await workers.idle(DEFAULT_CLAIM_IDLE.total_seconds() - 1)
    await second.poll_due()
    assert delivered == []  # pending with the dead consumer, not idle long enough
    await workers.idle(1)
    await second.poll_due()
    assert_each_gate_once(delivered, workers.seen[second.worker_id])
    await workers.idle(DEFAULT_CLAIM_IDLE.total_seconds())
    await second.poll_due()
    assert len(delivered) == len(FLIGHTS)  # acknowledged: never again


async def test_a_failed_event_write_leaves_the_snapshot_and_loses_no_event(
    connect: Callable[[], Redis], lookup: Lookup, clock: FakeClock
) -> None:
    """The stream cannot be written: no snapshot moves (their events would be missing). Once
    it can, the flights are polled again after the lease and their events delivered."""
    client = connect()
    monitor = FlightMonitor(lookup, redis=client, clock=clock, lease=timedelta(minutes=2))
    await polled_once_with_new_gates(monitor, lookup, clock)
    seen: list[FlightChange] = []
    monitor.feed.add_callback(seen.append)
    await client.set(stream_key(KEY_NAMESPACE), "not a stream")
    with pytest.raises(StoreUnavailableError, match="WRONGTYPE"):
        await monitor.poll_due()
    assert monitor.poll_errors == len(FLIGHTS)
    clock.advance(1.0)  # the store leaves Redis alone for a second after a failure
    states = await monitor.watched()
    assert {state.last_snapshot.gate_origin for state in states if state.last_snapshot} == {"A1"}
    assert {state.version for state in states} == {1}
    await client.delete(stream_key(KEY_NAMESPACE))
    clock.advance(timedelta(minutes=2).total_seconds())
    assert len(await monitor.poll_due()) == len(FLIGHTS)
    assert sorted(change.flight_id for change in seen) == sorted(FLIGHTS)


@pytest.mark.parametrize(
    ("setting", "lease_s"),
    [pytest.param(None, 120.0, id="default-2-min"), pytest.param("45", 45.0, id="set-45-s")],
)
async def test_a_dead_workers_flights_are_taken_over_exactly_when_the_lease_setting_ends(
    connect: Callable[[], Redis],
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    setting: str | None,
    lease_s: float,
) -> None:
    """A worker claims a flight and dies fetching it; another worker polls it once the lease
    (``FLIGHT_AGENT_MONITOR_LEASE_SECONDS``, 120 s unset) ran out, not a microsecond before."""
    monkeypatch.chdir(tmp_path)  # no .env
    monkeypatch.delenv(LEASE_SETTING, raising=False)
    if setting is not None:
        monkeypatch.setenv(LEASE_SETTING, setting)
    dying, healthy = Lookup(), Lookup()
    dying.hang = True
    healthy.records["BA1"] = record(flight_id="BA1")
    lease = timedelta(seconds=Settings().flight_agent_monitor_lease_seconds)
    dead = FlightMonitor(dying, redis=connect(), clock=clock, lease=lease)
    taking_over = FlightMonitor(healthy, redis=connect(), clock=clock, lease=lease)
    await dead.store.add(Watch(flight_id="BA1", flight_date=DAY))
    await killed_at(dying.asked, dead.poll_due())
    clock.advance(lease_s - 1e-6)
    await taking_over.poll_due()
    assert taking_over.polls == 0
    clock.advance(1e-6)
    await taking_over.poll_due()
    assert taking_over.polls == 1


def test_the_lease_setting_must_be_positive(monkeypatch: pytest.MonkeyPatch) -> None:
    """A lease of no time would let every worker poll a flight at once."""
    monkeypatch.setenv(LEASE_SETTING, "0")
    with pytest.raises(ValidationError, match="greater than 0"):
        Settings()


def test_the_service_gives_its_monitor_the_lease_setting() -> None:
    """The lease a service's monitor uses is the one its settings name."""
    settings = Settings(redis_url=None, flight_agent_monitor_lease_seconds=45)
    service = EnhancedFlightMonitoringService(settings=settings)
    assert service.monitor.lease == timedelta(seconds=45)
