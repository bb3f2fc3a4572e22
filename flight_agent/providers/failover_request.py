"""Book-keeping of one request's walk over the providers, and how it concludes."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from flight_agent.errors import (
    AllProvidersFailedError,
    FlightDateOutOfRangeError,
    InvalidFlightQueryError,
)
from flight_agent.flight_query import FlightQuery
from flight_agent.models import Attempt
from flight_agent.providers.failover_attempt import AttemptResult
from flight_agent.providers.provider_slot import ProviderSlot
from flight_agent.resilience.retry_budget import RetryBudget


@dataclass
class RequestState:
    """What one request has tried so far.

    ``calls`` counts attempts that reached a provider (capped by ``max_attempts``);
    ``failures`` counts attempts and skips that leave the answer open (a provider that failed
    or could not be asked), so "not found" is final only when nothing failed.
    """

    query: FlightQuery
    order: list[ProviderSlot]
    deadline: float | None = None
    attempts: list[Attempt] = field(default_factory=list)
    visited: set[str] = field(default_factory=set)
    tries: Counter[str] = field(default_factory=Counter)
    retryable: dict[str, bool] = field(default_factory=dict)
    calls: int = 0
    not_found: int = 0
    failures: int = 0
    out_of_range: list[FlightDateOutOfRangeError] = field(default_factory=list)

    def skip(self, provider: str, outcome: str, detail: str | None = None) -> None:
        """A provider that could not be asked (open elsewhere, cooling down, no time left)."""
        self.attempts.append(Attempt(provider=provider, outcome=outcome, detail=detail))
        self.failures += 1
        self.retryable[provider] = False

    def record(self, provider: str, result: AttemptResult, budget: RetryBudget) -> None:
        """Fold one attempt's result in; bad input from a provider is raised at once."""
        self.attempts.append(result.attempt)
        if not result.counted:
            # Refused before any call (open breaker, throttled, out of range): asking again
            # in this request would only be refused again.
            self.retryable[provider] = False
            if isinstance(result.error, FlightDateOutOfRangeError):
                self.out_of_range.append(result.error)
            else:
                self.failures += 1
            return
        self.calls += 1
        self.tries[provider] += 1
        if result.error is None:
            budget.record_success()
            self.not_found += result.record is None
            self.retryable[provider] = False
            return
        if isinstance(result.error, InvalidFlightQueryError):
            raise result.error
        budget.record_failure()
        self.failures += 1
        self.retryable[provider] = bool(getattr(result.error, "retryable", False))

    def conclude(self) -> None:
        """No record came back: ``None`` when every answer was "not found", else an error."""
        if self.not_found and not self.failures:
            return
        if self.out_of_range and not self.calls and not self.failures:
            earliest = min(e.earliest for e in self.out_of_range)
            latest = max(e.latest for e in self.out_of_range)
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
            f"no provider could answer for {self.query}: {summary or 'nothing was tried'}",
            attempts=self.attempts,
        )
