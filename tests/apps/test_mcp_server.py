"""The MCP server: native tools over the operations, errors with hints, stdio and HTTP auth."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast

import httpx
import jsonschema
import pytest
from langchain_core.messages import ToolMessage
from langchain_mcp_adapters.client import MultiServerMCPClient
from langchain_mcp_adapters.tools import load_mcp_tools
from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.memory import create_connected_server_and_client_session
from mcp.types import CallToolResult, TextContent
from pydantic import BaseModel, SecretStr

import flight_agent
from flight_agent.apps import mcp_server
from flight_agent.apps.mcp_server import (
    InsecureBindError,
    ServiceSlot,
    build_mcp_server,
    is_loopback,
)
from flight_agent.providers import FailoverConfig, MockFlightDataProvider
from flight_agent.services import EnhancedFlightMonitoringService
from flight_agent.settings import Settings
from tests.tools.conftest import ECHO, Echo
from tools import FlightToolkit, operations
from tools.schemas import FlightRef
from tools.specs import TOOL_SPECS, ToolSpec

DAY = (datetime.now(UTC) + timedelta(days=7)).date().isoformat()
"""A date the simulated provider answers whenever the tests run."""
TOKEN = "s3cret-token"


class TrackedService(EnhancedFlightMonitoringService):
    """A service that remembers being closed."""

    closed = False

    async def aclose(self) -> None:
        self.closed = True
        await super().aclose()


def simulated(*, error_rate: float = 0.0, token: str | None = None) -> TrackedService:
    """A service on the simulated provider (seed 0), memory cache, no Redis."""
    return TrackedService(
        providers=[MockFlightDataProvider("Simulated", error_rate=error_rate)],
        settings=Settings(
            redis_url=None,
            flight_agent_mcp_token=SecretStr(token) if token else None,
        ),
        config=FailoverConfig(max_attempts=1),
    )


@pytest.fixture
async def service() -> AsyncIterator[EnhancedFlightMonitoringService]:
    service = simulated()
    yield service
    await service.aclose()


def connected(
    service: EnhancedFlightMonitoringService,
) -> AbstractAsyncContextManager[ClientSession]:
    """An in-memory MCP client session with the server over ``service``.

    (A context in the test, not a fixture: anyio scopes must close in the task that opened them.)
    """
    return create_connected_server_and_client_session(build_mcp_server(service))


def text_of(result: CallToolResult) -> str:
    block = result.content[0]
    assert isinstance(block, TextContent)
    return block.text


def key_fields(flight: dict[str, Any]) -> tuple[Any, ...]:
    return (
        flight["flight_id"],
        flight["origin"]["iata"],
        flight["destination"]["iata"],
        flight["scheduled_out"],
        flight["scheduled_in"],
        flight["status"],
    )


async def test_every_tool_is_listed_with_schemas_annotations_and_descriptions(
    service: EnhancedFlightMonitoringService,
) -> None:
    """Names, descriptions and input schemas are the LangChain tools'; all are read-only."""
    async with connected(service) as session:
        listed = {tool.name: tool for tool in (await session.list_tools()).tools}
    langchain_tools = FlightToolkit(service=service).get_tools()
    expected: dict[str, tuple[str, Any]] = {
        tool.name: (tool.description, tool.args_schema) for tool in langchain_tools
    }
    assert list(listed) == [entry.name for entry in TOOL_SPECS] == list(expected)
    for name, (description, schema) in expected.items():
        assert isinstance(schema, type)
        assert issubclass(schema, BaseModel)
        tool = listed[name]
        assert tool.description == description
        assert tool.inputSchema == schema.model_json_schema()
        assert tool.outputSchema is not None
        assert tool.outputSchema["type"] == "object"
        assert tool.annotations is not None
        assert tool.annotations.readOnlyHint is True
        assert tool.annotations.idempotentHint is True
        assert tool.annotations.openWorldHint is True


