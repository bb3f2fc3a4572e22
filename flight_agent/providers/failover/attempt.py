"""One call to one provider: its permits, its time limit and the accounting of its outcome."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from flight_agent.errors import (
    AuthenticationError,
    FlightDataError,
    FlightDateOutOfRangeError,
    InvalidResponseError,
    ProviderTimeoutError,
    QuotaExhaustedError,
    RateLimitedError,
)
from flight_agent.models import Attempt
from flight_agent.providers.failover.config import FailoverConfig
from flight_agent.providers.failover.operations import Operation
from flight_agent.providers.failover.slot import ProviderSlot
from flight_agent.providers.metrics import NOT_FOUND, SUCCESS, outcome_of
from flight_agent.resilience.breaker_window import classify
from flight_agent.resilience.shared_state import SharedBreakerState

logger = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Answer(Generic[T]):
    """What a provider answered; ``found`` is False for "no such flight"."""

    value: T
    found: bool


@dataclass(frozen=True, slots=True)
class AttemptResult(Generic[T]):
    """What one attempt came to: an answer or an error, and the ``Attempt`` that reports it.

    ``counted`` is False for attempts that never reached the provider (a cool-down, an open
    breaker, no rate-limit slot in time, no time left, a date it does not cover): they cost
    nothing and do not count against ``max_attempts``.
    """

    attempt: Attempt
    answer: Answer[T] | None = None
    error: FlightDataError | None = None
    counted: bool = True


class ProviderAttempt(Generic[T]):
    """One call to one provider, from its permits to its accounting.

    ``run`` asks for the permits in order (no Retry-After cool-down, no OPEN decision from
    another process, time left in the request, a date the provider covers, a local rate-limit
    slot in time, the breaker's permit), bounds the call by the attempt timeout and what the
    deadline leaves, and accounts for the outcome in one place: the breaker, the provider's
    metrics, a Retry-After cool-down and the OPEN decision shared with other processes.

    Args:
        slot: The provider's slot.
        operation: The call to make.
        config: Timeouts, waits and caps.
        shared_state: Where OPEN decisions are shared with other processes, if anywhere.
        panic: Every breaker is open and this is the provider's one try anyway: no permit is
            needed, and an answer closes the breaker.
        batch: The provider's batch concurrency bound applies.
    """

    def __init__(
        self,
        slot: ProviderSlot,
        operation: Operation[T],
        config: FailoverConfig,
        *,
        shared_state: SharedBreakerState | None = None,
        panic: bool = False,
        batch: bool = False,
    ) -> None:
        self.slot = slot
        self.operation = operation
        self.config = config
        self.shared_state = shared_state
        self.panic = panic
        self.batch = batch
        self._guarded = operation.traffic and not panic

    async def run(self, time_left: Callable[[], float]) -> AttemptResult[T]:
        """Make the attempt with at most ``time_left()`` seconds (read once the attempt may
        start: a batch item waiting for its turn spends no deadline)."""
        slot = self.slot
        left = slot.cooldown_left()
        if left > 0 and not self.panic:
            return self._skipped("cooling_down", f"{left:.1f} s of Retry-After left")
        refused = await self._open_elsewhere()
        if refused is not None:
            return refused
        turn = slot.batch_slots if self.batch else contextlib.nullcontext()
        async with turn:
            remaining = time_left()
            if remaining < self.config.min_attempt_time:
                return self._skipped("deadline", "no time left in the request's deadline")
            query = self.operation.query
            if query is not None:
                try:
                    slot.provider.check_date(query)
                except FlightDateOutOfRangeError as out_of_range:
                    attempt = Attempt(
                        provider=slot.name, outcome="out_of_range", detail=out_of_range.message
                    )
                    return AttemptResult(attempt, error=out_of_range, counted=False)
            waited_from = slot.clock.monotonic()
            if not await self._rate_limit_slot(remaining):
                return self._skipped("throttled", "local rate limit had no slot in time")
            remaining -= slot.clock.monotonic() - waited_from  # the wait spends the deadline
            if self._guarded and not slot.breaker.try_acquire():
                retry_after = slot.breaker.retry_after()
                return self._skipped(
                    "circuit_open",
                    f"breaker open, {retry_after:.1f} s left" if retry_after else "breaker open",
                )
            was_open = slot.is_open()
            result = await self._call(min(self.config.attempt_timeout, remaining))
        await self._share_transition(was_open)
        return result

    async def _open_elsewhere(self) -> AttemptResult[T] | None:
        """A skip when another process opened this provider's breaker."""
        if self.shared_state is None or not self._guarded:
            return None
        left = await self.shared_state.open_elsewhere(self.slot.name)
        if left is None:
            return None
        return self._skipped("circuit_open", f"opened by another process, {left:.1f} s left")

    async def _rate_limit_slot(self, remaining: float) -> bool:
        """Wait for a local rate-limit slot while the deadline allows; False when none came."""
        limiter = self.slot.limiter
        if limiter is None:
            return True
        wait = min(self.config.max_rate_limit_wait, remaining - self.config.min_attempt_time)
        if not limiter.has_capacity() and wait <= 0:
            return False
        try:
            async with asyncio.timeout(max(wait, 0.0)):
                await limiter.acquire()
        except TimeoutError:
            return False
        return True

    async def _call(self, limit: float) -> AttemptResult[T]:
        """Make the call within ``limit`` seconds."""
        slot, metrics, traffic = self.slot, self.slot.provider.metrics, self.operation.traffic
        if not traffic:
            metrics.record_probe()  # counted as sent; only traffic is judged
        started = slot.clock.monotonic()
        try:
            async with asyncio.timeout(limit):
                value = await self.operation.call(slot.provider)
        except TimeoutError:
            error: FlightDataError = ProviderTimeoutError(
                f"no answer within {limit:.2f} s", provider=slot.name
            )
        except FlightDataError as caught:
            error = caught
        except asyncio.CancelledError:
            if self._guarded:
                slot.breaker.release()
            if traffic:
                elapsed = slot.clock.monotonic() - started
                metrics.record_abandoned(elapsed, operation=self.operation.name)
            raise
        except Exception as caught:
            # A provider's bug (a mapping error, say) is its failure: fail over, don't escape.
            logger.exception("%s raised an unexpected error", slot.name)
            error = InvalidResponseError(
                f"unexpected {type(caught).__name__} while reading the answer", provider=slot.name
            )
        else:
            return self._answered(value, slot.clock.monotonic() - started)
        return self._failed(error, slot.clock.monotonic() - started)

    def _answered(self, value: T, elapsed: float) -> AttemptResult[T]:
        slot, operation = self.slot, self.operation
        found = operation.found(value)
        if operation.traffic:
            if self.panic:
                slot.breaker.reset()
            else:
                slot.breaker.on_success(elapsed)
            slot.provider.metrics.record_success(elapsed, found=found, operation=operation.name)
        attempt = Attempt(
            provider=slot.name,
            outcome=SUCCESS if found else NOT_FOUND,
            latency_ms=round(elapsed * 1000, 3),
        )
        return AttemptResult(attempt, answer=Answer(value, found))

    def _failed(self, error: FlightDataError, elapsed: float) -> AttemptResult[T]:
        slot, operation = self.slot, self.operation
        if operation.traffic:
            self._judge(error, elapsed)
            slot.provider.metrics.record_error(error, elapsed, operation=operation.name)
        if isinstance(error, RateLimitedError) and error.retry_after is not None:
            slot.cool_down(min(error.retry_after, self.config.max_retry_after))
        attempt = Attempt(
            provider=slot.name,
            outcome=outcome_of(error),
            latency_ms=round(elapsed * 1000, 3),
            detail=error.message,
        )
        # A provider that finds the date outside its range refused the call: it costs nothing.
        counted = not isinstance(error, FlightDateOutOfRangeError)
        return AttemptResult(attempt, error=error, counted=counted)

    def _judge(self, error: FlightDataError, elapsed: float) -> None:
        breaker = self.slot.breaker
        if isinstance(error, AuthenticationError | QuotaExhaustedError):
            # A bad key or a used-up plan will not heal by retrying: open the circuit now.
            breaker.trip()
        elif classify(error) == "failure":
            breaker.on_failure(elapsed)
        else:
            breaker.release()

    def _skipped(self, outcome: str, detail: str) -> AttemptResult[T]:
        return AttemptResult(
            Attempt(provider=self.slot.name, outcome=outcome, detail=detail), counted=False
        )

    async def _share_transition(self, was_open: bool) -> None:
        """Publish a breaker that just opened, withdraw one that just recovered."""
        slot = self.slot
        if self.shared_state is None or slot.is_open() == was_open:
            return
        if slot.is_open():
            await self.shared_state.publish_open(slot.name, slot.breaker.retry_after() or 0.0)
        else:
            await self.shared_state.clear(slot.name)
