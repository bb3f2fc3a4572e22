"""ProviderMetrics: outcome counts by class, latency percentiles, last error."""

from __future__ import annotations

from datetime import UTC, datetime

from flight_agent.clock import FakeClock
from flight_agent.errors import (
    AuthenticationError,
    ProviderTimeoutError,
    QuotaExhaustedError,
    RateLimitedError,
)
from flight_agent.providers.metrics import ProviderMetrics, outcome_of


def test_outcomes_are_counted_by_class() -> None:
    """Successes, not-founds and each error class are counted apart."""
    metrics = ProviderMetrics(FakeClock())
    metrics.record_success(0.1)
    metrics.record_success(0.1, found=False)
    metrics.record_error(ProviderTimeoutError("slow", provider="P"), 1.0)
    metrics.record_error(QuotaExhaustedError("used up", provider="P"))
    assert dict(metrics.outcomes) == {
        "success": 1,
        "not_found": 1,
        "timeout": 1,
        "quota_exhausted": 1,
    }
    assert metrics.requests == 4
    assert metrics.success_rate == 0.5


def test_quota_exhaustion_is_not_mistaken_for_a_rate_limit() -> None:
    """The subclass is classified before its parent."""
    assert outcome_of(QuotaExhaustedError("x")) == "quota_exhausted"
    assert outcome_of(RateLimitedError("x")) == "rate_limited"
    assert outcome_of(AuthenticationError("x")) == "auth"
    assert outcome_of(RuntimeError("x")) == "error"


def test_latency_percentiles_use_nearest_rank() -> None:
    """Over latencies 1..100 ms, p50 is 50 ms, p95 is 95 ms and p99 is 99 ms."""
    metrics = ProviderMetrics(FakeClock())
    for ms in range(100, 0, -1):
        metrics.record_success(ms / 1000)
    latency = metrics.latency()
    assert (latency.p50, latency.p95, latency.p99) == (50.0, 95.0, 99.0)


def test_last_error_and_success_are_stamped_with_the_clock() -> None:
    """The last error's text and time, and the last success time, come from the clock."""
    clock = FakeClock(datetime(2026, 11, 28, 9, 0, tzinfo=UTC))
    metrics = ProviderMetrics(clock)
    metrics.record_error(ProviderTimeoutError("slow", provider="P"), 3.0)
    clock.advance(60)
    metrics.record_success(0.2)
    snapshot = metrics.snapshot()
    assert snapshot.last_error == "[P] slow"
    assert snapshot.last_error_at == datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
    assert snapshot.last_success_at == datetime(2026, 11, 28, 9, 1, tzinfo=UTC)
    assert snapshot.success_rate == 0.5


def test_empty_metrics_have_no_rates() -> None:
    """Before any call there is no success rate and no latency."""
    metrics = ProviderMetrics(FakeClock())
    assert metrics.success_rate is None
    assert metrics.latency().p50 is None


def test_an_abandoned_call_keeps_its_time_in_the_percentiles_without_an_outcome() -> None:
    """A call cancelled after 500 ms (a lost hedge race) still shows in p99, not in counts."""
    metrics = ProviderMetrics()
    for _ in range(19):
        metrics.record_success(0.010)
    metrics.record_abandoned(0.500)
    assert metrics.requests == 19
    assert metrics.latency().p99 == 500.0


def test_the_success_rate_and_mean_latency_follow_the_recent_window() -> None:
    """Over a window of four calls, four failures then four answers read 100 %; the counts
    by outcome keep every call."""
    metrics = ProviderMetrics(FakeClock(), window=4)
    for _ in range(4):
        metrics.record_error(ProviderTimeoutError("slow", provider="P"), 1.0)
    for _ in range(4):
        metrics.record_success(0.1)
    assert (metrics.success_rate, metrics.mean_latency_ms) == (1.0, 100.0)
    assert dict(metrics.outcomes) == {"timeout": 4, "success": 4}


def test_calls_are_counted_by_kind_and_probes_judge_nothing() -> None:
    """Each kind of call is counted; a health probe adds a call but no outcome or latency."""
    metrics = ProviderMetrics(FakeClock())
    metrics.record_success(0.1)
    metrics.record_error(RateLimitedError("429", provider="P"), 0.2, operation="departure_board")
    metrics.record_probe()
    snapshot = metrics.snapshot()
    assert snapshot.calls == {"status": 1, "departure_board": 1, "probe": 1}
    assert (snapshot.requests, snapshot.success_rate) == (2, 0.5)
    assert snapshot.latency_ms.p99 == 200.0
