"""The MCP HTTP endpoint's limits, over real HTTP on loopback: every refusal a clear 4xx/503.

Each test serves the app of ``build_mcp_server`` with uvicorn on 127.0.0.1 (an ephemeral port)
in the test's own event loop, with limits small enough to reach quickly.
"""

from __future__ import annotations

import asyncio
import json
import socket
import time
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

import httpx
import pytest
import uvicorn
from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client

from flight_agent.apps.asgi_guards import HttpLimits
from flight_agent.apps.mcp_server import build_mcp_server
from tests.apps.test_mcp_server import DAY, HTTP_HEADERS, TOKEN, simulated

JSON_HEADERS = HTTP_HEADERS | {"Content-Type": "application/json"}
STREAM_HEADERS = {"Accept": "text/event-stream"}


@asynccontextmanager
async def serving(limits: HttpLimits, token: str | None = None) -> AsyncIterator[str]:
    """The MCP endpoint's URL while uvicorn serves the server's app on loopback."""
    service = simulated()
    app = build_mcp_server(service, token=token, limits=limits).streamable_http_app()
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", ws="none"))
    # IPPROTO_TCP named, or asyncio leaves Nagle on (each answer then waits for a delayed ACK)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP) as listening:
        listening.bind(("127.0.0.1", 0))
        listening.listen()  # clients queue until uvicorn serves
        task = asyncio.create_task(server.serve(sockets=[listening]))
        try:
            yield f"http://127.0.0.1:{listening.getsockname()[1]}/mcp"
        finally:
            server.should_exit = True
            await task
            await service.aclose()


@asynccontextmanager
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=10, trust_env=False) as http:
        yield http


def tool_call(arguments: str, tool: str = "batch_status") -> bytes:
    """A ``tools/call`` request with the arguments' JSON text as given."""
    return (
        '{"jsonrpc": "2.0", "id": 1, "method": "tools/call", '
        f'"params": {{"name": "{tool}", "arguments": {arguments}}}}}'
    ).encode()


def error_message(response: httpx.Response) -> str:
    """The message of a JSON-RPC error body."""
    body: dict[str, Any] = response.json()
    assert body["jsonrpc"] == "2.0"
    message: str = body["error"]["message"]
    return message


async def test_a_sound_call_passes_every_guard() -> None:
    """A whole MCP session over loopback: the guards hand requests on unchanged."""
    async with (
        serving(HttpLimits()) as url,
        client() as http,
        streamable_http_client(url, http_client=http) as (read, write, _),
        ClientSession(read, write) as session,
    ):
        await session.initialize()
        result = await session.call_tool(
            "batch_status", {"flights": [{"flight_number": "BA117", "date": DAY}]}
        )
    assert not result.isError
    assert result.structuredContent is not None
    assert result.structuredContent["found"] == 1


async def test_invalid_utf8_is_400_saying_so() -> None:
    """Not a 500: the byte that is not UTF-8 is named."""
    body = tool_call('{"flights": [{"flight_number": "BA117"}]}').replace(b"BA117", b"BA\xff17")
    async with serving(HttpLimits()) as url, client() as http:
        response = await http.post(url, content=body, headers=JSON_HEADERS)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == -32700
    offset = body.index(b"\xff")
    assert error_message(response) == f"Parse error: the body is not valid UTF-8 (byte {offset})"


async def test_json_50000_levels_deep_is_400_saying_so() -> None:
    """Not a 500 from the parser's recursion limit."""
    deep = "[" * 50_000 + "]" * 50_000
    async with serving(HttpLimits()) as url, client() as http:
        response = await http.post(url, content=tool_call(deep), headers=JSON_HEADERS)
    assert response.status_code == 400
    assert error_message(response) == "Parse error: JSON nested deeper than 32 levels"


async def test_nesting_up_to_the_limit_is_served_and_past_it_refused() -> None:
    """The limit counts objects and arrays, the JSON-RPC envelope included."""
    async with serving(HttpLimits(max_depth=4)) as url, client() as http:
        within = await http.post(url, content=tool_call('{"flights": []}'), headers=JSON_HEADERS)
        past = await http.post(url, content=tool_call('{"flights": [[]]}'), headers=JSON_HEADERS)
    assert within.status_code == 200  # envelope, params, arguments, flights: 4 levels
    assert past.status_code == 400
    assert error_message(past) == "Parse error: JSON nested deeper than 4 levels"


@pytest.mark.parametrize("number", ["1e400", "-1e400", "NaN", "-Infinity"])
async def test_a_number_that_is_not_finite_is_400_saying_so(number: str) -> None:
    """It used to become infinity, then null, and the call went through without it."""
    arguments = (
        f'{{"flights": [{{"flight_number": "LH400", "date": "{DAY}"}}], '
        f'"cancellation_notice_days": {number}}}'
    )
    body = tool_call(arguments, tool="passenger_rights")
    async with serving(HttpLimits()) as url, client() as http:
        response = await http.post(url, content=body, headers=JSON_HEADERS)
    assert response.status_code == 400
    assert error_message(response) == (
        f"Parse error: the number {number} is not finite; send numbers a double can hold"
    )


@pytest.mark.parametrize(
    ("request_id", "named"),
    [
        ('{"$where": "1"}', '{"$where": "1"}'),
        ("[1]", "[1]"),
        ("true", "true"),
        ("null", "null"),
        ("1.5", "1.5"),
    ],
)
async def test_an_id_neither_string_nor_integer_is_400_saying_so(
    request_id: str, named: str
) -> None:
    """MCP ids are strings or integers; the SDK took any other for a notification (202, no
    body), so the caller never heard back."""
    body = tool_call('{"flights": []}').replace(b'"id": 1', f'"id": {request_id}'.encode())
    async with serving(HttpLimits()) as url, client() as http:
        response = await http.post(url, content=body, headers=JSON_HEADERS)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == -32600
    assert error_message(response) == (
        f"Invalid Request: the id must be a string or an integer, not {named}"
    )


