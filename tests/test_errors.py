"""The exception tree: one root, context attributes, retryability."""

from __future__ import annotations

from datetime import date

import pytest

from flight_agent import errors
from flight_agent.errors import (
    AllProvidersFailedError,
    AuthenticationError,
    CircuitOpenError,
    FlightDataError,
    FlightDateOutOfRangeError,
    InvalidFlightQueryError,
    QuotaExhaustedError,
    RateLimitedError,
)


def test_every_public_error_descends_from_the_root() -> None:
    """Catching FlightDataError catches every error the library raises on purpose."""
    public = [
        getattr(errors, name)
        for name in dir(errors)
        if name.endswith("Error") and isinstance(getattr(errors, name), type)
    ]
    assert len(public) >= 12
    assert all(issubclass(error, FlightDataError) for error in public)


def test_every_error_is_drawn_in_the_module_docstring() -> None:
    """The tree in the docstring names every error class."""
    doc = errors.__doc__ or ""
    names = [n for n in dir(errors) if n.endswith("Error") and isinstance(getattr(errors, n), type)]
    assert [n for n in names if n not in doc] == []


def test_invalid_query_is_also_a_value_error() -> None:
    """Bad input can be caught as ValueError by generic callers."""
    with pytest.raises(ValueError, match="bad"):
        raise InvalidFlightQueryError("bad")


def test_quota_exhaustion_is_a_non_retryable_rate_limit() -> None:
    """Quota exhaustion is a rate limit that retrying cannot fix; a plain rate limit can."""
    assert issubclass(QuotaExhaustedError, RateLimitedError)
    assert QuotaExhaustedError("x").retryable is False
    assert RateLimitedError("x", retry_after=2.0).retryable is True
    assert AuthenticationError("x").retryable is False


def test_errors_carry_their_context() -> None:
    """Provider, retry hints, date ranges and attempts are attributes, not only text."""
    ranged = FlightDateOutOfRangeError(
        "outside", earliest=date(2026, 11, 18), latest=date(2026, 11, 30), provider="P"
    )
    assert isinstance(ranged, InvalidFlightQueryError)
    assert (ranged.provider, ranged.earliest) == ("P", date(2026, 11, 18))
    assert str(ranged) == "[P] outside"
    assert repr(ranged) == "FlightDateOutOfRangeError('outside', provider='P')"
    assert CircuitOpenError("open", provider="P", retry_after=4.0).retry_after == 4.0
    assert AllProvidersFailedError("all failed", attempts=["a", "b"]).attempts == ("a", "b")
