"""FailoverManager: RESILIENCE.md 5(c) behaviours on virtual loop time (looptime).

Unless a test says otherwise it uses the 5(c) test config: window COUNT 10, minimum 5,
failure 50 %, slow 50 % at 1 s; open 5 s (x2, cap 40 s); 3 half-open probes; attempt timeout
1 s, deadline 4 s; 3 attempts per request; backoff base 100 ms, cap 1 s.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import statistics
from datetime import date

import pytest

from flight_agent.clock import FakeClock
from flight_agent.errors import (
    AllProvidersFailedError,
    AuthenticationError,
    FlightDateOutOfRangeError,
    InvalidFlightQueryError,
    ProviderTimeoutError,
    ProviderUnavailableError,
    QuotaExhaustedError,
    RateLimitedError,
    UnknownProviderError,
)
from flight_agent.flight_query import FlightQuery
from flight_agent.providers import (
    FailoverConfig,
    FailoverManager,
    FlightDataProvider,
    MockFlightDataProvider,
    Operation,
    ProviderHealth,
    RateLimit,
)
from flight_agent.providers.failover.manager import PANIC_LOG_INTERVAL
from flight_agent.resilience.backoff import FullJitterBackoff
from flight_agent.resilience.breaker import BreakerState
from flight_agent.resilience.retry_budget import RetryBudget
from tests.stubs import HANG, StubProvider

pytestmark = pytest.mark.looptime

DAY = date(2026, 11, 28)
TEST_CONFIG = {
    "attempt_timeout": 1.0,
    "total_timeout": 4.0,
    "max_attempts": 3,
    "timeout_between_retries": 0.1,
    "backoff_cap": 1.0,
    "breaker_window_size": 10,
    "breaker_minimum_calls": 5,
    "breaker_failure_rate": 50.0,
    "breaker_slow_call_duration": 1.0,
    "breaker_slow_call_rate": 50.0,
    "circuit_breaker_timeout": 5.0,
    "max_open_duration": 40.0,
    "open_duration_jitter": 0.0,
    "breaker_half_open_probes": 3,
    "circuit_breaker_threshold": 5,
}


def config(**overrides: object) -> FailoverConfig:
    return FailoverConfig.model_validate(TEST_CONFIG | overrides)


def now() -> float:
    return asyncio.get_running_loop().time()


def unavailable(name: str = "P") -> ProviderUnavailableError:
    return ProviderUnavailableError("HTTP 503", provider=name, status_code=503)


async def assert_no_pending_tasks() -> None:
    await asyncio.sleep(0)
    current = asyncio.current_task()
    assert [t for t in asyncio.all_tasks() if t is not current and not t.done()] == []


# ----- failover, timeouts and deadlines --------------------------------------------------------


async def test_f1_hanging_primary_is_abandoned_at_the_attempt_timeout() -> None:
    """A hanging primary costs exactly the attempt timeout; the secondary answers."""
    primary = StubProvider("primary", 10, latency=HANG)
    secondary = StubProvider("secondary", 5, latency=0.1)
    manager = FailoverManager([primary, secondary], config())
    started = now()
    result = await manager.get_flight_status("BA117", DAY)
    elapsed = now() - started
    assert result is not None
    assert result.source == "secondary"
    assert 1.0 <= elapsed <= 1.0 + 0.1 + 0.05
    assert primary.cancelled == 1
    assert [a.outcome for a in result.attempts] == ["timeout", "success"]
    await assert_no_pending_tasks()


async def test_f2_the_total_deadline_is_absolute() -> None:
    """With every provider hanging the request ends at the deadline; the last slice is short."""
    providers = [StubProvider(f"p{n}", 10 - n, latency=HANG) for n in range(3)]
    manager = FailoverManager(providers, config(total_timeout=2.3))
    started = now()
    with pytest.raises(AllProvidersFailedError) as caught:
        await manager.get_flight_status("BA117", DAY)
    assert now() - started <= 2.3 + 0.05
    last = caught.value.attempts[-1]
    assert (last.provider, last.outcome) == ("p2", "timeout")
    assert last.detail == "no answer within 0.30 s"
    await assert_no_pending_tasks()


async def test_f2_no_attempt_starts_with_less_than_the_minimum_slice() -> None:
    """With 30 ms left (under the 50 ms minimum) the third provider is not called."""
    providers = [StubProvider(f"p{n}", 10 - n, latency=HANG) for n in range(3)]
    manager = FailoverManager(providers, config(total_timeout=2.03))
    with pytest.raises(AllProvidersFailedError) as caught:
        await manager.get_flight_status("BA117", DAY)
    assert providers[2].calls == 0
    assert caught.value.attempts[-1].outcome == "deadline"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        pytest.param({"attempt_timeout": 5.0}, "exceeds total_timeout", id="attempt-over-deadline"),
        pytest.param(
            {"breaker_window_type": "time", "breaker_window_size": 1},
            "shorter than two attempts",
            id="time-window-too-short",
        ),
        pytest.param(
            {"timeout_between_retries": 2.0, "backoff_cap": 3.0},
            "longest backoffs",
            id="backoffs-over-deadline",
        ),
    ],
)
def test_f3_unsafe_combinations_are_rejected(overrides: dict[str, object], message: str) -> None:
    """Config validation refuses combinations that could never work."""
    with pytest.raises(ValueError, match=message):
        config(**overrides)


def test_f3_the_seed_fields_are_accepted() -> None:
    """The seed's five field names configure retries, backoff, health checks and breakers."""
    seed = FailoverConfig(
        max_retries_per_provider=2,
        timeout_between_retries=1.0,
        health_check_interval=300,
        circuit_breaker_threshold=5,
        circuit_breaker_timeout=60,
        total_timeout=10,
        backoff_cap=1.0,
    )
    breaker = seed.breaker_config()
    assert (breaker.consecutive_failures, breaker.open_duration) == (5, 60)