async def test_get_flight_status_gives_text_and_the_payload_of_the_operation(
    service: EnhancedFlightMonitoringService,
) -> None:
    """Compact text for the model; structured content matching the output schema."""
    async with connected(service) as session:
        arguments = {"flight_number": "BA117", "date": DAY}
        result = await session.call_tool("get_flight_status", arguments)
        listed = {tool.name: tool for tool in (await session.list_tools()).tools}
    assert not result.isError
    assert text_of(result).startswith(f"BA117 LHR->JFK {DAY}:")
    structured = result.structuredContent
    assert structured is not None
    jsonschema.validate(structured, listed["get_flight_status"].outputSchema or {})
    direct = await operations.flight_status(service, FlightRef(flight_number="BA117", date=DAY))
    assert key_fields(structured["flight"]) == key_fields(direct.model_dump(mode="json")["flight"])
    assert structured["flight"]["is_disrupted"] == direct.flight.is_disrupted


async def test_a_spec_added_to_the_list_is_served_with_nothing_else_to_add(
    service: EnhancedFlightMonitoringService, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Adding a tool takes one spec: the server lists it and answers with its text and result."""
    monkeypatch.setattr(mcp_server, "TOOL_SPECS", (*TOOL_SPECS, ECHO))
    async with connected(service) as session:
        listed = [tool.name for tool in (await session.list_tools()).tools]
        result = await session.call_tool(ECHO.name, {"flight_number": "BA117"})
    assert listed[-1] == ECHO.name
    assert text_of(result) == "BA117"
    assert result.structuredContent == {"flight_number": "BA117"}


IROPS_CALLS = [
    pytest.param(
        "check_connection",
        {
            "inbound": {"flight_number": "BA117", "date": DAY},
            "onward": {"flight_number": "AA100", "date": DAY, "origin": "JFK"},
        },
        "assessment",
        id="check_connection",
    ),
    pytest.param(
        "assess_disruption", {"flight_number": "QF1", "date": DAY}, "disruptions", id="disruption"
    ),
    pytest.param(
        "passenger_rights",
        {"flights": [{"flight_number": "AF6", "date": DAY}]},
        "results",
        id="rights",
    ),
    pytest.param(
        "find_alternative_flights",
        {"origin": "LHR", "destination": "JFK", "date": DAY},
        "flights",
        id="alternatives",
    ),
]


EVERY_CALL: list[tuple[str, dict[str, Any]]] = [
    ("get_flight_status", {"flight_number": "BA117", "date": DAY}),
    ("batch_status", {"flights": [{"flight_number": "LH400", "date": DAY}]}),
    ("provider_health", {}),
    *[(str(call.values[0]), cast(dict[str, Any], call.values[1])) for call in IROPS_CALLS],
]


async def test_every_tool_answers_within_the_output_schema_it_lists(
    service: EnhancedFlightMonitoringService,
) -> None:
    """The server checks answers by type only; here each one meets its JSON Schema, fresh and
    cached (each schema checked against the metaschema once, its validator built once)."""
    async with connected(service) as session:
        listed = {tool.name: tool for tool in (await session.list_tools()).tools}
        validators: dict[str, jsonschema.Draft202012Validator] = {}
        for name, tool in listed.items():
            assert tool.outputSchema is not None
            jsonschema.Draft202012Validator.check_schema(tool.outputSchema)
            validators[name] = jsonschema.Draft202012Validator(tool.outputSchema)
        for name, arguments in EVERY_CALL:
            for _ in ("fresh", "cached"):
                result = await session.call_tool(name, arguments)
                assert not result.isError, text_of(result)
                validators[name].validate(result.structuredContent)
    assert sorted(name for name, _ in EVERY_CALL) == sorted(listed)


async def _a_dict(service: EnhancedFlightMonitoringService, args: Echo) -> Any:
    return args.model_dump()


MALFORMED: ToolSpec[Echo, Echo] = ToolSpec(
    "malformed_echo", "Repeats a flight number.", Echo, Echo, _a_dict, lambda r: r.flight_number
)
"""A tool whose operation answers with a bare dict where its spec promises ``Echo``."""


async def test_an_answer_that_is_not_the_result_model_is_an_error_result(
    service: EnhancedFlightMonitoringService, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A malformed answer is still caught, as the SDK's schema check caught it, but by type."""
    monkeypatch.setattr(mcp_server, "TOOL_SPECS", (*TOOL_SPECS, MALFORMED))
    async with connected(service) as session:
        result = await session.call_tool(MALFORMED.name, {"flight_number": "BA117"})
    assert result.isError
    assert result.structuredContent is None
    assert "Output validation error: malformed_echo answered with dict, not Echo" in text_of(result)


@pytest.mark.parametrize(("name", "arguments", "key"), IROPS_CALLS)
async def test_the_irops_tools_answer_with_schema_valid_payloads(
    service: EnhancedFlightMonitoringService, name: str, arguments: dict[str, Any], key: str
) -> None:
    """Each IROPS tool answers with text and structured content that fits its output schema."""
    async with connected(service) as session:
        result = await session.call_tool(name, arguments)
        listed = {tool.name: tool for tool in (await session.list_tools()).tools}
    assert not result.isError, text_of(result)
    assert text_of(result)
    structured = result.structuredContent
    assert structured is not None
    assert key in structured
    jsonschema.validate(structured, listed[name].outputSchema or {})


async def test_batch_status_answers_each_flight(
    service: EnhancedFlightMonitoringService,
) -> None:
    """One unknown flight is an item error, not a tool error."""
    flights = [{"flight_number": "BA117", "date": DAY}, {"flight_number": "ZZ9999", "date": DAY}]
    async with connected(service) as session:
        result = await session.call_tool("batch_status", {"flights": flights})
    assert not result.isError
    structured = result.structuredContent
    assert structured is not None
    assert (structured["found"], structured["failed"]) == (1, 1)
    assert structured["items"][1]["error_kind"] == "not_found"
    assert "1 found, 1 without an answer" in text_of(result)


async def test_provider_health_lists_the_providers(
    service: EnhancedFlightMonitoringService,
) -> None:
    """The simulated provider is reported with its state."""
    async with connected(service) as session:
        result = await session.call_tool("provider_health", {})
    assert not result.isError
    assert result.structuredContent is not None
    assert [p["name"] for p in result.structuredContent["providers"]] == ["Simulated"]
    assert text_of(result).startswith("Simulated (priority 0)")


@pytest.mark.parametrize(
    ("tool", "arguments", "expected"),
    [
        pytest.param(
            "get_flight_status", {"flight_number": "B"}, "e.g. 'BA117'", id="bad-designator"
        ),
        pytest.param(
            "get_flight_status",
            {"flight_number": "BA117", "date": "2026-02-30"},
            "use YYYY-MM-DD",
            id="impossible-date",
        ),
        pytest.param(
            "get_flight_status",
            {"flight_number": "BA117", "when": "now"},
            "when is not an argument (valid: flight_number, date, origin)",
            id="unknown-argument",
        ),
        pytest.param("get_flight_status", {}, "flight_number is required", id="missing"),
        pytest.param(
            "batch_status",
            {"flights": [{"flight_number": "BA117"}] * 101},
            "at most 100 items",
            id="batch-too-long",
        ),
        pytest.param(
            "batch_status",
            {"flights": [{"flight_number": "BA117"}, {"flight_number": "B!"}]},
            "flights.1.flight_number 'B!'",
            id="bad-batch-item",
        ),
        pytest.param(
            "provider_health",
            {"provider": "Nope"},
            "configured providers: Simulated",
            id="provider",
        ),
    ],
)
async def test_a_bad_argument_is_an_error_result_saying_what_is_valid(
    service: EnhancedFlightMonitoringService, tool: str, arguments: dict[str, Any], expected: str
) -> None:
    """isError with the problem, what is valid, and the invalid_query hint."""
    async with connected(service) as session:
        result = await session.call_tool(tool, arguments)
    assert result.isError
    text = text_of(result)
    assert "invalid_query" in text
    assert expected in text
    assert "call the tool again" in text


async def test_an_unknown_flight_is_an_error_result_with_the_not_found_hint(
    service: EnhancedFlightMonitoringService,
) -> None:
    """The model is told not to guess another flight number."""
    async with connected(service) as session:
        arguments = {"flight_number": "ZZ9999", "date": DAY}
        result = await session.call_tool("get_flight_status", arguments)
    assert result.isError
    assert "not_found: No provider knows ZZ9999" in text_of(result)
    assert "do not guess" in text_of(result)


async def test_a_total_outage_is_an_error_result_with_the_providers_down_hint() -> None:
    """Every provider failing, nothing cached: providers_down and what to do."""
    service = simulated(error_rate=1.0)
    async with connected(service) as session:
        result = await session.call_tool("get_flight_status", {"flight_number": "BA117"})
    await service.aclose()
    assert result.isError
    assert "providers_down: Every flight-data provider failed" in text_of(result)
    assert "provider_health" in text_of(result)


async def test_the_default_service_is_built_on_first_call_and_closed_by_the_slot() -> None:
    """No service before a tool call; the slot closes the one it built, not a given one."""
    built: list[TrackedService] = []

    def factory() -> TrackedService:
        built.append(simulated())
        return built[-1]

    server = build_mcp_server(factory=factory)
    async with create_connected_server_and_client_session(server) as session:
        await session.list_tools()
        assert built == []
        await session.call_tool("provider_health", {})
        await session.call_tool("provider_health", {})
    assert len(built) == 1
    await server.services.aclose()
    assert built[0].closed
    given = simulated()
    slot = ServiceSlot(given, factory)
    await slot.aclose()
    assert not given.closed
    await given.aclose()


async def test_the_stdio_server_round_trips_through_langchain_mcp_adapters(
    tmp_path: Path,
) -> None:
    """A real subprocess on the simulated provider answers like the operation does."""
    client = MultiServerMCPClient(
        {
            "flights": {
                "transport": "stdio",
                "command": sys.executable,
                "args": ["-m", "flight_agent.apps.cli", "mcp", "--transport", "stdio"],
                "env": {"FLIGHT_AGENT_MOCK_SEED": "0"},
                "cwd": str(tmp_path),
            }
        }
    )
    call = {
        "type": "tool_call",
        "id": "1",
        "name": "get_flight_status",
        "args": {"flight_number": "BA117", "date": DAY},
    }
    async with client.session("flights") as session:
        tools = {tool.name: tool for tool in await load_mcp_tools(session)}
        assert list(tools) == [entry.name for entry in TOOL_SPECS]
        message = await tools["get_flight_status"].ainvoke(call)
    assert isinstance(message, ToolMessage)
    assert message.status == "success"
    remote = message.artifact["structured_content"]
    service = simulated()
    direct = await operations.flight_status(service, FlightRef(flight_number="BA117", date=DAY))
    await service.aclose()
    assert key_fields(remote["flight"]) == key_fields(direct.model_dump(mode="json")["flight"])
    assert remote["flight"]["source"] == "Simulated"


INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-06-18",
        "capabilities": {},
        "clientInfo": {"name": "test", "version": "1"},
    },
}
HTTP_HEADERS = {"Accept": "application/json, text/event-stream"}


