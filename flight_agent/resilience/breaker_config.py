"""A circuit breaker's thresholds and timings, validated as a whole."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class WindowType(StrEnum):
    """How the CLOSED-state sliding window is measured."""

    COUNT = "count"
    TIME = "time"


@dataclass(frozen=True)
class BreakerConfig:
    """Thresholds and timings of a breaker (defaults: starting points for an HTTP API).

    Attributes:
        window_type: COUNT (the last ``window_size`` calls) or TIME (the last ``window_size``
            seconds, in one-second buckets).
        window_size: Calls or seconds in the window.
        minimum_calls: Calls buffered before any decision; capped at ``window_size`` for COUNT.
        failure_rate_threshold: Percent of failed calls that opens the circuit (inclusive).
        slow_call_duration: Seconds; a call taking longer is slow even if it succeeded.
        slow_call_rate_threshold: Percent of slow calls that opens the circuit (inclusive).
        consecutive_failures: Open after this many failures in a row, whatever the window says;
            None disables the rule.
        open_duration: Seconds of the first open period.
        open_duration_multiplier: Growth per re-open without an intervening CLOSED period.
        max_open_duration: Cap of the grown open period (before jitter).
        open_jitter: Fraction; an open period of ``d`` lasts a random time in ``[d, d*(1+jitter)]``.
        half_open_probes: Concurrent permits, and calls judged, in HALF_OPEN.
        max_half_open_wait: Seconds a probe may stay unfinished before HALF_OPEN gives up and opens
            for the next, longer period; 0 waits forever.
    """

    window_type: WindowType = WindowType.COUNT
    window_size: int = 20
    minimum_calls: int = 10
    failure_rate_threshold: float = 50.0
    slow_call_duration: float = 2.5
    slow_call_rate_threshold: float = 80.0
    consecutive_failures: int | None = None
    open_duration: float = 30.0
    open_duration_multiplier: float = 2.0
    max_open_duration: float = 300.0
    open_jitter: float = 0.0
    half_open_probes: int = 3
    max_half_open_wait: float = 6.0

    def __post_init__(self) -> None:
        """Check every field; raise one ValueError naming all the problems."""
        object.__setattr__(self, "window_type", WindowType(self.window_type))
        rules = {
            "window_size": (self.window_size >= 1, ">= 1"),
            "minimum_calls": (self.minimum_calls >= 1, ">= 1"),
            "failure_rate_threshold": (0 < self.failure_rate_threshold <= 100, "in (0, 100]"),
            "slow_call_rate_threshold": (0 < self.slow_call_rate_threshold <= 100, "in (0, 100]"),
            "slow_call_duration": (self.slow_call_duration > 0, "> 0 s"),
            "consecutive_failures": (
                self.consecutive_failures is None or self.consecutive_failures >= 1,
                "None or >= 1",
            ),
            "open_duration": (self.open_duration > 0, "> 0 s"),
            "open_duration_multiplier": (self.open_duration_multiplier >= 1, ">= 1"),
            "max_open_duration": (
                self.max_open_duration >= self.open_duration,
                f">= open_duration ({self.open_duration})",
            ),
            "open_jitter": (0 <= self.open_jitter <= 1, "in [0, 1]"),
            "half_open_probes": (self.half_open_probes >= 1, ">= 1"),
            "max_half_open_wait": (self.max_half_open_wait >= 0, ">= 0 s (0 = forever)"),
        }
        problems = [
            f"{name} must be {rule}, got {getattr(self, name)!r}"
            for name, (ok, rule) in rules.items()
            if not ok
        ]
        if problems:
            raise ValueError("invalid BreakerConfig: " + "; ".join(problems))
