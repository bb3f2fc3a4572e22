"""The product's provider chain: three live providers over HTTP (respx) and the simulated one.

With every live key failing and every breaker still closed (a fresh CLI process), a single
lookup must still reach the simulated provider within the deadline: the attempt cap
(``max_attempts``, RESILIENCE 5(c) F8) bounds upstream calls, and the simulated provider makes
none. Runs on virtual loop time (looptime).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest
import respx
from pydantic import SecretStr

from flight_agent.clock import FakeClock
from flight_agent.providers import FailoverConfig, FailoverManager
from flight_agent.providers.http_provider import HttpFlightDataProvider
from flight_agent.resilience.breaker import BreakerState
from flight_agent.services.provider_factory import SIMULATED_PROVIDER_NAME, build_providers
from flight_agent.settings import Settings
from tests.conftest import load_fixture

pytestmark = pytest.mark.looptime

DAY = date(2026, 11, 28)
LIVE = ("FlightAware", "AeroDataBox", "AviationStack")
CONFIG = FailoverConfig(attempt_timeout=1.0, total_timeout=4.0, max_attempts=3)
"""RESILIENCE 5(c)'s test timings: 1 s per attempt, a 4 s deadline, 3 attempts per request."""


def settings() -> Settings:
    return Settings(
        _env_file=None,
        flightaware_api_key=SecretStr("fa-chain-key"),
        aerodatabox_api_key=SecretStr("adb-chain-key"),
        aerodatabox_marketplace="rapidapi",
        aviationstack_api_key=SecretStr("as-chain-key"),
        aviationstack_historical=False,
    )


def aeroapi_error(status: int, title: str, detail: str) -> dict[str, Any]:
    """An AeroAPI ``Error`` object: title, reason, detail and status, all required."""
    body: dict[str, Any] = load_fixture("aeroapi/error_401.json")
    reason = title.upper().replace(" ", "_")
    return body | {"title": title, "reason": reason, "detail": detail, "status": status}


def outage() -> dict[str, httpx.Response]:
    """Each live provider's 5xx in its documented shape (AeroDataBox's 503 has no body)."""
    internal: dict[str, Any] = load_fixture("aviationstack/errors.json")["internal_error"]
    return {
        "FlightAware": httpx.Response(
            503, json=aeroapi_error(503, "Service Unavailable", "Try again later")
        ),
        "AeroDataBox": httpx.Response(503),
        "AviationStack": httpx.Response(500, json=internal),
    }


async def hang(request: httpx.Request) -> httpx.Response:
    await asyncio.Event().wait()
    raise AssertionError("unreachable: the attempt timeout cancels the call")


@pytest.fixture
def upstream() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=False) as router:
        yield router


def live_chain() -> FailoverManager:
    clock = FakeClock(datetime(2026, 11, 28, 12, tzinfo=UTC))
    providers = build_providers(settings(), enable_mock=True, clock=clock)
    assert [p.name for p in providers] == [*LIVE, SIMULATED_PROVIDER_NAME]
    return FailoverManager(providers, CONFIG)


def route_each(upstream: respx.MockRouter, manager: FailoverManager) -> dict[str, respx.Route]:
    """One catch-all route per live provider's API root."""
    return {
        provider.name: upstream.route(url__startswith=provider.base_url)
        for provider in manager.providers
        if isinstance(provider, HttpFlightDataProvider)
    }


async def test_a_single_lookup_reaches_the_simulated_provider_when_every_live_one_fails(
    upstream: respx.MockRouter,
) -> None:
    """Three live providers answer 5xx with closed breakers: one call each, then the simulated
    provider answers the same request."""
    manager = live_chain()
    routes = route_each(upstream, manager)
    for name, response in outage().items():
        routes[name].mock(return_value=response)
    result = await manager.get_flight_status("BA117", DAY)
    assert result is not None
    assert result.source == SIMULATED_PROVIDER_NAME
    assert [(a.provider, a.outcome) for a in result.attempts] == [
        ("FlightAware", "unavailable"),
        ("AeroDataBox", "unavailable"),
        ("AviationStack", "unavailable"),
        (SIMULATED_PROVIDER_NAME, "success"),
    ]
    assert [routes[name].call_count for name in LIVE] == [1, 1, 1]
    assert {manager.breaker(name).state for name in LIVE} == {BreakerState.CLOSED}
    await manager.aclose()


async def test_the_simulated_provider_answers_within_the_deadline_after_three_hangs(
    upstream: respx.MockRouter,
) -> None:
    """Three hanging live providers spend 3 of the 4 s; the simulated one answers in the rest."""
    manager = live_chain()
    for route in route_each(upstream, manager).values():
        route.mock(side_effect=hang)
    loop = asyncio.get_running_loop()
    started = loop.time()
    result = await manager.get_flight_status("BA117", DAY)
    elapsed = loop.time() - started
    assert result is not None
    assert result.source == SIMULATED_PROVIDER_NAME
    assert [a.outcome for a in result.attempts] == ["timeout"] * 3 + ["success"]
    assert 3.0 <= elapsed <= CONFIG.total_timeout
    await manager.aclose()