async def test_f4_priority_order_is_stable_when_healthy() -> None:
    """1,000 requests with healthy providers all go to the highest priority."""
    primary, secondary = StubProvider("primary", 10), StubProvider("secondary", 5)
    manager = FailoverManager([secondary, primary], config())
    for _ in range(1000):
        await manager.get_flight_status("BA117", DAY)
    assert (primary.calls, secondary.calls) == (1000, 0)


async def test_f5_an_open_breaker_skips_the_provider_at_zero_cost() -> None:
    """With the primary OPEN the secondary answers and the primary is never called."""
    primary, secondary = StubProvider("primary", 10), StubProvider("secondary", 5)
    manager = FailoverManager([primary, secondary], config())
    manager.breaker("primary").trip()
    result = await manager.get_flight_status("BA117", DAY)
    assert result is not None
    assert result.source == "secondary"
    assert primary.calls == 0
    assert result.attempts[0].outcome == "circuit_open"


async def test_f6_panic_mode_tries_the_best_provider_once() -> None:
    """With every breaker OPEN the request makes exactly one attempt, to the top provider."""
    primary, secondary = StubProvider("primary", 10), StubProvider("secondary", 5)
    manager = FailoverManager([primary, secondary], config())
    manager.breaker("primary").trip()
    manager.breaker("secondary").trip()
    result = await manager.get_flight_status("BA117", DAY)
    assert result is not None
    assert (primary.calls, secondary.calls, manager.panic_requests) == (1, 0, 1)
    assert manager.breaker("primary").state is BreakerState.CLOSED


async def test_f6_panic_mode_asks_the_next_provider_when_the_best_one_fails() -> None:
    """Every breaker OPEN and the top provider failing: the next one is asked, once."""
    primary = StubProvider("primary", 10, [unavailable("primary")])
    secondary, tertiary = StubProvider("secondary", 5), StubProvider("tertiary", 1)
    manager = FailoverManager([primary, secondary, tertiary], config())
    for name in ("primary", "secondary", "tertiary"):
        manager.breaker(name).trip()
    result = await manager.get_flight_status("BA117", DAY)
    assert result is not None
    assert result.source == "secondary"
    assert (primary.calls, secondary.calls, tertiary.calls) == (1, 1, 0)
    assert manager.breaker("primary").state is BreakerState.OPEN
    assert manager.breaker("secondary").state is BreakerState.CLOSED


async def test_f6_a_total_outage_tries_each_provider_once_per_request() -> None:
    """In a total outage each open provider is asked exactly once per request, in priority
    order and without retries; one an operator forced open is left alone."""
    providers = [StubProvider(f"p{n}", 10 - n, [unavailable(f"p{n}")]) for n in range(3)]
    forced = StubProvider("forced", 20)
    manager = FailoverManager([*providers, forced], config())
    for provider in providers:
        manager.breaker(provider.name).trip()
    manager.breaker("forced").force_open()
    for _ in range(5):
        with pytest.raises(AllProvidersFailedError) as caught:
            await manager.get_flight_status("BA117", DAY)
        assert [a.provider for a in caught.value.attempts] == ["p0", "p1", "p2"]
    assert ([p.calls for p in providers], forced.calls) == ([5, 5, 5], 0)
    assert manager.panic_requests == 5


