"""One request's walk over the providers: who is asked next, what each attempt came to, and
how the request concludes when no provider found an answer."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from flight_agent.clock import Clock
from flight_agent.errors import (
    AllProvidersFailedError,
    FlightDateOutOfRangeError,
    InvalidFlightQueryError,
)
from flight_agent.models import Attempt
from flight_agent.providers.failover.attempt import AttemptResult
from flight_agent.providers.failover.config import FailoverConfig
from flight_agent.providers.failover.operations import Operation
from flight_agent.providers.failover.slot import ProviderSlot
from flight_agent.resilience.breaker import BreakerState
from flight_agent.resilience.retry_budget import RetryBudget

T = TypeVar("T")


@dataclass
class RequestState(Generic[T]):
    """What one request has tried so far; it changes only through its methods.

    ``calls`` counts attempts that reached a provider (capped by ``max_attempts``);
    ``failures`` counts attempts and skips that leave the answer open (a provider that failed
    or could not be asked), so "not found" is final only when nothing failed. ``panic`` is
    set when every breaker was open as the request began (``enter_panic``).
    """

    operation: Operation[T]
    order: list[ProviderSlot]
    config: FailoverConfig
    budget: RetryBudget
    clock: Clock
    attempts: list[Attempt] = field(default_factory=list, init=False)
    calls: int = field(default=0, init=False)
    failures: int = field(default=0, init=False)
    panic: bool = field(default=False, init=False)
    _deadline: float | None = field(default=None, init=False)
    _visited: set[str] = field(default_factory=set, init=False)
    _tries: Counter[str] = field(default_factory=Counter, init=False)
    _retryable: dict[str, bool] = field(default_factory=dict, init=False)
    _not_found: list[T] = field(default_factory=list, init=False)
    _out_of_range: list[FlightDateOutOfRangeError] = field(default_factory=list, init=False)

    def time_left(self) -> float:
        """Seconds left before the deadline, which starts with the first attempt."""
        now = self.clock.monotonic()
        if self._deadline is None:
            self._deadline = now + self.config.total_timeout
        return self._deadline - now

    def tries(self, provider: str) -> int:
        """Attempts that reached ``provider`` in this request."""
        return self._tries[provider]

    def enter_panic(self) -> None:
        """Every breaker is open: ask each provider whose breaker opened once, in order, with
        no retries (a breaker an operator forced open still keeps its provider out)."""
        self.panic = True
        self.order = [slot for slot in self.order if slot.breaker.state is BreakerState.OPEN]

    def next_provider(self) -> tuple[ProviderSlot, bool] | None:
        """The provider to ask next and whether it is a retry; None when the request is done.

        Every provider is asked once, in order, while the request's attempts allow; a provider
        that answers locally costs no upstream call and is asked even when they are spent, so
        the attempt cap never makes the simulated fallback unreachable. Then, for a persistent
        operation outside panic mode, a provider whose failure may pass is retried while its
        retries, the request's attempts and the retry budget allow.
        """
        capped = self.calls >= self.config.max_attempts
        for slot in self.order:
            if slot.name not in self._visited and (not capped or slot.provider.answers_locally):
                self._visited.add(slot.name)
                return slot, False
        if capped or self.panic or not self.operation.persistent:
            return None
        for slot in self.order:
            retries_left = self._tries[slot.name] <= self.config.max_retries_per_provider
            if self._retryable.get(slot.name) and retries_left and not slot.is_open():
                if not self.budget.allows_extra_call():
                    self.attempts.append(Attempt(provider=slot.name, outcome="budget_exhausted"))
                    return None
                return slot, True
        return None

    def next_hedge(self) -> ProviderSlot | None:
        """A provider to hedge a slow attempt on: the next one not asked yet that is usable
        now, while the attempts and the retry budget allow an extra call."""
        if self.calls >= self.config.max_attempts or not self.budget.allows_extra_call():
            return None
        for slot in self.order:
            if slot.name not in self._visited and slot.usable():
                self._visited.add(slot.name)
                return slot
        return None

    def cancelled(self, provider: str) -> None:
        """An attempt given up (a lost hedge race, or a caller that went away)."""
        self.attempts.append(Attempt(provider=provider, outcome="cancelled"))

    def record(self, result: AttemptResult[T]) -> None:
        """Fold one attempt's result in; bad input from a provider is raised at once."""
        provider = result.attempt.provider
        self.attempts.append(result.attempt)
        if not result.counted:
            # Refused before any call (cooling down, open breaker, throttled, no time left,
            # out of range): asking again in this request would only be refused again.
            self._retryable[provider] = False
            if isinstance(result.error, FlightDateOutOfRangeError):
                self._out_of_range.append(result.error)
            else:
                self.failures += 1
            return
        self.calls += 1
        self._tries[provider] += 1
        if result.answer is not None:
            self.budget.record_success()
            if not result.answer.found:
                self._not_found.append(result.answer.value)
            self._retryable[provider] = False
            return
        if isinstance(result.error, InvalidFlightQueryError):
            raise result.error
        self.budget.record_failure()
        self.failures += 1
        self._retryable[provider] = bool(getattr(result.error, "retryable", False))

    def conclude(self) -> T:
        """No provider found an answer: "not found" when every answer said so, else an error.

        Raises:
            FlightDateOutOfRangeError: No provider covers the date; the message gives the
                dates they cover together.
            AllProvidersFailedError: A provider failed or could not be asked; ``attempts``
                says why.
        """
        if self._not_found and not self.failures:
            return self._not_found[-1]
        if self._out_of_range and not self.calls and not self.failures:
            earliest = min(e.earliest for e in self._out_of_range)
            latest = max(e.latest for e in self._out_of_range)
            raise FlightDateOutOfRangeError(
                f"no provider answers for that date; together they cover {earliest.isoformat()} "
                f"to {latest.isoformat()}",
                earliest=earliest,
                latest=latest,
            )
        summary = "; ".join(
            f"{a.provider}: {a.outcome}" + (f" ({a.detail})" if a.detail else "")
            for a in self.attempts
        )
        raise AllProvidersFailedError(
            f"{self.operation.failure}: {summary or 'nothing was tried'}",
            attempts=self.attempts,
        )
