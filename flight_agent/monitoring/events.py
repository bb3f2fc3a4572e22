"""Fan-out of detected flight changes to whoever listens, in this process.

``ChangeFeed.publish`` hands each change to every subscriber in publish order:

- a ``Subscription`` (from ``subscribe()``) is an async iterator over a bounded queue. A consumer
  that falls behind loses the oldest changes, never blocks the publisher, and its ``dropped``
  counter says how many it lost.
- a callback (from ``add_callback()``), sync or async, is called once per change in registration
  order. A callback that raises is logged and the others still run. An async callback is awaited
  before the next one runs, so long work belongs in a task or a subscription.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable, Callable, Iterable

from flight_agent.changes import FlightChange

logger = logging.getLogger(__name__)

ChangeCallback = Callable[[FlightChange], Awaitable[None] | None]
"""A function or coroutine function called with each change."""

DEFAULT_QUEUE_SIZE = 1000
"""How many changes a subscription buffers before it drops the oldest."""


class Subscription:
    """One subscriber's buffered view of a ``ChangeFeed``; iterate it with ``async for``.

    Made by ``ChangeFeed.subscribe()``. Iteration ends after ``close()`` (of the subscription or
    of the feed) once the buffered changes are consumed.

    Attributes:
        dropped: How many changes were dropped because the buffer was full.
    """

    def __init__(self, feed: ChangeFeed, max_queue: int) -> None:
        self._feed = feed
        # None marks the end, so a waiting consumer wakes up on close.
        self._queue: asyncio.Queue[FlightChange | None] = asyncio.Queue(maxsize=max_queue)
        self._closed = False
        self.dropped = 0

    def __aiter__(self) -> Subscription:
        return self

    async def __anext__(self) -> FlightChange:
        if self._closed and self._queue.empty():
            raise StopAsyncIteration
        change = await self._queue.get()
        if change is None:
            raise StopAsyncIteration
        return change

    def close(self) -> None:
        """Unsubscribe; changes already buffered can still be read."""
        if self._closed:
            return
        self._closed = True
        self._feed._detach(self)
        if not self._queue.full():
            self._queue.put_nowait(None)

    def _offer(self, change: FlightChange) -> None:
        if self._queue.full():
            self._queue.get_nowait()
            self.dropped += 1
            if self.dropped == 1:
                logger.warning("a change-feed subscriber fell behind; dropping oldest changes")
        self._queue.put_nowait(change)


class ChangeFeed:
    """Publishes ``FlightChange`` events to subscriptions and callbacks.

    Args:
        max_queue: Default buffer size of each subscription.
    """

    def __init__(self, *, max_queue: int = DEFAULT_QUEUE_SIZE) -> None:
        if max_queue < 1:
            raise ValueError("max_queue must be at least 1")
        self._max_queue = max_queue
        self._subscriptions: list[Subscription] = []
        self._callbacks: list[ChangeCallback] = []

    def subscribe(self, *, max_queue: int | None = None) -> Subscription:
        """A new subscription that receives every change published from now on.

        Args:
            max_queue: Its buffer size (default: the feed's).
        """
        size = self._max_queue if max_queue is None else max_queue
        if size < 1:
            raise ValueError("max_queue must be at least 1")
        subscription = Subscription(self, size)
        self._subscriptions.append(subscription)
        return subscription

    def add_callback(self, callback: ChangeCallback) -> Callable[[], None]:
        """Call ``callback`` with every change published from now on.

        Returns:
            A function that removes the callback again.
        """
        self._callbacks.append(callback)
        return lambda: self._callbacks.remove(callback)

    async def publish(self, changes: Iterable[FlightChange]) -> None:
        """Deliver changes, in order, to every subscription and callback."""
        for change in changes:
            for subscription in list(self._subscriptions):
                subscription._offer(change)
            for callback in list(self._callbacks):
                await _call(callback, change)

    def close(self) -> None:
        """Close every subscription; their iterators end once drained."""
        for subscription in list(self._subscriptions):
            subscription.close()

    def _detach(self, subscription: Subscription) -> None:
        self._subscriptions.remove(subscription)


async def _call(callback: ChangeCallback, change: FlightChange) -> None:
    try:
        result = callback(change)
        if inspect.isawaitable(result):
            await result
    except Exception:
        logger.exception("change-feed callback %r failed on %s", callback, change.kind)
