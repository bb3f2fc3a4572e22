"""Failover across providers: priority order, breakers, deadlines, retries, cool-downs, health.

Every call to a provider goes through ``FailoverManager.call`` (status lookups through
``fetch``): it walks the providers that offer the call in priority order, higher first:

* a provider whose breaker is open, that is cooling down after a Retry-After, or whose local
  rate limit has no slot in time is skipped at zero cost;
* each attempt gets ``attempt_timeout`` capped by what is left of ``total_timeout``;
* a retryable failure moves on to the next provider at once; for status lookups, only when
  every provider has been tried is a provider retried, after a full-jitter backoff and only
  while the retry budget allows (``max_attempts`` caps calls across providers, but the
  simulated provider, which costs no upstream call, is still asked once when they are spent);
* "not found" asks the next provider (coverage differs) and is the answer only when every
  provider that answered agreed; bad input (HTTP 400) is raised at once, never failed over;
* when every breaker is open a status lookup still asks each provider once, in priority
  order, until one answers (panic mode), and says so in the log at most once a minute;
* a status answer carries ``attempts``: which providers were asked and what each did.

Retries happen here and nowhere else: providers and their HTTP clients never retry.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine, Iterable
from datetime import date, datetime
from types import TracebackType
from typing import Any, Self, TypeVar

from flight_agent.clock import SYSTEM_CLOCK, Clock
from flight_agent.errors import AllProvidersFailedError, UnknownProviderError
from flight_agent.flight_query import FlightQuery, QueryLike, parse_queries
from flight_agent.models import FlightStatusData
from flight_agent.providers.failover import operations
from flight_agent.providers.failover.attempt import AttemptResult, ProviderAttempt
from flight_agent.providers.failover.config import FailoverConfig
from flight_agent.providers.failover.health import HealthMonitor
from flight_agent.providers.failover.operations import Operation
from flight_agent.providers.failover.request import RequestState
from flight_agent.providers.failover.slot import ProviderSlot, ProviderStats
from flight_agent.providers.interfaces import FlightDataProvider, ProviderHealth, QueryOutcome
from flight_agent.resilience.breaker import BreakerState, CircuitBreaker
from flight_agent.resilience.hedging import race_with_hedge
from flight_agent.resilience.retry_budget import RetryBudget
from flight_agent.resilience.shared_state import SharedBreakerState

logger = logging.getLogger(__name__)

T = TypeVar("T")

MIN_HEDGE_DELAY = 0.05
"""Never hedge sooner than this, whatever the measured p95."""

PANIC_LOG_INTERVAL = 60.0
"""Seconds between panic-mode warnings: during an outage every request is in panic mode, and
one warning (counting the requests since the last) says as much as one per request."""


class FailoverManager:
    """Answers provider calls from the best available provider.

    Args:
        providers: The providers; higher ``priority`` is tried first.
        config: Timeouts, retries, breakers, budgets; defaults in ``FailoverConfig``.
        clock: Time source (its ``monotonic`` follows the event loop).
        shared_state: Shares breaker OPEN decisions with other processes through Redis.
    """

    def __init__(
        self,
        providers: Iterable[FlightDataProvider],
        config: FailoverConfig | None = None,
        *,
        clock: Clock = SYSTEM_CLOCK,
        shared_state: SharedBreakerState | None = None,
    ) -> None:
        self.config = config or FailoverConfig()
        self.clock = clock
        self.shared_state = shared_state
        self.budget = RetryBudget(self.config.retry_budget_tokens, self.config.retry_budget_ratio)
        self.backoff = self.config.backoff()
        self.panic_requests = 0
        self.hedges_sent = 0
        self._panic_noticed_at = float("-inf")
        self._panic_noticed_requests = 0
        self._slots: dict[str, ProviderSlot] = {}
        self.health = HealthMonitor(self._by_priority, self.config, clock)
        for provider in providers:
            self.add_provider(provider)

    # ----- providers at runtime -------------------------------------------------------------

    def add_provider(self, provider: FlightDataProvider) -> None:
        """Add a provider; names must be unique."""
        if provider.name in self._slots:
            raise ValueError(f"a provider named {provider.name!r} is already configured")
        self._slots[provider.name] = ProviderSlot.build(provider, self.config, self.clock)

    def remove_provider(self, name: str) -> FlightDataProvider:
        """Remove a provider and return it (the caller closes it)."""
        provider = self._slot(name).provider
        del self._slots[name]
        return provider

    def enable(self, name: str) -> None:
        """Let a disabled provider take requests again."""
        self._slot(name).enabled = True

    def disable(self, name: str) -> None:
        """Stop sending requests to a provider without removing it."""
        self._slot(name).enabled = False

    def set_priority(self, name: str, priority: int) -> None:
        """Change a provider's priority (higher is tried first)."""
        self._slot(name).provider.priority = priority

    @property
    def providers(self) -> list[FlightDataProvider]:
        """Every configured provider, highest priority first."""
        return [slot.provider for slot in self._by_priority(include_disabled=True)]

    def breaker(self, name: str) -> CircuitBreaker:
        """The circuit breaker of one provider."""
        return self._slot(name).breaker

    def _slot(self, name: str) -> ProviderSlot:
        try:
            return self._slots[name]
        except KeyError:
            known = ", ".join(self._slots) or "none"
            raise UnknownProviderError(
                f"Unknown provider {name!r}; configured providers: {known}."
            ) from None

    def _by_priority(self, *, include_disabled: bool = False) -> list[ProviderSlot]:
        slots = [s for s in self._slots.values() if include_disabled or s.enabled]
        return sorted(slots, key=lambda s: -s.provider.priority)

    # ----- calls ----------------------------------------------------------------------------

    async def get_flight_status(
        self, ident: str, departure_date: date | datetime, *, origin: str | None = None
    ) -> FlightStatusData | None:
        """Status of one flight from the first provider that can answer.

        Returns:
            The record (with ``source`` and ``attempts``), or ``None`` when every provider
            that answered said the flight does not exist.

        Raises:
            InvalidFlightQueryError: Bad input, or a date no provider covers.
            AllProvidersFailedError: No provider answered; ``attempts`` says why.
        """
        query = FlightQuery.parse(ident, departure_date, origin=origin)
        return await self.fetch(query)

    async def fetch(self, query: FlightQuery, *, batch: bool = False) -> FlightStatusData | None:
        """Answer one validated query (see ``get_flight_status``).

        Args:
            query: The validated query.
            batch: Route as a batch item: providers ranked by measured performance, and each
                provider's batch concurrency bound applies.
        """
        request = self._request(operations.status(query), batch=batch)
        record = await self._run(request, batch=batch)
        if record is None:
            return None
        return record.model_copy(update={"attempts": tuple(request.attempts)})

    async def call(self, operation: Operation[T]) -> T:
        """Make one call (see ``operations``) on the first provider offering it that answers.

        Raises:
            InvalidFlightQueryError: A provider refused the input (nothing is failed over).
            AllProvidersFailedError: No provider offering the call answered; ``attempts``
                says why.
        """
        return await self._run(self._request(operation, batch=False), batch=False)

    async def get_flight_statuses(self, queries: Iterable[QueryLike]) -> list[QueryOutcome]:
        """Answer many queries, one outcome per query in order.

        Providers are ranked for the batch by measured performance (healthy first, then
        success rate and latency); each item fails over on its own, and each provider runs at
        most ``batch_concurrency`` items at once.

        Raises:
            InvalidFlightQueryError: An item is malformed (nothing is sent; the message names it).
        """
        return await QueryOutcome.gather(
            parse_queries(queries), lambda query: self.fetch(query, batch=True)
        )

    def _request(self, operation: Operation[T], *, batch: bool) -> RequestState[T]:
        """A request over the enabled providers offering ``operation``, in routing order."""
        enabled = self._by_priority()
        if batch:
            enabled.sort(key=ProviderSlot.batch_score)
        if not enabled:
            raise AllProvidersFailedError("no provider is enabled", attempts=())
        order = [slot for slot in enabled if operation.offered_by(slot.provider)]
        if not order:
            raise AllProvidersFailedError(f"no enabled provider has {operation.what}", attempts=())
        return RequestState(operation, order, self.config, self.budget, self.clock)

    async def _run(self, request: RequestState[T], *, batch: bool) -> T:
        if request.operation.persistent and self._all_open(request.order):
            self._enter_panic(request)
        while (choice := request.next_provider()) is not None:
            slot, is_retry = choice
            if is_retry and not await self._wait_before_retry(slot, request):
                break
            if self.config.hedging and not is_retry and not request.panic:
                result = await self._hedged(slot, request, batch=batch)
            else:
                result = await self._attempt(slot, request, batch=batch, panic=request.panic)
            if result is not None and result.answer is not None and result.answer.found:
                return result.answer.value
        return request.conclude()

    async def _hedged(
        self, slot: ProviderSlot, request: RequestState[T], *, batch: bool
    ) -> AttemptResult[T] | None:
        """One attempt, hedged on the next usable provider if it is slow."""

        def start_hedge() -> Coroutine[Any, Any, AttemptResult[T]] | None:
            candidate = request.next_hedge()
            if candidate is None:
                return None
            self.hedges_sent += 1
            return self._attempt(candidate, request, batch=batch)

        results = await race_with_hedge(
            self._attempt(slot, request, batch=batch),
            start_hedge,
            self._hedge_delay(slot),
            lambda result: result.answer is not None and result.answer.found,
        )
        return results[-1] if results else None

    def _hedge_delay(self, slot: ProviderSlot) -> float:
        """The configured delay, else the provider's rolling p95 latency (at least 50 ms)."""
        if self.config.hedge_delay is not None:
            return self.config.hedge_delay
        p95_ms = slot.provider.metrics.latency().p95
        return max(MIN_HEDGE_DELAY, (p95_ms or 0.0) / 1000)

    async def _wait_before_retry(self, slot: ProviderSlot, request: RequestState[T]) -> bool:
        """Back off before re-trying a provider; False when the deadline leaves no time."""
        wait = max(self.backoff.delay(request.tries(slot.name)), slot.cooldown_left())
        if wait + self.config.min_attempt_time > request.time_left():
            return False
        await asyncio.sleep(wait)
        return True

    async def _attempt(
        self, slot: ProviderSlot, request: RequestState[T], *, batch: bool, panic: bool = False
    ) -> AttemptResult[T]:
        attempt = ProviderAttempt(
            slot,
            request.operation,
            self.config,
            shared_state=self.shared_state,
            panic=panic,
            batch=batch,
        )
        try:
            result = await attempt.run(request.time_left)
        except asyncio.CancelledError:
            request.cancelled(slot.name)
            raise
        request.record(result)
        return result

    def _all_open(self, order: list[ProviderSlot]) -> bool:
        return all(slot.is_open() for slot in order) and any(
            slot.breaker.state is BreakerState.OPEN for slot in order
        )

    def _enter_panic(self, request: RequestState[T]) -> None:
        """Every breaker is open: refusing all traffic is worse than one try at each provider.

        The warning is rate-limited to one per ``PANIC_LOG_INTERVAL``, counting the requests
        that went into panic mode since the previous one.
        """
        request.enter_panic()
        self.panic_requests += 1
        now = self.clock.monotonic()
        if now - self._panic_noticed_at < PANIC_LOG_INTERVAL:
            return
        logger.warning(
            "every provider's breaker is open; asking each of %s once per request anyway "
            "(%d request(s) in panic mode since the last notice)",
            ", ".join(slot.name for slot in request.order),
            self.panic_requests - self._panic_noticed_requests,
        )
        self._panic_noticed_at = now
        self._panic_noticed_requests = self.panic_requests

    # ----- health, stats and lifetime -------------------------------------------------------

    async def force_health_check(self) -> dict[str, ProviderHealth]:
        """Probe every enabled provider now; a passing probe re-admits an open provider."""
        return await self.health.check_all()

    async def start(self) -> None:
        """Start the background health monitor (idempotent)."""
        self.health.start()

    def get_provider_stats(self) -> dict[str, ProviderStats]:
        """Per provider, highest priority first: breaker state and figures, success rate,
        latency, calls by kind, last error and cool-down."""
        return {slot.name: slot.stats() for slot in self._by_priority(include_disabled=True)}

    async def aclose(self) -> None:
        """Stop the health monitor and close every provider."""
        await self.health.stop()
        await asyncio.gather(*(slot.provider.aclose() for slot in self._slots.values()))

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
