"""A primary that is healthy enough to use keeps, or gets back, its traffic (virtual time).

These specify the default policy: a provider failing a minority of its calls is not ejected by
chance, a quota is kept with a local limit that never exceeds it, and a provider comes back
once its cool-down has passed or its half-open probes succeed.
"""

from __future__ import annotations

import asyncio
import random
from datetime import date

import pytest

from flight_agent.errors import ProviderUnavailableError, RateLimitedError
from flight_agent.providers import FailoverConfig, FailoverManager, RateLimit
from flight_agent.resilience.breaker import BreakerState
from tests.stubs import StubProvider

pytestmark = pytest.mark.looptime

DAY = date(2026, 11, 28)


def unavailable() -> ProviderUnavailableError:
    return ProviderUnavailableError("HTTP 503", provider="primary", status_code=503)


async def test_a_primary_failing_30_percent_keeps_its_traffic_by_default() -> None:
    """3,000 lookups with 30 % of the primary's answers 503: the default breaker never opens,
    so the primary answers every lookup it does not fail (about 70 %)."""
    rng = random.Random(7)
    script = [unavailable() if rng.random() < 0.3 else True for _ in range(3_000)]
    primary = StubProvider("primary", 10, script)
    manager = FailoverManager([primary, StubProvider("secondary", 5)])
    sources = [
        (await manager.get_flight_status("BA117", DAY) or pytest.fail("no answer")).source
        for _ in range(3_000)
    ]
    assert primary.calls == 3_000
    assert manager.breaker("primary").open_count == 0
    assert sources.count("primary") == script.count(True)


async def test_a_primary_that_fails_every_call_is_still_ejected_after_ten() -> None:
    """A dead primary costs ten failed-over lookups, then is skipped."""
    primary = StubProvider("primary", 10, [unavailable()])
    manager = FailoverManager([primary, StubProvider("secondary", 5)])
    for _ in range(20):
        await manager.get_flight_status("BA117", DAY)
    assert primary.calls == 10
    assert manager.breaker("primary").state is BreakerState.OPEN


async def test_a_local_limit_with_a_small_burst_never_exceeds_a_fixed_window_quota() -> None:
    """``RateLimit(requests=8, burst=2)`` against 15 lookups a second: in no second does the
    primary get more than 10 calls, and it gets about 8 a second, the rest failing over at once
    (``max_rate_limit_wait=0``)."""
    primary, secondary = StubProvider("primary", 10), StubProvider("secondary", 5)
    limit = {"primary": RateLimit(requests=8, burst=2)}
    manager = FailoverManager(
        [primary, secondary], FailoverConfig(rate_limits=limit, max_rate_limit_wait=0)
    )
    loop = asyncio.get_running_loop()
    start = loop.time()
    for i in range(150):
        await asyncio.sleep(max(0.0, start + i / 15 - loop.time()))
        await manager.get_flight_status("BA117", DAY)
    per_second = [0] * 10
    for called in primary.call_times:
        per_second[int(called - start)] += 1
    assert max(per_second) <= 10
    assert 75 <= primary.calls <= 90
    assert secondary.calls == 150 - primary.calls


def test_a_burst_below_one_call_is_refused() -> None:
    """A burst must let at least one call through."""
    with pytest.raises(ValueError, match="greater than or equal to 1"):
        RateLimit(requests=5, burst=0.5)


async def test_the_primary_takes_traffic_again_once_its_retry_after_has_passed() -> None:
    """A 429 with Retry-After 2 s sends lookups to the secondary for 2 s, then back."""
    limited = RateLimitedError("429", provider="primary", retry_after=2.0)
    primary = StubProvider("primary", 10, [limited, True])
    manager = FailoverManager([primary, StubProvider("secondary", 5)])
    sources = []
    for _ in range(4):
        record = await manager.get_flight_status("BA117", DAY)
        assert record is not None
        sources.append(record.source)
        await asyncio.sleep(0.9)
    assert sources == ["secondary", "secondary", "secondary", "primary"]


async def test_the_primary_takes_traffic_again_when_its_half_open_probes_succeed() -> None:
    """After its open period the primary's probes are real lookups; when they succeed the
    breaker closes and every lookup goes to the primary again."""
    primary = StubProvider("primary", 10, [unavailable()] * 10 + [True])
    manager = FailoverManager(
        [primary, StubProvider("secondary", 5)], FailoverConfig(open_duration_jitter=0)
    )
    for _ in range(10):
        await manager.get_flight_status("BA117", DAY)
    assert manager.breaker("primary").state is BreakerState.OPEN
    await asyncio.sleep(30)  # circuit_breaker_timeout
    sources = []
    for _ in range(5):
        record = await manager.get_flight_status("BA117", DAY)
        assert record is not None
        sources.append(record.source)
    assert sources == ["primary"] * 5
    assert manager.breaker("primary").state is BreakerState.CLOSED
