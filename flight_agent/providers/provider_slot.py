"""One provider's place in the failover manager: breaker, rate limiter, cool-down, scores."""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass, field
from typing import Any

from aiolimiter import AsyncLimiter

from flight_agent.clock import Clock
from flight_agent.providers.failover_config import FailoverConfig
from flight_agent.providers.interfaces import FlightDataProvider
from flight_agent.resilience.breaker import BreakerState, CircuitBreaker

EWMA_WEIGHT = 0.2
"""Weight of the newest sample in the latency and success averages."""


@dataclass
class ProviderSlot:
    """Runtime state the manager keeps for one provider."""

    provider: FlightDataProvider
    breaker: CircuitBreaker
    clock: Clock
    limiter: AsyncLimiter | None = None
    batch_slots: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(16))
    enabled: bool = True
    cooldown_until: float = 0.0
    latency_ewma: float | None = None
    success_ewma: float = 1.0

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
            limiter=AsyncLimiter(quota.requests, quota.period) if quota else None,
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

    def record(self, success: bool, latency_s: float) -> None:
        """Fold an attempt into the latency and success averages."""
        self.success_ewma += EWMA_WEIGHT * ((1.0 if success else 0.0) - self.success_ewma)
        if success:
            if self.latency_ewma is None:
                self.latency_ewma = latency_s
            else:
                self.latency_ewma += EWMA_WEIGHT * (latency_s - self.latency_ewma)

    def stats(self) -> dict[str, Any]:
        """State, breaker figures, success rate, latency, last error and cool-down left."""
        metrics = self.provider.metrics.snapshot()
        return {
            "priority": self.provider.priority,
            "enabled": self.enabled,
            "state": self.breaker.state.value,
            "requests": metrics["requests"],
            "breaker": self.breaker.snapshot(),
            "success_rate": metrics["success_rate"],
            "latency_ms": metrics["latency_ms"],
            "last_error": metrics["last_error"],
            "last_error_at": metrics["last_error_at"],
            "cooldown_left_s": round(self.cooldown_left(), 3),
            "latency_ewma_ms": None
            if self.latency_ewma is None
            else round(self.latency_ewma * 1000, 3),
            "success_ewma": round(self.success_ewma, 4),
        }

    def batch_score(self) -> tuple[bool, float, float, int]:
        """Sort key for batches: healthy first, then success rate, latency and priority."""
        latency = self.latency_ewma if self.latency_ewma is not None else float("inf")
        healthy = self.enabled and not self.is_open() and self.cooldown_left() == 0
        return (not healthy, -round(self.success_ewma, 2), latency, -self.provider.priority)
