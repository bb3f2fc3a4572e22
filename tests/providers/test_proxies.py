"""Providers honour HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and NO_PROXY as an httpx client would.

``flight_agent.providers.proxies`` reads them with httpx's private helpers; the first test pins
the httpx versions that behaviour was checked on, the others state the behaviour relied on.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

import httpx
import pytest
from packaging.specifiers import SpecifierSet

from flight_agent.providers.flightaware_provider import FlightAwareProvider
from flight_agent.providers.proxies import environment_proxy

CHECKED_HTTPX = SpecifierSet(">=0.28.1,<0.30")
"""The httpx releases whose ``_utils.get_environment_proxies`` and ``URLPattern`` were checked."""

AEROAPI = "https://aeroapi.flightaware.com/aeroapi"
PROXY = "http://proxy.corp:3128"

SetProxies = Callable[..., None]

KEY = "proxy-test-key-0123456789"
"""A key of realistic length (every registered key is masked in all later logs and errors)."""


@pytest.fixture
def proxies(monkeypatch: pytest.MonkeyPatch) -> SetProxies:
    """Clears every proxy variable (either case), then sets the given ones upper-case."""
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy", "request_method"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)

    def set_proxies(**variables: str) -> None:
        for name, value in variables.items():
            monkeypatch.setenv(name.upper(), value)

    return set_proxies


def test_httpx_is_a_release_whose_proxy_helpers_were_checked() -> None:
    """A new httpx release may change its private helpers: check them, then widen the range
    (and pyproject's bound)."""
    assert httpx.__version__ in CHECKED_HTTPX


@pytest.mark.parametrize(
    ("variables", "url", "proxy"),
    [
        pytest.param({}, AEROAPI, None, id="none-set"),
        pytest.param({"https_proxy": PROXY}, AEROAPI, PROXY, id="https"),
        pytest.param({"https_proxy": PROXY}, "http://api.test/v1", None, id="https-only"),
        pytest.param({"http_proxy": PROXY}, "http://api.test/v1", PROXY, id="http"),
        pytest.param({"all_proxy": PROXY}, AEROAPI, PROXY, id="all"),
        pytest.param(
            {"all_proxy": "http://other:1", "https_proxy": PROXY}, AEROAPI, PROXY, id="scheme-wins"
        ),
        pytest.param({"https_proxy": "proxy.corp:3128"}, AEROAPI, PROXY, id="no-scheme"),
        pytest.param(
            {"https_proxy": PROXY, "no_proxy": "flightaware.com"}, AEROAPI, None, id="no-proxy"
        ),
        pytest.param(
            {"https_proxy": PROXY, "no_proxy": "example.com, *"}, AEROAPI, None, id="no-proxy-*"
        ),
        pytest.param(
            {"https_proxy": PROXY, "no_proxy": "other.com"}, AEROAPI, PROXY, id="other-host"
        ),
        pytest.param(
            {"http_proxy": PROXY, "no_proxy": "localhost,127.0.0.1"},
            "http://127.0.0.1:8080/aeroapi",
            None,
            id="loopback",
        ),
    ],
)
def test_the_environment_names_the_proxy_as_for_an_httpx_client(
    proxies: SetProxies, variables: dict[str, str], url: str, proxy: str | None
) -> None:
    """The scheme's proxy, else ALL_PROXY; none for a host NO_PROXY names (suffixes count)."""
    proxies(**variables)
    assert environment_proxy(url) == proxy


def test_lower_case_variables_count_too(
    proxies: SetProxies, monkeypatch: pytest.MonkeyPatch
) -> None:
    """https_proxy works like HTTPS_PROXY (curl's convention, which httpx follows)."""
    monkeypatch.setenv("https_proxy", PROXY)
    assert environment_proxy(AEROAPI) == PROXY


@pytest.fixture
async def loopback_http() -> AsyncIterator[tuple[int, list[bytes]]]:
    """A loopback HTTP server that answers every request with ``{}``; it records each request
    line, so a test tells a proxied request (absolute URL) from a direct one (path only)."""
    request_lines: list[bytes] = []

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        request_lines.append(head.split(b"\r\n", 1)[0])
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n")
        writer.write(b"Content-Length: 2\r\nConnection: close\r\n\r\n{}")
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(answer, "127.0.0.1", 0)
    yield server.sockets[0].getsockname()[1], request_lines
    server.close()
    await server.wait_closed()


async def test_a_provider_sends_its_requests_through_the_proxy(
    proxies: SetProxies, loopback_http: tuple[int, list[bytes]]
) -> None:
    """With HTTP_PROXY set, the proxy receives the provider's request for the API's host."""
    port, request_lines = loopback_http
    proxies(http_proxy=f"http://127.0.0.1:{port}")
    async with FlightAwareProvider(api_key=KEY, base_url="http://aeroapi.test/aeroapi") as provider:
        assert (await provider.health_check()).healthy
    assert request_lines == [b"GET http://aeroapi.test/aeroapi/account/usage HTTP/1.1"]


async def test_a_host_no_proxy_names_is_reached_directly(
    proxies: SetProxies, loopback_http: tuple[int, list[bytes]]
) -> None:
    """NO_PROXY bypasses the proxy (here one that refuses every connection)."""
    port, request_lines = loopback_http
    proxies(http_proxy="http://127.0.0.1:1", no_proxy="127.0.0.1")
    base_url = f"http://127.0.0.1:{port}/aeroapi"
    async with FlightAwareProvider(api_key=KEY, base_url=base_url) as provider:
        assert (await provider.health_check()).healthy
    assert request_lines == [b"GET /aeroapi/account/usage HTTP/1.1"]
