"""Per-provider request metrics: outcome counts by class, latency percentiles, last error."""

from __future__ import annotations

import math
from collections import Counter, deque
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flight_agent.clock import SYSTEM_CLOCK, Clock
from flight_agent.errors import (
    AuthenticationError,
    FlightDataError,
    InvalidFlightQueryError,
    InvalidResponseError,
    ProviderTimeoutError,
    ProviderUnavailableError,
    QuotaExhaustedError,
    RateLimitedError,
)

SUCCESS = "success"
NOT_FOUND = "not_found"

_OUTCOME_BY_ERROR: tuple[tuple[type[FlightDataError], str], ...] = (
    (InvalidFlightQueryError, "invalid_query"),
    (ProviderTimeoutError, "timeout"),
    (ProviderUnavailableError, "unavailable"),
    (QuotaExhaustedError, "quota_exhausted"),
    (RateLimitedError, "rate_limited"),
    (AuthenticationError, "auth"),
    (InvalidResponseError, "invalid_response"),
)


def outcome_of(error: BaseException) -> str:
    """The outcome class of an error, e.g. 'timeout' or 'rate_limited'."""
    for error_type, label in _OUTCOME_BY_ERROR:
        if isinstance(error, error_type):
            return label
    return "error"


@dataclass(frozen=True, slots=True)
class LatencyPercentiles:
    """Latency percentiles in milliseconds over the recent window (None without samples)."""

    p50: float | None
    p95: float | None
    p99: float | None


class ProviderMetrics:
    """Counts and timings of one provider's calls.

    Args:
        clock: Source of wall time for the last-error and last-success stamps.
        window: How many recent latencies the percentiles are computed over.
    """

    def __init__(self, clock: Clock = SYSTEM_CLOCK, window: int = 1000) -> None:
        self._clock = clock
        self._latencies: deque[float] = deque(maxlen=window)
        self.outcomes: Counter[str] = Counter()
        self.last_error: str | None = None
        self.last_error_at: datetime | None = None
        self.last_success_at: datetime | None = None

    @property
    def requests(self) -> int:
        """Calls recorded, whatever their outcome."""
        return sum(self.outcomes.values())

    @property
    def success_rate(self) -> float | None:
        """Share of answered calls (success or not found) among all calls; None before any."""
        total = self.requests
        if not total:
            return None
        return (self.outcomes[SUCCESS] + self.outcomes[NOT_FOUND]) / total

    def record_success(self, latency_s: float, *, found: bool = True) -> None:
        """Record an answered call; ``found=False`` for a definite "no such flight"."""
        self.outcomes[SUCCESS if found else NOT_FOUND] += 1
        self._latencies.append(latency_s * 1000.0)
        self.last_success_at = self._clock.now()

    def record_error(self, error: BaseException, latency_s: float | None = None) -> None:
        """Record a failed call; the error's text is kept (errors never carry secrets)."""
        self.outcomes[outcome_of(error)] += 1
        if latency_s is not None:
            self._latencies.append(latency_s * 1000.0)
        self.last_error = str(error)
        self.last_error_at = self._clock.now()

    def record_abandoned(self, latency_s: float) -> None:
        """Record how long a call ran before it was cancelled (a lost hedge race, say).

        It counts no outcome, but the time is a lower bound of the call's latency; leaving it
        out would hide exactly the slow calls and pull the percentiles down.
        """
        self._latencies.append(latency_s * 1000.0)

    def latency(self) -> LatencyPercentiles:
        """Nearest-rank percentiles of the recent latencies."""
        if not self._latencies:
            return LatencyPercentiles(None, None, None)
        ordered = sorted(self._latencies)

        def rank(p: float) -> float:
            return ordered[max(0, math.ceil(p * len(ordered)) - 1)]

        return LatencyPercentiles(rank(0.50), rank(0.95), rank(0.99))

    def snapshot(self) -> dict[str, Any]:
        """A JSON-ready summary for health tables and tools."""
        latency = self.latency()
        return {
            "requests": self.requests,
            "outcomes": dict(self.outcomes),
            "success_rate": self.success_rate,
            "latency_ms": {"p50": latency.p50, "p95": latency.p95, "p99": latency.p99},
            "last_error": self.last_error,
            "last_error_at": self.last_error_at.isoformat() if self.last_error_at else None,
            "last_success_at": self.last_success_at.isoformat() if self.last_success_at else None,
        }
