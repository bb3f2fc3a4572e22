"""Push alerts in the monitor: each pushed event taken in as a poll's answer.

With an ``AlertReconciler`` whose provider can push (AeroAPI alerts), watching a flight ensures
its alert, unwatching it or its finishing releases it, and the monitor's ``run`` reconciles the
account's alerts with the watch list first. A flight with a live alert is polled on the
schedule's safety net (``PollSchedule.alert_interval``, and just after each expected milestone).
``AlertPushes.take`` turns each pushed event into a re-read of the record through the cached
failover path (the event is a hint), observed exactly as a poll's answer (``WatchState.observe``
with ``pushed=True``, saved with its change events), so pushes and polls raise the same events.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from flight_agent.changes import FlightChange
from flight_agent.errors import FlightDataError, FlightNotFoundError, StoreUnavailableError
from flight_agent.flight_query import FlightQuery
from flight_agent.models import FlightStatusData
from flight_agent.monitoring.alerts import AlertReconciler
from flight_agent.monitoring.relay import EventRelay
from flight_agent.monitoring.state import Watch, WatchState
from flight_agent.monitoring.status_source import StatusSource
from flight_agent.monitoring.watchlist import WatchStore
from flight_agent.providers.alert_callback import AlertCallback

logger = logging.getLogger(__name__)

PUSH_SAVE_ATTEMPTS = 3
"""How often a pushed record is observed again when a poll saved the flight's state first."""

PushedObservation = Callable[[WatchState, FlightStatusData], Awaitable[list[FlightChange] | None]]
"""Observes a pushed record of a watched flight and saves it with its change events; None when
nothing was saved (unwatched meanwhile, or another worker saved first)."""


class AlertPushes:
    """The monitor's push alerts: one alert per unfinished watch, and each pushed event taken in.

    Args:
        alerts: Keeps one push alert per watched flight; None (or a provider that cannot
            push) keeps none, and every call here does nothing.
        store: The monitor's watch store.
        lookup: Where records are re-read from (cache first, then the providers).
        relay: Delivers the saved change events to the monitor's feed.
        observe: The monitor's observe-and-save of a pushed record.
    """

    def __init__(
        self,
        alerts: AlertReconciler | None,
        *,
        store: WatchStore,
        lookup: StatusSource,
        relay: EventRelay,
        observe: PushedObservation,
    ) -> None:
        self.alerts = alerts if alerts is not None and alerts.supported else None
        self._store = store
        self._lookup = lookup
        self._relay = relay
        self._observe = observe
        self.taken = 0
        """Pushed events taken in (each one re-read of its flight's record)."""

    async def ensure(self, watch: Watch) -> None:
        """Give a newly watched flight its alert."""
        if self.alerts is not None:
            await self.alerts.ensure(watch)

    async def release(self, watch: Watch) -> None:
        """Delete the alert of a flight unwatched or finished."""
        if self.alerts is not None:
            await self.alerts.release(watch)

    async def has_alert(self, watch: Watch) -> bool:
        """Whether the flight has a live alert (its polls then run on the safety net)."""
        return self.alerts is not None and await self.alerts.has_alert(watch)

    async def reconcile(self) -> None:
        """Bring the provider's alerts in step with the watch list (one per unfinished watch);
        a failure is logged and the flights are polled by the table meanwhile."""
        if self.alerts is None:
            return
        try:
            states = await self._store.list_all()
            await self.alerts.reconcile(s.watch for s in states if s.next_due is not None)
        except FlightDataError as error:
            logger.warning("alerts not reconciled: %s", error)

    async def take(self, callback: AlertCallback) -> list[FlightChange]:
        """Take in one pushed event of a watched flight: re-read its record through the
        failover path, observe it as a poll's answer and save it with its change events.
        An event of an alert no watch owns is ignored (empty list), and so is a milestone the
        last record already shows (AeroAPI pushes ``departure`` and ``off`` together, say).

        Raises:
            FlightDataError: The record could not be re-read (the event is not taken in).
            StoreUnavailableError: Redis (the watch store or the alert book) failed.
        """
        key = await self.alerts.watch_for(callback.alert_id) if self.alerts else None
        state = await self._store.get(key) if key is not None else None
        if state is None or state.next_due is None:
            return []  # nobody's alert, unwatched, or finished
        field, known = callback.time_field(), state.last_snapshot
        if field is not None and known is not None and getattr(known, field) is not None:
            return []  # the record shows this milestone already (``off`` after ``departure``)
        watch = state.watch
        query = FlightQuery.parse(watch.flight_id, watch.flight_date, origin=watch.origin)
        record = await self._lookup.get(query, refresh=True)
        if record is None or record.stale:
            raise FlightNotFoundError(f"the pushed {callback.event_code} of {key} found no record")
        self.taken += 1
        for _ in range(PUSH_SAVE_ATTEMPTS):
            changes = await self._observe(state, record)
            if changes is not None:
                await self._relay.deliver()
                return changes
            # Another event of the flight, or a poll, saved first: observe over its state.
            state = await self._store.get(watch.key)
            if state is None or state.next_due is None:
                return []
        raise StoreUnavailableError(f"the state of {watch.key} kept moving under the pushed event")
