"""One provider's place in the failover engine: breaker, rate limiter, cool-down and its stats."""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass, field

from aiolimiter import AsyncLimiter
from pydantic import ConfigDict

from flight_agent.clock import Clock
from flight_agent.providers.failover.config import FailoverConfig
from flight_agent.providers.interfaces import FlightDataProvider
from flight_agent.providers.metrics import MetricsSnapshot
from flight_agent.resilience.breaker import BreakerState, BreakerStats, CircuitBreaker


class ProviderStats(MetricsSnapshot):
    """One provider as the failover engine sees it: its health statistic (the metrics
    fields), its place in the order, its breaker and any Retry-After cool-down.

    ``state`` is the breaker's: closed (healthy), open (skipped), half_open (probing),
    forced_open or disabled.
    """

    model_config = ConfigDict(frozen=True)

    priority: int
    enabled: bool
    state: BreakerState
    breaker: BreakerStats
    cooldown_left_s: float


@dataclass
class ProviderSlot:
    """Runtime state the engine keeps for one provider."""

    provider: FlightDataProvider
    breaker: CircuitBreaker
    clock: Clock
    limiter: AsyncLimiter | None = None
    batch_slots: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(16))
    enabled: bool = True
    cooldown_until: float = 0.0

    @classmethod
    def build(
        cls, provider: FlightDataProvider, config: FailoverConfig, clock: Clock
    ) -> ProviderSlot:
        """A slot with a breaker, a batch semaphore and the configured rate limit."""
        quota = config.rate_limits.get(provider.name)
        return cls(
            provider=provider,
            breaker=CircuitBreaker(
                provider.name, config.breaker_config(), clock=clock, rng=random.Random()
            ),
            clock=clock,
            limiter=AsyncLimiter(*quota.bucket()) if quota else None,
            batch_slots=asyncio.Semaphore(config.batch_concurrency),
        )

    @property
    def name(self) -> str:
        """The provider's name."""
        return self.provider.name

    def cooldown_left(self) -> float:
        """Seconds until a Retry-After cool-down ends (0 when none)."""
        return max(0.0, self.cooldown_until - self.clock.monotonic())

    def cool_down(self, seconds: float) -> None:
        """Skip this provider for ``seconds`` (it asked us to wait)."""
        self.cooldown_until = max(self.cooldown_until, self.clock.monotonic() + seconds)

    def is_open(self) -> bool:
        """Whether the breaker refuses calls right now."""
        return self.breaker.state in (BreakerState.OPEN, BreakerState.FORCED_OPEN)

    def usable(self) -> bool:
        """Whether a call would be let through now: breaker not open, no cool-down."""
        return not self.is_open() and self.cooldown_left() == 0

    def batch_score(self) -> tuple[bool, float, float, int]:
        """Sort key for batches: healthy first, then success rate, latency and priority."""
        metrics = self.provider.metrics
        success = metrics.success_rate
        latency = metrics.mean_latency_ms
        return (
            not (self.enabled and self.usable()),
            -round(1.0 if success is None else success, 2),
            float("inf") if latency is None else latency,
            -self.provider.priority,
        )

    def stats(self) -> ProviderStats:
        """The provider's health statistic with its breaker, order and cool-down."""
        return ProviderStats.model_validate(
            {
                **dict(self.provider.metrics.snapshot()),
                "priority": self.provider.priority,
                "enabled": self.enabled,
                "state": self.breaker.state,
                "breaker": self.breaker.snapshot(),
                "cooldown_left_s": round(self.cooldown_left(), 3),
            }
        )
