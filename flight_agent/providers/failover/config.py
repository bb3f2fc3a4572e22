"""Failover settings: the seed's five fields plus deadlines, backoff, budgets and breakers.

Defaults are common starting points for HTTP APIs (resilience4j, Envoy, gRPC and Google SRE
practice), to be tuned against measured provider latency. Validation refuses combinations that
cannot work: an attempt longer than the whole deadline, a time window shorter than two attempts,
or backoffs that alone outlast the deadline.
"""

from __future__ import annotations

from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from flight_agent.resilience.backoff import FullJitterBackoff
from flight_agent.resilience.breaker_config import BreakerConfig, WindowType


class RateLimit(BaseModel):
    """At most ``requests`` calls per ``period`` seconds to one provider, at most ``burst`` of
    them at once (a leaky bucket: over any ``period`` at most ``requests + burst`` calls).

    ``burst`` defaults to ``requests`` (the whole quota may go at once). To stay under a
    provider's quota of Q calls per period, counted in fixed windows, use a small burst and
    ``requests = Q - burst``: no window then ever sees more than Q calls.
    """

    model_config = ConfigDict(frozen=True)

    requests: float = Field(gt=0)
    period: float = Field(default=1.0, gt=0)
    burst: float | None = Field(default=None, ge=1)

    def bucket(self) -> tuple[float, float]:
        """``(capacity, seconds to drain it)`` of the leaky bucket that enforces the limit."""
        capacity = self.requests if self.burst is None else self.burst
        return capacity, self.period * capacity / self.requests


DEFAULT_MAX_OPEN_DURATION = 300.0
"""The open period's default cap, raised to ``circuit_breaker_timeout`` when that is longer."""


class FailoverConfig(BaseModel):
    """How the failover manager spends a request's time and attempts.

    The first five fields are the seed's names: ``max_retries_per_provider`` (same-provider
    retries after the first attempt), ``timeout_between_retries`` (the full-jitter backoff base,
    seconds), ``health_check_interval`` (seconds between probes), ``circuit_breaker_threshold``
    (consecutive failures that open a breaker) and ``circuit_breaker_timeout`` (the first open
    period, seconds; it doubles on each re-open up to ``max_open_duration``).

    The breaker's defaults keep a provider that fails a minority of its calls: over the last
    100 calls (decided from 50) it opens at a 50 % failure rate, or after 10 failures in a row.
    A provider answering 503 to 30 % of its calls keeps all its traffic (its failures fail over
    at once); with a 20-call window deciding from 10 calls and 5 failures in a row, chance
    alone opened such a provider every few hundred calls and its half-open probes often
    reopened it, so it answered about 2 % of lookups (benchmark 4b). A provider that fails
    every call is still skipped after 10 of them.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    max_retries_per_provider: int = Field(default=2, ge=0)
    timeout_between_retries: float = Field(default=0.2, gt=0)
    health_check_interval: float = Field(default=300.0, gt=0)
    circuit_breaker_threshold: int = Field(default=10, ge=1)
    circuit_breaker_timeout: float = Field(default=30.0, gt=0)

    attempt_timeout: float = Field(default=3.0, gt=0, description="Seconds per attempt")
    total_timeout: float = Field(default=10.0, gt=0, description="The request's deadline")
    max_attempts: int = Field(
        default=3,
        ge=1,
        description="Calls per request, across providers; a provider that answers locally "
        "(the simulated one) is still asked once when they are spent",
    )
    min_attempt_time: float = Field(
        default=0.05, gt=0, description="No attempt starts with less time than this left"
    )
    backoff_cap: float = Field(default=5.0, gt=0)
    max_retry_after: float = Field(default=60.0, gt=0)
    retry_budget_tokens: float = Field(default=10.0, gt=0)
    retry_budget_ratio: float = Field(default=0.1, ge=0)

    breaker_window_type: WindowType = WindowType.COUNT
    breaker_window_size: int = Field(default=100, ge=1)
    breaker_minimum_calls: int = Field(default=50, ge=1)
    breaker_failure_rate: float = Field(default=50.0, gt=0, le=100)
    breaker_slow_call_duration: float = Field(default=2.5, gt=0)
    breaker_slow_call_rate: float = Field(default=80.0, gt=0, le=100)
    breaker_half_open_probes: int = Field(default=3, ge=1)
    max_open_duration: float | None = Field(
        default=None,
        gt=0,
        description="Cap of the growing open period; default max(300 s, circuit_breaker_timeout)",
    )
    open_duration_jitter: float = Field(default=0.1, ge=0)

    hedging: bool = False
    hedge_delay: float | None = Field(
        default=None, gt=0, description="Fixed hedge delay; None uses the provider's rolling p95"
    )
    batch_concurrency: int = Field(default=16, ge=1, description="Per provider, in batches")
    rate_limits: dict[str, RateLimit] = Field(
        default_factory=dict, description="Per provider name: the quota to stay under"
    )
    max_rate_limit_wait: float = Field(
        default=1.0, ge=0, description="Longest local wait for a rate-limit slot"
    )

    @model_validator(mode="after")
    def _refuse_unsafe_combinations(self) -> Self:
        if self.attempt_timeout > self.total_timeout:
            raise ValueError(
                f"attempt_timeout ({self.attempt_timeout} s) exceeds total_timeout "
                f"({self.total_timeout} s): no attempt could ever use its full time"
            )
        if (
            self.breaker_window_type is WindowType.TIME
            and self.breaker_window_size < 2 * self.attempt_timeout
        ):
            raise ValueError(
                f"a TIME breaker window of {self.breaker_window_size} s is shorter than two "
                f"attempts ({2 * self.attempt_timeout} s): it could never see a trend"
            )
        if self.worst_case_backoff() > self.total_timeout:
            raise ValueError(
                f"the longest backoffs ({self.worst_case_backoff():.2f} s) exceed total_timeout "
                f"({self.total_timeout} s): retries could only ever time out"
            )
        if self.max_open_duration is not None and (
            self.max_open_duration < self.circuit_breaker_timeout
        ):
            raise ValueError("max_open_duration must be at least circuit_breaker_timeout")
        return self

    def backoff(self) -> FullJitterBackoff:
        """The waits before same-provider retries."""
        return FullJitterBackoff(self.timeout_between_retries, self.backoff_cap)

    def worst_case_backoff(self) -> float:
        """The sum of the largest waits one request could spend backing off."""
        backoff = self.backoff()
        return sum(backoff.bound(n) for n in range(1, self.max_attempts))

    def breaker_config(self) -> BreakerConfig:
        """The per-provider circuit breaker settings."""
        return BreakerConfig(
            window_type=self.breaker_window_type,
            window_size=self.breaker_window_size,
            minimum_calls=self.breaker_minimum_calls,
            failure_rate_threshold=self.breaker_failure_rate,
            slow_call_duration=self.breaker_slow_call_duration,
            slow_call_rate_threshold=self.breaker_slow_call_rate,
            consecutive_failures=self.circuit_breaker_threshold,
            open_duration=self.circuit_breaker_timeout,
            max_open_duration=self.max_open_duration
            or max(DEFAULT_MAX_OPEN_DURATION, self.circuit_breaker_timeout),
            open_jitter=self.open_duration_jitter,
            half_open_probes=self.breaker_half_open_probes,
            max_half_open_wait=2 * self.attempt_timeout,
        )
