"""The desk worker: one consumer of the event stream's ``desk`` group.

Any number of workers, in one process or many, read the monitor's change events in their own
consumer group (``EventStream.in_group(DESK_GROUP)``), so the monitors' feeds and the desk each
get every event. A pass first claims the events another worker left unacknowledged for the
stream's ``claim_idle`` (it died mid-event), then reads new ones, hands each to
``Desk.handle_event`` on a thread (the store, the checkpointer and the graph are synchronous)
and acknowledges the events handled. An event whose handling failed (the database is down) is
left pending: it is claimed again after ``claim_idle``, by this worker or another, and handled
then; handling is idempotent by event id, so a redelivery changes nothing already done.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Sequence
from datetime import timedelta

from flight_agent.errors import FlightDataError
from flight_agent.monitoring.stream import Delivery, EventStream
from graphs.desk.desk import Desk

logger = logging.getLogger(__name__)

DESK_GROUP = "desk"
"""The consumer group of the desk workers."""

DESK_CLAIM_IDLE = timedelta(seconds=30)
"""How long an event may stay with a worker before another takes it over."""

DESK_BATCH = 20
"""Events taken per read or claim."""


class DeskWorker:
    """Hands the stream's events to a desk, as one consumer of the desk group.

    Args:
        desk: The desk.
        stream: The monitors' event stream (any group: the worker reads ``DESK_GROUP``).
        consumer: This worker's name in the group; a fresh one when None.
        claim_idle: See ``DESK_CLAIM_IDLE``.
        concurrency: Events handled at once.

    Attributes:
        handled: Events handled and acknowledged so far.
        failed: Handlings that failed (their events stay pending).
    """

    def __init__(
        self,
        desk: Desk,
        stream: EventStream,
        consumer: str | None = None,
        *,
        claim_idle: timedelta = DESK_CLAIM_IDLE,
        concurrency: int = 4,
    ) -> None:
        self.desk = desk
        self.stream = stream.in_group(DESK_GROUP, claim_idle=claim_idle)
        self.consumer = consumer or f"desk-{uuid.uuid4().hex[:8]}"
        self.handled = 0
        self.failed = 0
        self._slots = asyncio.Semaphore(concurrency)

    async def run_once(self) -> int:
        """Handle every event waiting for the group (stale claims first); how many were."""
        done = 0
        for take in (self.stream.claim, self.stream.read):
            while True:
                deliveries = await take(self.consumer, DESK_BATCH)
                done += await self._handle(deliveries)
                if len(deliveries) < DESK_BATCH:
                    break
        return done

    async def run(self, idle_s: float = 0.5) -> None:
        """Handle events until cancelled, looking again every ``idle_s`` when there were none."""
        while True:
            try:
                found = await self.run_once()
            except FlightDataError as error:  # the stream's Redis is down: try again shortly
                logger.warning("desk worker %s: %s", self.consumer, error)
                found = 0
            if not found:
                await asyncio.sleep(idle_s)

    async def _handle(self, deliveries: Sequence[Delivery]) -> int:
        results = await asyncio.gather(*(self._one(d) for d in deliveries))
        handled = [d for d, ok in zip(deliveries, results, strict=True) if ok]
        await self.stream.ack(handled)
        self.handled += len(handled)
        return len(deliveries)

    async def _one(self, delivery: Delivery) -> bool:
        async with self._slots:
            try:
                await asyncio.to_thread(self.desk.handle_event, delivery.event)
            except Exception:
                self.failed += 1
                logger.exception(
                    "desk worker %s: event %s failed", self.consumer, delivery.event.id
                )
                return False
            return True
