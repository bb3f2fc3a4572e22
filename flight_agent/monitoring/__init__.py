"""Flight monitoring: the monitor loop (``FlightMonitor``) and its parts: debounce, poll
schedule, watch store, change feed. Changes come from the one change differ beside the record
(``flight_agent.changes``, re-exported here), which the IROPS engine reports from too.

One poll of one watched flight, as a service would run it::

    for state in await store.due():
        claimed = await store.claim(state.key, worker_id, lease=timedelta(minutes=1))
        if claimed is None:
            continue  # another worker has it
        record = await fetch(claimed.watch)  # FlightStatusData from the provider layer
        new_state, changes = claimed.observe(record, now=clock.now(), schedule=schedule)
        await store.save(new_state)
        await feed.publish(changes)
"""

from flight_agent.changes import ChangeKind, ChangeValue, FlightChange, diff_snapshots
from flight_agent.monitoring.debounce import DEFAULT_CONFIRM_AFTER, CancellationDebouncer
from flight_agent.monitoring.events import ChangeCallback, ChangeFeed, Subscription
from flight_agent.monitoring.monitor import FlightMonitor
from flight_agent.monitoring.schedule import PollSchedule
from flight_agent.monitoring.state import Watch, WatchState
from flight_agent.monitoring.stats import MonitorStats
from flight_agent.monitoring.watchlist import MemoryWatchStore, RedisWatchStore, WatchStore

__all__ = [
    "DEFAULT_CONFIRM_AFTER",
    "CancellationDebouncer",
    "ChangeCallback",
    "ChangeFeed",
    "ChangeKind",
    "ChangeValue",
    "FlightChange",
    "FlightMonitor",
    "MemoryWatchStore",
    "MonitorStats",
    "PollSchedule",
    "RedisWatchStore",
    "Subscription",
    "Watch",
    "WatchState",
    "WatchStore",
    "diff_snapshots",
]
