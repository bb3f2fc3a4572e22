"""Resilience building blocks: the per-provider circuit breaker and error classification."""

from flight_agent.resilience.breaker import (
    BreakerListener,
    BreakerState,
    BreakerStats,
    CircuitBreaker,
)
from flight_agent.resilience.breaker_config import BreakerConfig, WindowType
from flight_agent.resilience.breaker_window import classify

__all__ = [
    "BreakerConfig",
    "BreakerListener",
    "BreakerState",
    "BreakerStats",
    "CircuitBreaker",
    "WindowType",
    "classify",
]
