"""An asyncio-friendly circuit breaker with resilience4j semantics and an injectable clock.

One breaker guards one provider. Callers ask for a permit, make the call, then report what
happened::

          failure/slow rate >= threshold (at >= minimum_calls),
          `consecutive_failures` in a row, or trip()
      CLOSED -------------------------------------------> OPEN <------------+
        ^                                                   |               | probe verdict above
        | all probes reported, both rates       open period |               | a threshold, or a
        | below thresholds (metrics and         elapsed     |               | probe unfinished for
        | open-period growth cleared)           (lazily)    v               | max_half_open_wait
        +------------------------------------------------ HALF_OPEN --------+

      force_open() -> FORCED_OPEN: rejects everything until reset()
      disable()    -> DISABLED: permits everything, records nothing
      reset()      -> CLOSED from any state

* CLOSED keeps a sliding window (the last N calls, or N one-second buckets) with subtract-on-evict
  totals. No decision is taken below ``minimum_calls``; thresholds are inclusive (>=). A call slower
  than ``slow_call_duration`` is slow even when it succeeded.
* OPEN rejects every call. The open period grows by ``open_duration_multiplier`` on each re-open
  without an intervening CLOSED period, up to ``max_open_duration``, with optional jitter drawn from
  the injected ``random.Random``.
* HALF_OPEN admits exactly ``half_open_probes`` concurrent permits and judges them in a count window
  of that size. The verdict comes when every probe has reported, or earlier once the failures (or
  slow calls) already reach a threshold whatever the remaining probes do.

Transitions are lazy: they happen when the breaker is next asked (``state``, ``try_acquire``, a
report, a metric), so no timer task is needed. Methods are synchronous and never block; asyncio runs
them on one thread, so no lock is needed. Results reported while OPEN, FORCED_OPEN or DISABLED are
dropped, as are results in HALF_OPEN beyond the permits handed out (calls that started before).
"""

from __future__ import annotations

import asyncio
import logging
import math
import random
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal, TypeAlias

from flight_agent.clock import SYSTEM_CLOCK, Clock
from flight_agent.errors import (
    CircuitOpenError,
    FlightNotFoundError,
    InvalidFlightQueryError,
    QuotaExhaustedError,
    RateLimitedError,
)

logger = logging.getLogger(__name__)


class BreakerState(StrEnum):
    """Where a breaker is in its state machine."""

    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"
    FORCED_OPEN = "forced_open"
    DISABLED = "disabled"


class WindowType(StrEnum):
    """How the CLOSED-state sliding window is measured."""

    COUNT = "count"
    TIME = "time"


BreakerListener: TypeAlias = Callable[[str, BreakerState, BreakerState], None]
"""Called as ``listener(name, old_state, new_state)`` on every transition."""


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


@dataclass(slots=True)
class _Bucket:
    second: int
    calls: int = 0
    failed: int = 0
    slow: int = 0


class _Metrics:
    """One state's figures: subtract-on-evict window totals, rejections, the failure streak.

    A COUNT window holds one bucket per call (the last ``size``); a TIME window holds one bucket
    per second (the last ``size`` seconds).
    """

    def __init__(self, window_type: WindowType, size: int, minimum: int) -> None:
        self.window_type, self.size, self.minimum = window_type, size, minimum
        self._buckets: deque[_Bucket] = deque()
        self.calls = self.failed = self.slow = self.not_permitted = self.consecutive_failures = 0

    def rate(self, count: int) -> float:
        return -1.0 if self.calls < self.minimum else count * 100.0 / self.calls

    def record(self, *, failed: bool, slow: bool, now: float) -> None:
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
        if self.window_type is WindowType.TIME:
            horizon = math.floor(now) - self.size  # buckets at or before it have left the window
            while self._buckets and self._buckets[0].second <= horizon:
                self._drop(self._buckets.popleft())

    def _drop(self, bucket: _Bucket) -> None:
        self.calls -= bucket.calls
        self.failed -= bucket.failed
        self.slow -= bucket.slow


_DEFAULT_CONFIG = BreakerConfig()
_EPSILON = 1e-9  # seconds; so that waiting exactly retry_after() always ends the period
_SNAPSHOT_FIGURES = (
    "failure_rate",
    "slow_call_rate",
    "buffered_calls",
    "failed_calls",
    "slow_calls",
    "not_permitted_calls",
    "consecutive_failures",
    "open_count",
    "probes_in_flight",
)


