"""Each provider's health statistic: outcomes by class, calls by kind, recent latency and success.

One ``ProviderMetrics`` per provider is the figure everything reads: batch routing ranks
providers by it, hedging takes its p95 latency as the hedge delay, and the provider stats (and
the ``provider_health`` tool) report it. Calls made through the failover engine are recorded
by their attempt; a provider called directly records its own status lookups.
"""

from __future__ import annotations

import math
from collections import Counter, deque
from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel, ConfigDict

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
STATUS = "status"
"""The call kind of a flight-status lookup, the default."""

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


class LatencyPercentiles(BaseModel):
    """Latency percentiles in milliseconds over the recent window (None without samples)."""

    model_config = ConfigDict(frozen=True)

    p50: float | None = None
    p95: float | None = None
    p99: float | None = None


class MetricsSnapshot(BaseModel):
    """One provider's figures at a moment.

    Attributes:
        requests: Calls with an outcome, whatever it was (since start).
        outcomes: Those calls by outcome class (``success``, ``not_found``, ``timeout``, ...).
        calls: Every call by kind (``status``, ``departure_board``, ``probe``, ...): what the
            provider was asked, health probes included.
        success_rate: Share of answered calls (success or not found) in the recent window.
        latency_ms: Percentiles of the recent window.
    """

    model_config = ConfigDict(frozen=True)

    requests: int
    outcomes: dict[str, int]
    calls: dict[str, int]
    success_rate: float | None
    latency_ms: LatencyPercentiles
    last_error: str | None
    last_error_at: datetime | None
    last_success_at: datetime | None


@dataclass(frozen=True, slots=True)
class _Sample:
    latency_ms: float | None  # None: the call failed before any time was spent
    answered: bool | None  # None: abandoned, no outcome (a lost hedge race)


class ProviderMetrics:
    """Counts and timings of one provider's calls.

    Args:
        clock: Source of wall time for the last-error and last-success stamps.
        window: How many recent calls the success rate and the percentiles are computed over.
    """

    def __init__(self, clock: Clock = SYSTEM_CLOCK, window: int = 1000) -> None:
        self._clock = clock
        self._window = window
        self._recent: deque[_Sample] = deque()
        self._judged = self._answered = self._timed = 0  # window totals, subtracted on evict
        self._latency_sum = 0.0
        self.outcomes: Counter[str] = Counter()
        self.calls: Counter[str] = Counter()
        self.last_error: str | None = None
        self.last_error_at: datetime | None = None
        self.last_success_at: datetime | None = None

    @property
    def requests(self) -> int:
        """Calls recorded with an outcome, whatever it was."""
        return sum(self.outcomes.values())

    @property
    def success_rate(self) -> float | None:
        """Share of answered calls (success or not found) among the recent calls with an
        outcome; None before any."""
        return self._answered / self._judged if self._judged else None

    @property
    def mean_latency_ms(self) -> float | None:
        """Mean latency of the recent calls, in milliseconds; None without samples."""
        return self._latency_sum / self._timed if self._timed else None

    def record_success(
        self, latency_s: float, *, found: bool = True, operation: str = STATUS
    ) -> None:
        """Record an answered call; ``found=False`` for a definite "no such flight"."""
        self.outcomes[SUCCESS if found else NOT_FOUND] += 1
        self.calls[operation] += 1
        self._add(_Sample(latency_s * 1000.0, True))
        self.last_success_at = self._clock.now()

    def record_error(
        self, error: BaseException, latency_s: float | None = None, *, operation: str = STATUS
    ) -> None:
        """Record a failed call; the error's text is kept (errors never carry secrets)."""
        self.outcomes[outcome_of(error)] += 1
        self.calls[operation] += 1
        self._add(_Sample(None if latency_s is None else latency_s * 1000.0, False))
        self.last_error = str(error)
        self.last_error_at = self._clock.now()

    def record_abandoned(self, latency_s: float, *, operation: str = STATUS) -> None:
        """Record how long a call ran before it was cancelled (a lost hedge race, say).

        It counts no outcome, but the time is a lower bound of the call's latency; leaving it
        out would hide exactly the slow calls and pull the percentiles down.
        """
        self.calls[operation] += 1
        self._add(_Sample(latency_s * 1000.0, None))

    def record_probe(self) -> None:
        """Count a health probe: it is asked of the provider but judges no traffic."""
        self.calls["probe"] += 1

    def _add(self, sample: _Sample) -> None:
        if len(self._recent) == self._window:
            self._count(self._recent.popleft(), -1)
        self._recent.append(sample)
        self._count(sample, 1)

    def _count(self, sample: _Sample, sign: int) -> None:
        self._judged += sign * (sample.answered is not None)
        self._answered += sign * (sample.answered is True)
        if sample.latency_ms is not None:
            self._timed += sign
            self._latency_sum += sign * sample.latency_ms

    def latency(self) -> LatencyPercentiles:
        """Nearest-rank percentiles of the recent latencies."""
        ordered = sorted(s.latency_ms for s in self._recent if s.latency_ms is not None)
        if not ordered:
            return LatencyPercentiles()

        def rank(p: float) -> float:
            return ordered[max(0, math.ceil(p * len(ordered)) - 1)]

        return LatencyPercentiles(p50=rank(0.50), p95=rank(0.95), p99=rank(0.99))

    def snapshot(self) -> MetricsSnapshot:
        """The figures now, for health tables and tools."""
        return MetricsSnapshot(
            requests=self.requests,
            outcomes=dict(self.outcomes),
            calls=dict(self.calls),
            success_rate=self.success_rate,
            latency_ms=self.latency(),
            last_error=self.last_error,
            last_error_at=self.last_error_at,
            last_success_at=self.last_success_at,
        )
