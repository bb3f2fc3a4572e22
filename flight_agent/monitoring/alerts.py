"""Push alerts for watched flights: one alert per watch, kept in step with the provider's list.

``AlertReconciler`` is what the monitor calls: ``ensure(watch)`` when a flight is watched (an
alert is created if the provider can push and the watch has none), ``release(watch)`` when it
is unwatched or done (the alert is deleted), ``reconcile(watches)`` at start (the provider's
alert list is brought to exactly one alert per watch: missing ones created, duplicates and
orphans deleted), ``has_alert(watch)`` to choose the long polling interval, and
``watch_for(alert_id)`` to tell the webhook which callbacks are ours.

Which watch has which alert is kept in an ``AlertBook``: a Redis hash pair (watch key -> alert
id and back) shared by every worker of one namespace, or memory for one process. Each change is
made under a lock (redis-py's ``Lock`` with an expiry, so a dead worker's lock frees itself; an
``asyncio.Lock`` in memory): per watch for ``ensure``/``release``, one for ``reconcile``. So two
workers watching the same flight create one alert, and restarts leave none behind.

Ours and not ours: an alert of the account is ours when the book names it, or when it is
delivered to our ``target_url`` (the webhook's URL, set on every alert we create); so an alert
created just before a crash, before the book recorded it, is still found and deleted or adopted.
Alerts made elsewhere on the account (the FlightAware website) are never touched.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import AsyncIterator, Iterable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from typing import Protocol

from redis.asyncio import Redis

from flight_agent.airports import find_airport
from flight_agent.cache.base import KEY_NAMESPACE
from flight_agent.clock import SYSTEM_CLOCK, Clock
from flight_agent.errors import FlightDataError, StoreUnavailableError
from flight_agent.flight_query import FlightDesignator
from flight_agent.monitoring.state import Watch
from flight_agent.providers.alerts import FLIGHT_EVENTS, Alert, AlertSpec
from flight_agent.providers.interfaces import FlightDataProvider
from flight_agent.providers.redaction import register_secret
from flight_agent.redis_guard import RedisGuard
from flight_agent.settings import Settings

logger = logging.getLogger(__name__)

LOCK_SECONDS = 30.0
"""How long a worker may hold an alert lock before it frees itself."""
_RECONCILE = "reconcile"


class AlertBook(Protocol):
    """Which watch has which alert."""

    async def get(self, watch_key: str) -> int | None:
        """The watch's alert id, if it has one."""
        ...

    async def owner(self, alert_id: int) -> str | None:
        """The key of the watch the alert belongs to, if any."""
        ...

    async def put(self, watch_key: str, alert_id: int) -> None:
        """Record the watch's alert (replacing any other it had)."""
        ...

    async def remove(self, watch_key: str) -> None:
        """Forget the watch's alert."""
        ...

    async def items(self) -> dict[str, int]:
        """Every watch key with its alert id."""
        ...

    def lock(self, name: str) -> AbstractAsyncContextManager[None]:
        """Hold the lock ``name`` (a watch key, or the reconcile lock) while inside."""
        ...


class MemoryAlertBook:
    """An ``AlertBook`` of this process."""

    def __init__(self) -> None:
        self._alerts: dict[str, int] = {}
        self._locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)

    async def get(self, watch_key: str) -> int | None:
        return self._alerts.get(watch_key)

    async def owner(self, alert_id: int) -> str | None:
        return next((key for key, value in self._alerts.items() if value == alert_id), None)

    async def put(self, watch_key: str, alert_id: int) -> None:
        self._alerts[watch_key] = alert_id

    async def remove(self, watch_key: str) -> None:
        self._alerts.pop(watch_key, None)

    async def items(self) -> dict[str, int]:
        return dict(self._alerts)

    @asynccontextmanager
    async def lock(self, name: str) -> AsyncIterator[None]:
        async with self._locks[name]:
            yield


