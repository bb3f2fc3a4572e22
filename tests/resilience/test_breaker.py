"""CircuitBreaker behaviours B1-B12 and O1 of RESILIENCE.md 5(c), on a fake clock.

Unless a test says otherwise the config is the 5(c) test config: window COUNT 10, minimum 5,
failure 50 %, slow 50 % at 1 s, open 5 s (x2 per re-open, cap 40 s), 3 half-open probes, half-open
max wait 2 s. Outcomes are fed straight to ``on_success``/``on_failure`` (resilience4j style).
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from flight_agent.clock import FakeClock
from flight_agent.errors import (
    AuthenticationError,
    CircuitOpenError,
    FlightDateOutOfRangeError,
    FlightNotFoundError,
    InvalidFlightQueryError,
    InvalidResponseError,
    ProviderTimeoutError,
    ProviderUnavailableError,
    QuotaExhaustedError,
    RateLimitedError,
)
from flight_agent.resilience import (
    BreakerConfig,
    BreakerState,
    CircuitBreaker,
    WindowType,
    classify,
)

CLOSED, OPEN, HALF_OPEN = BreakerState.CLOSED, BreakerState.OPEN, BreakerState.HALF_OPEN
FORCED_OPEN, DISABLED = BreakerState.FORCED_OPEN, BreakerState.DISABLED
NAME = "primary"

TEST_CONFIG = BreakerConfig(
    window_type=WindowType.COUNT,
    window_size=10,
    minimum_calls=5,
    failure_rate_threshold=50.0,
    slow_call_duration=1.0,
    slow_call_rate_threshold=50.0,
    open_duration=5.0,
    open_duration_multiplier=2.0,
    max_open_duration=40.0,
    half_open_probes=3,
    max_half_open_wait=2.0,
)

Transition = tuple[str, BreakerState, BreakerState]


@pytest.fixture
def transitions() -> list[Transition]:
    """Every (name, old, new) a listener was told of, in order."""
    return []


@pytest.fixture
def breaker(clock: FakeClock, transitions: list[Transition]) -> CircuitBreaker:
    """A breaker with the 5(c) test config and a recording listener."""
    return make_breaker(clock, transitions, TEST_CONFIG)


def make_breaker(
    clock: FakeClock,
    transitions: list[Transition],
    config: BreakerConfig,
    rng: random.Random | None = None,
) -> CircuitBreaker:
    """A breaker on ``clock`` whose transitions are appended to ``transitions``."""
    breaker = CircuitBreaker(NAME, config, clock=clock, rng=rng)
    breaker.add_listener(lambda name, old, new: transitions.append((name, old, new)))
    return breaker


def succeed(breaker: CircuitBreaker, times: int = 1, duration: float = 0.1) -> None:
    """Make ``times`` permitted calls that succeed after ``duration`` seconds."""
    for _ in range(times):
        assert breaker.try_acquire()
        breaker.on_success(duration)


def fail(breaker: CircuitBreaker, times: int = 1, duration: float = 0.1) -> None:
    """Make ``times`` permitted calls that fail after ``duration`` seconds."""
    for _ in range(times):
        assert breaker.try_acquire()
        breaker.on_failure(duration)


def open_then_half_open(breaker: CircuitBreaker, clock: FakeClock) -> None:
    """Open with 5 failures (5 s period), then let the period pass."""
    fail(breaker, 5)
    assert breaker.state is OPEN
    clock.advance(5)
    assert breaker.state is HALF_OPEN


def test_b1_no_decision_below_minimum_calls(
    breaker: CircuitBreaker, transitions: list[Transition]
) -> None:
    """4 failures out of 4 calls stay CLOSED; the 5th failure opens."""
    fail(breaker, 4)
    assert breaker.state is CLOSED
    assert (breaker.failure_rate, breaker.buffered_calls, breaker.failed_calls) == (-1.0, 4, 4)
    assert transitions == []
    fail(breaker)
    assert breaker.state is OPEN
    assert (breaker.failure_rate, breaker.buffered_calls, breaker.failed_calls) == (100.0, 5, 5)
    assert transitions == [(NAME, CLOSED, OPEN)]


@pytest.mark.parametrize(
    ("successes", "failures", "final_state", "final_rate"),
    [
        pytest.param(5, 5, OPEN, 50.0, id="5-of-10-opens-on-the-10th-call"),
        pytest.param(6, 4, CLOSED, 40.0, id="4-of-10-stays-closed"),
    ],
)
def test_b2_threshold_is_inclusive(
    breaker: CircuitBreaker,
    successes: int,
    failures: int,
    final_state: BreakerState,
    final_rate: float,
) -> None:
    """A failure rate equal to the threshold opens; one below it does not."""
    succeed(breaker, successes)
    fail(breaker, failures - 1)
    assert breaker.state is CLOSED
    assert breaker.buffered_calls == 9
    fail(breaker)
    assert breaker.state is final_state
    assert breaker.failure_rate == final_rate
    assert breaker.buffered_calls == 10


def test_b3_failure_rate_over_sliding_window(
    breaker: CircuitBreaker, transitions: list[Transition]
) -> None:
    """3 failures and 2 successes (60 %) open; the rejected call counts as not permitted."""
    fail(breaker, 3)
    succeed(breaker, 2)
    assert breaker.state is OPEN
    assert breaker.failure_rate == 60.0
    assert (breaker.buffered_calls, breaker.failed_calls, breaker.not_permitted_calls) == (5, 3, 0)
    assert not breaker.try_acquire()
    assert breaker.not_permitted_calls == 1
    assert transitions == [(NAME, CLOSED, OPEN)]


def test_b3_old_calls_are_subtracted_when_evicted(breaker: CircuitBreaker) -> None:
    """The COUNT window holds the last 10 calls; older outcomes leave the totals."""
    succeed(breaker, 6)
    fail(breaker, 4)
    assert (breaker.failure_rate, breaker.buffered_calls) == (40.0, 10)
    succeed(breaker, 6)  # evicts the first 6 successes
    assert (breaker.failure_rate, breaker.buffered_calls, breaker.failed_calls) == (40.0, 10, 4)
    succeed(breaker, 4)  # evicts the 4 failures
    assert (breaker.failure_rate, breaker.buffered_calls, breaker.failed_calls) == (0.0, 10, 0)
    assert breaker.state is CLOSED


def test_b3_minimum_calls_is_capped_at_a_count_window(clock: FakeClock) -> None:
    """With a COUNT window of 4 and minimum 10, 4 failures are enough to decide."""
    breaker = CircuitBreaker(
        NAME, replace(TEST_CONFIG, window_size=4, minimum_calls=10), clock=clock
    )
    fail(breaker, 3)
    assert (breaker.state, breaker.failure_rate) == (CLOSED, -1.0)
    fail(breaker)
    assert (breaker.state, breaker.failure_rate) == (OPEN, 100.0)


def test_b4_slow_calls_trip_without_errors(breaker: CircuitBreaker) -> None:
    """5 successes, 3 of them taking 1.5 s, open with slow rate 60 % and failure rate 0 %."""
    for duration in (1.5, 0.2, 1.5, 0.2):
        succeed(breaker, duration=duration)
    assert (breaker.state, breaker.slow_call_rate, breaker.slow_calls) == (CLOSED, -1.0, 2)
    succeed(breaker, duration=1.5)
    assert breaker.state is OPEN
    assert (breaker.slow_call_rate, breaker.failure_rate) == (60.0, 0.0)
    assert (breaker.slow_calls, breaker.failed_calls, breaker.buffered_calls) == (3, 0, 5)


def test_b4_slow_call_threshold_is_inclusive(breaker: CircuitBreaker) -> None:
    """5 fast then 5 slow successes open exactly on the 10th call (5/10 = 50 %)."""
    succeed(breaker, 5)
    succeed(breaker, 4, duration=1.5)
    assert (breaker.state, breaker.slow_calls) == (CLOSED, 4)
    succeed(breaker, duration=1.5)
    assert (breaker.state, breaker.slow_call_rate, breaker.failure_rate) == (OPEN, 50.0, 0.0)


def test_b4_slow_means_strictly_longer_than_the_threshold(breaker: CircuitBreaker) -> None:
    """Calls of exactly 1 s are not slow; a slow failure counts as both slow and failed."""
    succeed(breaker, 4, duration=1.0)
    assert breaker.slow_calls == 0
    fail(breaker, duration=1.01)
    assert (breaker.slow_calls, breaker.failed_calls) == (1, 1)
    assert (breaker.slow_call_rate, breaker.failure_rate) == (20.0, 20.0)
    assert breaker.state is CLOSED


class CountingStub:
    """A provider stub that counts its calls."""

    def __init__(self) -> None:
        self.calls = 0

    async def __call__(self) -> str:
        self.calls += 1
        await asyncio.sleep(0)
        return "answer"


async def guarded(breaker: CircuitBreaker, clock: FakeClock, stub: CountingStub) -> str:
    """Call ``stub`` through ``breaker`` the way the failover manager will."""
    breaker.acquire()
    started = clock.monotonic()
    try:
        result = await stub()
    except Exception:
        breaker.on_failure(clock.monotonic() - started)
        raise
    breaker.on_success(clock.monotonic() - started)
    return result


async def test_b5_open_fails_fast_with_retry_after(
    breaker: CircuitBreaker, clock: FakeClock
) -> None:
    """While OPEN the stub is not called; the error carries open_duration - elapsed."""
    stub = CountingStub()
    assert await guarded(breaker, clock, stub) == "answer"
    fail(breaker, 4)  # 4 of 5 failed: 80 %
    assert breaker.state is OPEN
    clock.advance(2)
    with pytest.raises(CircuitOpenError, match=r"skipped for the next 3\.0 s") as caught:
        await guarded(breaker, clock, stub)
    assert (caught.value.provider, caught.value.retry_after) == (NAME, 3.0)
    assert str(caught.value).startswith(f"[{NAME}] circuit open")
    clock.advance(1.5)
    with pytest.raises(CircuitOpenError) as caught:
        await guarded(breaker, clock, stub)
    assert caught.value.retry_after == 1.5
    assert breaker.retry_after() == 1.5
    assert stub.calls == 1
    assert breaker.not_permitted_calls == 2


def test_b6_open_moves_to_half_open_lazily(
    breaker: CircuitBreaker, clock: FakeClock, transitions: list[Transition]
) -> None:
    """At +3 s still OPEN; at +6 s the first acquire succeeds in HALF_OPEN with fresh metrics."""
    fail(breaker, 5)
    assert not breaker.try_acquire()
    clock.advance(3)
    assert breaker.state is OPEN
    assert breaker.retry_after() == 2.0
    assert transitions == [(NAME, CLOSED, OPEN)]
    clock.advance(3)
    assert breaker.try_acquire()
    assert breaker.state is HALF_OPEN
    assert breaker.retry_after() is None
    assert (breaker.buffered_calls, breaker.failed_calls, breaker.not_permitted_calls) == (0, 0, 0)
    assert (breaker.failure_rate, breaker.consecutive_failures) == (-1.0, 0)
    assert transitions == [(NAME, CLOSED, OPEN), (NAME, OPEN, HALF_OPEN)]


def test_b7_half_open_admits_exactly_n_probes(breaker: CircuitBreaker, clock: FakeClock) -> None:
    """With 3 probes in flight the 4th and 5th acquires fail; release() frees one permit."""
    open_then_half_open(breaker, clock)
    assert [breaker.try_acquire() for _ in range(5)] == [True, True, True, False, False]
    assert (breaker.probes_in_flight, breaker.not_permitted_calls) == (3, 2)
    with pytest.raises(CircuitOpenError, match="all 3 probes in flight") as caught:
        breaker.acquire()
    assert caught.value.retry_after is None
    breaker.release()  # an ignored or cancelled probe
    assert (breaker.probes_in_flight, breaker.buffered_calls) == (2, 0)
    assert breaker.try_acquire()
    assert not breaker.try_acquire()
    assert breaker.not_permitted_calls == 4


def test_b7_reported_probes_keep_their_permits_used(
    breaker: CircuitBreaker, clock: FakeClock
) -> None:
    """A reported probe does not free a permit: HALF_OPEN judges exactly 3 calls."""
    open_then_half_open(breaker, clock)
    succeed(breaker)
    assert breaker.try_acquire()
    assert breaker.try_acquire()
    assert not breaker.try_acquire()
    assert (breaker.probes_in_flight, breaker.buffered_calls) == (2, 1)


@pytest.mark.parametrize(
    ("outcomes", "final_state", "retry_after", "buffered", "failure_rate"),
    [
        pytest.param(("ok", "fail", "fail"), OPEN, 10.0, 3, 200 / 3, id="2-of-3-fail-reopens"),
        pytest.param(("fail", "ok", "ok"), CLOSED, None, 0, -1.0, id="1-of-3-fails-closes"),
        pytest.param(("ok", "ok", "ok"), CLOSED, None, 0, -1.0, id="all-succeed-closes"),
    ],
)
def test_b8_half_open_verdict(
    breaker: CircuitBreaker,
    clock: FakeClock,
    transitions: list[Transition],
    outcomes: tuple[str, ...],
    final_state: BreakerState,
    retry_after: float | None,
    buffered: int,
    failure_rate: float,
) -> None:
    """Probes above the threshold re-open for a doubled period; below it, CLOSED and reset."""
    open_then_half_open(breaker, clock)
    assert [breaker.try_acquire() for _ in outcomes] == [True, True, True]
    for index, outcome in enumerate(outcomes):
        assert breaker.state is HALF_OPEN, f"decided before probe {index}"
        if outcome == "ok":
            breaker.on_success(0.1)
        else:
            breaker.on_failure(0.1)
    assert breaker.state is final_state
    assert breaker.retry_after() == retry_after
    assert breaker.buffered_calls == buffered
    assert breaker.failure_rate == pytest.approx(failure_rate)
    assert breaker.open_count == (2 if final_state is OPEN else 0)
    assert transitions == [
        (NAME, CLOSED, OPEN),
        (NAME, OPEN, HALF_OPEN),
        (NAME, HALF_OPEN, final_state),
    ]


def test_b8_half_open_decides_early_once_the_verdict_is_certain(
    breaker: CircuitBreaker, clock: FakeClock, transitions: list[Transition]
) -> None:
    """2 failed probes of 3 already reach 50 %: OPEN at once; the late 3rd result is dropped."""
    open_then_half_open(breaker, clock)
    assert [breaker.try_acquire() for _ in range(3)] == [True, True, True]
    breaker.on_failure(0.1)
    assert breaker.state is HALF_OPEN
    breaker.on_failure(0.1)
    assert breaker.state is OPEN
    assert (breaker.retry_after(), breaker.probes_in_flight) == (10.0, 0)
    breaker.on_success(0.1)  # the third probe, late
    assert (breaker.buffered_calls, breaker.failed_calls) == (2, 2)
    assert transitions[-1] == (NAME, HALF_OPEN, OPEN)
    assert len(transitions) == 3


def test_b8_slow_probes_reopen_without_errors(breaker: CircuitBreaker, clock: FakeClock) -> None:
    """2 of 3 probes slower than 1 s re-open with slow rate 66.7 % and failure rate 0 %."""
    open_then_half_open(breaker, clock)
    succeed(breaker, duration=0.2)
    succeed(breaker, duration=1.5)
    assert breaker.state is HALF_OPEN
    succeed(breaker, duration=1.5)
    assert breaker.state is OPEN
    assert breaker.slow_call_rate == pytest.approx(200 / 3)
    assert breaker.failure_rate == 0.0


def test_b9_stuck_probes_cannot_wedge_half_open(
    breaker: CircuitBreaker, clock: FakeClock, transitions: list[Transition]
) -> None:
    """Probes unfinished for 2 s send HALF_OPEN to OPEN for the next, longer period."""
    open_then_half_open(breaker, clock)
    assert [breaker.try_acquire() for _ in range(3)] == [True, True, True]
    clock.advance(1.5)
    assert breaker.state is HALF_OPEN
    clock.advance(0.5)
    assert breaker.state is OPEN
    assert breaker.retry_after() == 10.0
    assert (breaker.open_count, breaker.probes_in_flight) == (2, 0)
    assert transitions[-1] == (NAME, HALF_OPEN, OPEN)
    breaker.on_success(0.1)  # a stuck probe finally answers: too late to count
    assert (breaker.state, breaker.buffered_calls) == (OPEN, 0)


def test_b9_idle_half_open_gives_each_probe_its_full_wait(
    breaker: CircuitBreaker, clock: FakeClock
) -> None:
    """With no probe in flight HALF_OPEN waits; the wait counts from the oldest unfinished probe."""
    open_then_half_open(breaker, clock)
    clock.advance(30)
    assert breaker.state is HALF_OPEN
    assert breaker.try_acquire()
    clock.advance(1.5)
    assert breaker.try_acquire()
    breaker.on_success(0.1)  # the first probe reports
    clock.advance(1.5)
    assert breaker.state is HALF_OPEN  # the remaining probe is 1.5 s old
    clock.advance(0.5)
    assert breaker.state is OPEN


def test_b9_zero_max_wait_waits_forever(clock: FakeClock) -> None:
    """max_half_open_wait = 0 never gives up on a probe."""
    breaker = CircuitBreaker(NAME, replace(TEST_CONFIG, max_half_open_wait=0), clock=clock)
    open_then_half_open(breaker, clock)
    assert breaker.try_acquire()
    clock.advance(3600)
    assert (breaker.state, breaker.probes_in_flight) == (HALF_OPEN, 1)


def reopen_periods(breaker: CircuitBreaker, clock: FakeClock, reopens: int) -> list[float]:
    """Open from CLOSED, then re-open from HALF_OPEN ``reopens`` times; return each period."""
    fail(breaker, 5)
    periods = []
    for _ in range(reopens + 1):
        left = breaker.retry_after()
        assert left is not None
        periods.append(left)
        clock.advance(left)
        fail(breaker, 2)  # 2 of 3 probes fail: decided
    return periods


def test_b10_open_duration_grows_then_resets(breaker: CircuitBreaker, clock: FakeClock) -> None:
    """Re-opens last 5, 10, 20, 40, 40 s; after a CLOSED period the next open is 5 s again."""
    assert reopen_periods(breaker, clock, 4) == [5.0, 10.0, 20.0, 40.0, 40.0]
    assert breaker.open_count == 6
    clock.advance(40)
    succeed(breaker, 3)
    assert (breaker.state, breaker.open_count) == (CLOSED, 0)
    fail(breaker, 5)
    assert (breaker.retry_after(), breaker.open_count) == (5.0, 1)


def test_ending_an_open_period_half_opens_and_keeps_the_growth(
    breaker: CircuitBreaker, clock: FakeClock
) -> None:
    """A passing health probe half-opens at once; failing probes re-open for the next period."""
    fail(breaker, 5)
    breaker.end_open_period()
    assert breaker.state is HALF_OPEN
    fail(breaker, 2)
    assert (breaker.state, breaker.retry_after()) == (OPEN, 10.0)
    breaker.force_open()
    breaker.end_open_period()
    assert breaker.state is BreakerState.FORCED_OPEN


@pytest.mark.parametrize("seed", [pytest.param(seed, id=f"seed-{seed}") for seed in (1, 7, 42)])
def test_b10_jittered_periods_stay_within_bounds(
    clock: FakeClock, transitions: list[Transition], seed: int
) -> None:
    """With 10 % jitter each period lies in [d, d * 1.1]; the same seed gives the same periods."""
    config = replace(TEST_CONFIG, open_jitter=0.1)
    periods = reopen_periods(
        make_breaker(clock, transitions, config, random.Random(seed)), clock, 4
    )
    for period, base in zip(periods, (5.0, 10.0, 20.0, 40.0, 40.0), strict=True):
        assert base <= period <= base * 1.1
    other_clock = FakeClock()
    again = make_breaker(other_clock, [], config, random.Random(seed))
    assert reopen_periods(again, other_clock, 4) == periods


def test_b10_trip_opens_for_a_given_duration_and_advances_growth(
    breaker: CircuitBreaker, clock: FakeClock, transitions: list[Transition]
) -> None:
    """trip(60) opens for 60 s (a 401 or quota reset); the next re-open is the grown 10 s."""
    breaker.trip(60)
    assert (breaker.state, breaker.retry_after(), breaker.open_count) == (OPEN, 60.0, 1)
    breaker.trip(1)  # a shorter trip never shortens the period
    assert breaker.retry_after() == 60.0
    assert breaker.open_count == 2
    clock.advance(60)
    fail(breaker, 2)
    assert breaker.retry_after() == 20.0
    assert transitions == [(NAME, CLOSED, OPEN), (NAME, OPEN, HALF_OPEN), (NAME, HALF_OPEN, OPEN)]


def test_b10_trip_without_duration_uses_the_growing_period(
    breaker: CircuitBreaker, clock: FakeClock
) -> None:
    """trip() from CLOSED opens for the base 5 s, from HALF_OPEN for the next period."""
    breaker.trip()
    assert breaker.retry_after() == 5.0
    clock.advance(5)
    assert breaker.state is HALF_OPEN
    breaker.trip()
    assert (breaker.state, breaker.retry_after()) == (OPEN, 10.0)


class ProviderErrorThatIsNotFound(ProviderUnavailableError, FlightNotFoundError):
    """An error matching both a recorded and an ignored type."""


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        pytest.param(asyncio.CancelledError(), "ignore", id="cancelled-hedge"),
        pytest.param(InvalidFlightQueryError("bad designator"), "ignore", id="400-bad-input"),
        pytest.param(
            InvalidFlightQueryError("unprocessable", status_code=422), "ignore", id="422-bad-input"
        ),
        pytest.param(
            FlightDateOutOfRangeError(
                "too far ahead", earliest=date(2026, 11, 1), latest=date(2026, 12, 1)
            ),
            "ignore",
            id="date-out-of-range",
        ),
        pytest.param(FlightNotFoundError("no such flight", status_code=404), "ignore", id="404"),
        pytest.param(RateLimitedError("slow down", retry_after=3), "ignore", id="429"),
        pytest.param(ProviderErrorThatIsNotFound("both"), "ignore", id="ignore-wins"),
        pytest.param(QuotaExhaustedError("plan used up"), "failure", id="quota-exhausted"),
        pytest.param(AuthenticationError("bad key", status_code=401), "failure", id="401"),
        pytest.param(ProviderTimeoutError("read timeout"), "failure", id="timeout"),
        pytest.param(ProviderUnavailableError("bad gateway", status_code=502), "failure", id="5xx"),
        pytest.param(InvalidResponseError("bad JSON"), "failure", id="bad-response"),
        pytest.param(TimeoutError(), "failure", id="asyncio-timeout"),
        pytest.param(RuntimeError("bug"), "failure", id="unexpected"),
    ],
)
def test_b11_classification(error: BaseException, expected: str) -> None:
    """404/400/422, 429 and cancellation are ignored; other errors are failures; ignore wins."""
    assert classify(error) == expected


def test_b11_ignored_outcomes_record_nothing(breaker: CircuitBreaker, clock: FakeClock) -> None:
    """Ignored errors released in CLOSED or HALF_OPEN change no counter and free the permit."""
    ignored = [asyncio.CancelledError(), FlightNotFoundError("x"), RateLimitedError("x")] * 3
    for error in ignored:
        assert breaker.try_acquire()
        assert classify(error) == "ignore"
        breaker.release()
    assert (breaker.state, breaker.buffered_calls, breaker.consecutive_failures) == (CLOSED, 0, 0)
    open_then_half_open(breaker, clock)
    for _ in ignored:
        assert breaker.try_acquire()
        breaker.release()
    assert (breaker.state, breaker.buffered_calls, breaker.probes_in_flight) == (HALF_OPEN, 0, 0)


@pytest.mark.parametrize(
    ("success_at", "final_state", "failure_rate", "buffered"),
    [
        pytest.param(5.0, OPEN, 80.0, 5, id="within-window-opens"),
        pytest.param(11.0, CLOSED, -1.0, 1, id="failures-evicted-stays-closed"),
    ],
)
def test_b12_time_window_evicts_old_buckets(
    clock: FakeClock,
    success_at: float,
    final_state: BreakerState,
    failure_rate: float,
    buffered: int,
) -> None:
    """TIME window 10 s, minimum 5: 4 failures at 0 s, then a success at 5 s opens, at 11 s not."""
    config = replace(TEST_CONFIG, window_type=WindowType.TIME, window_size=10)
    breaker = CircuitBreaker(NAME, config, clock=clock)
    fail(breaker, 4)
    assert (breaker.state, breaker.buffered_calls) == (CLOSED, 4)
    clock.advance(success_at)
    succeed(breaker)
    assert breaker.state is final_state
    assert (breaker.failure_rate, breaker.buffered_calls) == (failure_rate, buffered)


def test_b12_time_window_evicts_on_read(clock: FakeClock) -> None:
    """Metrics read later than the window show the evicted totals."""
    breaker = CircuitBreaker(
        NAME, replace(TEST_CONFIG, window_type=WindowType.TIME, window_size=10), clock=clock
    )
    fail(breaker, 2)
    clock.advance(9.5)
    assert (breaker.buffered_calls, breaker.failed_calls) == (2, 2)
    clock.advance(0.5)
    assert (breaker.buffered_calls, breaker.failed_calls) == (0, 0)


O1_CONFIG = BreakerConfig(consecutive_failures=5)  # 5(b) defaults: open 30 s x2, cap 300 s


def test_o1_consecutive_failures_eject_with_growing_period(
    clock: FakeClock, transitions: list[Transition]
) -> None:
    """5 failures in a row open for 30 s; re-ejections grow to 60, 120, 240 and the 300 s cap."""
    breaker = make_breaker(clock, transitions, O1_CONFIG)
    fail(breaker, 4)
    assert (breaker.state, breaker.consecutive_failures, breaker.failure_rate) == (CLOSED, 4, -1.0)
    fail(breaker)
    assert breaker.state is OPEN
    periods = []
    for _ in range(5):
        left = breaker.retry_after()
        assert left is not None
        periods.append(left)
        clock.advance(left)
        fail(breaker, 2)  # 2 of 3 default probes fail
    assert periods == [30.0, 60.0, 120.0, 240.0, 300.0]
    assert breaker.retry_after() == 300.0


def test_o1_a_success_breaks_the_streak(clock: FakeClock) -> None:
    """4 failures then a success do not eject; the streak starts again."""
    breaker = CircuitBreaker(NAME, O1_CONFIG, clock=clock)
    fail(breaker, 4)
    succeed(breaker)
    assert (breaker.state, breaker.consecutive_failures) == (CLOSED, 0)
    fail(breaker, 4)
    assert (breaker.state, breaker.consecutive_failures, breaker.buffered_calls) == (CLOSED, 4, 9)


def test_forced_open_rejects_until_reset(
    breaker: CircuitBreaker, clock: FakeClock, transitions: list[Transition]
) -> None:
    """FORCED_OPEN rejects with no retry hint, ignores trips and time; reset() closes it."""
    fail(breaker, 2)
    breaker.force_open()
    clock.advance(3600)
    breaker.trip()
    assert (breaker.state, breaker.retry_after()) == (FORCED_OPEN, None)
    with pytest.raises(CircuitOpenError, match="until the breaker is reset") as caught:
        breaker.acquire()
    assert caught.value.retry_after is None
    assert breaker.not_permitted_calls == 1
    breaker.reset()
    assert breaker.state is CLOSED
    assert (breaker.buffered_calls, breaker.not_permitted_calls, breaker.open_count) == (0, 0, 0)
    assert transitions == [(NAME, CLOSED, FORCED_OPEN), (NAME, FORCED_OPEN, CLOSED)]


def test_disabled_permits_everything_and_records_nothing(
    breaker: CircuitBreaker, transitions: list[Transition]
) -> None:
    """DISABLED permits every call, records no outcome and ignores trips."""
    breaker.disable()
    fail(breaker, 50)
    breaker.trip()
    assert breaker.state is DISABLED
    assert (breaker.buffered_calls, breaker.failed_calls, breaker.not_permitted_calls) == (0, 0, 0)
    breaker.reset()
    assert transitions == [(NAME, CLOSED, DISABLED), (NAME, DISABLED, CLOSED)]


def test_reset_clears_metrics_and_growth(breaker: CircuitBreaker, clock: FakeClock) -> None:
    """reset() from a grown OPEN returns to CLOSED; the next open lasts the base 5 s."""
    reopen_periods(breaker, clock, 2)
    breaker.reset()
    assert (breaker.state, breaker.open_count, breaker.buffered_calls) == (CLOSED, 0, 0)
    fail(breaker, 5)
    assert breaker.retry_after() == 5.0


def test_a_failing_listener_is_logged_and_the_others_still_run(
    breaker: CircuitBreaker, transitions: list[Transition], caplog: pytest.LogCaptureFixture
) -> None:
    """A listener that raises does not stop the transition or later listeners."""

    def broken(name: str, old: BreakerState, new: BreakerState) -> None:
        raise RuntimeError("listener bug")

    seen: list[BreakerState] = []
    breaker.add_listener(broken)
    breaker.add_listener(lambda name, old, new: seen.append(new))
    with caplog.at_level(logging.ERROR, logger="flight_agent.resilience.breaker"):
        breaker.trip()
    assert breaker.state is OPEN
    assert seen == [OPEN]
    assert transitions == [(NAME, CLOSED, OPEN)]
    assert "listener failed" in caplog.text


def test_snapshot_is_json_ready(breaker: CircuitBreaker, clock: FakeClock) -> None:
    """The snapshot holds state and figures as plain JSON values."""
    fail(breaker, 3)
    succeed(breaker, 2)
    clock.advance(1)
    assert json.loads(breaker.snapshot().model_dump_json()) == {
        "name": NAME,
        "state": "open",
        "window_type": "count",
        "failure_rate": 60.0,
        "slow_call_rate": 0.0,
        "buffered_calls": 5,
        "failed_calls": 3,
        "slow_calls": 0,
        "not_permitted_calls": 0,
        "consecutive_failures": 0,
        "open_count": 1,
        "probes_in_flight": 0,
        "retry_after": 4.0,
    }


def test_defaults_follow_the_recommended_table() -> None:
    """Defaults are RESILIENCE.md 5(b)'s: COUNT 20, min 10, 50 %, 2.5 s at 80 %, 30 s x2 to 300."""
    config = BreakerConfig()
    assert (config.window_type, config.window_size, config.minimum_calls) == (
        WindowType.COUNT,
        20,
        10,
    )
    assert (config.failure_rate_threshold, config.slow_call_duration) == (50.0, 2.5)
    assert config.slow_call_rate_threshold == 80.0
    assert (config.open_duration, config.open_duration_multiplier) == (30.0, 2.0)
    assert (config.max_open_duration, config.half_open_probes, config.max_half_open_wait) == (
        300.0,
        3,
        6.0,
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        pytest.param({"window_size": 0}, "window_size must be >= 1", id="window-size"),
        pytest.param({"minimum_calls": 0}, "minimum_calls must be >= 1", id="minimum-calls"),
        pytest.param(
            {"failure_rate_threshold": 0}, r"failure_rate_threshold must be in \(0, 100\]", id="0%"
        ),
        pytest.param(
            {"failure_rate_threshold": 100.5}, "failure_rate_threshold must be in", id="over-100%"
        ),
        pytest.param(
            {"slow_call_rate_threshold": -1}, "slow_call_rate_threshold must be in", id="slow-rate"
        ),
        pytest.param({"slow_call_duration": 0}, "slow_call_duration must be > 0", id="slow-call"),
        pytest.param({"consecutive_failures": 0}, "consecutive_failures must be", id="streak"),
        pytest.param({"open_duration": 0}, "open_duration must be > 0", id="open-duration"),
        pytest.param(
            {"open_duration_multiplier": 0.5}, "open_duration_multiplier must be >= 1", id="shrink"
        ),
        pytest.param(
            {"max_open_duration": 10.0},
            r"max_open_duration must be >= open_duration \(30.0\), got 10.0",
            id="cap-below-base",
        ),
        pytest.param({"open_jitter": -0.1}, "open_jitter must be in", id="jitter"),
        pytest.param({"half_open_probes": 0}, "half_open_probes must be >= 1", id="probes"),
        pytest.param({"max_half_open_wait": -1}, "max_half_open_wait must be >= 0", id="wait"),
        pytest.param({"window_type": "sliding"}, "not a valid WindowType", id="window-type"),
    ],
)
def test_config_rejects_invalid_values(changes: dict[str, Any], message: str) -> None:
    """Each invalid field raises ValueError naming the field and the value."""
    with pytest.raises(ValueError, match=message):
        BreakerConfig(**changes)


def test_config_reports_every_problem_at_once() -> None:
    """Several bad fields are reported together."""
    with pytest.raises(ValueError, match=r"window_size.*; minimum_calls.*; half_open_probes"):
        BreakerConfig(window_size=0, minimum_calls=0, half_open_probes=0)


def test_config_accepts_window_type_as_a_string() -> None:
    """A window type given as its value (from settings) becomes the enum."""
    raw: Any = "time"  # settings and environment variables give plain strings
    assert BreakerConfig(window_type=raw).window_type is WindowType.TIME
