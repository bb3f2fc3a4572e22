"""A retry budget shared by retries and hedges (gRPC A6 retry throttling).

Every failed attempt costs one token, every success earns ``ratio`` tokens, up to
``max_tokens``. Extra calls (same-provider retries, hedges) are allowed only while more than
half the tokens remain, so a provider that fails everything is not hit three times per request:
sustained retrying needs failures below about ratio / (1 + ratio) of outcomes.
"""

from __future__ import annotations


class RetryBudget:
    """Token bucket that throttles extra calls when failures dominate.

    Args:
        max_tokens: Bucket size; it starts full.
        ratio: Tokens earned per success.
    """

    def __init__(self, max_tokens: float = 10.0, ratio: float = 0.1) -> None:
        self.max_tokens = max_tokens
        self.ratio = ratio
        self.tokens = max_tokens

    def record_success(self) -> None:
        """A successful attempt earns ``ratio`` tokens."""
        self.tokens = min(self.max_tokens, self.tokens + self.ratio)

    def record_failure(self) -> None:
        """A failed attempt costs one token."""
        self.tokens = max(0.0, self.tokens - 1.0)

    def allows_extra_call(self) -> bool:
        """Whether a retry or hedge may be sent now."""
        return self.tokens > self.max_tokens / 2