async def test_panic_mode_warns_at_most_once_per_interval(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """289 panic requests in 15 s log one warning; the first one after the interval logs the
    next, counting the requests since the previous warning."""
    clock = FakeClock()
    providers = [StubProvider(f"p{n}", 10 - n, [unavailable(f"p{n}")]) for n in range(3)]
    manager = FailoverManager(providers, config(), clock=clock)
    for provider in providers:
        manager.breaker(provider.name).trip(duration=3600)
    caplog.set_level(logging.WARNING, logger="flight_agent.providers.failover.manager")

    async def outage_request() -> None:
        with pytest.raises(AllProvidersFailedError):
            await manager.get_flight_status("BA117", DAY)

    for _ in range(289):
        await outage_request()
        clock.advance(15 / 289)
    warnings = [r.getMessage() for r in caplog.records if "panic mode" in r.getMessage()]
    assert warnings == [
        "every provider's breaker is open; asking each of p0, p1, p2 once per request anyway "
        "(1 request(s) in panic mode since the last notice)"
    ]
    clock.advance(PANIC_LOG_INTERVAL)
    await outage_request()
    warnings = [r.getMessage() for r in caplog.records if "panic mode" in r.getMessage()]
    assert len(warnings) == 2
    assert warnings[1].endswith("(289 request(s) in panic mode since the last notice)")
    assert [p.calls for p in providers] == [290, 290, 290]


@pytest.mark.parametrize(
    "error",
    [
        pytest.param(ProviderTimeoutError("t", provider="primary"), id="timeout"),
        pytest.param(unavailable("primary"), id="5xx"),
        pytest.param(ProviderUnavailableError("refused", provider="primary"), id="connection"),
        pytest.param(RateLimitedError("429", provider="primary"), id="429"),
        pytest.param(AuthenticationError("401", provider="primary"), id="401"),
        pytest.param(QuotaExhaustedError("quota", provider="primary"), id="quota"),
    ],
)
async def test_f7_provider_failures_fail_over(error: Exception) -> None:
    """Timeouts, 5xx, connection errors, 429, auth and quota failures go to the next provider."""
    primary = StubProvider("primary", 10, [error])
    secondary = StubProvider("secondary", 5)
    manager = FailoverManager([primary, secondary], config())
    result = await manager.get_flight_status("BA117", DAY)
    assert result is not None
    assert result.source == "secondary"
    assert primary.calls == 1


@pytest.mark.parametrize(
    "error",
    [
        pytest.param(AuthenticationError("401", provider="primary"), id="401"),
        pytest.param(QuotaExhaustedError("quota", provider="primary"), id="quota"),
    ],
)
async def test_f7_auth_and_quota_failures_open_the_circuit(error: Exception) -> None:
    """A bad key or a used-up plan opens the breaker at once: the next request skips it."""
    primary = StubProvider("primary", 10, [error])
    manager = FailoverManager([primary, StubProvider("secondary", 5)], config())
    await manager.get_flight_status("BA117", DAY)
    await manager.get_flight_status("BA117", DAY)
    assert primary.calls == 1
    assert manager.breaker("primary").state is BreakerState.OPEN


async def test_f7_bad_input_from_a_provider_never_fails_over() -> None:
    """A provider's HTTP 400 is raised at once; no other provider is asked."""
    rejected = InvalidFlightQueryError("HTTP 400", provider="primary", status_code=400)
    primary, secondary = StubProvider("primary", 10, [rejected]), StubProvider("secondary", 5)
    manager = FailoverManager([primary, secondary], config())
    with pytest.raises(InvalidFlightQueryError, match="400"):
        await manager.get_flight_status("BA117", DAY)
    assert secondary.calls == 0
    assert manager.breaker("primary").snapshot().failed_calls == 0


async def test_f8_at_most_three_attempts_across_providers() -> None:
    """Four providers all answering 503 cost exactly three upstream calls."""
    providers = [StubProvider(f"p{n}", 10 - n, [unavailable()]) for n in range(4)]
    manager = FailoverManager(providers, config())
    with pytest.raises(AllProvidersFailedError) as caught:
        await manager.get_flight_status("BA117", DAY)
    assert sum(p.calls for p in providers) == 3
    assert [a.provider for a in caught.value.attempts] == ["p0", "p1", "p2"]
    assert "p0: unavailable (HTTP 503)" in str(caught.value)


async def test_f8_the_cap_never_keeps_the_simulated_provider_unasked() -> None:
    """Four failing upstream providers still cost three calls, and the simulated provider,
    which makes no upstream call, answers the same request after them."""
    providers = [StubProvider(f"p{n}", 10 - n, [unavailable()]) for n in range(4)]
    simulated = MockFlightDataProvider("Simulated", 0, clock=FakeClock())
    manager = FailoverManager([*providers, simulated], config())
    result = await manager.get_flight_status("BA117", DAY)
    assert result is not None
    assert result.source == "Simulated"
    assert ([p.calls for p in providers], simulated.calls) == ([1, 1, 1, 0], 1)


async def test_f9_retries_happen_in_one_layer() -> None:
    """One 503 then success from a single provider costs exactly two calls."""
    only = StubProvider("only", 10, [unavailable(), True])
    manager = FailoverManager([only], config())
    result = await manager.get_flight_status("BA117", DAY)
    assert result is not None
    assert only.calls == 2
    assert [a.outcome for a in result.attempts] == ["unavailable", "success"]


# ----- not found, dates, provenance ------------------------------------------------------------


async def test_not_found_asks_the_next_provider() -> None:
    """One provider not knowing the flight is not final: the next one may."""
    manager = FailoverManager(
        [StubProvider("primary", 10, [None]), StubProvider("secondary", 5)], config()
    )
    result = await manager.get_flight_status("BA117", DAY)
    assert result is not None
    assert [a.outcome for a in result.attempts] == ["not_found", "success"]


async def test_not_found_is_none_only_when_every_provider_agrees() -> None:
    """None when all say not found; an error when one of them failed instead."""
    agree = FailoverManager([StubProvider("a", 10, [None]), StubProvider("b", 5, [None])], config())
    assert await agree.get_flight_status("BA117", DAY) is None
    disagree = FailoverManager(
        [StubProvider("a", 10, [None]), StubProvider("b", 5, [unavailable()])],
        config(max_retries_per_provider=0),
    )
    with pytest.raises(AllProvidersFailedError):
        await disagree.get_flight_status("BA117", DAY)


async def test_dates_no_provider_covers_are_bad_input() -> None:
    """When every provider's date range excludes the date, the error says which dates work."""
    primary = StubProvider("primary", 10)
    manager = FailoverManager([primary], config())
    with pytest.raises(FlightDateOutOfRangeError, match="together they cover"):
        await manager.get_flight_status("BA117", date(2030, 1, 1))
    assert primary.calls == 0


async def test_a_provider_that_cannot_answer_the_date_is_skipped_for_free() -> None:
    """A provider whose range excludes the date is skipped without counting as an attempt."""

    class NearTerm(StubProvider):
        def supported_dates(self, today: date) -> tuple[date, date]:
            return today, today

    near = NearTerm("near", 10)
    manager = FailoverManager([near, StubProvider("far", 5)], config())
    result = await manager.get_flight_status("BA117", date(2026, 1, 2))
    assert result is not None
    assert (result.source, near.calls) == ("far", 0)
    assert result.attempts[0].outcome == "out_of_range"


# ----- backoff and Retry-After ----------------------------------------------------------------


@pytest.mark.parametrize(("retry", "bound"), [(1, 0.025), (2, 0.05), (3, 0.1), (4, 0.2), (5, 0.25)])
def test_r1_full_jitter_bounds(retry: int, bound: float) -> None:
    """Retry n waits uniformly in [0, min(cap, base * 2**(n-1))); the mean is half the bound."""
    backoff = FullJitterBackoff(base=0.025, cap=0.25)
    samples = [backoff.delay(retry) for _ in range(10_000)]
    assert min(samples) >= 0
    assert max(samples) <= bound
    assert statistics.fmean(samples) == pytest.approx(bound / 2, rel=0.05)


def test_r2_clients_do_not_retry_in_step() -> None:
    """1,000 clients' second-attempt delays have a coefficient of variation above 0.5 (full
    jitter is uniform: 0.577; at this sample size the estimate is within 0.02 of it)."""
    backoff = FullJitterBackoff(base=0.1, cap=1.0)
    delays = [backoff.delay(2) for _ in range(1_000)]
    assert statistics.pstdev(delays) / statistics.fmean(delays) > 0.5


async def test_r3_retry_after_delays_the_retry_of_a_lone_provider() -> None:
    """With no alternative, the retry after 'Retry-After: 3' happens no earlier than 3 s."""
    limited = RateLimitedError("429", provider="only", retry_after=3.0)
    only = StubProvider("only", 10, [limited, True])
    manager = FailoverManager([only], config(total_timeout=10.0))
    result = await manager.get_flight_status("BA117", DAY)
    assert result is not None
    assert only.call_times[1] - only.call_times[0] >= 3.0


async def test_r3_retry_after_cools_the_provider_down_when_there_is_an_alternative() -> None:
    """The alternative answers at once, and the throttled provider is skipped for 3 s."""
    limited = RateLimitedError("429", provider="primary", retry_after=3.0)
    primary = StubProvider("primary", 10, [limited, True])
    secondary = StubProvider("secondary", 5)
    manager = FailoverManager([primary, secondary], config())
    started = now()
    first = await manager.get_flight_status("BA117", DAY)
    assert first is not None
    assert (first.source, now() - started) == ("secondary", 0.0)
    await asyncio.sleep(2.9)
    during = await manager.get_flight_status("BA117", DAY)
    assert during is not None
    assert (during.source, primary.calls) == ("secondary", 1)
    assert during.attempts[0].outcome == "cooling_down"
    await asyncio.sleep(0.2)
    after = await manager.get_flight_status("BA117", DAY)
    assert after is not None
    assert after.source == "primary"


@pytest.mark.parametrize(
    ("retry_after", "cooldown"),
    [pytest.param(5.0, 5.0, id="five-seconds"), pytest.param(600.0, 60.0, id="clamped-to-60")],
)
async def test_r4_retry_after_is_clamped(retry_after: float, cooldown: float) -> None:
    """A cool-down lasts what the provider asked, at most max_retry_after (60 s)."""
    limited = RateLimitedError("429", provider="primary", retry_after=retry_after)
    manager = FailoverManager(
        [StubProvider("primary", 10, [limited, True]), StubProvider("secondary", 5)], config()
    )
    await manager.get_flight_status("BA117", DAY)
    assert manager.get_provider_stats()["primary"].cooldown_left_s == pytest.approx(cooldown)


async def test_r4_retry_after_beyond_the_deadline_fails_fast_with_the_hint() -> None:
    """A lone provider asking for 30 s with 4 s left is not waited for."""
    limited = RateLimitedError("429; retry after 30 s", provider="only", retry_after=30.0)
    manager = FailoverManager([StubProvider("only", 10, [limited])], config())
    started = now()
    with pytest.raises(AllProvidersFailedError, match="retry after 30 s"):
        await manager.get_flight_status("BA117", DAY)
    assert now() - started < 0.1


def test_r5_the_budget_stops_retries_after_five_failures() -> None:
    """From full (10 tokens) five failures leave 5: no retry; one success (5.1) re-allows it."""
    budget = RetryBudget(10, 0.1)
    for _ in range(5):
        budget.record_failure()
    assert not budget.allows_extra_call()
    budget.record_success()
    assert budget.allows_extra_call()


async def test_r5_a_dead_provider_is_not_hammered() -> None:
    """1,000 requests to a provider failing 100 % cost at most 1.1 x 1,000 calls, not 3,000."""
    dead = StubProvider("dead", 10, [unavailable()])
    manager = FailoverManager(
        [dead], config(circuit_breaker_threshold=10_000, breaker_minimum_calls=10)
    )
    manager.breaker("dead").disable()
    for _ in range(1000):
        with pytest.raises(AllProvidersFailedError):
            await manager.get_flight_status("BA117", DAY)
    assert dead.calls <= 1100


# ----- rate limits ----------------------------------------------------------------------------


async def test_l1_the_provider_quota_is_never_exceeded() -> None:
    """A 4-per-8-s quota lets 4 calls through at once, then one every 2 s (leaky bucket)."""
    only = StubProvider("only", 10)
    manager = FailoverManager(
        [only], config(rate_limits={"only": RateLimit(requests=4, period=8)}, max_rate_limit_wait=3)
    )
    start = now()
    for _ in range(7):
        await manager.get_flight_status("BA117", DAY)
    offsets = [round(t - start, 3) for t in only.call_times]
    assert offsets == [0.0, 0.0, 0.0, 0.0, 2.0, 4.0, 6.0]


async def test_l2_a_local_rate_limit_wait_is_not_a_provider_failure() -> None:
    """With the limiter saturated the request fails over; the breaker records nothing."""
    primary, secondary = StubProvider("primary", 10), StubProvider("secondary", 5)
    manager = FailoverManager(
        [primary, secondary],
        config(rate_limits={"primary": RateLimit(requests=1, period=60)}, max_rate_limit_wait=0.5),
    )
    await manager.get_flight_status("BA117", DAY)
    result = await manager.get_flight_status("BA117", DAY)
    assert result is not None
    assert (result.source, primary.calls) == ("secondary", 1)
    assert result.attempts[0].outcome == "throttled"
    assert manager.breaker("primary").snapshot().failed_calls == 0


async def test_f2_a_rate_limit_wait_spends_the_deadline() -> None:
    """Time spent waiting for a local rate-limit slot comes out of the request's deadline."""
    slow = StubProvider("only", 10, latency=HANG)
    manager = FailoverManager(
        [slow],
        config(
            total_timeout=1.0,
            attempt_timeout=1.0,
            rate_limits={"only": RateLimit(requests=1, period=0.9)},
            max_rate_limit_wait=0.9,
        ),
    )
    with pytest.raises(AllProvidersFailedError):
        await manager.get_flight_status("BA117", DAY)
    start = now()
    with pytest.raises(AllProvidersFailedError):
        await manager.get_flight_status("BA117", DAY)
    assert now() - start <= 1.0 + 1e-6


async def test_f5_a_provider_its_own_failure_opened_is_not_retried() -> None:
    """The failure that opens a lone provider's breaker ends the request at once."""
    only = StubProvider("only", 10, [unavailable()])
    manager = FailoverManager([only], config(circuit_breaker_threshold=1))
    start = now()
    with pytest.raises(AllProvidersFailedError) as caught:
        await manager.get_flight_status("BA117", DAY)
    assert now() - start < 0.5
    assert only.calls == 1
    assert len(caught.value.attempts) <= 2


async def test_f7_a_provider_bug_is_a_failure_that_fails_over() -> None:
    """An unexpected exception from a provider is counted against it and the next one answers."""
    primary = StubProvider("primary", 10, [KeyError("estimated_out")])
    manager = FailoverManager([primary, StubProvider("secondary", 5)], config())
    result = await manager.get_flight_status("BA117", DAY)
    assert result is not None
    assert result.source == "secondary"
    assert result.attempts[0].outcome == "invalid_response"
    assert manager.breaker("primary").snapshot().failed_calls == 1


# ----- outlier ejection and health ------------------------------------------------------------


async def test_o1_five_consecutive_failures_eject_the_provider() -> None:
    """Five 5xx in a row open the breaker (the seed's circuit_breaker_threshold)."""
    primary = StubProvider("primary", 10, [unavailable()])
    manager = FailoverManager(
        [primary, StubProvider("secondary", 5)], config(breaker_minimum_calls=10)
    )
    for _ in range(5):
        await manager.get_flight_status("BA117", DAY)
    assert manager.breaker("primary").state is BreakerState.OPEN
    await manager.get_flight_status("BA117", DAY)
    assert primary.calls == 5


async def test_o2_a_passing_health_probe_readmits_an_open_provider() -> None:
    """An OPEN provider whose probe passes is half-opened before its open period ends, and
    real calls close it."""
    primary = StubProvider("primary", 10)
    manager = FailoverManager([primary, StubProvider("secondary", 5)], config())
    manager.breaker("primary").trip()
    report = await manager.force_health_check()
    assert report["primary"].healthy
    assert manager.breaker("primary").state is BreakerState.HALF_OPEN
    for _ in range(3):  # breaker_half_open_probes
        result = await manager.get_flight_status("BA117", DAY)
        assert result is not None
        assert result.source == "primary"
    assert manager.breaker("primary").state is BreakerState.CLOSED


async def test_o2_a_probe_never_undoes_an_operator_forced_open() -> None:
    """FORCED_OPEN stays forced whatever the probes say."""
    manager = FailoverManager([StubProvider("primary", 10)], config())
    manager.breaker("primary").force_open()
    await manager.force_health_check()
    assert manager.breaker("primary").state is BreakerState.FORCED_OPEN


async def test_o4_a_probe_waits_out_a_retry_after_like_any_call() -> None:
    """While a Retry-After runs the provider is not probed (the report says why); afterwards
    it is, and the probe is counted among its calls without judging its traffic."""
    limited = RateLimitedError("429", provider="primary", retry_after=3.0)
    primary = StubProvider("primary", 10, [limited, True])
    manager = FailoverManager([primary, StubProvider("secondary", 5)], config())
    await manager.get_flight_status("BA117", DAY)
    during = await manager.force_health_check()
    assert (primary.probes, during["primary"].healthy) == (0, False)
    assert during["primary"].detail == "cooling_down: 3.0 s of Retry-After left"
    await asyncio.sleep(3)
    after = await manager.force_health_check()
    assert (primary.probes, after["primary"].healthy) == (1, True)
    stats = manager.get_provider_stats()["primary"]
    assert (stats.calls, stats.requests) == ({"status": 1, "probe": 1}, 1)


async def test_a_call_asks_only_the_providers_offering_it_once_each() -> None:
    """A call other than a status lookup goes to the providers that offer it, in order, once
    each: a failure moves on and is not retried; the error lists what each did."""
    primary, secondary = StubProvider("primary", 10), StubProvider("secondary", 5)
    manager = FailoverManager([primary, secondary, StubProvider("other", 1)], config())
    asked: list[str] = []

    async def board(provider: FlightDataProvider) -> str:
        asked.append(provider.name)
        raise unavailable(provider.name)

    operation = Operation(
        name="departure_board",
        what="departure boards",
        failure="no provider with departure boards answered",
        call=board,
        offered_by=lambda provider: provider.name != "other",
    )
    with pytest.raises(AllProvidersFailedError, match="no provider with departure boards") as e:
        await manager.call(operation)
    assert asked == ["primary", "secondary"]
    assert [(a.provider, a.outcome) for a in e.value.attempts] == [
        ("primary", "unavailable"),
        ("secondary", "unavailable"),
    ]
    assert manager.get_provider_stats()["primary"].calls == {"departure_board": 1}
    assert manager.breaker("primary").snapshot().failed_calls == 1


async def test_o3_probes_never_overlap_and_are_jittered() -> None:
    """Concurrent checks share one probe per provider; background intervals vary."""
    primary = StubProvider("primary", 10)
    manager = FailoverManager([primary], config(health_check_interval=100))
    await asyncio.gather(manager.force_health_check(), manager.force_health_check())
    assert primary.probes == 1
    times: list[float] = []
    original = primary.health_check

    async def timed() -> ProviderHealth:
        times.append(now())
        return await original()

    primary.health_check = timed  # type: ignore[method-assign]
    await manager.start()
    await asyncio.sleep(2000)
    await manager.aclose()
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert len(gaps) >= 10
    assert all(85 <= gap <= 115.1 for gap in gaps)
    assert statistics.pstdev(gaps) > 2
    await assert_no_pending_tasks()


# ----- batches, stats, runtime changes ---------------------------------------------------------


async def test_batch_outcomes_are_per_item_and_failed_items_fail_over() -> None:
    """Each item has its own outcome; items the first provider fails go to the next."""
    primary = StubProvider("primary", 10, [True, unavailable(), None])
    secondary = StubProvider("secondary", 5, [None])
    manager = FailoverManager([primary, secondary], config(max_retries_per_provider=0))
    outcomes = await manager.get_flight_statuses([(f"BA{n}", DAY) for n in (1, 2, 3)])
    assert outcomes[0].result is not None
    assert outcomes[0].result.source == "primary"
    assert isinstance(outcomes[1].error, AllProvidersFailedError)
    assert (outcomes[2].ok, outcomes[2].result) == (True, None)


async def test_batch_prefers_the_provider_that_measures_better() -> None:
    """After a slow, failing primary shows its numbers, batches start with the secondary."""
    primary = StubProvider("primary", 10, [unavailable(), True], latency=0.5)
    secondary = StubProvider("secondary", 5, latency=0.05)
    manager = FailoverManager([primary, secondary], config())
    await manager.get_flight_status("BA117", DAY)
    primary.calls = secondary.calls = 0
    outcomes = await manager.get_flight_statuses([(f"BA{n}", DAY) for n in range(1, 11)])
    assert all(o.result is not None and o.result.source == "secondary" for o in outcomes)
    assert primary.calls == 0


async def test_batch_concurrency_is_bounded_per_provider() -> None:
    """No provider runs more than batch_concurrency items at once."""
    only = StubProvider("only", 10, latency=0.05)
    manager = FailoverManager([only], config(batch_concurrency=4))
    outcomes = await manager.get_flight_statuses([(f"BA{n}", DAY) for n in range(1, 41)])
    assert all(o.ok for o in outcomes)
    assert only.peak_in_flight == 4


async def test_batch_rejects_a_malformed_item_before_any_call() -> None:
    """A bad item is named by position and nothing is sent."""
    only = StubProvider("only", 10)
    manager = FailoverManager([only], config())
    with pytest.raises(InvalidFlightQueryError, match="Query 1"):
        await manager.get_flight_statuses([("BA1", DAY), ("../etc", DAY)])
    assert only.calls == 0


async def test_providers_can_change_at_runtime() -> None:
    """Providers can be added, disabled, re-enabled, re-prioritized and removed live."""
    first, second = StubProvider("first", 10), StubProvider("second", 5)
    manager = FailoverManager([first], config())
    manager.add_provider(second)
    manager.set_priority("second", 20)
    assert [p.name for p in manager.providers] == ["second", "first"]
    manager.disable("second")
    result = await manager.get_flight_status("BA117", DAY)
    assert result is not None
    assert result.source == "first"
    manager.enable("second")
    assert manager.remove_provider("first") is first
    with pytest.raises(ValueError, match="already configured"):
        manager.add_provider(StubProvider("second"))
    with pytest.raises(UnknownProviderError, match="Unknown provider 'first'"):
        manager.disable("first")


async def test_no_enabled_provider_is_a_clear_error() -> None:
    """With every provider disabled the error says so."""
    manager = FailoverManager([StubProvider("only", 10)], config())
    manager.disable("only")
    with pytest.raises(AllProvidersFailedError, match="no provider is enabled"):
        await manager.fetch(FlightQuery.parse("BA117", DAY))


async def test_provider_stats_report_state_figures_and_errors() -> None:
    """Stats give state, breaker figures, success rate, latency, last error and cool-down."""
    primary = StubProvider("primary", 10, [unavailable("primary"), True], latency=0.2)
    manager = FailoverManager([primary, StubProvider("secondary", 5)], config())
    await manager.get_flight_status("BA117", DAY)
    await manager.get_flight_status("BA117", DAY)
    stats = manager.get_provider_stats()
    assert list(stats) == ["primary", "secondary"]
    assert stats["primary"].state == "closed"
    assert stats["primary"].success_rate == 0.5
    assert stats["primary"].last_error == "[primary] HTTP 503"
    assert stats["primary"].latency_ms.p50 == pytest.approx(200, abs=1)
    assert stats["secondary"].cooldown_left_s == 0


# ----- hedging ---------------------------------------------------------------------------------


def hedging(**overrides: object) -> FailoverConfig:
    return config(hedging=True, **overrides)


async def test_h1_the_hedge_fires_at_the_configured_delay() -> None:
    """A 500 ms primary and a 100 ms hedge delay: the secondary starts at 100 ms and wins."""
    primary = StubProvider("primary", 10, latency=0.5)
    secondary = StubProvider("secondary", 5, latency=0.05)
    manager = FailoverManager([primary, secondary], hedging(hedge_delay=0.1))
    started = now()
    result = await manager.get_flight_status("BA117", DAY)
    assert result is not None
    assert result.source == "secondary"
    assert secondary.call_times[0] - started == pytest.approx(0.1, abs=0.01)
    assert now() - started == pytest.approx(0.15, abs=0.01)
    await assert_no_pending_tasks()


async def test_h2_extra_load_follows_the_percentile() -> None:
    """With the delay at the rolling p95, about 5 % of requests send a hedge."""
    latencies = [0.05 + 0.0005 * i for i in range(95)] + [0.3] * 5
    primary = StubProvider("primary", 10, latency=latencies * 12)
    manager = FailoverManager([primary, StubProvider("secondary", 5, latency=0.1)], hedging())
    for _ in range(100):  # warm the p95 window
        await manager.get_flight_status("BA117", DAY)
    manager.hedges_sent = 0
    for _ in range(1000):
        await manager.get_flight_status("BA117", DAY)
    assert 40 <= manager.hedges_sent <= 70


async def test_h3_hedging_shrinks_the_tail() -> None:
    """2 % of primary calls stall 2 s; with hedging the slowest request is far quicker."""
    pattern = [0.1] * 49 + [2.0]
    plain = FailoverManager(
        [StubProvider("primary", 10, latency=pattern * 10), StubProvider("backup", 5, latency=0.1)],
        config(),
    )
    hedged = FailoverManager(
        [StubProvider("primary", 10, latency=pattern * 10), StubProvider("backup", 5, latency=0.1)],
        hedging(hedge_delay=0.15),
    )
    worst: dict[str, float] = {}
    for label, manager in (("plain", plain), ("hedged", hedged)):
        slowest = 0.0
        for _ in range(500):
            started = now()
            await manager.get_flight_status("BA117", DAY)
            slowest = max(slowest, now() - started)
        worst[label] = slowest
    assert worst["plain"] >= 1.0  # the attempt timeout cuts the 2 s stall
    assert worst["hedged"] <= 0.3


async def test_h4_the_loser_is_cancelled_and_not_blamed() -> None:
    """The slower call is cancelled once the hedge wins; its breaker records nothing."""
    primary = StubProvider("primary", 10, latency=0.5)
    manager = FailoverManager(
        [primary, StubProvider("secondary", 5, latency=0.01)], hedging(hedge_delay=0.1)
    )
    result = await manager.get_flight_status("BA117", DAY)
    assert result is not None
    assert primary.cancelled == 1
    snapshot = manager.breaker("primary").snapshot()
    assert (snapshot.buffered_calls, snapshot.failed_calls) == (0, 0)
    assert [a.outcome for a in result.attempts] == ["success", "cancelled"]
    await assert_no_pending_tasks()


async def test_h5_an_early_failure_skips_the_rest_of_the_hedge_delay() -> None:
    """A 503 at 20 ms with a 100 ms hedge delay moves to the next provider at 20 ms."""
    primary = StubProvider("primary", 10, [unavailable()], latency=0.02)
    secondary = StubProvider("secondary", 5)
    manager = FailoverManager([primary, secondary], hedging(hedge_delay=0.1))
    started = now()
    result = await manager.get_flight_status("BA117", DAY)
    assert result is not None
    assert secondary.call_times[0] - started == pytest.approx(0.02, abs=0.005)


async def test_h6_hedges_never_go_to_an_open_provider_and_respect_the_deadline() -> None:
    """With the secondary OPEN no hedge is sent; a hanging primary still ends at the deadline."""
    primary = StubProvider("primary", 10, latency=HANG)
    secondary = StubProvider("secondary", 5)
    manager = FailoverManager(
        [primary, secondary], hedging(hedge_delay=0.1, max_retries_per_provider=0)
    )
    manager.breaker("secondary").trip()
    started = now()
    with pytest.raises(AllProvidersFailedError):
        await manager.get_flight_status("BA117", DAY)
    assert (secondary.calls, manager.hedges_sent) == (0, 0)
    assert now() - started <= 4.0 + 0.05
    await assert_no_pending_tasks()


async def test_r6_hedges_consume_the_retry_budget() -> None:
    """With the budget exhausted no hedges are sent, but first attempts still go out."""
    primary = StubProvider("primary", 10, latency=0.5)
    secondary = StubProvider("secondary", 5)
    manager = FailoverManager([primary, secondary], hedging(hedge_delay=0.1))
    for _ in range(6):
        manager.budget.record_failure()
    result = await manager.get_flight_status("BA117", DAY)
    assert result is not None
    assert (result.source, secondary.calls, manager.hedges_sent) == ("primary", 0, 0)
