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

import logging
import random
from collections import deque
from collections.abc import Callable
from enum import StrEnum
from typing import TypeAlias

from pydantic import BaseModel, ConfigDict

from flight_agent.clock import SYSTEM_CLOCK, Clock
from flight_agent.errors import CircuitOpenError
from flight_agent.resilience.breaker_config import BreakerConfig, WindowType
from flight_agent.resilience.breaker_window import SlidingWindow

logger = logging.getLogger(__name__)


class BreakerState(StrEnum):
    """Where a breaker is in its state machine."""

    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"
    FORCED_OPEN = "forced_open"
    DISABLED = "disabled"


BreakerListener: TypeAlias = Callable[[str, BreakerState, BreakerState], None]
"""Called as ``listener(name, old_state, new_state)`` on every transition."""


class BreakerStats(BaseModel):
    """A breaker's state and the figures of its current window (see ``CircuitBreaker``)."""

    model_config = ConfigDict(frozen=True)

    name: str
    state: BreakerState
    window_type: WindowType
    failure_rate: float
    slow_call_rate: float
    buffered_calls: int
    failed_calls: int
    slow_calls: int
    not_permitted_calls: int
    consecutive_failures: int
    open_count: int
    probes_in_flight: int
    retry_after: float | None


_DEFAULT_CONFIG = BreakerConfig()
_EPSILON = 1e-9  # seconds; so that waiting exactly retry_after() always ends the period


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
        self._window = self._closed_window()
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
            self._window.calls + len(self._probe_grants) < self.config.half_open_probes
        ):
            self._probe_grants.append(now)
            return True
        self._window.not_permitted += 1
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

    def snapshot(self) -> BreakerStats:
        """The state and figures, for health tables."""
        return BreakerStats(
            name=self.name,
            state=self.state,
            window_type=self.config.window_type,
            failure_rate=self.failure_rate,
            slow_call_rate=self.slow_call_rate,
            buffered_calls=self.buffered_calls,
            failed_calls=self.failed_calls,
            slow_calls=self.slow_calls,
            not_permitted_calls=self.not_permitted_calls,
            consecutive_failures=self.consecutive_failures,
            open_count=self.open_count,
            probes_in_flight=self.probes_in_flight,
            retry_after=self.retry_after(),
        )

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
            self._window = SlidingWindow(WindowType.COUNT, probes, probes)
            self._transition(BreakerState.HALF_OPEN)
        return now

    def _current(self) -> SlidingWindow:
        now = self._tick()
        self._window.evict(now)
        return self._window

    def _closed_window(self) -> SlidingWindow:
        cfg = self.config
        minimum = cfg.minimum_calls
        if cfg.window_type is WindowType.COUNT:
            minimum = min(minimum, cfg.window_size)
        return SlidingWindow(cfg.window_type, cfg.window_size, minimum)

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
        m = self._window
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
        self._window = self._closed_window()
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
