"""The shared cache vocabulary: keys, entries and their deadlines, counters."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from flight_agent.cache import CacheEntry, CacheStats, MemoryCache, status_key
from tests.cache.samples import NOW, entry, flight

MINUTE = timedelta(minutes=1)


@pytest.mark.parametrize(
    ("flight_id", "origin", "key"),
    [
        pytest.param("BA117", None, "flight-agent:v1:status:BA117:2026-11-28", id="no-origin"),
        pytest.param("ba117", "lhr", "flight-agent:v1:status:BA117:2026-11-28:LHR", id="origin"),
    ],
)
def test_status_key_follows_the_versioned_schema(
    flight_id: str, origin: str | None, key: str
) -> None:
    """Keys are namespaced, versioned and upper-cased, with the origin when one is given."""
    assert status_key(flight_id, date(2026, 11, 28), origin) == key


@pytest.mark.parametrize(
    ("flight_id", "origin"),
    [
        pytest.param("", None, id="empty-ident"),
        pytest.param("BA:117", None, id="colon"),
        pytest.param("BA 117", None, id="space"),
        pytest.param("BA117", "", id="empty-origin"),
        pytest.param("BA117", "L\tHR", id="tab-in-origin"),
    ],
)
def test_status_key_rejects_parts_that_break_the_schema(flight_id: str, origin: str | None) -> None:
    """Empty parts, colons and whitespace cannot reach a key."""
    with pytest.raises(ValueError, match="invalid cache key part"):
        status_key(flight_id, date(2026, 11, 28), origin)


@pytest.mark.parametrize(
    "times",
    [
        pytest.param((NOW.replace(tzinfo=None), NOW, NOW), id="naive"),
        pytest.param((NOW, NOW - MINUTE, NOW), id="fresh-before-stored"),
        pytest.param((NOW, NOW + 2 * MINUTE, NOW + MINUTE), id="stale-before-fresh"),
    ],
)
def test_entry_rejects_naive_or_disordered_deadlines(
    times: tuple[datetime, datetime, datetime],
) -> None:
    """Deadlines must be aware and ordered stored_at <= fresh_until <= stale_until."""
    with pytest.raises(ValueError, match="CacheEntry"):
        CacheEntry(None, *times)


def test_entry_is_fresh_then_stale_then_expired() -> None:
    """Freshness ends at fresh_until and the stale copy ends at stale_until, both exclusive."""
    cached = entry(flight(), fresh=5 * MINUTE, stale=60 * MINUTE)
    assert cached.is_fresh(NOW + 5 * MINUTE - timedelta(microseconds=1))
    assert not cached.is_fresh(NOW + 5 * MINUTE)
    assert not cached.is_expired(NOW + 65 * MINUTE - timedelta(microseconds=1))
    assert cached.is_expired(NOW + 65 * MINUTE)


def test_entry_age_is_never_negative() -> None:
    """Age counts from stored_at and is zero when the reader's clock is behind."""
    cached = entry(None)
    assert cached.age(NOW + 3 * MINUTE) == 3 * MINUTE
    assert cached.age(NOW - MINUTE) == timedelta(0)


def test_stats_classify_reads_and_report_a_hit_ratio() -> None:
    """Fresh, stale and missing entries count as hits, stale hits and misses."""
    stats = CacheStats()
    cached = entry(None, fresh=MINUTE, stale=MINUTE)
    assert stats.count_read(cached, NOW) is cached
    assert stats.count_read(cached, NOW + MINUTE) is cached
    assert stats.count_read(cached, NOW + 2 * MINUTE) is None
    assert stats.count_read(None, NOW) is None
    snapshot = stats.snapshot("memory")
    assert (snapshot.hits, snapshot.stale_hits, snapshot.misses) == (1, 1, 2)
    assert snapshot.hit_ratio == 0.5


def test_stats_hit_ratio_is_zero_before_any_read() -> None:
    """No reads means a ratio of 0, not a division error."""
    assert CacheStats().snapshot("memory").hit_ratio == 0.0


def test_cache_snapshot_names_the_backend() -> None:
    """A cache's snapshot carries its backend name beside the counters."""
    snapshot = MemoryCache().snapshot()
    assert snapshot.backend == "memory"
    assert snapshot.sets == 0
