"""The one exception tree of flight-agent.

Every error the library raises on purpose is a ``FlightDataError``. Lower-layer errors (httpx,
JSON, pydantic, redis) are translated at one boundary per layer and chained with ``from``.
Errors carry context (``provider``, ``status_code``, ``retry_after``) and never secrets::

    FlightDataError
    ├── InvalidFlightQueryError          bad input; fix the query, never retried or failed over
    │   ├── FlightDateOutOfRangeError    the date is outside what a provider can answer
    │   └── UnknownProviderError         a provider name that is not configured
    ├── FlightNotFoundError              no such flight on that date (per one provider)
    ├── ProviderError                    an upstream provider failed to answer
    │   ├── ProviderTimeoutError         connect/read timeout          (retryable)
    │   ├── ProviderUnavailableError     connection error, 5xx         (retryable)
    │   ├── RateLimitedError             429 / rate limit, retry_after (retryable)
    │   │   └── QuotaExhaustedError      plan quota used up            (not retryable)
    │   ├── AuthenticationError          missing/bad key, 401, 403     (not retryable)
    │   └── InvalidResponseError         bad JSON, oversized body, unexpected shape (retryable)
    ├── UnsupportedCapabilityError       the provider cannot do that (e.g. push alerts)
    ├── AlertNotFoundError               no alert with that id on the provider's account
    ├── CircuitOpenError                 a provider's breaker refuses calls for a while
    ├── AllProvidersFailedError          every provider failed; ``attempts`` lists each one
    └── StoreUnavailableError            Redis (cache, watched flights, breaker state) failed

``ProviderError.retryable`` says whether another attempt (same or next provider) may succeed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any


class FlightDataError(Exception):
    """Root of every flight-agent error.

    Args:
        message: What went wrong and, where possible, what to do about it.
        provider: Name of the provider involved, if any.
        status_code: HTTP status code involved, if any.
    """

    def __init__(
        self, message: str, *, provider: str | None = None, status_code: int | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.provider = provider
        self.status_code = status_code

    def __str__(self) -> str:
        prefix = f"[{self.provider}] " if self.provider else ""
        return f"{prefix}{self.message}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, provider={self.provider!r})"


class InvalidFlightQueryError(FlightDataError, ValueError):
    """The query cannot be answered as asked: a malformed designator, date or airport code."""


class FlightDateOutOfRangeError(InvalidFlightQueryError):
    """The date lies outside the range a provider can answer.

    Another provider may cover the date, so a failover manager may ask the next one.
    """

    def __init__(
        self,
        message: str,
        *,
        earliest: date,
        latest: date,
        provider: str | None = None,
    ) -> None:
        super().__init__(message, provider=provider)
        self.earliest = earliest
        self.latest = latest


class UnknownProviderError(InvalidFlightQueryError):
    """A provider name that is not configured; the message lists the configured ones."""


class FlightNotFoundError(FlightDataError):
    """The provider knows no such flight on that date (coverage differs between providers)."""


class ProviderError(FlightDataError):
    """An upstream provider failed to answer."""

    retryable: bool = True


class ProviderTimeoutError(ProviderError):
    """The provider did not answer within the attempt timeout."""


class ProviderUnavailableError(ProviderError):
    """The provider could not be reached or answered with a server error (5xx)."""


class RateLimitedError(ProviderError):
    """The provider throttled the call; ``retry_after`` is the wait it asked for, in seconds."""

    def __init__(
        self,
        message: str,
        *,
        provider: str | None = None,
        status_code: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, provider=provider, status_code=status_code)
        self.retry_after = retry_after


class QuotaExhaustedError(RateLimitedError):
    """The plan's quota (monthly or per-plan) is used up; retrying before the reset is useless."""

    retryable = False


class AuthenticationError(ProviderError):
    """The key is missing, invalid, or the plan does not include the endpoint."""

    retryable = False


class InvalidResponseError(ProviderError):
    """The provider answered with something we cannot read: bad JSON, too large, wrong shape."""


class UnsupportedCapabilityError(FlightDataError):
    """The provider does not offer what was asked (push alerts, for one); another provider may.

    ``capability`` names it, e.g. ``"alerts"``.
    """

    def __init__(self, message: str, *, capability: str, provider: str | None = None) -> None:
        super().__init__(message, provider=provider)
        self.capability = capability


class AlertNotFoundError(FlightDataError):
    """The provider's account has no alert with that id (deleted, or never created)."""

    def __init__(self, message: str, *, alert_id: int, provider: str | None = None) -> None:
        super().__init__(message, provider=provider, status_code=404)
        self.alert_id = alert_id


class CircuitOpenError(FlightDataError):
    """A provider's circuit breaker is open; ``retry_after`` says when it will try again."""

    def __init__(self, message: str, *, provider: str, retry_after: float | None = None) -> None:
        super().__init__(message, provider=provider)
        self.retry_after = retry_after


class StoreUnavailableError(FlightDataError):
    """Redis could not be reached or failed a command; ``retry_after`` says when it is tried again.

    The message names the server (``Redis at 127.0.0.1:6379 is unavailable: ...``), never its
    password. The shared cache reads this as a miss; watching flights raises it to the caller.
    """

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class AllProvidersFailedError(FlightDataError):
    """Every provider failed; ``attempts`` lists what each attempt did."""

    def __init__(self, message: str, *, attempts: Sequence[Any] = ()) -> None:
        super().__init__(message)
        self.attempts = tuple(attempts)
