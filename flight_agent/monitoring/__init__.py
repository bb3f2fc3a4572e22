"""Flight monitoring: the monitor loop (``FlightMonitor``) and its parts: debounce, poll
schedule, watch store, event stream, change feed. Changes come from the one change differ beside
the record (``flight_agent.changes``, re-exported here), which the IROPS engine reports from too.

One poll of one watched flight, as a service would run it::

    for state in await store.due():
        claimed = await store.claim(state.key, worker_id, lease=timedelta(minutes=1))
        if claimed is None:
            continue  # another worker has it
        record = await fetch(claimed.watch)  # FlightStatusData from the provider layer
        new_state, changes = claimed.observe(record, now=clock.now(), schedule=schedule)
        await store.save(new_state, changes)  # the state and its events, atomically

Reading the events, in any process, as one consumer of a group: the monitors' feeds share one
(``EventRelay``); another reader takes a group of its own (``RedisEventStream(redis, group=...)``)::

    deliveries = [*await stream.claim(consumer), *await stream.read(consumer)]
    for delivery in deliveries:
        handle(delivery.event)  # idempotent by delivery.event.id: delivered at least once
    await stream.ack(deliveries)
"""

from flight_agent.changes import ChangeKind, ChangeValue, FlightChange, diff_snapshots
from flight_agent.monitoring.debounce import DEFAULT_CONFIRM_AFTER, CancellationDebouncer
from flight_agent.monitoring.events import ChangeCallback, ChangeFeed, Subscription
from flight_agent.monitoring.memory_stream import MemoryEventStream
from flight_agent.monitoring.monitor import FlightMonitor
from flight_agent.monitoring.redis_stream import RedisEventStream
from flight_agent.monitoring.redis_watchlist import RedisWatchStore
from flight_agent.monitoring.relay import EventRelay
from flight_agent.monitoring.schedule import PollSchedule
from flight_agent.monitoring.state import Watch, WatchState
from flight_agent.monitoring.stats import MonitorStats
from flight_agent.monitoring.stream import ChangeEvent, Delivery, EventStream, events_for
from flight_agent.monitoring.watchlist import MemoryWatchStore, WatchStore

__all__ = [
    "DEFAULT_CONFIRM_AFTER",
    "CancellationDebouncer",
    "ChangeCallback",
    "ChangeEvent",
    "ChangeFeed",
    "ChangeKind",
    "ChangeValue",
    "Delivery",
    "EventRelay",
    "EventStream",
    "FlightChange",
    "FlightMonitor",
    "MemoryEventStream",
    "MemoryWatchStore",
    "MonitorStats",
    "PollSchedule",
    "RedisEventStream",
    "RedisWatchStore",
    "Subscription",
    "Watch",
    "WatchState",
    "WatchStore",
    "diff_snapshots",
    "events_for",
]
