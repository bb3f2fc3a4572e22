"""Shared helpers for the fake upstream's tests: an upstream and real providers pointed at it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from flight_agent.clock import Clock, FakeClock
from flight_agent.providers import AeroDataBoxProvider, AviationStackProvider, FlightAwareProvider
from flight_agent.providers.http_provider import HttpFlightDataProvider
from flight_agent.testing import FakeUpstream

KEY = "fake-upstream-key"
PROVIDERS = ("flightaware", "aerodatabox", "aviationstack")


def make_provider(
    name: str,
    upstream: FakeUpstream,
    *,
    clock: Clock,
    root: str = "http://fake",
    transport: httpx.AsyncBaseTransport | None = None,
    api_key: str = KEY,
    timeout: float = 10.0,
) -> HttpFlightDataProvider:
    """The real provider class ``name`` pointed at the upstream (in process unless a root URL
    of a loopback server is given without a transport)."""
    base_url = upstream.base_url(name, root)
    if transport is None and root == "http://fake":
        transport = upstream.transport()
    if name == "flightaware":
        return FlightAwareProvider(
            api_key=api_key, base_url=base_url, transport=transport, clock=clock, timeout=timeout
        )
    if name == "aerodatabox":
        return AeroDataBoxProvider(
            api_key=api_key,
            marketplace="rapidapi",
            base_url=base_url,
            transport=transport,
            clock=clock,
            timeout=timeout,
        )
    return AviationStackProvider(
        api_key=api_key,
        historical=False,
        base_url=base_url,
        transport=transport,
        clock=clock,
        timeout=timeout,
    )


@pytest.fixture
def upstream(clock: FakeClock) -> FakeUpstream:
    """A fake upstream on the shared fake clock (2026-11-28 12:00 UTC), seed 0."""
    return FakeUpstream(seed=0, clock=clock, api_key=KEY)


@pytest.fixture(params=PROVIDERS)
async def provider(
    request: pytest.FixtureRequest, upstream: FakeUpstream, clock: FakeClock
) -> AsyncIterator[HttpFlightDataProvider]:
    """Each real provider in turn, talking to ``upstream`` in process."""
    made = make_provider(request.param, upstream, clock=clock)
    yield made
    await made.aclose()
