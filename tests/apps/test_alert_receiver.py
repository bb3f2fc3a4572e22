"""The alert webhook takes AeroAPI's callbacks once each, and nothing else."""

from __future__ import annotations

import asyncio
import copy
import json
import logging
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from ipaddress import ip_network
from typing import Any

import httpx
import pytest
from redis.asyncio import Redis

from flight_agent.apps.alert_receiver import (
    AlertReceiver,
    MemorySeenEvents,
    RedisSeenEvents,
    RefreshingHandler,
)
from flight_agent.cache.redis_cache import fail_fast_client
from flight_agent.clock import FakeClock
from flight_agent.errors import StoreUnavailableError
from flight_agent.monitoring.alert_inbox import MemoryAlertInbox
from flight_agent.providers import FlightAwareProvider
from flight_agent.providers.alert_callback import AlertCallback
from flight_agent.services import EnhancedFlightMonitoringService
from flight_agent.settings import Settings
from flight_agent.testing import FakeUpstream
from tests.conftest import RedisServer, load_fixture

SECRET = "0123456789abcdef-alert-secret"
WATCHED_ALERT = 2215601


def callback(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = copy.deepcopy(load_fixture("aeroapi_alerts/callback_departure.json"))
    body.update(changes)
    return body


def parsed(body: dict[str, Any]) -> AlertCallback:
    """The callback as the receiver reads it: from its JSON."""
    return AlertCallback.model_validate_json(json.dumps(body))


class Handled:
    """A handler that keeps what it is given."""

    def __init__(self) -> None:
        self.events: list[AlertCallback] = []

    async def __call__(self, event: AlertCallback) -> None:
        self.events.append(event)


async def only_watched(event: AlertCallback) -> bool:
    return event.alert_id == WATCHED_ALERT


def make_receiver(handled: Handled, **options: Any) -> AlertReceiver:
    return AlertReceiver(SECRET, handled, only_watched, **options)


@pytest.fixture
def handled() -> Handled:
    return Handled()


@pytest.fixture
async def receiver(handled: Handled) -> AsyncIterator[AlertReceiver]:
    receiver = make_receiver(handled)
    async with receiver.running():
        yield receiver


def client_of(receiver: AlertReceiver, source: str = "127.0.0.1") -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=receiver.app(), client=(source, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://receiver")


async def deliver(receiver: AlertReceiver, body: Any, path: str = f"/{SECRET}") -> httpx.Response:
    async with client_of(receiver) as client:
        response = await client.post(path, json=body)
    await receiver.join()
    return response


async def test_a_callback_is_accepted_at_once_and_handed_to_the_handler(
    receiver: AlertReceiver, handled: Handled
) -> None:
    response = await deliver(receiver, callback())
    assert (response.status_code, response.json()) == (202, {"status": "accepted"})
    (event,) = handled.events
    assert (event.alert_id, event.event_code) == (WATCHED_ALERT, "departure")
    assert event.flight.actual_off == datetime(2026, 11, 28, 12, 21, tzinfo=UTC)


@pytest.mark.parametrize(
    "path", ["/wrong-secret-0123456789", f"/{SECRET[:-1]}", f"/{SECRET}x", "/", f"/{SECRET}/x"]
)
async def test_a_forged_callback_finds_nothing_there(
    receiver: AlertReceiver, handled: Handled, path: str
) -> None:
    response = await deliver(receiver, callback(), path)
    assert response.status_code == 404
    assert SECRET not in response.text
    assert handled.events == []
    assert receiver.handled == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"alert_id": WATCHED_ALERT}, "event_code"),
        (callback(alert_id=str(WATCHED_ALERT)), "alert_id"),
        (callback(alert_id=True), "alert_id"),
        (callback(event_code="teleported"), "event_code"),
        (callback(flight={"ident": "BAW117"}), "flight.fa_flight_id"),
        (
            callback(flight={**callback()["flight"], "actual_off": "2026-11-28T12:21:00"}),
            "actual_off",
        ),
        (callback(flight={**callback()["flight"], "filed_ete": 1.5}), "filed_ete"),
        (callback(summary=["a list"]), "summary"),
        ([callback()], "body"),
    ],
)
async def test_a_body_that_is_not_the_specs_callback_is_refused(
    receiver: AlertReceiver, handled: Handled, body: Any, field: str
) -> None:
    response = await deliver(receiver, body)
    assert response.status_code == 400
    assert field in response.json()["detail"]
    assert handled.events == []


