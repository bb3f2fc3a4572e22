"""The loopback server: real sockets, keep-alive, concurrency, resets and shutdown."""

from __future__ import annotations

import asyncio
import logging
from datetime import date

import httpx
import pytest

from flight_agent.clock import FakeClock
from flight_agent.errors import ProviderTimeoutError, ProviderUnavailableError
from flight_agent.testing import FakeUpstream
from flight_agent.testing.asgi import Receive, Scope, Send
from flight_agent.testing.server import serve_asgi
from tests.testing.conftest import KEY, PROVIDERS, make_provider

DAY = date(2026, 11, 28)
HEALTH = "/aerodatabox/health/services/airports/EGLL/feeds"


async def open_raw(root: str) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    host, port = root.removeprefix("http://").split(":")
    return await asyncio.open_connection(host, int(port))


async def read_response(reader: asyncio.StreamReader) -> tuple[str, bytes]:
    """The status line and body of one response."""
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
    lines = head.split("\r\n")
    length = next(int(line.split(":")[1]) for line in lines if line.startswith("content-length"))
    return lines[0], await reader.readexactly(length)


def request(path: str, *, version: str = "HTTP/1.1", extra: str = "") -> bytes:
    head = f"GET {path} {version}\r\nhost: fake\r\nx-rapidapi-key: {KEY}\r\n{extra}\r\n"
    return head.encode("latin-1")


@pytest.mark.parametrize("name", PROVIDERS)
async def test_a_provider_reads_the_same_flight_over_a_socket(
    name: str, upstream: FakeUpstream, clock: FakeClock
) -> None:
    """Over the loopback socket each provider gets the record it gets in process."""
    async with upstream.serve() as root:
        assert root.startswith("http://127.0.0.1:")
        async with make_provider(name, upstream, clock=clock, root=root) as provider:
            remote = await provider.get_flight_status("BA117", DAY)
    async with make_provider(name, upstream, clock=clock) as provider:
        local = await provider.get_flight_status("BA117", DAY)
    assert remote is not None
    assert local is not None
    assert remote.model_dump(exclude={"fetched_at"}) == local.model_dump(exclude={"fetched_at"})
    assert upstream.requests[name] == 2


async def test_keep_alive_answers_several_requests_on_one_connection(
    upstream: FakeUpstream,
) -> None:
    """Two requests sent on one connection get two answers, in order, on it."""
    async with upstream.serve() as root:
        reader, writer = await open_raw(root)
        writer.write(request(HEALTH) + request("/aerodatabox/flights/number/BA9950/2026-11-28"))
        first = await read_response(reader)
        second = await reader.readuntil(b"\r\n\r\n")
        writer.close()
    assert first[0] == "HTTP/1.1 200 OK"
    assert b"flightSchedulesFeed" in first[1]
    assert second.startswith(b"HTTP/1.1 204 No Content")


@pytest.mark.parametrize(
    ("version", "extra"),
    [
        pytest.param("HTTP/1.1", "connection: close\r\n", id="connection-close"),
        pytest.param("HTTP/1.0", "", id="http-1.0"),
    ],
)
async def test_the_connection_ends_when_the_client_asks(
    upstream: FakeUpstream, version: str, extra: str
) -> None:
    """After 'Connection: close' or an HTTP/1.0 request the server closes the socket."""
    async with upstream.serve() as root:
        reader, writer = await open_raw(root)
        writer.write(request(HEALTH, version=version, extra=extra))
        status, _ = await read_response(reader)
        assert await reader.read() == b""
        writer.close()
    assert status == "HTTP/1.1 200 OK"


async def test_many_concurrent_requests_are_answered(upstream: FakeUpstream) -> None:
    """Two hundred concurrent requests over fifty connections all succeed."""
    limits = httpx.Limits(max_connections=50)
    async with upstream.serve() as root, httpx.AsyncClient(limits=limits) as client:
        responses = await asyncio.gather(
            *(client.get(root + HEALTH, headers={"x-rapidapi-key": KEY}) for _ in range(200))
        )
    assert [r.status_code for r in responses] == [200] * 200
    assert upstream.requests["aerodatabox"] == 200


async def test_a_reset_fault_resets_the_socket(upstream: FakeUpstream, clock: FakeClock) -> None:
    """'reset' closes the TCP connection without an answer: a connection failure."""
    upstream.fail_next(1, status="reset")
    async with (
        upstream.serve() as root,
        make_provider("flightaware", upstream, clock=clock, root=root) as provider,
    ):
        with pytest.raises(ProviderUnavailableError, match="connection failed") as caught:
            await provider.get_flight_status("BA117", DAY)
        assert await provider.get_flight_status("BA117", DAY) is not None
    assert caught.value.status_code is None


async def test_a_down_provider_drops_its_connections(
    upstream: FakeUpstream, clock: FakeClock
) -> None:
    """On the socket a down provider's requests fail at the connection, not with a 503."""
    upstream.set_down("aerodatabox")
    async with upstream.serve() as root:
        async with make_provider("aerodatabox", upstream, clock=clock, root=root) as down:
            with pytest.raises(ProviderUnavailableError, match="connection failed") as caught:
                await down.get_flight_status("BA117", DAY)
        async with make_provider("aviationstack", upstream, clock=clock, root=root) as up:
            assert await up.get_flight_status("BA117", DAY) is not None
    assert caught.value.status_code is None


async def test_a_hung_request_times_out_and_ends_with_the_server(
    upstream: FakeUpstream, clock: FakeClock
) -> None:
    """'hang' trips the client's read timeout; leaving serve() ends the hung handler."""
    upstream.fail_next(1, status="hang")
    async with asyncio.timeout(10):
        async with (
            upstream.serve() as root,
            make_provider("flightaware", upstream, clock=clock, root=root, timeout=0.2) as slow,
        ):
            with pytest.raises(ProviderTimeoutError):
                await slow.get_flight_status("BA117", DAY)


async def test_a_malformed_request_head_gets_400(upstream: FakeUpstream) -> None:
    """A request line that is not 'METHOD target version' is refused and the socket closed."""
    async with upstream.serve() as root:
        reader, writer = await open_raw(root)
        writer.write(b"NONSENSE\r\n\r\n")
        status, _ = await read_response(reader)
        assert await reader.read() == b""
        writer.close()
    assert status == "HTTP/1.1 400 Bad Request"


async def test_an_app_error_resets_the_connection_and_is_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """An unexpected exception in the app is logged and the client sees a dropped connection."""

    async def broken(scope: Scope, receive: Receive, send: Send) -> None:
        raise RuntimeError("boom")

    with caplog.at_level(logging.ERROR, logger="flight_agent.testing.server"):
        async with serve_asgi(broken) as root, httpx.AsyncClient() as client:
            with pytest.raises(httpx.TransportError):
                await client.get(root + "/anything")
    assert "the app failed on GET /anything" in caplog.text


async def test_the_port_is_closed_after_the_block(upstream: FakeUpstream) -> None:
    """Once the block is left, connecting is refused."""
    async with upstream.serve() as root:
        pass
    async with httpx.AsyncClient() as client:
        with pytest.raises(httpx.ConnectError):
            await client.get(root + HEALTH)
