"""The alert inbox: a callback answered 202 is handled even if its process dies first."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from redis.asyncio import Redis

from flight_agent.apps.alert_receiver import AlertReceiver, MemorySeenEvents
from flight_agent.clock import FakeClock
from flight_agent.monitoring.alert_inbox import (
    AlertInboxFullError,
    MemoryAlertInbox,
    RedisAlertInbox,
)
from flight_agent.providers.alert_callback import AlertCallback
from tests.apps.test_alert_receiver import (
    SECRET,
    Handled,
    callback,
    client_of,
    only_watched,
    parsed,
)
from tests.conftest import RedisServer


class Signalling(Handled):
    """Keeps the events it is given and says when one came."""

    def __init__(self) -> None:
        super().__init__()
        self.arrived = asyncio.Event()

    async def __call__(self, event: AlertCallback) -> None:
        await super().__call__(event)
        self.arrived.set()


async def test_a_callback_accepted_by_a_process_that_died_is_handled_by_the_next(
    redis_server: RedisServer, namespace: str
) -> None:
    """The first receiver answers 202 and dies before any worker took the event."""
    dead, alive = Redis.from_url(redis_server.url), Redis.from_url(redis_server.url)
    lost = Handled()
    first = AlertReceiver(
        SECRET, lost, only_watched, inbox=RedisAlertInbox(dead, namespace=namespace)
    )
    async with client_of(first) as client:
        accepted = await client.post(f"/{SECRET}", json=callback())
    await dead.aclose()  # the process is gone: no worker of it ever ran
    handled = Signalling()
    second = AlertReceiver(
        SECRET, handled, only_watched, inbox=RedisAlertInbox(alive, namespace=namespace)
    )
    try:
        async with second.running():
            await asyncio.wait_for(handled.arrived.wait(), 10)
    finally:
        await alive.aclose()
    assert accepted.status_code == 202
    assert lost.events == []
    assert handled.events == [parsed(callback())]


async def test_an_event_a_worker_took_and_never_finished_goes_to_another_after_the_idle_time() -> (
    None
):
    clock = FakeClock()
    inbox = MemoryAlertInbox(claim_idle=timedelta(minutes=1), clock=clock)
    await inbox.put(parsed(callback()))
    (taken,) = await inbox.take("worker-that-dies")
    assert await inbox.take("other") == []  # still in the first worker's hands
    clock.advance(61)
    (again,) = await inbox.take("other")
    assert again.callback == taken.callback
    await inbox.done(again)
    clock.advance(61)
    assert await inbox.take("third") == []


async def test_in_redis_an_event_a_dead_worker_took_goes_to_another_once_idle_long_enough(
    redis_server: RedisServer, namespace: str
) -> None:
    """The worker read the event and died before acknowledging it; Redis keeps it pending.
    Another worker takes it once it was idle ``claim_idle`` (Redis measures the idle time, so
    the test asks for a day, then for no time at all)."""
    redis = Redis.from_url(redis_server.url)
    try:
        await RedisAlertInbox(redis, namespace=namespace).put(parsed(callback()))
        (taken,) = await RedisAlertInbox(redis, namespace=namespace).take("worker-that-dies")
        patient = RedisAlertInbox(redis, namespace=namespace, claim_idle=timedelta(days=1))
        assert await patient.take("other") == []  # still in the first worker's hands
        eager = RedisAlertInbox(redis, namespace=namespace, claim_idle=timedelta(0))
        (again,) = await eager.take("other")
        assert again.callback == taken.callback
        await eager.done(again)
        assert await eager.take("third") == []  # acknowledged: handled once
    finally:
        await redis.aclose()


async def test_a_full_memory_inbox_refuses_and_the_webhook_answers_503() -> None:
    handled = Handled()
    receiver = AlertReceiver(
        SECRET, handled, only_watched, inbox=MemoryAlertInbox(1), seen=MemorySeenEvents()
    )
    async with client_of(receiver) as client:
        first = await client.post(f"/{SECRET}", json=callback())
        second = await client.post(f"/{SECRET}", json=callback(event_code="arrival"))
    assert (first.status_code, second.status_code) == (202, 503)
    with pytest.raises(AlertInboxFullError):
        await MemoryAlertInbox(0).put(parsed(callback()))