@asynccontextmanager
async def public_app(
    service: EnhancedFlightMonitoringService,
) -> AsyncIterator[httpx.ASGITransport]:
    """The HTTP app of a server configured to bind 0.0.0.0 with a token, running in-process."""
    app = build_mcp_server(service, host="0.0.0.0", token=TOKEN).streamable_http_app()
    async with app.router.lifespan_context(app):
        yield httpx.ASGITransport(app=app)


@pytest.mark.parametrize(
    "authorization",
    [
        pytest.param(None, id="missing"),
        pytest.param("Bearer wrong-token", id="wrong"),
        pytest.param(f"Basic {TOKEN}", id="other-scheme"),
    ],
)
async def test_http_without_the_token_gets_401(
    service: EnhancedFlightMonitoringService, authorization: str | None
) -> None:
    """Nothing reaches MCP without the bearer token."""
    headers = HTTP_HEADERS | ({"Authorization": authorization} if authorization else {})
    async with (
        public_app(service) as transport,
        httpx.AsyncClient(transport=transport, base_url="http://flights.example") as client,
    ):
        response = await client.post("/mcp", json=INITIALIZE, headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"


async def test_http_with_the_token_serves_the_tools(
    service: EnhancedFlightMonitoringService,
) -> None:
    """A full MCP session over streamable HTTP with the bearer token."""
    headers = {"Authorization": f"bearer {TOKEN}"}
    async with (
        public_app(service) as transport,
        httpx.AsyncClient(
            transport=transport, base_url="http://flights.example", headers=headers
        ) as http,
        streamable_http_client("http://flights.example/mcp", http_client=http) as (read, write, _),
        ClientSession(read, write) as session,
    ):
        await session.initialize()
        result = await session.call_tool(
            "get_flight_status", {"flight_number": "BA117", "date": DAY}
        )
    assert not result.isError
    assert result.structuredContent is not None
    assert result.structuredContent["flight"]["flight_id"] == "BA117"


async def test_the_server_names_itself_with_the_package_version(
    service: EnhancedFlightMonitoringService,
) -> None:
    """A client learns it talks to flight-agent, and which release, when it connects."""
    headers = {"Authorization": f"Bearer {TOKEN}"}
    async with (
        public_app(service) as transport,
        httpx.AsyncClient(
            transport=transport, base_url="http://flights.example", headers=headers
        ) as http,
        streamable_http_client("http://flights.example/mcp", http_client=http) as (read, write, _),
        ClientSession(read, write) as session,
    ):
        initialized = await session.initialize()
    assert initialized.serverInfo.name == "flight-agent"
    assert initialized.serverInfo.version == flight_agent.__version__


def free_port() -> int:
    """A loopback port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


async def test_the_http_transport_says_where_it_serves(tmp_path: Path) -> None:
    """``flight-agent mcp --transport http`` writes its URL to stderr, then serves there."""
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if k != "FLIGHT_AGENT_MCP_TOKEN"}
    process = await asyncio.create_subprocess_exec(
        *[sys.executable, "-m", "flight_agent.apps.cli", "mcp", "--transport", "http"],
        *["--port", str(port)],
        cwd=tmp_path,
        env=environment,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    assert process.stderr is not None
    try:
        line = await asyncio.wait_for(process.stderr.readline(), timeout=30)
        async with httpx.AsyncClient(trust_env=False) as client:
            url = f"http://127.0.0.1:{port}/mcp"
            response = await client.post(url, json=INITIALIZE, headers=HTTP_HEADERS)
    finally:
        process.terminate()
        await process.wait()
    assert line.decode() == f"flight-agent MCP server on {url} (Ctrl-C to stop)\n"
    assert response.status_code == 200
    assert response.json()["result"]["serverInfo"]["version"] == flight_agent.__version__


async def test_a_token_also_guards_loopback() -> None:
    """With a token set (here from settings), loopback requests need it too."""
    guarded = simulated(token=TOKEN)
    app = build_mcp_server(guarded).streamable_http_app()
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as c:
            refused = await c.post("/mcp", json=INITIALIZE, headers=HTTP_HEADERS)
            headers = HTTP_HEADERS | {"Authorization": f"Bearer {TOKEN}"}
            accepted = await c.post("/mcp", json=INITIALIZE, headers=headers)
    await guarded.aclose()
    assert refused.status_code == 401
    assert accepted.status_code == 200
    assert accepted.json()["result"]["serverInfo"]["name"] == "flight-agent"


@pytest.mark.parametrize("token", [None, "", "   "], ids=["none", "empty", "blank"])
def test_http_off_loopback_without_a_token_refuses_to_start(
    service: EnhancedFlightMonitoringService, token: str | None
) -> None:
    """A clear error naming the setting, before anything listens."""
    server = build_mcp_server(service, host="0.0.0.0", token=token)
    with pytest.raises(InsecureBindError, match="FLIGHT_AGENT_MCP_TOKEN"):
        server.streamable_http_app()


def test_http_on_loopback_needs_no_token(service: EnhancedFlightMonitoringService) -> None:
    """The default bind is loopback and starts without a token."""
    assert build_mcp_server(service).streamable_http_app() is not None


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.1.2.3", False),  # loopback, but without FastMCP's DNS-rebinding guard
        ("::1", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.10", False),
        ("flights.example.com", False),
    ],
)
def test_is_loopback(host: str, loopback: bool) -> None:
    """Only 127.0.0.1, ::1 and 'localhost' are served without a token."""
    assert is_loopback(host) is loopback
