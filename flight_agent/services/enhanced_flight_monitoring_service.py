"""The facade every tool, the CLI, the MCP server and the agent call.

``EnhancedFlightMonitoringService`` puts the cache (with single-flight fetches and
stale-if-error) in front of the failover manager, and runs the flight monitor on top. With no
settings at all it runs on the simulated provider and in-process memory; with ``REDIS_URL`` the
cache, the breakers' OPEN decisions and the monitor's watched flights are shared by every
process.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from types import TracebackType
from typing import Self

from flight_agent.cache import FlightCache, MemoryCache, RedisCache, TtlPolicy
from flight_agent.cache.redis_cache import fail_fast_client
from flight_agent.clock import SYSTEM_CLOCK, Clock
from flight_agent.errors import FlightDataError
from flight_agent.flight_query import FlightQuery, QueryLike, parse_queries, schedule_window
from flight_agent.irops import NasStatus, ProgrammeEffect, parse_nas_status, programme_effects
from flight_agent.models import FlightStatusData, ScheduledFlight
from flight_agent.monitoring import ChangeCallback, FlightMonitor, Subscription, WatchState
from flight_agent.monitoring.alerts import (
    AlertReconciler,
    alert_book,
    alert_provider,
    webhook_url,
)
from flight_agent.monitoring.schedule import PollSchedule
from flight_agent.providers import (
    DepartureBoard,
    FailoverConfig,
    FailoverManager,
    FlightDataProvider,
    ProviderHealth,
    ProviderStats,
    QueryOutcome,
)
from flight_agent.providers.failover import operations
from flight_agent.resilience.shared_state import SharedBreakerState
from flight_agent.services.provider_factory import build_providers
from flight_agent.services.stats import ServiceStats
from flight_agent.services.status_lookup import StatusLookup
from flight_agent.settings import Settings

logger = logging.getLogger(__name__)

REDIS_SOCKET_TIMEOUT = 0.25
"""Seconds a Redis command may take before it counts as an outage (a cache must be fast)."""


class EnhancedFlightMonitoringService:
    """Cached, failover-backed flight status and monitoring.

    Args:
        enable_mock_provider: Also add the simulated provider as the last fallback when provider
            keys are set (off by default, so live answers are never mixed with simulated ones;
            with no key set, the simulated provider answers on its own either way).
        check_interval_seconds: The monitor looks for due flights at least this often; each
            watched flight is polled on its own adaptive schedule.
        providers: Use exactly these providers instead of the ones settings describe.
        cache: Use this cache instead of the one ``REDIS_URL`` describes (it is not closed by
            the service).
        settings: Configuration; read from the environment when omitted.
        clock: Time source.
        config: Failover settings (timeouts, retries, breakers).
        ttl_policy: How long answers stay fresh by flight phase.
    """

    def __init__(
        self,
        enable_mock_provider: bool = False,
        check_interval_seconds: float = 300,
        *,
        providers: Iterable[FlightDataProvider] | None = None,
        cache: FlightCache | None = None,
        settings: Settings | None = None,
        clock: Clock | None = None,
        config: FailoverConfig | None = None,
        ttl_policy: TtlPolicy | None = None,
    ) -> None:
        if check_interval_seconds <= 0:
            raise ValueError("check_interval_seconds must be positive")
        self.settings = settings or Settings()
        self.clock = clock or SYSTEM_CLOCK
        url = self.settings.redis_url
        self._redis = fail_fast_client(url, REDIS_SOCKET_TIMEOUT) if url else None
        self._owns_cache = cache is None
        if cache is None:
            cache = (
                RedisCache(url, client=self._redis, clock=self.clock)
                if url and self._redis is not None
                else MemoryCache(clock=self.clock)
            )
        self.cache = cache
        if providers is None:
            providers = build_providers(
                self.settings, enable_mock=enable_mock_provider, clock=self.clock
            )
        shared = SharedBreakerState(self._redis, clock=self.clock) if self._redis else None
        self.failover_manager = FailoverManager(
            providers, config, clock=self.clock, shared_state=shared
        )
        self.lookup = StatusLookup(
            self.failover_manager.fetch, self.cache, ttl_policy, clock=self.clock
        )
        self.nas_status: NasStatus | None = None
        """The FAA airport programmes in force, once ``load_nas_status`` was given a feed."""
        self.monitor = FlightMonitor(
            self.lookup,
            redis=self._redis,
            check_interval=check_interval_seconds,
            clock=self.clock,
            boards=self.departure_board,
            schedule=PollSchedule.with_safety_net(self.settings.flight_agent_alert_safety_net),
            lease=timedelta(seconds=self.settings.flight_agent_monitor_lease_seconds),
            alerts=self._alert_reconciler(),
        )

    def _alert_reconciler(self) -> AlertReconciler | None:
        """Push alerts for watched flights, when a provider can push and the webhook's public
        URL is configured (``FLIGHT_AGENT_PUBLIC_URL`` and ``FLIGHT_AGENT_ALERT_SECRET``)."""
        provider = alert_provider(self.failover_manager.providers)
        target = webhook_url(self.settings)
        if provider is None or target is None:
            return None
        return AlertReconciler(provider, alert_book(self._redis), target_url=target)

    # ----- status -----------------------------------------------------------------------------

    async def get_flight_status_with_failover(
        self,
        ident: str,
        departure_date: date | datetime,
        *,
        origin: str | None = None,
        refresh: bool = False,
    ) -> FlightStatusData | None:
        """Status of one flight: from the cache when fresh, else from the best provider.

        Args:
            ident: A flight designator such as ``BA117`` or ``BAW117``.
            departure_date: The local departure date (a ``date`` or an aware ``datetime``).
            origin: The departure airport, to pick one leg of a multi-leg flight number.
            refresh: Ask the providers even when the cache holds a fresh answer.

        Returns:
            The record, ``stale=True`` when served from the last known copy during an outage;
            None when the providers agree the flight does not exist.

        Raises:
            InvalidFlightQueryError: Bad designator, date or airport, or a date no provider
                covers (the message says what would work).
            AllProvidersFailedError: No provider answered and no earlier copy exists.
        """
        query = FlightQuery.parse(ident, departure_date, origin=origin)
        return await self.lookup.get(query, refresh=refresh)

    async def get_batch_status(
        self, queries: Iterable[QueryLike], *, refresh: bool = False
    ) -> list[QueryOutcome]:
        """Status of many flights, one outcome per query in order.

        Every item is validated before anything is fetched; cached items answer at once, and
        the rest are fetched as one batch (providers ranked by measured performance).

        Raises:
            InvalidFlightQueryError: An item is malformed; its position is named.
        """
        return await QueryOutcome.gather(
            parse_queries(queries),
            lambda query: self.lookup.get(query, refresh=refresh, batch=True),
        )

    async def get_inbound_flight(self, record: FlightStatusData) -> FlightStatusData | None:
        """The aircraft's previous flight, from the provider that gave ``record`` (the id it
        names means nothing to the others), asked once.

        Returns:
            The inbound record, or None when the record names none, its provider cannot look
            flights up by id or cannot be asked now, or the lookup fails (the inbound is a
            refinement, not a must).
        """
        if record.inbound_flight_id is None:
            return None
        operation = operations.flight_by_id(record.source, record.inbound_flight_id)
        try:
            return await self.failover_manager.call(operation)
        except FlightDataError as error:
            logger.info("inbound flight of %s unavailable: %s", record.flight_id, error)
            return None

    async def find_alternative_flights(
        self, origin: str, destination: str, start: datetime, end: datetime
    ) -> list[ScheduledFlight]:
        """Scheduled flights from ``origin`` to ``destination`` departing in [start, end).

        Providers with schedules are asked once each, in priority order, through the failover
        engine (open and cooling-down providers are skipped); the first answer wins.

        Raises:
            InvalidFlightQueryError: Unknown airports or a bad window.
            AllProvidersFailedError: No provider with schedules answered.
        """
        schedule_window(origin, destination, start, end)
        return await self.failover_manager.call(
            operations.schedules(origin, destination, start, end)
        )

    async def departure_board(
        self,
        airport: str,
        start: datetime,
        end: datetime,
        *,
        airline: str | None = None,
        max_pages: int = 1,
    ) -> DepartureBoard:
        """The flights leaving ``airport`` in [start, end) (by scheduled take-off) that have not
        taken off yet, optionally of one airline (ICAO code), in at most ``max_pages`` result
        sets: one call for many flights, which the monitor uses for flights leaving together.

        Providers with departure boards are asked once each, in priority order, through the
        failover engine (open and cooling-down providers are skipped; a Retry-After cools the
        provider for every kind of call); the first answer wins.

        Raises:
            InvalidFlightQueryError: Unknown airport or airline, or a bad window.
            AllProvidersFailedError: No provider with departure boards answered.
        """
        return await self.failover_manager.call(
            operations.departure_board(airport, start, end, airline=airline, max_pages=max_pages)
        )

    def load_nas_status(self, document: str | bytes) -> NasStatus:
        """Take in the FAA NAS status feed (the XML of nasstatus.faa.gov, fetched by the caller);
        ``assess_disruption`` then reports the programmes holding flights up.

        Raises:
            InvalidResponseError: Not a NAS status document (or an unsafe one).
        """
        self.nas_status = parse_nas_status(document, received_at=self.clock.now())
        return self.nas_status

    # ----- monitoring -------------------------------------------------------------------------

    async def watch(
        self, ident: str, departure_date: date | datetime, *, origin: str | None = None
    ) -> WatchState:
        """Start monitoring a flight; its changes arrive through ``changes()`` and callbacks."""
        return await self.monitor.watch(FlightQuery.parse(ident, departure_date, origin=origin))

    async def unwatch(
        self, ident: str, departure_date: date | datetime, *, origin: str | None = None
    ) -> bool:
        """Stop monitoring a flight; False when it was not watched."""
        return await self.monitor.unwatch(FlightQuery.parse(ident, departure_date, origin=origin))

    async def watched(self) -> list[WatchState]:
        """The flights being monitored, by this and every process sharing Redis."""
        return await self.monitor.watched()

    def changes(self) -> Subscription:
        """An async iterator of change events from now on; ``close()`` it when done."""
        return self.monitor.feed.subscribe()

    def on_change(self, callback: ChangeCallback) -> Callable[[], None]:
        """Call ``callback(change)`` (sync or async) for every change event.

        Returns:
            A function that removes the callback.
        """
        return self.monitor.feed.add_callback(callback)

    # ----- health and stats -------------------------------------------------------------------

    async def force_health_check(self) -> dict[str, ProviderHealth]:
        """Probe every provider now; a passing probe re-admits a provider whose circuit opened."""
        return await self.failover_manager.force_health_check()

    def get_provider_stats(self) -> dict[str, ProviderStats]:
        """Per provider, highest priority first: breaker state, success rate, latency, calls
        by kind, last error, cool-down."""
        return self.failover_manager.get_provider_stats()

    def get_service_stats(self) -> ServiceStats:
        """Cache effectiveness, upstream cost, stale answers, monitoring and provider figures."""
        lookups = self.lookup.stats
        return ServiceStats(
            requests=lookups.requests,
            cache_hit_rate=round(lookups.hit_rate, 4),
            cache=self.cache.snapshot(),
            upstream_fetches=lookups.fetches,
            upstream_calls_by_provider=dict(lookups.provider_calls),
            coalesced_requests=lookups.coalesced,
            stale_answers=lookups.stale_answers,
            monitoring=self.monitor.stats(),
            providers=self.get_provider_stats(),
        )

    # ----- lifetime ---------------------------------------------------------------------------

    async def start(self) -> None:
        """Start the provider health monitor and the flight monitor (idempotent)."""
        await self.failover_manager.start()
        self.monitor.start()

    async def aclose(self) -> None:
        """Stop background work and close providers, the cache it built and Redis."""
        try:
            await self.monitor.stop()
            await self.failover_manager.aclose()
        finally:
            try:
                if self._owns_cache:
                    await self.cache.aclose()
            finally:
                if self._redis is not None:
                    await self._redis.aclose()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    # ----- what the tools read ----------------------------------------------------------------

    def now(self) -> datetime:
        """The present on the service's clock (fixed in tests, accelerated in replays)."""
        return self.clock.now()

    def supported_dates(self) -> tuple[date, date]:
        """The first and last local departure dates some provider answers for: their ranges
        together, as a status lookup for a date outside all of them is refused."""
        today = self.clock.now().date()
        ranges = [provider.supported_dates(today) for provider in self.failover_manager.providers]
        earliest = min((first for first, _ in ranges), default=today)
        latest = max((last for _, last in ranges), default=today)
        return earliest, latest

    async def get_status(
        self, query: FlightQuery, *, batch: bool = False
    ) -> FlightStatusData | None:
        """Status of one parsed query, as ``get_flight_status_with_failover`` gives it.

        Args:
            query: The flight, date and origin.
            batch: Fetch it as one item of many (providers ranked by measured performance).

        Returns:
            The record (``stale=True`` when served from the last known copy during an outage),
            or None when the providers agree the flight does not exist.

        Raises:
            AllProvidersFailedError: No provider answered and no earlier copy exists.
        """
        return await self.lookup.get(query, batch=batch)

    async def last_snapshot(self, query: FlightQuery) -> FlightStatusData | None:
        """The record of the monitor's last poll of a watched flight (None if not watched)."""
        return await self.monitor.last_snapshot(query)

    def programme_effects(self, record: FlightStatusData) -> list[ProgrammeEffect]:
        """The FAA airport programmes holding the flight up; none before ``load_nas_status``."""
        if self.nas_status is None:
            return []
        return list(programme_effects(record, self.nas_status))


def default_service() -> EnhancedFlightMonitoringService:
    """The service the tools, the CLI and the MCP server build from the environment.

    Live providers for the keys that are set, and no simulated fallback beside them, so an
    outage shows as stale data or an error rather than as invented flights; with no key at
    all, the simulated provider alone.
    """
    return EnhancedFlightMonitoringService()
