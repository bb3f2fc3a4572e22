"""API keys stay hidden in every form a provider can send them back in, at every exit point.

A key with URL-reserved characters travels percent-encoded (AviationStack's query) and providers
echo keys altered (upper-cased, percent-encoded) in error messages and error contexts. None of
these forms may reach the request log, an exception's text, the provider's ``last_error``
(what ``provider_health`` shows), an attempt's detail or a health probe's detail.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import quote, quote_plus

import pytest
import respx

from flight_agent.clock import FakeClock
from flight_agent.errors import AllProvidersFailedError, FlightDataError, ProviderError
from flight_agent.flight_query import FlightQuery
from flight_agent.models import FlightStatusData
from flight_agent.providers import (
    AeroDataBoxProvider,
    AviationStackProvider,
    FailoverConfig,
    FailoverManager,
    FlightAwareProvider,
)
from flight_agent.providers.aviationstack_provider import AVIATIONSTACK_BASE_URL
from flight_agent.providers.http import MAX_ERROR_MESSAGE
from flight_agent.providers.redaction import redact, register_secret
from tests.conftest import load_fixture
from tests.stubs import StubProvider

KEY = "Kx9/q+Z=w&v?m#t@s:p%r y"
"""A key holding every URL-reserved character that changes under percent-encoding."""

AS_DAY = date(2020, 2, 4)
AS_EXAMPLE = "aviationstack/aviationstack-flights-TR428-2020-02-04.json"


def altered_forms(secret: str) -> list[str]:
    """The forms a key comes back in: as is, and percent-encoded as a query or a path."""
    return [secret, quote(secret, safe=""), quote_plus(secret), quote(secret)]


FORMS = altered_forms(KEY)


def leaks(texts: list[str]) -> list[str]:
    """The texts that show any form of the key, or the start of one, in any case."""
    return [t for t in texts if any(form[:8].casefold() in t.casefold() for form in FORMS)]


def as_error(code: str, **changes: Any) -> dict[str, Any]:
    """An AviationStack error envelope from the documented examples, with ``changes`` applied."""
    body: dict[str, Any] = load_fixture("aviationstack/errors.json")[code]
    body["error"].update(changes)
    return body


@pytest.fixture
def aviationstack() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=AVIATIONSTACK_BASE_URL, assert_all_called=False) as router:
        yield router


@pytest.fixture
def provider() -> AviationStackProvider:
    return AviationStackProvider(api_key=KEY, clock=FakeClock(datetime(2020, 2, 4, 14, tzinfo=UTC)))


def test_every_altered_form_is_masked_whatever_its_case() -> None:
    """Raw, query-encoded, path-encoded, upper-cased and lower-cased forms all become ***."""
    register_secret(KEY)
    variants = [f for form in FORMS for f in (form, form.upper(), form.lower())]
    assert [redact(f"<{variant}>") for variant in variants] == ["<***>"] * len(variants)


async def test_the_debug_request_log_masks_the_percent_encoded_key(
    aviationstack: respx.MockRouter,
    provider: AviationStackProvider,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """AviationStack's key rides percent-encoded in the URL; the DEBUG request log masks it."""
    caplog.set_level(logging.DEBUG)
    route = aviationstack.get("/flights").respond(json=load_fixture(AS_EXAMPLE))
    assert await provider.get_flight_status("TR428", AS_DAY) is not None
    assert route.calls.last.request.url.params["access_key"] == KEY
    logged = [record.getMessage() for record in caplog.records]
    requests = [message for message in logged if message.startswith("AviationStack: GET ")]
    assert len(requests) == 1
    assert "***" in requests[0]
    assert not leaks(logged)


