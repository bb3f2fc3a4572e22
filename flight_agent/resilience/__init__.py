"""Resilience building blocks: the per-provider circuit breaker and error classification."""

from flight_agent.resilience.breaker import (
    BreakerConfig,
    BreakerListener,
    BreakerState,
    CircuitBreaker,
    WindowType,
    classify,
)

__all__ = [
    "BreakerConfig",
    "BreakerListener",
    "BreakerState",
    "CircuitBreaker",
    "WindowType",
    "classify",
]
