"""Full-jitter exponential backoff (AWS "Exponential Backoff And Jitter"), from tenacity.

The wait before same-provider retry *n* is uniform in [0, min(cap, base * 2**(n-1))), so
clients that failed together do not retry together.
"""

from __future__ import annotations

from tenacity import AsyncRetrying, RetryCallState, wait_random_exponential


class FullJitterBackoff:
    """Waits for same-provider retries.

    Args:
        base: The bound of the first retry's wait, seconds.
        cap: The largest bound, seconds.
    """

    def __init__(self, base: float, cap: float) -> None:
        self._strategy = wait_random_exponential(multiplier=base, max=cap)
        self._retrying = AsyncRetrying()

    def delay(self, retry: int) -> float:
        """A random wait before retry number ``retry`` (1-based)."""
        state = RetryCallState(self._retrying, fn=None, args=(), kwargs={})
        state.attempt_number = retry
        return float(self._strategy(state))