class RedisAlertBook:
    """An ``AlertBook`` in Redis, shared by every worker of ``namespace``.

    Keys: ``{namespace}:alerts:by-watch`` (watch key -> id), ``{namespace}:alerts:by-id``
    (id -> watch key), both written in one transaction; locks at ``{namespace}:alerts:lock:*``.

    Raises:
        StoreUnavailableError: Redis failed, or a lock stayed taken for ``lock_seconds``.
    """

    def __init__(
        self,
        client: Redis,
        *,
        namespace: str = KEY_NAMESPACE,
        lock_seconds: float = LOCK_SECONDS,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self._client = client
        self._by_watch = f"{namespace}:alerts:by-watch"
        self._by_id = f"{namespace}:alerts:by-id"
        self._lock_prefix = f"{namespace}:alerts:lock:"
        self._lock_seconds = lock_seconds
        self._guard = RedisGuard(client, role="alert book", backoff_s=1.0, clock=clock)

    async def get(self, watch_key: str) -> int | None:
        value = await self._guard.run(lambda: self._client.hget(self._by_watch, watch_key))
        return int(value) if value is not None else None

    async def owner(self, alert_id: int) -> str | None:
        value = await self._guard.run(lambda: self._client.hget(self._by_id, str(alert_id)))
        return None if value is None else _text(value)

    async def put(self, watch_key: str, alert_id: int) -> None:
        previous = await self.get(watch_key)

        async def write() -> None:
            async with self._client.pipeline(transaction=True) as pipe:
                if previous is not None:
                    pipe.hdel(self._by_id, str(previous))
                pipe.hset(self._by_watch, watch_key, str(alert_id))
                pipe.hset(self._by_id, str(alert_id), watch_key)
                await pipe.execute()

        await self._guard.run(write)

    async def remove(self, watch_key: str) -> None:
        previous = await self.get(watch_key)

        async def write() -> None:
            async with self._client.pipeline(transaction=True) as pipe:
                pipe.hdel(self._by_watch, watch_key)
                if previous is not None:
                    pipe.hdel(self._by_id, str(previous))
                await pipe.execute()

        await self._guard.run(write)

    async def items(self) -> dict[str, int]:
        raw = await self._guard.run(lambda: self._client.hgetall(self._by_watch))
        return {_text(key): int(value) for key, value in raw.items()}

    @asynccontextmanager
    async def lock(self, name: str) -> AsyncIterator[None]:
        lock = self._client.lock(
            self._lock_prefix + name,
            timeout=self._lock_seconds,
            blocking_timeout=self._lock_seconds,
        )
        if not await self._guard.run(lock.acquire):
            raise StoreUnavailableError(
                f"the alert lock {name!r} stayed taken for {self._lock_seconds:g} s; "
                "another worker is stuck holding it"
            )
        try:
            yield
        finally:
            try:
                await self._guard.run(lock.release)
            except StoreUnavailableError:  # expired meanwhile: it freed itself
                logger.warning("the alert lock %r expired before it was released", name)


@dataclass(frozen=True, slots=True)
class ReconcileReport:
    """What ``reconcile`` did: watch keys given a new alert or keeping theirs, ids deleted."""

    created: tuple[str, ...] = ()
    kept: tuple[str, ...] = ()
    deleted: tuple[int, ...] = ()
    failed: tuple[str, ...] = field(default=())
    """Watch keys whose alert could not be created (they are polled as before)."""


def webhook_url(settings: Settings) -> str | None:
    """The URL alerts deliver to: ``FLIGHT_AGENT_PUBLIC_URL`` + ``/alerts/<secret>``; None
    unless both are set. The secret is registered for redaction (an error quoting the URL
    shows ``***``)."""
    secret = Settings.secret(settings.flight_agent_alert_secret)
    if secret is None or not settings.flight_agent_public_url:
        return None
    register_secret(secret)
    return f"{settings.flight_agent_public_url.rstrip('/')}/alerts/{secret}"


def alert_book(redis: Redis | None, *, namespace: str = KEY_NAMESPACE) -> AlertBook:
    """The book every worker sharing ``redis`` reads, or this process's own without Redis."""
    return RedisAlertBook(redis, namespace=namespace) if redis is not None else MemoryAlertBook()


def alert_provider(providers: Iterable[FlightDataProvider]) -> FlightDataProvider | None:
    """The highest-priority provider that can push alerts, or None."""
    able = [provider for provider in providers if provider.supports_alerts]
    return max(able, key=lambda provider: provider.priority, default=None)


class AlertReconciler:
    """One alert per watched flight on the provider's account.

    Args:
        provider: The provider whose alerts are managed (if it cannot push, every method is a
            no-op and ``ensure`` answers None).
        book: Where each watch's alert id is kept.
        target_url: The webhook URL every alert delivers to (marks the alert as ours); None to
            use the account's endpoint (then only the book says which alerts are ours).
        events: Which events each alert pushes.
    """

    def __init__(
        self,
        provider: FlightDataProvider,
        book: AlertBook,
        *,
        target_url: str | None = None,
        events: frozenset[str] = FLIGHT_EVENTS,
    ) -> None:
        self.provider = provider
        self.book = book
        self.target_url = target_url
        self.events = events

    @property
    def supported(self) -> bool:
        """Whether the provider can push alerts."""
        return self.provider.supports_alerts

    def spec_for(self, watch: Watch) -> AlertSpec:
        """The alert of a watch: its designator (ICAO form), origin and date, our events."""
        designator = FlightDesignator.parse(watch.flight_id)
        origin = find_airport(watch.origin) if watch.origin else None
        return AlertSpec(
            ident=designator.ident_icao or designator.flight_id,
            origin=(origin.icao or origin.iata) if origin else watch.origin,
            start=watch.flight_date,
            end=watch.flight_date,
            events=self.events,
            target_url=self.target_url,
        )

    async def has_alert(self, watch: Watch) -> bool:
        """Whether the watch has a live alert (the monitor then polls it rarely)."""
        return self.supported and await self.book.get(watch.key) is not None

    async def watch_for(self, alert_id: int) -> str | None:
        """The key of the watch an alert belongs to; None for alerts nobody watches."""
        return await self.book.owner(alert_id)

    async def ensure(self, watch: Watch) -> int | None:
        """The watch's alert, created if it has none; None when the provider cannot push or
        failed to create it (the flight is then polled as usual; ``reconcile`` tries again).

        Raises:
            StoreUnavailableError: Redis (the book) failed.
        """
        if not self.supported:
            return None
        async with self.book.lock(watch.key):
            existing = await self.book.get(watch.key)
            if existing is not None:
                return existing
            try:
                alert_id = await self.provider.alerts().create(self.spec_for(watch))
            except FlightDataError as error:
                logger.warning("no alert for %s: %s", watch.key, error)
                return None
            await self.book.put(watch.key, alert_id)
            return alert_id

    async def release(self, watch: Watch) -> bool:
        """Delete the watch's alert; False when it had none. On a provider failure the alert
        stays booked, and ``reconcile`` deletes it later.

        Raises:
            StoreUnavailableError: Redis (the book) failed.
        """
        if not self.supported:
            return False
        async with self.book.lock(watch.key):
            alert_id = await self.book.get(watch.key)
            if alert_id is None:
                return False
            try:
                await self.provider.alerts().delete(alert_id)
            except FlightDataError as error:
                logger.warning("alert %d of %s not deleted yet: %s", alert_id, watch.key, error)
                return False
            await self.book.remove(watch.key)
            return True

    async def reconcile(self, watches: Iterable[Watch]) -> ReconcileReport:
        """Make the account hold exactly one alert of ours per watch, and the book match it.

        Raises:
            ProviderError: The provider's alert list could not be read (nothing is changed).
            StoreUnavailableError: Redis (the book) failed.
        """
        if not self.supported:
            return ReconcileReport()
        api = self.provider.alerts()
        async with self.book.lock(_RECONCILE):
            listed = await api.list()
            booked = await self.book.items()
            booked_ids = set(booked.values())
            ours = [alert for alert in listed if self._ours(alert, booked_ids)]
            keep: dict[str, int] = {}
            created: list[str] = []
            kept: list[str] = []
            failed: list[str] = []
            for watch in {watch.key: watch for watch in watches}.values():
                spec = self.spec_for(watch)
                candidates = [alert for alert in ours if _same_flight(alert.spec, spec)]
                chosen = next(
                    (alert for alert in candidates if alert.id == booked.get(watch.key)),
                    candidates[0] if candidates else None,
                )
                try:
                    if chosen is None:
                        keep[watch.key] = await api.create(spec)
                        created.append(watch.key)
                        continue
                    if chosen.spec != spec or not chosen.enabled:
                        await api.update(chosen.id, spec)
                except FlightDataError as error:
                    logger.warning("no alert for %s: %s", watch.key, error)
                    failed.append(watch.key)
                    continue
                keep[watch.key] = chosen.id
                kept.append(watch.key)
            deleted = [alert.id for alert in ours if alert.id not in keep.values()]
            for alert_id in deleted:
                await api.delete(alert_id)
            for key in booked.keys() - keep.keys():
                await self.book.remove(key)
            for key, alert_id in keep.items():
                if booked.get(key) != alert_id:
                    await self.book.put(key, alert_id)
        return ReconcileReport(tuple(created), tuple(kept), tuple(deleted), tuple(failed))

    def _ours(self, alert: Alert, booked_ids: set[int]) -> bool:
        if alert.id in booked_ids:
            return True
        return self.target_url is not None and alert.spec.target_url == self.target_url


def _same_flight(a: AlertSpec, b: AlertSpec) -> bool:
    """Whether two alerts watch the same flight (events and delivery may differ)."""
    return (a.ident.upper(), a.origin, a.start, a.end) == (
        b.ident.upper(),
        b.origin,
        b.start,
        b.end,
    )


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
