"""One guarded call to one provider: rate limit, breaker permit, timeout, outcome accounting."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from flight_agent.errors import (
    AuthenticationError,
    FlightDataError,
    FlightDateOutOfRangeError,
    InvalidFlightQueryError,
    InvalidResponseError,
    ProviderTimeoutError,
    QuotaExhaustedError,
    RateLimitedError,
)
from flight_agent.flight_query import FlightQuery
from flight_agent.models import Attempt, FlightStatusData
from flight_agent.providers.failover_config import FailoverConfig
from flight_agent.providers.metrics import NOT_FOUND, SUCCESS, outcome_of
from flight_agent.providers.provider_slot import ProviderSlot
from flight_agent.resilience.breaker import classify

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class AttemptResult:
    """What one call came to.

    ``counted`` is False for calls that never reached the provider (open breaker, no
    rate-limit slot in time, a date it does not cover): they cost nothing and do not count
    against ``max_attempts``.
    """

    attempt: Attempt
    record: FlightStatusData | None = None
    error: FlightDataError | None = None
    counted: bool = True


def _skipped(slot: ProviderSlot, outcome: str, detail: str | None = None) -> AttemptResult:
    return AttemptResult(Attempt(provider=slot.name, outcome=outcome, detail=detail), counted=False)


async def _rate_limit_slot(slot: ProviderSlot, wait: float) -> bool:
    """Wait up to ``wait`` seconds for a local rate-limit slot; False when none came."""
    if slot.limiter is None:
        return True
    if not slot.limiter.has_capacity() and wait <= 0:
        return False
    try:
        async with asyncio.timeout(max(wait, 0.0)):
            await slot.limiter.acquire()
    except TimeoutError:
        return False
    return True


async def call_provider(
    slot: ProviderSlot,
    query: FlightQuery,
    remaining: float,
    config: FailoverConfig,
    *,
    panic: bool = False,
) -> AttemptResult:
    """Make one guarded attempt with at most ``remaining`` seconds."""
    provider = slot.provider
    try:
        provider.check_date(query)
    except FlightDateOutOfRangeError as out_of_range:
        return AttemptResult(
            Attempt(provider=slot.name, outcome="out_of_range", detail=out_of_range.message),
            error=out_of_range,
            counted=False,
        )
    wait = min(config.max_rate_limit_wait, remaining - config.min_attempt_time)
    waited_from = slot.clock.monotonic()
    if not await _rate_limit_slot(slot, wait):
        return _skipped(slot, "throttled", "local rate limit had no slot in time")
    remaining -= slot.clock.monotonic() - waited_from  # the wait spends the deadline too
    if not panic and not slot.breaker.try_acquire():
        retry_after = slot.breaker.retry_after()
        detail = f"breaker open, {retry_after:.1f} s left" if retry_after else "breaker open"
        return _skipped(slot, "circuit_open", detail)
    timeout = min(config.attempt_timeout, remaining)
    started = slot.clock.monotonic()
    try:
        async with asyncio.timeout(timeout):
            record = await provider.fetch(query)
    except TimeoutError:
        error: FlightDataError = ProviderTimeoutError(
            f"no answer within {timeout:.2f} s", provider=slot.name
        )
        provider.metrics.record_error(error, slot.clock.monotonic() - started)
    except FlightDataError as caught:
        error = caught
    except asyncio.CancelledError:
        slot.breaker.release()
        provider.metrics.record_abandoned(slot.clock.monotonic() - started)
        raise
    except Exception as caught:
        # A provider's bug (a mapping error, say) is its failure: fail over, don't escape.
        logger.exception("%s raised an unexpected error", slot.name)
        error = InvalidResponseError(
            f"unexpected {type(caught).__name__} while reading the answer", provider=slot.name
        )
        provider.metrics.record_error(error, slot.clock.monotonic() - started)
    else:
        elapsed = slot.clock.monotonic() - started
        if panic:
            slot.breaker.reset()
        else:
            slot.breaker.on_success(elapsed)
        slot.record(True, elapsed)
        outcome = SUCCESS if record is not None else NOT_FOUND
        return AttemptResult(
            Attempt(provider=slot.name, outcome=outcome, latency_ms=round(elapsed * 1000, 3)),
            record=record,
        )
    elapsed = slot.clock.monotonic() - started
    _judge(slot, error, elapsed, config)
    attempt = Attempt(
        provider=slot.name,
        outcome=outcome_of(error),
        latency_ms=round(elapsed * 1000, 3),
        detail=error.message,
    )
    return AttemptResult(
        attempt, error=error, counted=not isinstance(error, FlightDateOutOfRangeError)
    )


def _judge(
    slot: ProviderSlot, error: FlightDataError, elapsed: float, config: FailoverConfig
) -> None:
    """Feed a failure to the breaker, the averages and the cool-down."""
    if isinstance(error, AuthenticationError | QuotaExhaustedError):
        # A bad key or a used-up plan will not heal by retrying: open the circuit now.
        slot.breaker.trip()
    elif classify(error) == "failure":
        slot.breaker.on_failure(elapsed)
    else:
        slot.breaker.release()
    if not isinstance(error, InvalidFlightQueryError):
        slot.record(False, elapsed)
    if isinstance(error, RateLimitedError) and error.retry_after is not None:
        slot.cool_down(min(error.retry_after, config.max_retry_after))
