"""Full-jitter exponential backoff (AWS "Exponential Backoff And Jitter").

The wait before same-provider retry *n* is uniform in [0, min(cap, base * 2**(n-1))), so
clients that failed together do not retry together.
"""

from __future__ import annotations

import random


class FullJitterBackoff:
    """Waits for same-provider retries.

    Args:
        base: The bound of the first retry's wait, seconds.
        cap: The largest bound, seconds.
    """

    def __init__(self, base: float, cap: float) -> None:
        self._base = base
        self._cap = cap

    def bound(self, retry: int) -> float:
        """The longest wait before retry number ``retry`` (1-based)."""
        return min(self._cap, self._base * 2.0 ** (retry - 1))

    def delay(self, retry: int) -> float:
        """A random wait before retry number ``retry`` (1-based)."""
        return random.uniform(0.0, self.bound(retry))
