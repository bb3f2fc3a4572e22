"""The alert webhook: AeroAPI's ``deliver_alert`` callbacks, authenticated, checked and queued.

``AlertReceiver.app()`` is a Starlette app with one route, ``POST /{secret}`` (mounted under
``/alerts`` by ``flight-agent serve``, so AeroAPI's endpoint is ``https://host/alerts/<secret>``).
A callback is taken in this order, and nothing else happens to one refused on the way:

1. the body is at most ``max_body_bytes`` (the MCP endpoint's ``RequestBodyLimitMiddleware``),
   else 413;
2. the source address is in the allow-list, when one is set (``FLIGHT_AGENT_ALERT_NETWORKS``),
   else 403;
3. the path's secret equals ``FLIGHT_AGENT_ALERT_SECRET`` (``hmac.compare_digest``), else 404, as
   for any unknown path (AeroAPI cannot send headers, so the secret rides in the URL);
4. the body is the spec's callback (``providers.alert_callback.AlertCallback``, strict types),
   else 400 naming the fields;
5. the alert is one of ours (``is_watched``), else 200 ``ignored``: the flight is not watched;
6. the event was not seen before (``SeenEvents``: Redis ``SET NX EX`` when ``REDIS_URL`` is set,
   else memory), else 200 ``duplicate``;
7. it is put in the ``AlertInbox`` (a Redis Stream when ``REDIS_URL`` is set, else memory) and
   only then answered 202 ``accepted``; an inbox that is full or unavailable answers 503 with
   ``Retry-After`` and forgets the event, so a redelivery is taken.

Workers (``running()``) take each event from the inbox, hand it to the ``AlertHandler`` and only
then mark it done, so an event answered 202 by a process that dies before handling it is
handled by the next worker (``monitoring.alert_inbox``). ``RefreshingHandler`` re-reads the
flight through the service's failover path (so the cache holds the fresh record) and logs it;
with the monitor's alerts, ``flight-agent serve`` hands events to the monitor instead
(``FlightMonitor.take_alert``). Secrets never appear in answers or logs: refusals say what was
wrong, never what was sent.

Why a hand-written expiring set for one process: the seen-events memory needs only "insert if
absent, forget after a while"; no dependency of the project offers it (Redis does, and is used
when configured).
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import uuid
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager, suppress
from ipaddress import IPv4Network, IPv6Network, ip_address, ip_network
from typing import Protocol

from mcp.server.transport_security import RequestBodyLimitMiddleware
from pydantic import ValidationError
from redis.asyncio import Redis
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from flight_agent.cache.base import KEY_NAMESPACE
from flight_agent.clock import SYSTEM_CLOCK, Clock
from flight_agent.errors import FlightDataError, StoreUnavailableError
from flight_agent.flight_query import FlightQuery
from flight_agent.models import FlightStatusData
from flight_agent.monitoring.alert_inbox import (
    MEMORY_INBOX_SIZE,
    AlertInbox,
    AlertInboxFullError,
    InboxEntry,
    MemoryAlertInbox,
    RedisAlertInbox,
)
from flight_agent.providers.alert_callback import AlertCallback
from flight_agent.redis_guard import RedisGuard
from flight_agent.settings import Settings

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 64 * 1024
"""A callback is about 2 KiB; anything far larger is not AeroAPI's."""
SEEN_TTL_SECONDS = 2 * 24 * 3600
"""How long a delivered event is remembered: longer than any flight's alerts keep coming."""
MAX_SEEN_IN_MEMORY = 100_000
DRAIN_SECONDS = 10.0
IDLE_POLL_SECONDS = 1.0
"""How often an idle worker looks for events other processes put or left behind."""
_RETRY = {"Retry-After": "5"}

AlertHandler = Callable[[AlertCallback], Awaitable[None]]
"""What is done with each accepted event (the monitor turns it into change events)."""

WatchedCheck = Callable[[AlertCallback], Awaitable[bool]]
"""Whether a callback is for a flight someone watches (an alert of ours)."""


class SeenEvents(Protocol):
    """Remembers delivered events for a while, so a redelivery is recognised."""

    async def first_time(self, key: str) -> bool:
        """Record ``key``; True when it was not seen within the expiry."""
        ...

    async def forget(self, key: str) -> None:
        """Drop ``key`` (an event that could not be queued must be taken when redelivered)."""
        ...