@pytest.mark.parametrize(
    "raw", [b"not json", b'{"alert_id": 1e400}', b"[" * 5000 + b"]" * 5000, b"\xff\xfe"]
)
async def test_unreadable_bodies_are_refused(
    receiver: AlertReceiver, handled: Handled, raw: bytes
) -> None:
    async with client_of(receiver) as client:
        response = await client.post(f"/{SECRET}", content=raw)
    assert response.status_code == 400
    assert handled.events == []


async def test_refusals_never_repeat_what_was_sent(receiver: AlertReceiver) -> None:
    planted = "planted-value-7f3a"
    response = await deliver(receiver, callback(alert_id=planted, event_code=planted))
    assert response.status_code == 400
    assert planted not in response.text


async def test_an_oversized_body_is_refused_unread(
    receiver: AlertReceiver, handled: Handled
) -> None:
    response = await deliver(receiver, callback(long_description="x" * 70_000))
    assert response.status_code == 413
    assert handled.events == []


async def test_a_replayed_callback_is_handled_once(
    receiver: AlertReceiver, handled: Handled
) -> None:
    first = await deliver(receiver, callback())
    again = await deliver(receiver, callback())
    assert (first.status_code, again.status_code) == (202, 200)
    assert again.json() == {"status": "duplicate"}
    assert len(handled.events) == 1


async def test_another_event_of_the_same_flight_is_not_a_replay(
    receiver: AlertReceiver, handled: Handled
) -> None:
    flight = {**callback()["flight"], "actual_on": "2026-11-28T20:01:00Z"}
    await deliver(receiver, callback())
    await deliver(receiver, callback(event_code="arrival", flight=flight))
    assert [event.event_code for event in handled.events] == ["departure", "arrival"]


async def test_a_callback_for_a_flight_nobody_watches_is_ignored(
    receiver: AlertReceiver, handled: Handled
) -> None:
    response = await deliver(receiver, callback(alert_id=999))
    assert (response.status_code, response.json()) == (200, {"status": "ignored"})
    assert handled.events == []


async def test_the_allow_list_refuses_other_sources(handled: Handled) -> None:
    receiver = make_receiver(handled, networks=[ip_network("10.0.0.0/8")])
    async with receiver.running():
        async with client_of(receiver, "192.0.2.7") as outsider:
            refused = await outsider.post(f"/{SECRET}", json=callback())
        async with client_of(receiver, "10.20.30.40") as insider:
            accepted = await insider.post(f"/{SECRET}", json=callback())
        await receiver.join()
    assert (refused.status_code, accepted.status_code) == (403, 202)
    assert len(handled.events) == 1


async def test_the_receiver_keeps_serving_under_a_burst_of_bad_callbacks(
    receiver: AlertReceiver, handled: Handled
) -> None:
    bad: list[tuple[str, Any]] = [
        ("/forged-secret-000000", callback()),
        (f"/{SECRET}", callback(alert_id="x")),
        (f"/{SECRET}", callback(alert_id=999)),
        (f"/{SECRET}", callback()),  # replays of one good callback
    ] * 100
    async with client_of(receiver) as client:
        answers = await asyncio.gather(*(client.post(path, json=body) for path, body in bad))
        good = await client.post(f"/{SECRET}", json=callback(event_code="on"))
    await receiver.join()
    statuses = sorted({response.status_code for response in answers})
    assert statuses == [200, 202, 400, 404]
    assert good.status_code == 202
    assert sorted(event.event_code for event in handled.events) == ["departure", "on"]


async def test_a_full_queue_answers_503_and_takes_the_redelivery(handled: Handled) -> None:
    receiver = make_receiver(handled, inbox=MemoryAlertInbox(1))
    async with client_of(receiver) as client:
        first = await client.post(f"/{SECRET}", json=callback())
        busy = await client.post(f"/{SECRET}", json=callback(event_code="on"))
        async with receiver.running():
            await receiver.join()
            again = await client.post(f"/{SECRET}", json=callback(event_code="on"))
            await receiver.join()
    assert (first.status_code, busy.status_code, again.status_code) == (202, 503, 202)
    assert busy.headers["Retry-After"] == "5"
    assert [event.event_code for event in handled.events] == ["departure", "on"]


