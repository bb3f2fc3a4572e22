"""Failover across providers: priority order, breakers, deadlines, retries, cool-downs, health.

One request (``get_flight_status``) walks the providers in priority order, higher first:

* a provider whose breaker is open, that is cooling down after a Retry-After, or whose local
  rate limit has no slot in time is skipped at zero cost;
* each attempt gets ``attempt_timeout`` capped by what is left of ``total_timeout``;
* a retryable failure moves on to the next provider at once; only when every provider has been
  tried is a provider retried, after a full-jitter backoff and only while the retry budget
  allows (``max_attempts`` caps calls across providers);
* "not found" asks the next provider (coverage differs) and is answered ``None`` only when every
  provider that answered agreed; bad input (HTTP 400) is raised at once, never failed over;
* when every breaker is open the highest-priority provider still gets one attempt (panic mode);
* the answer carries ``attempts``: which providers were asked and what each did.

Retries happen here and nowhere else: providers and their HTTP clients never retry.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine, Iterable, Sequence
from datetime import date, datetime
from types import TracebackType
from typing import Any, Self

from flight_agent.clock import SYSTEM_CLOCK, Clock
from flight_agent.errors import (
    AllProvidersFailedError,
    FlightDataError,
    UnknownProviderError,
)
from flight_agent.flight_query import FlightQuery, QueryLike, parse_queries
from flight_agent.models import Attempt, FlightStatusData
from flight_agent.providers.failover_attempt import AttemptResult, call_provider
from flight_agent.providers.failover_config import FailoverConfig
from flight_agent.providers.failover_request import RequestState
from flight_agent.providers.health_monitor import HealthMonitor
from flight_agent.providers.interfaces import FlightDataProvider, ProviderHealth, QueryOutcome
from flight_agent.providers.provider_slot import ProviderSlot
from flight_agent.resilience.backoff import FullJitterBackoff
from flight_agent.resilience.breaker import BreakerState, CircuitBreaker
from flight_agent.resilience.hedging import race_with_hedge
from flight_agent.resilience.retry_budget import RetryBudget
from flight_agent.resilience.shared_state import SharedBreakerState

logger = logging.getLogger(__name__)

MIN_HEDGE_DELAY = 0.05
"""Never hedge sooner than this, whatever the measured p95."""


class FailoverManager:
    """Answers flight-status requests from the best available provider.

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
        self.backoff = FullJitterBackoff(
            self.config.timeout_between_retries, self.config.backoff_cap
        )
        self.panic_requests = 0
        self.hedges_sent = 0
        self._slots: dict[str, ProviderSlot] = {}
        self.health = HealthMonitor(
            self._by_priority,
            interval=self.config.health_check_interval,
            probe_timeout=self.config.attempt_timeout,
            clock=clock,
        )
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

    def usable_providers(self) -> list[FlightDataProvider]:
        """Enabled providers whose breaker admits calls and who are not cooling down."""
        return [
            slot.provider
            for slot in self._by_priority()
            if not slot.is_open() and slot.cooldown_left() == 0
        ]

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

    def _batch_order(self) -> list[ProviderSlot]:
        return sorted(self._by_priority(), key=ProviderSlot.batch_score)

    def _by_priority(self, *, include_disabled: bool = False) -> list[ProviderSlot]:
        slots = [s for s in self._slots.values() if include_disabled or s.enabled]
        return sorted(slots, key=lambda s: -s.provider.priority)

    # ----- single requests ------------------------------------------------------------------

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
        order = self._batch_order() if batch else self._by_priority()
        return await self._run(RequestState(query, order), batch=batch)

    async def _run(self, request: RequestState, *, batch: bool) -> FlightStatusData | None:
        if not request.order:
            raise AllProvidersFailedError("no provider is enabled", attempts=())
        if self._all_open(request.order):
            return await self._panic(request)
        while request.calls < self.config.max_attempts:
            choice = self._next(request)
            if choice is None:
                break
            slot, is_retry = choice
            if is_retry and not await self._wait_before_retry(slot, request):
                break
            if self.config.hedging and not is_retry:
                record = await self._hedged(slot, request, batch=batch)
            else:
                result = await self._attempt(slot, request, batch=batch)
                record = result.record if result is not None else None
            if record is not None:
                return self._answer(record, request)
        request.conclude()
        return None

    async def _hedged(
        self, slot: ProviderSlot, request: RequestState, *, batch: bool
    ) -> FlightStatusData | None:
        """One attempt, hedged on the next available provider if it is slow."""

        def start_hedge() -> Coroutine[Any, Any, AttemptResult | None] | None:
            if not self.budget.allows_extra_call() or request.calls >= self.config.max_attempts:
                return None
            for candidate in request.order:
                usable = not candidate.is_open() and candidate.cooldown_left() == 0
                if candidate.name not in request.visited and usable:
                    request.visited.add(candidate.name)
                    self.hedges_sent += 1
                    return self._attempt(candidate, request, batch=batch)
            return None

        results = await race_with_hedge(
            self._attempt(slot, request, batch=batch),
            start_hedge,
            self._hedge_delay(slot),
            lambda result: result is not None and result.record is not None,
        )
        last = results[-1] if results else None
        return last.record if last is not None else None

    def _hedge_delay(self, slot: ProviderSlot) -> float:
        """The configured delay, else the provider's rolling p95 latency (at least 50 ms)."""
        if self.config.hedge_delay is not None:
            return self.config.hedge_delay
        p95_ms = slot.provider.metrics.latency().p95
        return max(MIN_HEDGE_DELAY, (p95_ms or 0.0) / 1000)

    def _next(self, request: RequestState) -> tuple[ProviderSlot, bool] | None:
        for slot in request.order:
            if slot.name not in request.visited:
                request.visited.add(slot.name)
                return slot, False
        for slot in request.order:
            retries_left = request.tries[slot.name] <= self.config.max_retries_per_provider
            if request.retryable.get(slot.name) and retries_left and not slot.is_open():
                if not self.budget.allows_extra_call():
                    request.attempts.append(Attempt(provider=slot.name, outcome="budget_exhausted"))
                    return None
                return slot, True
        return None

    async def _wait_before_retry(self, slot: ProviderSlot, request: RequestState) -> bool:
        """Back off before re-trying a provider; False when the deadline leaves no time."""
        wait = max(self.backoff.delay(request.tries[slot.name]), slot.cooldown_left())
        if request.deadline is not None:
            left = request.deadline - self.clock.monotonic()
            if wait + self.config.min_attempt_time > left:
                return False
        await asyncio.sleep(wait)
        return True

    async def _attempt(
        self, slot: ProviderSlot, request: RequestState, *, batch: bool, panic: bool = False
    ) -> AttemptResult | None:
        if not panic and slot.cooldown_left() > 0:
            request.skip(
                slot.name, "cooling_down", f"{slot.cooldown_left():.1f} s of Retry-After left"
            )
            return None
        if not panic and await self._open_elsewhere(slot, request):
            return None
        semaphore = slot.batch_slots if batch else None
        if semaphore is not None:
            await semaphore.acquire()
        try:
            if request.deadline is None:
                request.deadline = self.clock.monotonic() + self.config.total_timeout
            remaining = request.deadline - self.clock.monotonic()
            if remaining < self.config.min_attempt_time:
                request.skip(slot.name, "deadline", "no time left in the request's deadline")
                return None
            was_open = slot.is_open()
            try:
                result = await call_provider(
                    slot, request.query, remaining, self.config, panic=panic
                )
            except asyncio.CancelledError:
                request.attempts.append(Attempt(provider=slot.name, outcome="cancelled"))
                raise
        finally:
            if semaphore is not None:
                semaphore.release()
        await self._share_transition(slot, was_open)
        request.record(slot.name, result, self.budget)
        return result

    async def _open_elsewhere(self, slot: ProviderSlot, request: RequestState) -> bool:
        """Whether another process opened this provider's breaker (recorded as a skip)."""
        if self.shared_state is None:
            return False
        left = await self.shared_state.open_elsewhere(slot.name)
        if left is None:
            return False
        request.skip(slot.name, "circuit_open", f"opened by another process, {left:.1f} s left")
        return True

    async def _share_transition(self, slot: ProviderSlot, was_open: bool) -> None:
        """Publish a breaker that just opened, withdraw one that just recovered."""
        if self.shared_state is None or slot.is_open() == was_open:
            return
        if slot.is_open():
            await self.shared_state.publish_open(slot.name, slot.breaker.retry_after() or 0.0)
        else:
            await self.shared_state.clear(slot.name)

    def _all_open(self, order: Sequence[ProviderSlot]) -> bool:
        return all(slot.is_open() for slot in order) and any(
            slot.breaker.state is BreakerState.OPEN for slot in order
        )

    async def _panic(self, request: RequestState) -> FlightStatusData | None:
        """Every breaker is open: refusing all traffic is worse than one try at the best."""
        slot = next(s for s in request.order if s.breaker.state is BreakerState.OPEN)
        self.panic_requests += 1
        logger.warning("every provider's breaker is open; trying %s anyway", slot.name)
        result = await self._attempt(slot, request, batch=False, panic=True)
        if result is not None and result.record is not None:
            return self._answer(result.record, request)
        request.conclude()
        return None

    def _answer(self, record: FlightStatusData, request: RequestState) -> FlightStatusData:
        return record.model_copy(update={"attempts": tuple(request.attempts)})

    # ----- batches --------------------------------------------------------------------------

    async def get_flight_statuses(self, queries: Iterable[QueryLike]) -> list[QueryOutcome]:
        """Answer many queries, one outcome per query in order.

        Providers are ranked for the batch by measured performance (healthy first, then
        success rate and latency averages); each item fails over on its own, and each provider
        runs at most ``batch_concurrency`` items at once.

        Raises:
            InvalidFlightQueryError: An item is malformed (nothing is sent; the message names it).
        """
        parsed = parse_queries(queries)
        order = self._batch_order()

        async def one(query: FlightQuery) -> QueryOutcome:
            try:
                return QueryOutcome(query, await self._run(RequestState(query, order), batch=True))
            except FlightDataError as error:
                return QueryOutcome(query, error=error)

        return list(await asyncio.gather(*(one(query) for query in parsed)))

    # ----- health ---------------------------------------------------------------------------

    async def force_health_check(self) -> dict[str, ProviderHealth]:
        """Probe every enabled provider now; a passing probe re-admits an open provider."""
        return await self.health.check_all()

    async def start(self) -> None:
        """Start the background health monitor (idempotent)."""
        self.health.start()

    # ----- stats and lifetime ---------------------------------------------------------------

    def get_provider_stats(self) -> dict[str, dict[str, Any]]:
        """Per provider: state, breaker figures, success rate, latency, last error, cool-down."""
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
