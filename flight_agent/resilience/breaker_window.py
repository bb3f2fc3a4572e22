"""What a circuit breaker judges by: which errors count as failures (``classify``), and the
sliding window of the last N calls or the last N seconds that counts them."""

from __future__ import annotations

import asyncio
import math
from collections import deque
from dataclasses import dataclass
from typing import Literal

from flight_agent.errors import (
    FlightNotFoundError,
    InvalidFlightQueryError,
    QuotaExhaustedError,
    RateLimitedError,
)
from flight_agent.resilience.breaker_config import WindowType


@dataclass(slots=True)
class _Bucket:
    second: int
    calls: int = 0
    failed: int = 0
    slow: int = 0


class SlidingWindow:
    """One breaker state's figures: subtract-on-evict window totals, rejections, the failure
    streak.

    A COUNT window holds one bucket per call (the last ``size``); a TIME window holds one bucket
    per second (the last ``size`` seconds).
    """

    def __init__(self, window_type: WindowType, size: int, minimum: int) -> None:
        self.window_type, self.size, self.minimum = window_type, size, minimum
        self._buckets: deque[_Bucket] = deque()
        self.calls = self.failed = self.slow = self.not_permitted = self.consecutive_failures = 0

    def rate(self, count: int) -> float:
        """Percent of the buffered calls that ``count`` is; -1.0 below the minimum of calls."""
        return -1.0 if self.calls < self.minimum else count * 100.0 / self.calls

    def record(self, *, failed: bool, slow: bool, now: float) -> None:
        """Add one reported call (at monotonic time ``now``), evicting what left the window."""
        if self.window_type is WindowType.COUNT:
            if self.calls == self.size:
                self._drop(self._buckets.popleft())
            self._buckets.append(_Bucket(0))
        else:
            self.evict(now)
            if not self._buckets or self._buckets[-1].second != math.floor(now):
                self._buckets.append(_Bucket(math.floor(now)))
        bucket = self._buckets[-1]
        bucket.calls += 1
        bucket.failed += failed
        bucket.slow += slow
        self.calls, self.failed, self.slow = self.calls + 1, self.failed + failed, self.slow + slow
        self.consecutive_failures = self.consecutive_failures + 1 if failed else 0

    def evict(self, now: float) -> None:
        """Drop the seconds of a TIME window that are over at ``now`` (COUNT evicts on record)."""
        if self.window_type is WindowType.TIME:
            horizon = math.floor(now) - self.size  # buckets at or before it have left the window
            while self._buckets and self._buckets[0].second <= horizon:
                self._drop(self._buckets.popleft())

    def _drop(self, bucket: _Bucket) -> None:
        self.calls -= bucket.calls
        self.failed -= bucket.failed
        self.slow -= bucket.slow


def classify(error: BaseException) -> Literal["failure", "ignore"]:
    """Whether an error counts against a provider's breaker; "ignore" wins over "failure".

    Ignored (give the permit back with ``release()``): ``asyncio.CancelledError``, since a lost
    hedge or a cancelled caller tells nothing about the provider; ``InvalidFlightQueryError``, since
    bad input must not open a healthy provider's circuit; ``FlightNotFoundError``, since the
    provider did answer and coverage differs; and ``RateLimitedError`` other than
    ``QuotaExhaustedError``, since a 429 becomes a Retry-After cool-down in the failover manager.
    Everything else is a failure: timeouts, 5xx, bad responses, 401/403, an exhausted quota, and
    unexpected exceptions. A ``ProviderError`` that is also an ignored type is ignored.

    Args:
        error: The exception a guarded call raised.

    Returns:
        ``"ignore"`` or ``"failure"``.
    """
    if isinstance(error, asyncio.CancelledError | InvalidFlightQueryError | FlightNotFoundError):
        return "ignore"
    if isinstance(error, RateLimitedError) and not isinstance(error, QuotaExhaustedError):
        return "ignore"
    return "failure"