@pytest.mark.parametrize(
    ("status", "body"),
    [
        pytest.param(
            401,
            as_error("invalid_access_key", message=f"The access key {KEY.upper()} is invalid."),
            id="message-echoes-the-key-upper-cased",
        ),
        pytest.param(
            401,
            as_error("invalid_access_key", message="x" * 190 + KEY),
            id="long-message-whose-cut-falls-inside-the-key",
        ),
        pytest.param(
            200,
            as_error(
                "validation_error",
                context={f"access_key={quote_plus(KEY)}": [{"key": "invalid", "message": "?"}]},
            ),
            id="context-parameter-name-holds-the-encoded-key",
        ),
        pytest.param(
            403,
            as_error(
                "function_access_restricted",
                context={quote(KEY, safe="").lower(): [{"key": "not_supported", "message": "?"}]},
            ),
            id="context-parameter-name-holds-the-lower-cased-encoded-key",
        ),
    ],
)
async def test_aviationstack_error_envelopes_never_show_the_key(
    aviationstack: respx.MockRouter,
    provider: AviationStackProvider,
    status: int,
    body: dict[str, Any],
) -> None:
    """The exception, the provider's last error and a probe's detail all mask the echo."""
    aviationstack.get("/flights").respond(status, json=body)
    with pytest.raises(FlightDataError) as caught:
        await provider.get_flight_status("TR428", AS_DAY)
    health = await provider.health_check()
    texts = [str(caught.value), repr(caught.value), caught.value.message]
    texts += [provider.metrics.last_error or "", health.detail or ""]
    assert "***" in texts[0]
    assert not leaks(texts)


@pytest.mark.parametrize(
    ("provider_type", "path", "body"),
    [
        pytest.param(
            FlightAwareProvider,
            "/flights/BAW117",
            {
                "title": "Invalid API key",
                "reason": "INVALID_API_KEY",
                "detail": f"Provided API key {KEY.upper()} is not valid",
                "status": 401,
            },
            id="aeroapi",
        ),
        pytest.param(
            FlightAwareProvider,
            "/flights/BAW117",
            {
                "title": "Bad key",
                "reason": "INVALID_API_KEY",
                "detail": "x" * 190 + KEY + "y" * 500,
            },
            id="aeroapi-long-detail-whose-cut-falls-inside-the-key",
        ),
        pytest.param(
            AeroDataBoxProvider,
            "/flights/number/BA117/2026-11-28",
            {"message": f"Invalid API key {quote(KEY).upper()}. Go to the marketplace."},
            id="aerodatabox",
        ),
    ],
)
async def test_header_key_providers_mask_an_echoed_key(
    provider_type: type[FlightAwareProvider | AeroDataBoxProvider],
    path: str,
    body: dict[str, Any],
) -> None:
    """A 401 whose body quotes the key (upper-cased, or encoded) shows *** in the error."""
    provider = provider_type(api_key=KEY, clock=FakeClock())
    with respx.mock(base_url=provider.base_url) as api:
        api.get(path).respond(401, json=body)
        with pytest.raises(ProviderError) as caught:
            await provider.get_flight_status("BA117", date(2026, 11, 28))
    await provider.aclose()
    assert "***" in str(caught.value)
    assert len(caught.value.message) <= MAX_ERROR_MESSAGE
    assert not leaks([str(caught.value), provider.metrics.last_error or ""])


async def test_failover_reports_never_show_the_key(
    aviationstack: respx.MockRouter, provider: AviationStackProvider
) -> None:
    """Attempt details, the all-failed message, provider stats and probes mask the echo."""
    echo = as_error("internal_error", message=f"Upstream rejected {KEY.upper()}")
    aviationstack.get("/flights").respond(500, json=echo)
    manager = FailoverManager([provider], FailoverConfig(max_attempts=1))
    with pytest.raises(AllProvidersFailedError) as caught:
        await manager.get_flight_status("TR428", AS_DAY)
    probes = await manager.force_health_check()
    stats = manager.get_provider_stats()["AviationStack"]
    texts = [str(caught.value)] + [attempt.detail or "" for attempt in caught.value.attempts]
    texts += [stats.last_error or "", probes["AviationStack"].detail or ""]
    assert "Upstream rejected ***" in texts[1]
    assert not leaks(texts)


class _BuggyProvider(StubProvider):
    """A provider whose mapping fails on an answer that quotes the key."""

    async def _fetch(self, query: FlightQuery) -> FlightStatusData | None:
        raise KeyError(f"unexpected field {KEY.upper()}")


async def test_a_provider_bug_logged_with_its_traceback_never_shows_the_key(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The failover engine logs a provider's bug with its traceback; the key is masked there."""
    register_secret(KEY)
    manager = FailoverManager([_BuggyProvider("buggy", 10), StubProvider("backup", 5)])
    result = await manager.get_flight_status("BA117", date(2026, 11, 28))
    assert result is not None
    assert result.source == "backup"
    assert "unexpected field ***" in caplog.text
    assert not leaks([caplog.text])