async def test_a_failing_handler_does_not_stop_the_workers(
    caplog: pytest.LogCaptureFixture,
) -> None:
    seen: list[str] = []

    async def fragile(event: AlertCallback) -> None:
        seen.append(event.event_code)
        if event.event_code == "departure":
            raise RuntimeError(f"boom {event.long_description}")

    receiver = AlertReceiver(SECRET, fragile, only_watched, workers=1)
    async with receiver.running():
        await deliver(receiver, callback())
        await deliver(receiver, callback(event_code="cancelled"))
    assert seen == ["departure", "cancelled"]
    assert "the handler failed: RuntimeError" in caplog.text
    assert "boom" not in caplog.text


def test_a_short_secret_is_refused(handled: Handled) -> None:
    with pytest.raises(ValueError, match="at least 16"):
        AlertReceiver("short", handled, only_watched)


async def test_seen_events_are_forgotten_after_their_expiry() -> None:
    clock = FakeClock(datetime(2026, 11, 28, tzinfo=UTC))
    seen = MemorySeenEvents(60, clock=clock)
    assert await seen.first_time("a")
    assert not await seen.first_time("a")
    clock.advance(61)
    assert await seen.first_time("a")


async def test_workers_sharing_redis_take_a_replay_once(redis_server: RedisServer) -> None:
    namespace = f"flight-agent:test:{uuid.uuid4().hex}"
    clients = [Redis.from_url(redis_server.url) for _ in range(2)]
    handled = Handled()
    receivers = [
        make_receiver(handled, seen=RedisSeenEvents(client, namespace=namespace, ttl=60))
        for client in clients
    ]
    try:
        async with receivers[0].running(), receivers[1].running():
            answers = [(await deliver(receiver, callback())).status_code for receiver in receivers]
        ttl = await clients[0].ttl(f"{namespace}:alerts:seen:" + handled.events[0].dedupe_key())
    finally:
        for client in clients:
            await client.delete(*[key async for key in client.scan_iter(f"{namespace}:*")] or ["x"])
            await client.aclose()
    assert answers == [202, 200]
    assert len(handled.events) == 1
    assert 0 < ttl <= 60


async def test_with_redis_down_an_event_is_taken_rather_than_lost() -> None:
    client = fail_fast_client("redis://127.0.0.1:1/0")
    try:
        seen = RedisSeenEvents(client)
        assert await seen.first_time("a")
        assert await seen.first_time("a")
    finally:
        await client.aclose()


async def test_the_default_handler_rereads_the_flight_through_the_failover_path(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="flight_agent.apps.alert_receiver")
    clock = FakeClock(datetime(2026, 11, 28, 13, 0, tzinfo=UTC))
    upstream = FakeUpstream(seed=0, clock=clock, api_key="k" * 20)
    provider = FlightAwareProvider(
        api_key="k" * 20,
        base_url=upstream.base_url("flightaware"),
        transport=upstream.transport(),
        clock=clock,
    )
    settings = Settings(redis_url=None)
    async with EnhancedFlightMonitoringService(
        providers=[provider], clock=clock, settings=settings
    ) as service:
        handler = RefreshingHandler(lambda query: service.lookup.get(query, refresh=True))
        await handler(parsed(callback()))
        assert upstream.requests["flightaware"] == 1
        record = await service.get_flight_status_with_failover(
            "BA117", date(2026, 11, 28), origin="LHR"
        )
        assert upstream.requests["flightaware"] == 1  # answered from the refreshed cache
    assert record is not None
    assert record.actual_out is not None
    assert "BA117 refreshed, now" in caplog.text


async def test_when_ownership_cannot_be_checked_the_callback_is_asked_again(
    handled: Handled,
) -> None:
    async def store_down(event: AlertCallback) -> bool:
        raise StoreUnavailableError("Redis at 127.0.0.1:6379 is unavailable")

    receiver = AlertReceiver(SECRET, handled, store_down)
    async with receiver.running():
        response = await deliver(receiver, callback())
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert handled.events == []
