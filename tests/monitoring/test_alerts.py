"""One push alert per watched flight: created, deleted and reconciled with the provider's list."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime

import pytest
from pydantic import SecretStr
from redis.asyncio import Redis

from flight_agent.clock import FakeClock
from flight_agent.monitoring.alerts import (
    AlertBook,
    AlertReconciler,
    MemoryAlertBook,
    ReconcileReport,
    RedisAlertBook,
    alert_book,
    alert_provider,
    webhook_url,
)
from flight_agent.monitoring.state import Watch
from flight_agent.providers import FlightAwareProvider, MockFlightDataProvider
from flight_agent.providers.alerts import AlertSpec
from flight_agent.providers.redaction import redact
from flight_agent.settings import Settings
from flight_agent.testing import FakeUpstream
from tests.conftest import RedisServer

KEY = "monitor-alerts-key-1234"
HOOK = "https://ops.example.com/alerts/0123456789abcdef"
DAY = date(2026, 11, 28)
BA117 = Watch(flight_id="BA117", flight_date=DAY)
UA1 = Watch(flight_id="UA1", flight_date=DAY, origin="SFO")


@pytest.fixture
def early() -> FakeClock:
    return FakeClock(datetime(2026, 11, 28, 2, 0, tzinfo=UTC))


@pytest.fixture
def upstream(early: FakeClock) -> FakeUpstream:
    return FakeUpstream(seed=0, clock=early, api_key=KEY)


@pytest.fixture
async def provider(upstream: FakeUpstream, early: FakeClock) -> AsyncIterator[FlightAwareProvider]:
    async with FlightAwareProvider(
        api_key=KEY,
        base_url=upstream.base_url("flightaware"),
        transport=upstream.transport(),
        clock=early,
    ) as provider:
        yield provider


@pytest.fixture
async def redis_clients(redis_server: RedisServer, namespace: str) -> AsyncIterator[list[Redis]]:
    clients = [Redis.from_url(redis_server.url) for _ in range(2)]
    yield clients
    for client in clients:
        await client.aclose()


def reconciler(provider: FlightAwareProvider, book: AlertBook | None = None) -> AlertReconciler:
    return AlertReconciler(provider, book or MemoryAlertBook(), target_url=HOOK)


async def test_watching_a_flight_creates_its_alert_once(
    provider: FlightAwareProvider, upstream: FakeUpstream
) -> None:
    alerts = reconciler(provider)
    first = await alerts.ensure(BA117)
    assert first is not None
    assert await alerts.ensure(BA117) == first
    (stored,) = upstream.alerts.alerts.values()
    assert (stored["ident"], stored["start"], stored["end"]) == (
        "BAW117",
        "2026-11-28",
        "2026-11-28",
    )
    assert stored["target_url"] == HOOK
    assert await alerts.has_alert(BA117)
    assert not await alerts.has_alert(UA1)
    assert await alerts.watch_for(first) == BA117.key


async def test_the_alert_names_the_origin_by_its_icao_code(provider: FlightAwareProvider) -> None:
    assert reconciler(provider).spec_for(UA1) == AlertSpec(
        "UAL1", origin="KSFO", start=DAY, end=DAY, target_url=HOOK
    )


async def test_unwatching_deletes_the_alert(
    provider: FlightAwareProvider, upstream: FakeUpstream
) -> None:
    alerts = reconciler(provider)
    alert_id = await alerts.ensure(BA117)
    assert await alerts.release(BA117) is True
    assert await alerts.release(BA117) is False
    assert upstream.alerts.alerts == {}
    assert alert_id is not None
    assert await alerts.watch_for(alert_id) is None


async def test_a_provider_failure_leaves_the_flight_polled_and_reconcile_retries(
    provider: FlightAwareProvider, upstream: FakeUpstream
) -> None:
    alerts = reconciler(provider)
    upstream.fail_next(1, 503, provider="flightaware")
    assert await alerts.ensure(BA117) is None
    assert not await alerts.has_alert(BA117)
    report = await alerts.reconcile([BA117])
    assert report.created == (BA117.key,)
    assert await alerts.has_alert(BA117)


async def test_reconcile_leaves_one_alert_per_watch_and_no_orphans(
    provider: FlightAwareProvider, upstream: FakeUpstream
) -> None:
    book = MemoryAlertBook()
    alerts = reconciler(provider, book)
    api = provider.alerts()
    kept = await alerts.ensure(BA117)
    duplicate = await api.create(alerts.spec_for(BA117))  # e.g. a worker that crashed
    orphan = await api.create(alerts.spec_for(Watch(flight_id="LH400", flight_date=DAY)))
    theirs = await api.create(AlertSpec("BAW117"))  # made on the website: not ours
    report = await alerts.reconcile([BA117, UA1])
    assert report.kept == (BA117.key,)
    assert report.created == (UA1.key,)
    assert sorted(report.deleted) == sorted([duplicate, orphan])
    remaining = upstream.alerts.alerts
    assert kept in remaining
    assert theirs in remaining
    assert len(remaining) == 3
    assert await book.items() == {BA117.key: kept, UA1.key: await book.get(UA1.key)}


async def test_reconcile_drops_booked_alerts_that_are_gone(
    provider: FlightAwareProvider, upstream: FakeUpstream
) -> None:
    alerts = reconciler(provider)
    gone = await alerts.ensure(BA117)
    assert gone is not None
    assert await provider.alerts().delete(gone)
    report = await alerts.reconcile([BA117])
    assert report.created == (BA117.key,)
    assert await alerts.ensure(BA117) not in (None, gone)


async def test_reconcile_turns_a_changed_alert_back_to_ours(
    provider: FlightAwareProvider, upstream: FakeUpstream
) -> None:
    alerts = reconciler(provider)
    alert_id = await alerts.ensure(BA117)
    assert alert_id is not None
    await provider.alerts().update(
        alert_id, AlertSpec("BAW117", start=DAY, end=DAY, events=frozenset({"in"}), target_url=HOOK)
    )
    report = await alerts.reconcile([BA117])
    assert report == ReconcileReport(kept=(BA117.key,))
    assert upstream.alerts.alerts[alert_id]["events"]["out"] is True


async def test_after_a_restart_reconcile_changes_nothing(
    provider: FlightAwareProvider,
    upstream: FakeUpstream,
    redis_clients: list[Redis],
    namespace: str,
) -> None:
    first = reconciler(provider, RedisAlertBook(redis_clients[0], namespace=namespace))
    await first.reconcile([BA117, UA1])
    restarted = reconciler(provider, RedisAlertBook(redis_clients[1], namespace=namespace))
    report = await restarted.reconcile([BA117, UA1])
    assert report == ReconcileReport(kept=(BA117.key, UA1.key))
    assert len(upstream.alerts.alerts) == 2


async def test_workers_sharing_redis_create_one_alert_per_flight(
    provider: FlightAwareProvider,
    upstream: FakeUpstream,
    redis_clients: list[Redis],
    namespace: str,
) -> None:
    workers = [
        reconciler(provider, RedisAlertBook(client, namespace=namespace))
        for client in redis_clients
    ]
    ids = await asyncio.gather(*(worker.ensure(BA117) for worker in workers * 3))
    assert len(set(ids)) == 1
    assert len(upstream.alerts.alerts) == 1
    (alert_id,) = set(ids)
    assert alert_id is not None
    assert await workers[1].watch_for(alert_id) == BA117.key
    assert await workers[0].release(BA117)
    assert not await workers[1].has_alert(BA117)


async def test_a_provider_that_cannot_push_is_left_to_polling(early: FakeClock) -> None:
    alerts = AlertReconciler(MockFlightDataProvider(clock=early), MemoryAlertBook())
    assert not alerts.supported
    assert await alerts.ensure(BA117) is None
    assert await alerts.reconcile([BA117]) == ReconcileReport()
    assert not await alerts.has_alert(BA117)
    assert not await alerts.release(BA117)


def test_the_alert_provider_is_the_best_one_that_can_push(
    provider: FlightAwareProvider, early: FakeClock
) -> None:
    simulated = MockFlightDataProvider(clock=early)
    assert alert_provider([simulated, provider]) is provider
    assert alert_provider([simulated]) is None


def test_the_webhook_url_joins_the_public_url_and_the_secret() -> None:
    secret = "0123456789abcdef-webhook"
    settings = Settings(
        redis_url=None,
        flight_agent_public_url="https://ops.example.com/",
        flight_agent_alert_secret=SecretStr(secret),
    )
    assert webhook_url(settings) == f"https://ops.example.com/alerts/{secret}"
    assert redact(f"refused {secret}") == "refused ***"
    assert webhook_url(Settings(redis_url=None, flight_agent_public_url=None)) is None


def test_an_alert_never_shows_its_webhook_secret_in_its_repr(
    provider: FlightAwareProvider,
) -> None:
    assert "0123456789abcdef" not in repr(reconciler(provider).spec_for(BA117))


async def test_the_book_is_shared_through_redis_when_there_is_one(
    redis_clients: list[Redis], namespace: str
) -> None:
    assert isinstance(alert_book(None), MemoryAlertBook)
    first, second = (alert_book(client, namespace=namespace) for client in redis_clients)
    await first.put(BA117.key, 7)
    assert await second.get(BA117.key) == 7
    assert await second.owner(7) == BA117.key
