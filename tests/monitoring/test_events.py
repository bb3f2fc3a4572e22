"""ChangeFeed: ordered fan-out to subscriptions and callbacks, isolation and overflow."""

from __future__ import annotations

import asyncio

import pytest

from flight_agent.monitoring import ChangeFeed, ChangeKind, FlightChange, Subscription
from tests.monitoring.records import DAY, NOON


def change(number: int) -> FlightChange:
    return FlightChange(
        kind=ChangeKind.GATE,
        flight_id="BA117",
        flight_date=DAY,
        field="gate_origin",
        old=None,
        new=f"A{number}",
        detected_at=NOON,
        message=f"BA117 2026-11-28: departure gate A{number}",
    )


CHANGES = [change(number) for number in range(5)]


async def test_a_subscription_receives_every_change_in_order() -> None:
    """Two subscribers each read all changes in publish order; close ends their iteration."""
    feed = ChangeFeed()
    subscriptions = [feed.subscribe(), feed.subscribe()]
    readers = [asyncio.create_task(collect(sub)) for sub in subscriptions]
    await feed.publish(CHANGES[:2])
    await feed.publish(CHANGES[2:])
    feed.close()
    assert [await reader for reader in readers] == [CHANGES, CHANGES]
    assert [sub.dropped for sub in subscriptions] == [0, 0]


async def collect(subscription: Subscription) -> list[FlightChange]:
    return [item async for item in subscription]


async def test_a_slow_subscriber_loses_the_oldest_changes_and_counts_them(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """With room for 3, five unread changes keep the newest 3 and count 2 drops."""
    feed = ChangeFeed(max_queue=10)
    slow = feed.subscribe(max_queue=3)
    fast = feed.subscribe()
    await feed.publish(CHANGES)
    feed.close()
    assert await collect(slow) == CHANGES[2:]
    assert await collect(fast) == CHANGES
    assert (slow.dropped, fast.dropped) == (2, 0)
    assert "fell behind" in caplog.text


async def test_a_failing_callback_is_logged_and_does_not_stop_the_others(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Sync and async callbacks all run for each change even when one of each raises."""
    seen: list[tuple[str, FlightChange]] = []

    def broken(_: FlightChange) -> None:
        raise RuntimeError("sync boom")

    async def broken_async(_: FlightChange) -> None:
        raise RuntimeError("async boom")

    def record_sync(item: FlightChange) -> None:
        seen.append(("sync", item))

    async def record_async(item: FlightChange) -> None:
        seen.append(("async", item))

    feed = ChangeFeed()
    for callback in (broken, record_sync, broken_async, record_async):
        feed.add_callback(callback)
    await feed.publish(CHANGES[:2])
    assert seen == [
        ("sync", CHANGES[0]),
        ("async", CHANGES[0]),
        ("sync", CHANGES[1]),
        ("async", CHANGES[1]),
    ]
    errors = [str(entry.exc_info[1]) for entry in caplog.records if entry.exc_info]
    assert errors == ["sync boom", "async boom", "sync boom", "async boom"]


async def test_unsubscribed_listeners_receive_nothing_more() -> None:
    """A removed callback and a closed subscription miss later changes."""
    feed = ChangeFeed()
    seen: list[FlightChange] = []
    remove = feed.add_callback(seen.append)
    subscription = feed.subscribe()
    await feed.publish(CHANGES[:1])
    remove()
    subscription.close()
    await feed.publish(CHANGES[1:])
    assert seen == CHANGES[:1]
    assert await collect(subscription) == CHANGES[:1]


def test_a_feed_needs_room_for_at_least_one_change() -> None:
    """A zero-sized buffer is refused."""
    with pytest.raises(ValueError, match="at least 1"):
        ChangeFeed(max_queue=0)
    with pytest.raises(ValueError, match="at least 1"):
        ChangeFeed().subscribe(max_queue=0)
