"""The service's figures in one typed report, for dashboards, notebooks and tests."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from flight_agent.cache.base import CacheSnapshot
from flight_agent.monitoring import MonitorStats
from flight_agent.providers import ProviderStats


class ServiceStats(BaseModel):
    """Cache effectiveness, upstream cost, stale answers, monitoring and provider figures.

    Attributes:
        requests: Status lookups asked for.
        cache_hit_rate: Share of lookups answered by a fresh cache entry.
        cache: The cache backend and its counters.
        upstream_fetches: Fetches that went to the providers (each may make several attempts).
        upstream_calls_by_provider: Status attempts that reached each provider.
        coalesced_requests: Lookups answered by another caller's fetch in this process.
        stale_answers: Answers served from a stale copy during an outage.
        monitoring: The flight monitor's counters.
        providers: Each provider's figures, highest priority first.
    """

    model_config = ConfigDict(frozen=True)

    requests: int
    cache_hit_rate: float
    cache: CacheSnapshot
    upstream_fetches: int
    upstream_calls_by_provider: dict[str, int]
    coalesced_requests: int
    stale_answers: int
    monitoring: MonitorStats
    providers: dict[str, ProviderStats]