class MemorySeenEvents:
    """Seen events in this process, forgotten ``ttl`` seconds after they arrived (and the
    oldest first past ``max_entries``)."""

    def __init__(
        self,
        ttl: float = SEEN_TTL_SECONDS,
        *,
        max_entries: int = MAX_SEEN_IN_MEMORY,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self._ttl, self._max, self._clock = ttl, max_entries, clock
        self._expiry: OrderedDict[str, float] = OrderedDict()

    async def first_time(self, key: str) -> bool:
        now = self._clock.monotonic()
        while self._expiry and (
            next(iter(self._expiry.values())) <= now or len(self._expiry) >= self._max
        ):
            self._expiry.popitem(last=False)
        if key in self._expiry:
            return False
        self._expiry[key] = now + self._ttl
        return True

    async def forget(self, key: str) -> None:
        self._expiry.pop(key, None)


class RedisSeenEvents:
    """Seen events in Redis (``SET key NX EX ttl``), shared by every worker of one namespace.

    When Redis fails, the event counts as new: a rare duplicate is harmless (the monitor's
    differ finds no change in it), a lost event is not.
    """

    def __init__(
        self,
        client: Redis,
        *,
        namespace: str = KEY_NAMESPACE,
        ttl: float = SEEN_TTL_SECONDS,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self._client = client
        self._prefix = f"{namespace}:alerts:seen:"
        self._ttl = int(ttl)
        self._guard = RedisGuard(client, role="alert receiver", backoff_s=5.0, clock=clock)

    async def first_time(self, key: str) -> bool:
        try:
            created = await self._guard.run(
                lambda: self._client.set(self._prefix + key, b"1", nx=True, ex=self._ttl)
            )
        except StoreUnavailableError:
            return True
        return bool(created)

    async def forget(self, key: str) -> None:
        with suppress(StoreUnavailableError):
            await self._guard.run(lambda: self._client.delete(self._prefix + key))


class AlertReceiver:
    """The webhook: checks each callback and queues the accepted ones for ``handler``.

    Args:
        secret: The path segment callbacks must carry (at least 16 characters).
        handler: Called with each accepted event, by the workers of ``running()``.
        is_watched: Whether a callback's flight is watched; others are ignored.
        seen: The redelivery memory (default: this process's memory).
        networks: Source networks allowed to deliver; empty for any.
        max_body_bytes: Larger bodies are refused with 413.
        workers: How many events are handled at once.
        inbox: Where accepted events wait for a worker (default: this process's memory,
            holding ``MEMORY_INBOX_SIZE``; past it callbacks are answered 503).

    Raises:
        ValueError: A secret shorter than 16 characters.
    """

    def __init__(
        self,
        secret: str,
        handler: AlertHandler,
        is_watched: WatchedCheck,
        *,
        seen: SeenEvents | None = None,
        networks: Sequence[IPv4Network | IPv6Network] = (),
        max_body_bytes: int = MAX_BODY_BYTES,
        workers: int = 4,
        inbox: AlertInbox | None = None,
    ) -> None:
        if len(secret) < 16:
            raise ValueError("the alert secret must have at least 16 characters")
        self._secret = secret.encode()
        self.handler = handler
        self.is_watched = is_watched
        self.seen: SeenEvents = seen or MemorySeenEvents()
        self.networks = tuple(networks)
        self.max_body_bytes = max_body_bytes
        self.workers = workers
        self.inbox: AlertInbox = inbox or MemoryAlertInbox(MEMORY_INBOX_SIZE)
        self.handled = 0
        """Events the handler finished (failed ones included)."""
        self._open: set[str] = set()
        """Entries this receiver put and its workers have not finished yet."""
        self._arrived = asyncio.Event()
        self._finished = asyncio.Condition()
        self._stopping = False

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        handler: AlertHandler,
        is_watched: WatchedCheck,
        *,
        redis: Redis | None = None,
        clock: Clock = SYSTEM_CLOCK,
    ) -> AlertReceiver | None:
        """The receiver ``FLIGHT_AGENT_ALERT_SECRET`` and ``FLIGHT_AGENT_ALERT_NETWORKS``
        describe, remembering events in ``redis`` when given; None without a secret."""
        secret = Settings.secret(settings.flight_agent_alert_secret)
        if secret is None:
            return None
        networks = parse_networks(settings.flight_agent_alert_networks or "")
        seen = RedisSeenEvents(redis, clock=clock) if redis is not None else None
        inbox = RedisAlertInbox(redis, clock=clock) if redis is not None else None
        return cls(
            secret,
            handler,
            is_watched,
            seen=seen or MemorySeenEvents(clock=clock),
            networks=networks,
            inbox=inbox or MemoryAlertInbox(clock=clock),
        )

    def app(self) -> Starlette:
        """The ASGI app: ``POST /{secret}``, behind the body-size limit."""
        return Starlette(
            routes=[Route("/{secret}", self._receive, methods=["POST"])],
            middleware=[Middleware(RequestBodyLimitMiddleware, max_body_size=self.max_body_bytes)],
        )

    async def _receive(self, request: Request) -> Response:
        if self.networks and not self._allowed(request):
            return _refusal(403, "forbidden", "This address may not deliver alerts.")
        secret = str(request.path_params["secret"]).encode()
        if not hmac.compare_digest(secret, self._secret):
            return _refusal(404, "not_found", "No such endpoint.")
        try:
            callback = AlertCallback.model_validate_json(await request.body())
        except ValidationError as error:
            return _refusal(400, "invalid_callback", _problems(error))
        try:
            watched = await self.is_watched(callback)
        except FlightDataError as error:  # e.g. Redis down: let AeroAPI deliver it again
            logger.warning("alert %d: cannot tell whose it is: %s", callback.alert_id, error)
            return _refusal(
                503, "unavailable", "Cannot take alerts now; deliver again later.", _RETRY
            )
        if not watched:
            logger.info(
                "alert %d (%s): not a watched flight; ignored",
                callback.alert_id,
                callback.event_code,
            )
            return JSONResponse({"status": "ignored"})
        key = callback.dedupe_key()
        if not await self.seen.first_time(key):
            return JSONResponse({"status": "duplicate"})
        try:
            entry = await self.inbox.put(callback)
        except StoreUnavailableError as error:
            await self.seen.forget(key)
            if isinstance(error, AlertInboxFullError):
                return _refusal(503, "busy", "Too many alerts queued; deliver again later.", _RETRY)
            logger.warning("alert %d: not kept: %s", callback.alert_id, error)
            return _refusal(
                503, "unavailable", "Cannot take alerts now; deliver again later.", _RETRY
            )
        self._open.add(entry)
        self._arrived.set()
        return JSONResponse({"status": "accepted"}, status_code=202)

    def _allowed(self, request: Request) -> bool:
        host = request.client.host if request.client else None
        try:
            address = ip_address(host or "")
        except ValueError:
            return False
        return any(address in network for network in self.networks)

    async def join(self) -> None:
        """Wait until every event this receiver accepted was handled."""
        async with self._finished:
            await self._finished.wait_for(lambda: not self._open)

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """Hand the inbox's events to the handler while inside; on the way out the events this
        receiver accepted are handled first, for at most ``DRAIN_SECONDS`` (what is left stays
        in the inbox for the next worker)."""
        consumer = f"alerts-{uuid.uuid4().hex[:8]}"
        self._stopping = False
        tasks = [asyncio.create_task(self._work(f"{consumer}-{n}")) for n in range(self.workers)]
        try:
            yield
            try:
                async with asyncio.timeout(DRAIN_SECONDS):
                    await self.join()
            except TimeoutError:
                logger.warning("%d alert events left unhandled at shutdown", len(self._open))
        finally:
            # Workers stop between events (what they took stays in the inbox until done);
            # a handler still running past the drain is cancelled.
            self._stopping = True
            self._arrived.set()
            _, hung = await asyncio.wait(tasks, timeout=DRAIN_SECONDS)
            for task in hung:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    async def _work(self, consumer: str) -> None:
        while not self._stopping:
            try:
                taken = await self.inbox.take(consumer)
            except StoreUnavailableError as error:
                logger.warning("alert inbox unavailable: %s", error)
                taken = []
            if not taken:
                if not self._stopping:
                    self._arrived.clear()
                with suppress(TimeoutError):
                    async with asyncio.timeout(IDLE_POLL_SECONDS):
                        await self._arrived.wait()
                continue
            for entry in taken:
                await self._handle(entry)

    async def _handle(self, entry: InboxEntry) -> None:
        callback = entry.callback
        try:
            await self.handler(callback)
        except Exception as error:  # one event's failure must not stop the worker
            logger.warning(
                "alert %d (%s): the handler failed: %s",
                callback.alert_id,
                callback.event_code,
                type(error).__name__,
            )
        try:
            await self.inbox.done(entry)
        except StoreUnavailableError as error:  # handled again later: the handler is idempotent
            logger.warning("alert %d: not marked done: %s", callback.alert_id, error)
        self.handled += 1
        async with self._finished:
            self._open.discard(entry.entry)
            self._finished.notify_all()


class RefreshingHandler:
    """The default handler: re-read the flight through the failover path (the cache then holds
    the fresh record) and log what it now says.

    Args:
        refresh: Fetches a query from the providers, skipping the cache, e.g.
            ``lambda q: service.lookup.get(q, refresh=True)``.
    """

    def __init__(
        self, refresh: Callable[[FlightQuery], Awaitable[FlightStatusData | None]]
    ) -> None:
        self._refresh = refresh

    async def __call__(self, callback: AlertCallback) -> None:
        query = callback.query()
        if query is None:
            logger.info(
                "alert %d (%s): the callback names no flight to refresh",
                callback.alert_id,
                callback.event_code,
            )
            return
        record = await self._refresh(query)
        status = record.status.value if record is not None else "not found"
        logger.info(
            "alert %d (%s): %s refreshed, now %s",
            callback.alert_id,
            callback.event_code,
            query.flight_id,
            status,
        )


def parse_networks(text: str) -> list[IPv4Network | IPv6Network]:
    """The networks of a comma-separated CIDR list (blank items skipped).

    Raises:
        ValueError: An item is not a network.
    """
    return [ip_network(part.strip(), strict=False) for part in text.split(",") if part.strip()]


def _problems(error: ValidationError) -> str:
    """Which fields are wrong and how, never the values sent."""
    found = [
        f"{'.'.join(map(str, item['loc'])) or 'body'}: {item['msg']}"
        for item in error.errors(include_url=False, include_input=False)[:5]
    ]
    return "The body is not an AeroAPI alert callback: " + "; ".join(found)


def _refusal(
    status: int, error: str, detail: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse({"error": error, "detail": detail}, status_code=status, headers=headers)