class CircuitBreaker:
    """A circuit breaker for one provider (see the module docstring for the state machine).

    Args:
        name: The provider's name; used in errors, listeners and snapshots.
        config: Thresholds and timings.
        clock: Time source; only ``clock.monotonic()`` is used.
        rng: Random source for the open-period jitter (seed it in tests).
    """

    def __init__(
        self,
        name: str,
        config: BreakerConfig = _DEFAULT_CONFIG,
        *,
        clock: Clock = SYSTEM_CLOCK,
        rng: random.Random | None = None,
    ) -> None:
        self.name = name
        self.config = config
        self._clock = clock
        self._rng = rng if rng is not None else random.Random()
        self._listeners: list[BreakerListener] = []
        self._state = BreakerState.CLOSED
        self._metrics = self._closed_metrics()
        self._open_until = 0.0
        self._open_count = 0
        self._last_period: float | None = None
        self._probe_grants: deque[float] = deque()  # grant times of unfinished probes

    @property
    def state(self) -> BreakerState:
        """The current state, after any transition that time has made due."""
        self._tick()
        return self._state

    def try_acquire(self) -> bool:
        """Ask for a permit to call the provider; a refusal counts as not permitted."""
        now = self._tick()
        state = self._state
        if state in (BreakerState.CLOSED, BreakerState.DISABLED):
            return True
        if state is BreakerState.HALF_OPEN and (
            self._metrics.calls + len(self._probe_grants) < self.config.half_open_probes
        ):
            self._probe_grants.append(now)
            return True
        self._metrics.not_permitted += 1
        return False

    def acquire(self) -> None:
        """Take a permit or raise.

        Raises:
            CircuitOpenError: The provider is skipped; ``retry_after`` is the time left in OPEN
                (None when forced open or when every half-open probe is in flight).
        """
        if self.try_acquire():
            return
        if self._state is BreakerState.OPEN:
            left = self.retry_after()
            message = f"circuit open; provider skipped for the next {left:.1f} s"
        elif self._state is BreakerState.FORCED_OPEN:
            left, message = None, "circuit forced open; provider skipped until the breaker is reset"
        else:
            left = None
            message = (
                f"circuit half-open with all {self.config.half_open_probes} probes in flight; "
                "provider skipped until a probe reports"
            )
        raise CircuitOpenError(message, provider=self.name, retry_after=left)

    def on_success(self, duration: float) -> None:
        """Report a permitted call that succeeded after ``duration`` seconds."""
        self._record(failed=False, duration=duration)

    def on_failure(self, duration: float) -> None:
        """Report a permitted call that failed after ``duration`` seconds (see ``classify``)."""
        self._record(failed=True, duration=duration)

    def release(self) -> None:
        """Give back a permit whose call was ignored or cancelled; nothing is recorded."""
        self._tick()
        if self._state is BreakerState.HALF_OPEN and self._probe_grants:
            self._probe_grants.popleft()

    def retry_after(self) -> float | None:
        """Seconds left in OPEN; None in any other state (FORCED_OPEN has no end)."""
        now = self._tick()
        if self._state is BreakerState.OPEN:
            return max(0.0, self._open_until - now)
        return None

    def trip(self, duration: float | None = None) -> None:
        """Open now (a 401, an exhausted quota), for ``duration`` or the next growing period.

        The open count and growth advance either way. Tripping an OPEN breaker extends its
        period if the new one ends later; FORCED_OPEN and DISABLED ignore trips until reset.
        """
        now = self._tick()
        if self._state not in (BreakerState.FORCED_OPEN, BreakerState.DISABLED):
            self._open(now, duration)

    def force_open(self) -> None:
        """Reject every call until ``reset()``."""
        self._probe_grants.clear()
        self._transition(BreakerState.FORCED_OPEN)

    def disable(self) -> None:
        """Permit every call and record nothing until ``reset()``."""
        self._probe_grants.clear()
        self._transition(BreakerState.DISABLED)

    def reset(self) -> None:
        """Go CLOSED with empty metrics and the open period back to its base."""
        self._close()

    def end_open_period(self) -> None:
        """Cut an OPEN period short (a passing health probe): HALF_OPEN now.

        The half-open probes then decide with real calls, and the open period keeps its
        growth, so a provider that fails them is shut out for longer. FORCED_OPEN, DISABLED
        and the other states are left alone.
        """
        if self._state is BreakerState.OPEN:
            self._open_until = self._clock.monotonic()
            self._tick()

    def add_listener(self, callback: BreakerListener) -> None:
        """Call ``callback(name, old, new)`` on every transition (exceptions are logged)."""
        self._listeners.append(callback)

    @property
    def failure_rate(self) -> float:
        """Percent of buffered calls that failed; -1.0 below the minimum number of calls."""
        metrics = self._current()
        return metrics.rate(metrics.failed)

    @property
    def slow_call_rate(self) -> float:
        """Percent of buffered calls that were slow; -1.0 below the minimum number of calls."""
        metrics = self._current()
        return metrics.rate(metrics.slow)

    @property
    def buffered_calls(self) -> int:
        """Calls in the current window (the probe window in HALF_OPEN)."""
        return self._current().calls

    @property
    def failed_calls(self) -> int:
        """Failed calls in the current window."""
        return self._current().failed

    @property
    def slow_calls(self) -> int:
        """Slow calls (failed or not) in the current window."""
        return self._current().slow

    @property
    def not_permitted_calls(self) -> int:
        """Calls refused since the metrics were last reset (entering HALF_OPEN or CLOSED)."""
        return self._current().not_permitted

    @property
    def consecutive_failures(self) -> int:
        """Failures in a row since the last success or metrics reset."""
        return self._current().consecutive_failures

    @property
    def open_count(self) -> int:
        """Times opened since the last CLOSED period (1 after the first trip)."""
        return self._open_count

    @property
    def probes_in_flight(self) -> int:
        """Half-open permits handed out and not yet reported or released."""
        self._tick()
        return len(self._probe_grants)

    def snapshot(self) -> dict[str, object]:
        """JSON-ready figures for health tables."""
        figures: dict[str, object] = {"name": self.name, "state": self.state.value}
        figures["window_type"] = self.config.window_type.value
        for key in _SNAPSHOT_FIGURES:
            figures[key] = getattr(self, key)
        figures["retry_after"] = self.retry_after()
        return figures

    def _tick(self) -> float:
        """Make the transitions time has made due; return the monotonic now."""
        now = self._clock.monotonic()
        wait = self.config.max_half_open_wait
        if (
            self._state is BreakerState.HALF_OPEN
            and wait > 0
            and self._probe_grants
            and now - self._probe_grants[0] >= wait - _EPSILON
        ):
            self._open(self._probe_grants[0] + wait)  # opened when the probe became stuck
        if self._state is BreakerState.OPEN and now >= self._open_until - _EPSILON:
            probes = self.config.half_open_probes
            self._metrics = _Metrics(WindowType.COUNT, probes, probes)
            self._transition(BreakerState.HALF_OPEN)
        return now

    def _current(self) -> _Metrics:
        now = self._tick()
        self._metrics.evict(now)
        return self._metrics

    def _closed_metrics(self) -> _Metrics:
        cfg = self.config
        minimum = cfg.minimum_calls
        if cfg.window_type is WindowType.COUNT:
            minimum = min(minimum, cfg.window_size)
        return _Metrics(cfg.window_type, cfg.window_size, minimum)

    def _above(self, failed: int, slow: int, calls: int) -> bool:
        """Whether either rate over ``calls`` reaches its threshold (no division, no rounding)."""
        cfg = self.config
        return (
            failed * 100 >= cfg.failure_rate_threshold * calls
            or slow * 100 >= cfg.slow_call_rate_threshold * calls
        )

    def _record(self, *, failed: bool, duration: float) -> None:
        now = self._tick()
        state = self._state
        if state is BreakerState.HALF_OPEN:
            if not self._probe_grants:
                return  # a call permitted before this half-open period
            self._probe_grants.popleft()
        elif state is not BreakerState.CLOSED:
            return
        m = self._metrics
        m.record(failed=failed, slow=duration > self.config.slow_call_duration, now=now)
        if state is BreakerState.HALF_OPEN:
            probes = self.config.half_open_probes
            if self._above(m.failed, m.slow, probes):
                self._open(now)  # decided: the remaining probes cannot bring the rate down
            elif m.calls >= probes:
                self._close()
            return
        streak = self.config.consecutive_failures
        if (failed and streak is not None and m.consecutive_failures >= streak) or (
            m.calls >= m.minimum and self._above(m.failed, m.slow, m.calls)
        ):
            self._open(now)

    def _open(self, at: float, duration: float | None = None) -> None:
        cfg = self.config
        if self._last_period is None:
            self._last_period = cfg.open_duration
        else:
            self._last_period = min(
                self._last_period * cfg.open_duration_multiplier, cfg.max_open_duration
            )
        self._open_count += 1
        if duration is None:
            duration = self._last_period * (1 + cfg.open_jitter * self._rng.random())
        until = at + duration
        if self._state is BreakerState.OPEN:
            until = max(until, self._open_until)
        self._open_until = until
        self._probe_grants.clear()
        self._transition(BreakerState.OPEN)

    def _close(self) -> None:
        self._metrics = self._closed_metrics()
        self._open_count = 0
        self._last_period = None
        self._probe_grants.clear()
        self._transition(BreakerState.CLOSED)

    def _transition(self, new: BreakerState) -> None:
        old = self._state
        if old is new:
            return
        self._state = new
        logger.info("circuit breaker %s: %s -> %s", self.name, old.value, new.value)
        for listener in list(self._listeners):
            try:
                listener(self.name, old, new)
            except Exception:
                logger.exception("circuit breaker %s: listener failed", self.name)


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
