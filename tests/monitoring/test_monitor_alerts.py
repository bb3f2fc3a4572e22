"""The monitor with push alerts: one alert per watched flight, pushes as change events, polling
as the safety net, and back to the table when a push goes missing."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import httpx
import pytest
import redis
from pydantic import SecretStr
from starlette.applications import Starlette

from flight_agent.apps.alert_receiver import AlertReceiver
from flight_agent.apps.server import build_server
from flight_agent.cache.base import KEY_NAMESPACE
from flight_agent.clock import FakeClock
from flight_agent.monitoring import ChangeKind, FlightChange, WatchState
from flight_agent.providers import FlightAwareProvider
from flight_agent.services import EnhancedFlightMonitoringService
from flight_agent.settings import Settings
from flight_agent.testing import FakeUpstream
from tests.conftest import RedisServer

KEY = "monitor-push-key-24680"
SECRET = "0123456789abcdef-monitor-push"
ROOT = "http://127.0.0.1:8000"
DAY = date(2026, 11, 28)
OUT = datetime(2026, 11, 28, 11, 55, tzinfo=UTC)
"""BA117 that day (the fake upstream's seed 0): a major delay, out at 11:55Z, in at 19:20Z."""
IN = datetime(2026, 11, 28, 19, 20, tzinfo=UTC)
ON = datetime(2026, 11, 28, 19, 12, tzinfo=UTC)
"""Its landing."""
GRACE = timedelta(minutes=4)


@dataclass
class Rig:
    """The fake upstream, a service whose monitor uses its alerts, and the app receiving them."""

    clock: FakeClock
    upstream: FakeUpstream
    service: EnhancedFlightMonitoringService
    app: Starlette
    changes: list[FlightChange]

    @property
    def receiver(self) -> AlertReceiver:
        receiver: AlertReceiver = self.app.state.alert_receiver
        return receiver

    async def state(self) -> WatchState:
        (state,) = await self.service.watched()
        return state

    async def run_until(self, end: datetime) -> None:
        """Deliver callbacks and run polls as they fall due on the virtual clock, to ``end``."""
        while True:
            due = [s.next_due for s in await self.service.watched() if s.next_due is not None]
            push = self.upstream.alerts.next_due()
            soonest = min([*due, *([push] if push else [])], default=None)
            if soonest is None or soonest > end:
                break
            self.clock.set(max(soonest, self.clock.now()))
            await self.upstream.alerts.deliver_due()
            await self.receiver.join()
            await self.service.monitor.poll_due()
        self.clock.set(max(end, self.clock.now()))


def settings(redis_url: str | None = None) -> Settings:
    return Settings(
        redis_url=redis_url,
        flight_agent_alert_secret=SecretStr(SECRET),
        flight_agent_public_url=ROOT,
    )


def service_on(
    upstream: FakeUpstream, clock: FakeClock, redis_url: str | None = None
) -> EnhancedFlightMonitoringService:
    provider = FlightAwareProvider(
        api_key=KEY,
        base_url=upstream.base_url("flightaware"),
        transport=upstream.transport(),
        clock=clock,
    )
    return EnhancedFlightMonitoringService(
        providers=[provider], settings=settings(redis_url), clock=clock
    )


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 28, 2, 0, tzinfo=UTC))


@pytest.fixture
def upstream(clock: FakeClock) -> FakeUpstream:
    return FakeUpstream(seed=0, clock=clock, api_key=KEY)


@asynccontextmanager
async def rig_on(
    upstream: FakeUpstream, clock: FakeClock, redis_url: str | None = None
) -> AsyncIterator[Rig]:
    service = service_on(upstream, clock, redis_url)
    app = build_server(service)
    upstream.alerts.configure(transport=httpx.ASGITransport(app=app))
    changes: list[FlightChange] = []
    service.on_change(changes.append)
    try:
        async with app.router.lifespan_context(app):
            yield Rig(clock, upstream, service, app, changes)
    finally:
        await service.aclose()


@pytest.fixture
def shared_redis(redis_server: RedisServer) -> Iterator[str]:
    """The test Redis with no keys of the service's namespace, before and after."""

    def clear() -> None:
        client = redis.Redis.from_url(redis_server.url)
        stale = list(client.scan_iter(match=f"{KEY_NAMESPACE}:*"))
        if stale:
            client.delete(*stale)
        client.close()

    clear()
    yield redis_server.url
    clear()


def our_alerts(upstream: FakeUpstream) -> list[str]:
    return [alert["ident"] for alert in upstream.alerts.alerts.values()]


async def test_watching_a_flight_creates_its_alert_and_unwatching_deletes_it(
    upstream: FakeUpstream, clock: FakeClock
) -> None:
    async with rig_on(upstream, clock) as rig:
        await rig.service.watch("BA117", DAY)
        (alert,) = rig.upstream.alerts.alerts.values()
        assert alert["ident"] == "BAW117"
        assert alert["target_url"] == f"{ROOT}/alerts/{SECRET}"
        assert await rig.service.unwatch("BA117", DAY)
        assert rig.upstream.alerts.alerts == {}


