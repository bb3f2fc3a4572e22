"""Cache-first lookups: fresh hits, expiry, single-flight, not-found caching, stale-if-error."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

import pytest

from flight_agent.cache import MemoryCache, TtlPolicy
from flight_agent.clock import FakeClock
from flight_agent.errors import AllProvidersFailedError, ProviderUnavailableError
from flight_agent.flight_query import FlightQuery
from flight_agent.providers import FailoverManager
from flight_agent.services.status_lookup import StatusLookup
from tests.stubs import StubProvider

DAY = date(2026, 11, 28)
QUERY = FlightQuery.parse("BA117", DAY)


def lookup_over(provider: StubProvider, clock: FakeClock) -> StatusLookup:
    manager = FailoverManager([provider], clock=clock)
    return StatusLookup(manager.fetch, MemoryCache(clock=clock), clock=clock)


async def test_a_fresh_entry_answers_without_a_provider_call(clock: FakeClock) -> None:
    """The second lookup inside the TTL is a cache hit."""
    provider = StubProvider("primary")
    lookup = lookup_over(provider, clock)
    first = await lookup.get(QUERY)
    second = await lookup.get(QUERY)
    assert first is not None
    assert second is not None
    assert second == first.model_copy(update={"attempts": ()})  # a hit made no calls
    assert provider.calls == 1
    assert (lookup.stats.requests, lookup.stats.cache_hits, lookup.stats.hit_rate) == (2, 1, 0.5)


async def test_an_expired_entry_is_fetched_again(clock: FakeClock) -> None:
    """Past the phase's TTL the providers are asked again."""
    provider = StubProvider("primary")
    lookup = lookup_over(provider, clock)
    record = await lookup.get(QUERY)
    clock.advance(TtlPolicy().fresh_for(record, clock.now()).total_seconds())
    await lookup.get(QUERY)
    assert provider.calls == 2


async def test_refresh_skips_a_fresh_entry(clock: FakeClock) -> None:
    """refresh=True asks the providers even inside the TTL."""
    provider = StubProvider("primary")
    lookup = lookup_over(provider, clock)
    await lookup.get(QUERY)
    await lookup.get(QUERY, refresh=True)
    assert provider.calls == 2


async def test_fifty_concurrent_lookups_make_one_upstream_call(clock: FakeClock) -> None:
    """Single-flight: every caller shares the one fetch in flight."""
    provider = StubProvider("primary", latency=0.05)
    lookup = lookup_over(provider, clock)
    results = await asyncio.gather(*(lookup.get(QUERY) for _ in range(50)))
    assert provider.calls == 1
    assert len({r.model_dump_json() for r in results if r is not None}) == 1
    assert lookup.stats.coalesced == 49


async def test_a_caller_giving_up_does_not_cancel_the_shared_fetch(clock: FakeClock) -> None:
    """Cancelling one waiter leaves the fetch running for the others."""
    provider = StubProvider("primary", latency=0.05)
    lookup = lookup_over(provider, clock)
    impatient = asyncio.ensure_future(lookup.get(QUERY))
    patient = asyncio.ensure_future(lookup.get(QUERY))
    await asyncio.sleep(0)
    impatient.cancel()
    assert await patient is not None
    assert (provider.calls, provider.cancelled) == (1, 0)


async def test_not_found_is_cached_briefly(clock: FakeClock) -> None:
    """A "no such flight" answer is reused for the not-found TTL, then asked again."""
    provider = StubProvider("primary", script=[None])
    lookup = lookup_over(provider, clock)
    assert await lookup.get(QUERY) is None
    assert await lookup.get(QUERY) is None
    assert provider.calls == 1
    clock.advance(TtlPolicy().not_found.total_seconds())
    await lookup.get(QUERY)
    assert provider.calls == 2


async def test_an_outage_is_answered_by_the_stale_copy_with_its_age(clock: FakeClock) -> None:
    """Every provider failing after the TTL: the last record, stale=True, attempts listed."""
    provider = StubProvider("primary", script=[True, ProviderUnavailableError("down")])
    lookup = lookup_over(provider, clock)
    fresh = await lookup.get(QUERY)
    assert fresh is not None
    clock.advance(timedelta(hours=2).total_seconds())
    stale = await lookup.get(QUERY)
    assert stale is not None
    assert stale.stale is True
    assert clock.now() - stale.fetched_at == timedelta(hours=2)
    assert [a.outcome for a in stale.attempts][-1] == "unavailable"
    assert lookup.stats.stale_answers == 1


async def test_an_outage_without_a_copy_raises(clock: FakeClock) -> None:
    """No stale copy: AllProvidersFailedError reaches the caller."""
    provider = StubProvider("primary", script=[ProviderUnavailableError("down")])
    lookup = lookup_over(provider, clock)
    with pytest.raises(AllProvidersFailedError):
        await lookup.get(QUERY)


async def test_a_stale_copy_is_not_served_past_its_keep_time(clock: FakeClock) -> None:
    """Past stale_until the copy is gone and the outage is an error."""
    provider = StubProvider("primary", script=[True, ProviderUnavailableError("down")])
    lookup = lookup_over(provider, clock)
    record = await lookup.get(QUERY)
    policy = TtlPolicy()
    clock.advance((policy.fresh_for(record, clock.now()) + policy.stale_for).total_seconds())
    with pytest.raises(AllProvidersFailedError):
        await lookup.get(QUERY)


async def test_provider_calls_are_counted_by_provider(clock: FakeClock) -> None:
    """Upstream cost is counted per provider from the attempts (skips are free)."""
    primary = StubProvider("primary", 10, script=[ProviderUnavailableError("down")])
    backup = StubProvider("backup", 5)
    manager = FailoverManager([primary, backup], clock=clock)
    lookup = StatusLookup(manager.fetch, MemoryCache(clock=clock), clock=clock)
    await lookup.get(QUERY)
    assert lookup.stats.provider_calls == {"primary": primary.calls, "backup": 1}
