"""From the event stream to this process's change feed: how callbacks and subscriptions get events.

Every monitor is one consumer of the stream's group (named by its worker id). ``deliver`` first
claims the events another consumer left unacknowledged for the stream's ``claim_idle`` (it died
while delivering), then reads the events nobody had yet (saved by any worker, including one that
died right after saving), publishes them on the feed in stream order and acknowledges them. An
event is acknowledged only after the feed has taken it, so a worker that dies while delivering
leaves its events to be claimed: delivered at least once, with the same ``ChangeEvent.id``.
"""

from __future__ import annotations

from flight_agent.monitoring.events import ChangeFeed
from flight_agent.monitoring.stream import DEFAULT_BATCH, ChangeEvent, EventStream


class EventRelay:
    """Delivers a stream's events to a ``ChangeFeed`` as one consumer of the stream's group.

    Args:
        stream: The event stream.
        feed: The in-process feed of callbacks and subscriptions.
        consumer: This consumer's name in the group.
        batch: Events taken per read or claim.

    Attributes:
        delivered: Events published on the feed so far.
    """

    def __init__(
        self, stream: EventStream, feed: ChangeFeed, consumer: str, *, batch: int = DEFAULT_BATCH
    ) -> None:
        self.stream = stream
        self.feed = feed
        self.consumer = consumer
        self.delivered = 0
        self._batch = batch

    async def deliver(self) -> list[ChangeEvent]:
        """Publish every event waiting for this group (stale claims first) and acknowledge them.

        Returns:
            The events published, in the order the feed got them.
        """
        published: list[ChangeEvent] = []
        for take in (self.stream.claim, self.stream.read):
            while True:
                deliveries = await take(self.consumer, self._batch)
                events = [delivery.event for delivery in deliveries]
                await self.feed.publish(event.change for event in events)
                await self.stream.ack(deliveries)
                self.delivered += len(events)
                published += events
                if len(deliveries) < self._batch:
                    break
        return published
