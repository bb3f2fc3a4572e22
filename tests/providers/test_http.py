"""The shared HTTP boundary: Retry-After parsing, status mapping and secret redaction."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest
import respx

from flight_agent.errors import (
    AuthenticationError,
    InvalidFlightQueryError,
    ProviderError,
    ProviderTimeoutError,
    ProviderUnavailableError,
    RateLimitedError,
)
from flight_agent.providers.http import ProviderHttp, error_for_status, parse_retry_after
from flight_agent.providers.redaction import redact, register_secret

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        pytest.param("3", 3.0, id="delta-seconds"),
        pytest.param(" 1.5 ", 1.5, id="fractional"),
        pytest.param("Sat, 28 Nov 2026 12:00:05 GMT", 5.0, id="http-date"),
        pytest.param(None, None, id="missing"),
        pytest.param("-4", None, id="negative"),
        pytest.param("Sat, 28 Nov 2026 11:59:00 GMT", None, id="date-in-the-past"),
        pytest.param("soon", None, id="unparsable"),
    ],
)
def test_retry_after_is_parsed_from_seconds_or_http_date(
    header: str | None, seconds: float | None
) -> None:
    """Retry-After gives seconds to wait; bad or negative values give None (backoff applies)."""
    assert parse_retry_after(header, NOW) == seconds


@pytest.mark.parametrize(
    ("status", "error_type", "retryable"),
    [
        pytest.param(400, InvalidFlightQueryError, None, id="400"),
        pytest.param(401, AuthenticationError, False, id="401"),
        pytest.param(403, AuthenticationError, False, id="403"),
        pytest.param(408, ProviderTimeoutError, True, id="408"),
        pytest.param(429, RateLimitedError, True, id="429"),
        pytest.param(502, ProviderUnavailableError, True, id="502"),
        pytest.param(451, ProviderError, True, id="other-4xx"),
    ],
)
def test_status_codes_map_onto_the_exception_tree(
    status: int, error_type: type[Exception], retryable: bool | None
) -> None:
    """Each status gives its error class, the provider name, the status and the detail."""
    error = error_for_status("P", status, "why")
    assert type(error) is error_type
    assert (error.provider, error.status_code) == ("P", status)
    assert str(error).startswith("[P] ")
    assert str(error).endswith(": why")
    assert getattr(error, "retryable", None) == retryable


def test_registered_secrets_are_redacted_from_log_records(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A registered key in a URL logged by httpx or httpcore shows as ***."""
    register_secret("s3cr3t-key-value")
    caplog.set_level(logging.DEBUG)
    logging.getLogger("httpx").info("GET %s", "https://x.test/v1?access_key=s3cr3t-key-value")
    logging.getLogger("httpcore.http11").debug("key s3cr3t-key-value failed")
    messages = [record.getMessage() for record in caplog.records]
    assert messages == ["GET https://x.test/v1?access_key=***", "key *** failed"]


async def test_transport_never_retries() -> None:
    """One 503 costs exactly one request: retries belong to the failover manager."""
    http = ProviderHttp("P", "https://api.test")
    with respx.mock(base_url="https://api.test") as api:
        route = api.get("/x").respond(503)
        with pytest.raises(ProviderUnavailableError):
            await http.get_json("/x")
    await http.aclose()
    assert route.call_count == 1


@pytest.mark.parametrize("status", [204, 404])
async def test_no_content_and_not_found_answer_with_no_body(status: int) -> None:
    """204 and 404 come back as a response with body None, for the provider to read as not found."""
    http = ProviderHttp("P", "https://api.test")
    with respx.mock(base_url="https://api.test") as api:
        api.get("/x").respond(status)
        response = await http.get_json("/x")
    await http.aclose()
    assert (response.status_code, response.body) == (status, None)


async def test_declared_oversized_body_is_refused_before_reading() -> None:
    """A Content-Length above the cap is refused without reading the body."""
    http = ProviderHttp("P", "https://api.test", max_body_bytes=10)
    with respx.mock(base_url="https://api.test") as api:
        api.get("/x").respond(200, headers={"Content-Length": "999999"}, content=b"{}")
        with pytest.raises(ProviderError, match="exceeds 10 bytes"):
            await http.get_json("/x")
    await http.aclose()


async def test_connection_refused_on_a_real_socket_is_unavailable() -> None:
    """A refused TCP connection (nothing listens on port 1) is ProviderUnavailableError."""
    http = ProviderHttp("P", "http://127.0.0.1:1", timeout=2.0)
    with pytest.raises(ProviderUnavailableError, match="connection failed"):
        await http.get_json("/x")
    await http.aclose()


def test_a_key_containing_another_key_is_hidden_whole() -> None:
    """Redaction replaces the longest keys first, so no part of a longer key shows."""
    register_secret("short-key")
    register_secret("long-short-key-99")
    assert redact("k=long-short-key-99") == "k=***"