async def test_a_tool_name_past_64_characters_is_unknown_without_its_echo(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The name is cut to 40 characters in the answer and never logged; one of 64 characters
    still gets the SDK's own answer."""
    async with serving(HttpLimits()) as url, client() as http:
        long = await http.post(url, content=tool_call("{}", "x" * 10_000), headers=JSON_HEADERS)
        bound = await http.post(url, content=tool_call("{}", "y" * 64), headers=JSON_HEADERS)
    assert long.status_code == 200
    assert long.json()["id"] == 1
    assert error_message(long) == (
        f"Unknown tool: {'x' * 37}... (10000 characters; tool names have at most 64)"
    )
    assert "x" * 41 not in caplog.text
    assert bound.json()["result"]["content"][0]["text"] == f"Unknown tool: {'y' * 64}"


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (
            b'{"jsonrpc": "2.0", "id": 7, "method": "flights/exfiltrate", "params": {}}',
            'no method "flights/exfiltrate"',
        ),
        (tool_call('["BA117"]'), "params.arguments: Input should be a valid dictionary"),
        (
            b'{"jsonrpc": "2.0", "id": 7, "method": "tools/call", "params": {"arguments": {}}}',
            "params.name: Field required",
        ),
    ],
)
async def test_a_request_the_sdk_cannot_take_gets_its_first_problem_in_one_line(
    body: bytes, problem: str, caplog: pytest.LogCaptureFixture
) -> None:
    """The SDK's error (invalid params, the request's id) says what is wrong, and nothing is
    logged: the SDK logged the problems of every request type it knows, about 200 lines."""
    async with serving(HttpLimits()) as url, client() as http:
        response = await http.post(url, content=body, headers=JSON_HEADERS)
    assert response.status_code == 200
    assert response.json()["error"]["code"] == -32602
    assert response.json()["id"] == json.loads(body)["id"]
    assert error_message(response) == f"Invalid request parameters: {problem}"
    assert "Failed to validate" not in caplog.text


async def chunks(body: bytes) -> AsyncIterator[bytes]:
    """``body`` in 1 KiB pieces: sent chunked, without a Content-Length."""
    for start in range(0, len(body), 1024):
        yield body[start : start + 1024]


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
async def test_a_body_over_the_limit_is_413(chunked: bool) -> None:
    """Refused before it is read whole, whether its length is declared or not."""
    body = tool_call('{"flights": [{"flight_number": "' + "A" * 5000 + '"}]}')
    content: bytes | AsyncIterator[bytes] = chunks(body) if chunked else body
    async with serving(HttpLimits(max_body_bytes=4096)) as url, client() as http:
        response = await http.post(url, content=content, headers=JSON_HEADERS)
    assert response.status_code == 413
    assert response.text == "Request body too large"


async def test_event_streams_past_the_cap_get_503_with_retry_after() -> None:
    """Two open streams fill a cap of two; the third is told to come back later."""
    limits = HttpLimits(max_streams=2, stream_idle_timeout=30)
    async with serving(limits) as url, client() as http, AsyncExitStack() as streams:
        for _ in range(2):
            opened = await streams.enter_async_context(
                http.stream("GET", url, headers=STREAM_HEADERS)
            )
            assert opened.status_code == 200
        refused = await http.get(url, headers=STREAM_HEADERS)
        call = await http.post(url, content=tool_call('{"flights": []}'), headers=JSON_HEADERS)
    assert refused.status_code == 503
    assert refused.headers["Retry-After"] == "30"
    assert error_message(refused) == "Too many open event streams: at most 2; retry later"
    assert call.status_code == 200  # tool calls are not streams: never refused by the cap


async def test_an_idle_event_stream_is_ended_and_frees_its_slot() -> None:
    """A stream that carries no event for the idle timeout ends cleanly; a new one may open."""
    limits = HttpLimits(max_streams=1, stream_idle_timeout=0.2)
    async with serving(limits) as url, client() as http:
        started = time.monotonic()
        async with http.stream("GET", url, headers=STREAM_HEADERS) as stream:
            assert stream.status_code == 200
            assert await stream.aread() == b""  # complete: ended by the server, not dropped
        lasted = time.monotonic() - started
        async with http.stream("GET", url, headers=STREAM_HEADERS) as again:
            reopened = again.status_code
    assert 0.2 <= lasted < 5
    assert reopened == 200


async def test_the_token_is_checked_before_any_limit() -> None:
    """Without the token a bad body is 401, and a stream takes no slot."""
    limits = HttpLimits(max_streams=1, stream_idle_timeout=30)
    authorized = {"Authorization": f"Bearer {TOKEN}"}
    async with serving(limits, token=TOKEN) as url, client() as http:
        bad_body = await http.post(url, content=b"\xff", headers=JSON_HEADERS)
        stranger = await http.get(url, headers=STREAM_HEADERS)
        async with http.stream("GET", url, headers=STREAM_HEADERS | authorized) as stream:
            member = stream.status_code
    assert bad_body.status_code == 401
    assert stranger.status_code == 401
    assert member == 200


async def test_dns_rebinding_is_still_refused_behind_the_guards() -> None:
    """A sound request naming a foreign Host gets the SDK's 421, as before the guards."""
    headers = JSON_HEADERS | {"Host": "flights.example"}
    async with serving(HttpLimits()) as url, client() as http:
        response = await http.post(url, content=tool_call('{"flights": []}'), headers=headers)
    assert response.status_code == 421