async def test_a_watched_flight_with_a_live_alert_is_polled_on_the_safety_net(
    upstream: FakeUpstream, clock: FakeClock
) -> None:
    async with rig_on(upstream, clock) as rig:
        await rig.service.watch("BA117", DAY)
        await rig.service.monitor.poll_due()  # the baseline
        state = await rig.state()
        assert state.next_due == rig.clock.now() + timedelta(hours=2)
        await rig.run_until(OUT - timedelta(minutes=30))
        # 02:00 to 08:00 every 2 h; then the filed push at 09:55; never past the departure's
        # checkpoint.
        assert rig.service.monitor.polls == 4
        assert (await rig.state()).next_due == OUT  # 2 h after the push, before OUT + GRACE


async def test_a_pushed_event_becomes_one_change_event_however_often_it_is_delivered(
    upstream: FakeUpstream, clock: FakeClock
) -> None:
    async with rig_on(upstream, clock) as rig:
        rig.upstream.alerts.configure(
            transport=httpx.ASGITransport(app=rig.app), delay=20.0, duplicates=1.0
        )
        await rig.service.watch("BA117", DAY)
        await rig.run_until(IN + timedelta(minutes=2))
        arrived = [change for change in rig.changes if change.kind is ChangeKind.ARRIVED]
        assert len(arrived) == 1
        assert arrived[0].detected_at == ON + timedelta(seconds=20)  # the push, not a poll
        state = await rig.state()
        assert not state.push_missed
        assert state.next_due is None  # arrived: nothing left to poll


async def test_a_missed_departure_push_falls_back_to_polling_until_pushes_flow_again(
    upstream: FakeUpstream, clock: FakeClock
) -> None:
    async with rig_on(upstream, clock) as rig:
        rig.upstream.alerts.configure(transport=httpx.ASGITransport(app=rig.app), loss=1.0)
        await rig.service.watch("BA117", DAY)
        await rig.run_until(OUT + GRACE)
        (departed,) = [change for change in rig.changes if change.kind is ChangeKind.DEPARTED]
        assert departed.detected_at - OUT <= timedelta(minutes=5)  # the table's bound
        state = await rig.state()
        assert state.push_missed
        assert state.next_due is not None
        assert state.next_due - rig.clock.now() <= timedelta(minutes=30)
        rig.upstream.alerts.configure(transport=httpx.ASGITransport(app=rig.app), loss=0.0)
        await rig.run_until(IN - timedelta(hours=1))
        assert not (await rig.state()).push_missed  # the landing's pushes still to come


async def test_a_finished_flight_releases_its_alert(
    upstream: FakeUpstream, clock: FakeClock
) -> None:
    async with rig_on(upstream, clock) as rig:
        await rig.service.watch("BA117", DAY)
        await rig.run_until(IN + timedelta(minutes=1))
        state = await rig.state()
        assert state.next_due is None
        assert [c.kind for c in rig.changes if c.kind is ChangeKind.ARRIVED] == [ChangeKind.ARRIVED]
        assert rig.upstream.alerts.alerts == {}


async def test_the_whole_day_costs_a_handful_of_upstream_calls(
    upstream: FakeUpstream, clock: FakeClock
) -> None:
    """Watched from 02:00 to the gate at 19:20: the table would poll about 90 times."""
    async with rig_on(upstream, clock) as rig:
        await rig.service.watch("BA117", DAY)
        before = rig.upstream.requests["flightaware"]
        await rig.run_until(IN + timedelta(minutes=1))
        status_calls = rig.upstream.requests["flightaware"] - before
        pushes = rig.service.monitor.pushes
        # filed, out, departure/off, arrival/on, in: a twin is re-read only if it comes first
        assert 5 <= pushes <= 7
        assert status_calls <= pushes + 10


async def test_two_monitors_sharing_redis_keep_one_alert_and_a_restart_reconciles(
    upstream: FakeUpstream, clock: FakeClock, shared_redis: str
) -> None:
    first, second = (
        service_on(upstream, clock, shared_redis),
        service_on(upstream, clock, shared_redis),
    )
    try:
        await first.watch("BA117", DAY)
        await second.watch("BA117", DAY)
        await second.watch("LH400", DAY)
        assert sorted(our_alerts(upstream)) == ["BAW117", "DLH400"]
        await second.unwatch("LH400", DAY)
        assert our_alerts(upstream) == ["BAW117"]
    finally:
        await first.aclose()
        await second.aclose()
    # While no monitor ran, the account lost BA117's alert and gained an orphan of ours.
    (alert_id,) = upstream.alerts.alerts
    (provider,) = service_on(upstream, clock).failover_manager.providers
    await provider.alerts().delete(alert_id)
    restarted = service_on(upstream, clock, shared_redis)
    orphan = await provider.alerts().create(
        restarted.monitor.alerts.spec_for(  # type: ignore[union-attr]
            (await restarted.watched())[0].watch.model_copy(update={"flight_id": "AF1"})
        )
    )
    try:
        await restarted.monitor.reconcile_alerts()
    finally:
        await restarted.aclose()
        await provider.aclose()
    assert our_alerts(upstream) == ["BAW117"]
    assert orphan not in upstream.alerts.alerts
