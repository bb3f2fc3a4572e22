"""Random sequences of permits, outcomes, releases, clock moves and manual controls.

A hypothesis ``RuleBasedStateMachine`` drives one breaker with a drawn config and checks after
every step that permits and counters stay within their bounds and that listeners see one
consistent chain of transitions.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from flight_agent.clock import FakeClock
from flight_agent.resilience import BreakerConfig, BreakerState, CircuitBreaker, WindowType

CLOSED, OPEN, HALF_OPEN = BreakerState.CLOSED, BreakerState.OPEN, BreakerState.HALF_OPEN
FORCED_OPEN, DISABLED = BreakerState.FORCED_OPEN, BreakerState.DISABLED
MAX_TRIP = 10.0

configs = st.builds(
    BreakerConfig,
    window_type=st.sampled_from(WindowType),
    window_size=st.integers(1, 8),
    minimum_calls=st.integers(1, 8),
    failure_rate_threshold=st.sampled_from([25.0, 50.0, 100.0]),
    slow_call_duration=st.just(1.0),
    slow_call_rate_threshold=st.sampled_from([50.0, 100.0]),
    consecutive_failures=st.none() | st.integers(1, 4),
    open_duration=st.sampled_from([1.0, 5.0]),
    open_duration_multiplier=st.sampled_from([1.0, 2.0]),
    max_open_duration=st.just(20.0),
    open_jitter=st.sampled_from([0.0, 0.1]),
    half_open_probes=st.integers(1, 4),
    max_half_open_wait=st.sampled_from([0.0, 2.0]),
)


class BreakerMachine(RuleBasedStateMachine):
    """One breaker, the calls a caller holds permits for, and the transitions it was told of."""

    def __init__(self) -> None:
        super().__init__()
        self.clock = FakeClock()
        self.held = 0  # permits handed out and not yet reported or released
        self.last_state = CLOSED
        self.config = BreakerConfig()
        self.breaker = CircuitBreaker("p", self.config, clock=self.clock)

    @initialize(config=configs, seed=st.integers(0, 2**32 - 1))
    def build(self, config: BreakerConfig, seed: int) -> None:
        """Start from a drawn config and a seeded jitter source."""
        self.config = config
        self.breaker = CircuitBreaker("p", config, clock=self.clock, rng=random.Random(seed))
        self.breaker.add_listener(self.on_transition)

    def on_transition(self, name: str, old: BreakerState, new: BreakerState) -> None:
        """Each transition leaves the state the previous one entered, and changes it."""
        assert name == "p"
        assert old is self.last_state
        assert old is not new
        self.last_state = new

    @rule(calls=st.integers(1, 4))
    def acquire(self, calls: int) -> None:
        """OPEN and FORCED_OPEN never permit; CLOSED and DISABLED always do."""
        for _ in range(calls):
            before = self.breaker.state
            rejected = self.breaker.not_permitted_calls
            permitted = self.breaker.try_acquire()
            if before in (OPEN, FORCED_OPEN):
                assert not permitted
            if before in (CLOSED, DISABLED):
                assert permitted
            if permitted:
                self.held += 1
                assert self.breaker.not_permitted_calls == rejected
            else:
                assert self.breaker.not_permitted_calls == rejected + 1
                if before is HALF_OPEN:
                    in_use = self.breaker.buffered_calls + self.breaker.probes_in_flight
                    assert in_use == self.config.half_open_probes

    def report(self, outcome: Callable[[], None], calls: int, *, records: bool) -> None:
        """Report up to ``calls`` held calls; outside CLOSED/HALF_OPEN nothing is recorded."""
        for _ in range(min(calls, self.held)):
            before = self.breaker.state
            breaker = self.breaker
            figures = (breaker.buffered_calls, breaker.failed_calls, breaker.slow_calls)
            outcome()
            self.held -= 1
            if not records or before in (OPEN, FORCED_OPEN, DISABLED):
                assert breaker.state is before
                assert (breaker.buffered_calls, breaker.failed_calls, breaker.slow_calls) == figures
            elif before is HALF_OPEN and breaker.state is CLOSED:  # only once every probe reported
                assert figures[0] + 1 == self.config.half_open_probes

    @precondition(lambda self: self.held > 0)
    @rule(calls=st.integers(1, 4))
    def succeed(self, calls: int) -> None:
        """Fast successes."""
        self.report(lambda: self.breaker.on_success(0.1), calls, records=True)

    @precondition(lambda self: self.held > 0)
    @rule(calls=st.integers(1, 4), duration=st.sampled_from([0.1, 1.0, 2.5]))
    def fail(self, calls: int, duration: float) -> None:
        """Failures, fast, at the slow threshold, or slow."""
        self.report(lambda: self.breaker.on_failure(duration), calls, records=True)

    @precondition(lambda self: self.held > 0)
    @rule(calls=st.integers(1, 4), duration=st.sampled_from([1.5, 2.5]))
    def slow(self, calls: int, duration: float) -> None:
        """Successes slower than the slow-call threshold."""
        self.report(lambda: self.breaker.on_success(duration), calls, records=True)

    @precondition(lambda self: self.held > 0)
    @rule(calls=st.integers(1, 4))
    def release(self, calls: int) -> None:
        """Ignored or cancelled calls give their permits back and record nothing."""
        self.report(self.breaker.release, calls, records=False)

    @rule(seconds=st.sampled_from([0.5, 1.0, 2.0, 5.0, 25.0]) | st.floats(0, 25))
    def advance(self, seconds: float) -> None:
        """Time passes."""
        self.clock.advance(seconds)

    @rule(duration=st.none() | st.floats(0.5, MAX_TRIP))
    def trip(self, duration: float | None) -> None:
        """The failover manager opens the circuit (a 401, an exhausted quota)."""
        before = self.breaker.state
        self.breaker.trip(duration)
        manual = before in (FORCED_OPEN, DISABLED)
        assert self.breaker.state is (before if manual else OPEN)

    @rule(action=st.sampled_from(["force_open", "disable", "reset", "reset", "reset"]))
    def control(self, action: str) -> None:
        """An operator takes control (resets drawn more often, to leave the manual states)."""
        getattr(self.breaker, action)()
        expected = {"force_open": FORCED_OPEN, "disable": DISABLED, "reset": CLOSED}[action]
        assert self.breaker.state is expected

    @invariant()
    def listeners_saw_every_transition(self) -> None:
        """The state read now is the one the listener was last told of."""
        assert self.breaker.state is self.last_state

    @invariant()
    def half_open_never_exceeds_its_permits(self) -> None:
        """At most N probes in flight, only in HALF_OPEN, never more than the caller holds."""
        in_flight = self.breaker.probes_in_flight
        probes = self.config.half_open_probes
        assert 0 <= in_flight <= min(probes, self.held)
        if self.breaker.state is HALF_OPEN:
            assert self.breaker.buffered_calls + in_flight <= probes
        else:
            assert in_flight == 0

    @invariant()
    def counters_are_consistent(self) -> None:
        """failed, slow <= buffered <= window; rates in [0, 100] or -1 below the minimum."""
        breaker, config = self.breaker, self.config
        buffered = breaker.buffered_calls
        assert 0 <= breaker.failed_calls <= buffered
        assert 0 <= breaker.slow_calls <= buffered
        assert breaker.not_permitted_calls >= 0
        if config.window_type is WindowType.COUNT:
            assert buffered <= max(config.window_size, config.half_open_probes)
        for rate in (breaker.failure_rate, breaker.slow_call_rate):
            assert rate == -1.0 or 0.0 <= rate <= 100.0
        state = breaker.state
        if state is CLOSED:
            minimum = config.minimum_calls
            if config.window_type is WindowType.COUNT:
                minimum = min(minimum, config.window_size)
                assert buffered <= config.window_size
            assert (breaker.failure_rate == -1.0) == (buffered < minimum)
        elif state is HALF_OPEN:
            assert (breaker.failure_rate == -1.0) == (buffered < config.half_open_probes)

    @invariant()
    def closed_means_below_every_threshold(self) -> None:
        """A CLOSED count window never sits at or above a threshold or the failure streak."""
        breaker, config = self.breaker, self.config
        if breaker.state is not CLOSED:
            return
        if config.consecutive_failures is not None:
            assert breaker.consecutive_failures < config.consecutive_failures
        if config.window_type is WindowType.COUNT and breaker.failure_rate != -1.0:
            buffered = breaker.buffered_calls
            assert breaker.failed_calls * 100 < config.failure_rate_threshold * buffered
            assert breaker.slow_calls * 100 < config.slow_call_rate_threshold * buffered

    @invariant()
    def retry_after_only_while_open(self) -> None:
        """OPEN has a positive, bounded time left; no other state has one."""
        left = self.breaker.retry_after()
        if self.breaker.state is OPEN:
            assert left is not None
            bound = self.config.max_open_duration * (1 + self.config.open_jitter)
            assert 0 < left <= max(bound, MAX_TRIP) + 1e-6  # float rounding of now + period
        else:
            assert left is None


TestBreakerStateMachine = BreakerMachine.TestCase
TestBreakerStateMachine.settings = settings(max_examples=200, stateful_step_count=50, deadline=None)
