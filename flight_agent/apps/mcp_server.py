"""The MCP server: the flight tools as native MCP tools over the same operations.

``build_mcp_server()`` returns a ``FastMCP`` server whose tools are the LangChain tools' twins:
the same names, descriptions, argument schemas (``tools.schemas``) and operations
(``tools.operations``). Each tool answers with a compact text for the model and the typed
payload (``tools.payloads``) as structured content, declared as its output schema. Bad
arguments and flight errors come back as MCP error results (``isError``) whose text says what
was wrong and what to do next (the hints of ``tools.errors``).

Adding a tool takes one entry in ``TOOLS``::

    McpTool(
        "check_connection",  # the LangChain tool's name
        CHECK_CONNECTION,  # its description
        CheckConnectionInput,  # its pydantic argument schema
        ConnectionResult,  # the payload model (the output schema)
        check_connection,  # async (service, args) -> payload; raises FlightDataError
        formatting.connection_summary,  # payload -> the compact text
    )

The service is built from settings on the first tool call, inside the server's event loop
(a given service is used as is), and ``serve()`` closes a service it built when the transport
ends. The server reports itself as ``flight-agent`` with the package's version. Transports:
stdio, and streamable HTTP (stateless, JSON responses) bound to 127.0.0.1 by default, which
writes its URL to stderr once it listens. Off loopback the server refuses to start without a
bearer token (``FLIGHT_AGENT_MCP_TOKEN``); with a token set, every HTTP request must carry
``Authorization: Bearer <token>`` or gets 401.
"""

from __future__ import annotations

import hmac
import socket
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

import uvicorn
from mcp.server.fastmcp import FastMCP
from mcp.server.fastmcp.exceptions import ToolError
from mcp.server.fastmcp.tools import Tool
from mcp.server.fastmcp.utilities.func_metadata import ArgModelBase, FuncMetadata
from mcp.types import TextContent, ToolAnnotations
from pydantic import BaseModel, ConfigDict, ValidationError
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from flight_agent import __version__
from flight_agent.errors import FlightDataError
from flight_agent.services import EnhancedFlightMonitoringService, default_service
from flight_agent.settings import Settings
from tools import formatting, irops_formatting, irops_operations, operations
from tools.errors import HINTS, explain_invalid, tool_error
from tools.flight_tools import BATCH_STATUS, GET_FLIGHT_STATUS, PROVIDER_HEALTH
from tools.irops_tools import (
    ASSESS_DISRUPTION,
    CHECK_CONNECTION,
    FIND_ALTERNATIVE_FLIGHTS,
    PASSENGER_RIGHTS,
)
from tools.payloads import (
    AlternativesResult,
    BatchStatusResult,
    ConnectionResult,
    DisruptionReport,
    FlightStatusResult,
    ProviderHealthResult,
    RightsReport,
)
from tools.schemas import (
    AssessDisruptionInput,
    BatchStatusInput,
    CheckConnectionInput,
    FindAlternativeFlightsInput,
    GetFlightStatusInput,
    PassengerRightsInput,
    ProviderHealthInput,
)

A = TypeVar("A", bound=BaseModel)
P = TypeVar("P", bound=BaseModel)

ServiceFactory = Callable[[], EnhancedFlightMonitoringService]
Transport = Literal["stdio", "http"]

READ_ONLY = ToolAnnotations(readOnlyHint=True, idempotentHint=True, openWorldHint=True)
"""Every flight tool only reads, may be repeated, and reaches outside (the providers)."""

INSTRUCTIONS = (
    "Operational flight status with provider failover, and airline disruption (IROPS) "
    "reasoning. Use get_flight_status for one flight, batch_status for several, "
    "provider_health to explain missing or stale data, check_connection, assess_disruption, "
    "passenger_rights and find_alternative_flights when a trip is disrupted."
)


@dataclass(frozen=True)
class McpTool(Generic[A, P]):
    """One MCP tool: its face (name, description, schemas) and the operation behind it.

    Attributes:
        name: The tool's name, the same as the LangChain tool's.
        description: What it does and when to use it (a prompt).
        args: The pydantic argument schema; arguments are validated against it.
        output: The payload model, published as the output schema.
        run: The operation: ``await run(service, args)`` gives the payload.
        summarize: The compact text the model reads.
    """

    name: str
    description: str
    args: type[A]
    output: type[P]
    run: Callable[[EnhancedFlightMonitoringService, A], Awaitable[P]]
    summarize: Callable[[P], str]


async def _batch_status(
    service: EnhancedFlightMonitoringService, args: BatchStatusInput
) -> BatchStatusResult:
    return await operations.batch_status(service, args.flights)


async def _check_connection(
    service: EnhancedFlightMonitoringService, args: CheckConnectionInput
) -> ConnectionResult:
    return await irops_operations.check_connection(service, args.inbound, args.onward)


async def _provider_health(
    service: EnhancedFlightMonitoringService, args: ProviderHealthInput
) -> ProviderHealthResult:
    return operations.provider_health(service, args.provider)


TOOLS: list[McpTool[Any, Any]] = [
    McpTool(
        "get_flight_status",
        GET_FLIGHT_STATUS,
        GetFlightStatusInput,
        FlightStatusResult,
        operations.flight_status,
        formatting.flight_summary,
    ),
    McpTool(
        "batch_status",
        BATCH_STATUS,
        BatchStatusInput,
        BatchStatusResult,
        _batch_status,
        formatting.batch_summary,
    ),
    McpTool(
        "provider_health",
        PROVIDER_HEALTH,
        ProviderHealthInput,
        ProviderHealthResult,
        _provider_health,
        formatting.health_summary,
    ),
    McpTool(
        "check_connection",
        CHECK_CONNECTION,
        CheckConnectionInput,
        ConnectionResult,
        _check_connection,
        irops_formatting.connection_summary,
    ),
    McpTool(
        "assess_disruption",
        ASSESS_DISRUPTION,
        AssessDisruptionInput,
        DisruptionReport,
        irops_operations.assess_disruption,
        irops_formatting.disruption_summary,
    ),
    McpTool(
        "passenger_rights",
        PASSENGER_RIGHTS,
        PassengerRightsInput,
        RightsReport,
        irops_operations.passenger_rights,
        irops_formatting.rights_summary,
    ),
    McpTool(
        "find_alternative_flights",
        FIND_ALTERNATIVE_FLIGHTS,
        FindAlternativeFlightsInput,
        AlternativesResult,
        irops_operations.alternative_flights,
        irops_formatting.alternatives_summary,
    ),
]
"""The tools the server exposes, in the order an agent should consider them."""


class InsecureBindError(ValueError):
    """The HTTP server would listen off loopback without a bearer token."""


LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
"""Hosts served without a token: the ones FastMCP guards against DNS rebinding by itself."""


def is_loopback(host: str) -> bool:
    """Whether ``host`` may be served without a token (127.0.0.1, localhost or ::1)."""
    return host in LOCAL_HOSTS


class _RawArguments(ArgModelBase):
    """Hands the arguments to the tool untouched; the tool validates them itself."""

    model_config = ConfigDict(extra="allow")

    def model_dump_one_level(self) -> dict[str, Any]:
        """The arguments as sent."""
        return dict(self.model_extra or {})


class _ToolIO(FuncMetadata):
    """FastMCP's call plumbing for one tool: raw arguments in, text plus payload out.

    FastMCP's own output schemas come from validation-mode JSON schemas, which leave out
    computed fields (``FlightStatusData.is_disrupted``) and forbid extra keys, so the dumped
    payload would fail its own schema. The serialization-mode schema describes the dump.
    """

    summarize: Callable[[Any], str]

    def convert_result(self, result: Any) -> Any:
        """The compact text as content and the payload's JSON form as structured content."""
        text = TextContent(type="text", text=self.summarize(result))
        return [text], result.model_dump(mode="json")


class ServiceSlot:
    """The server's one service: the given one, or one built on first use.

    Args:
        service: Use this service (the caller closes it).
        factory: Builds the service on first use, inside the running event loop.
    """

    def __init__(
        self, service: EnhancedFlightMonitoringService | None, factory: ServiceFactory
    ) -> None:
        self._service = service
        self._factory = factory
        self._owned = service is None

    def get(self) -> EnhancedFlightMonitoringService:
        """The service, built now if it was not yet."""
        if self._service is None:
            self._service = self._factory()
        return self._service

    async def aclose(self) -> None:
        """Close the service if this slot built it (it is built again on next use)."""
        if self._owned and self._service is not None:
            service, self._service = self._service, None
            await service.aclose()


class BearerTokenMiddleware:
    """ASGI middleware answering 401 to HTTP requests without ``Authorization: Bearer <token>``.

    The comparison is constant-time; the token is never logged.

    Args:
        app: The application to protect.
        token: The expected token.
    """

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self._token = token.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass authorized requests (and lifespan events) on; refuse the rest."""
        if scope["type"] == "http" and not self._authorized(scope):
            refusal = JSONResponse(
                {"error": "unauthorized", "detail": "Send Authorization: Bearer <token>."},
                status_code=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
            await refusal(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _authorized(self, scope: Scope) -> bool:
        for name, value in scope["headers"]:
            if name == b"authorization":
                scheme, _, credentials = bytes(value).partition(b" ")
                return scheme.lower() == b"bearer" and hmac.compare_digest(
                    credentials.strip(), self._token
                )
        return False


def _tool(entry: McpTool[Any, Any], services: ServiceSlot) -> Tool:
    """The FastMCP tool of a ``TOOLS`` entry, calling the service of ``services``."""

    async def call(**arguments: Any) -> BaseModel:
        try:
            args = entry.args.model_validate(arguments)
        except ValidationError as error:
            explained = explain_invalid(entry.args, error)
            raise ToolError(f"invalid_query: {explained}. {HINTS['invalid_query']}") from None
        try:
            payload: BaseModel = await entry.run(services.get(), args)
        except FlightDataError as error:
            raise ToolError(str(tool_error(error))) from error
        return payload

    metadata = _ToolIO(
        arg_model=_RawArguments,
        output_schema=entry.output.model_json_schema(mode="serialization"),
        output_model=entry.output,
        summarize=entry.summarize,
    )
    return Tool(
        fn=call,
        name=entry.name,
        description=entry.description,
        parameters=entry.args.model_json_schema(),
        fn_metadata=metadata,
        is_async=True,
        annotations=READ_ONLY,
    )


class FlightMCPServer(FastMCP[Any]):
    """A ``FastMCP`` server over one flight service, with ``TOOLS`` registered.

    Build it with ``build_mcp_server()``.

    Args:
        services: Where the service comes from.
        host: Interface the HTTP transport binds.
        port: Port the HTTP transport binds.
        token: Bearer token HTTP requests must carry; None for none (loopback only).
    """

    def __init__(self, services: ServiceSlot, *, host: str, port: int, token: str | None) -> None:
        super().__init__(
            "flight-agent",
            instructions=INSTRUCTIONS,
            tools=[_tool(entry, services) for entry in TOOLS],
            host=host,
            port=port,
            stateless_http=True,
            json_response=True,
            log_level="WARNING",
        )
        self._mcp_server.version = __version__  # FastMCP 1.x would report the mcp SDK's version
        self.services = services
        self._token = token

    def streamable_http_app(self) -> Starlette:
        """The streamable-HTTP app, behind the bearer-token check when a token is set.

        Raises:
            InsecureBindError: The host is not loopback and no token is set.
        """
        host = self.settings.host
        if self._token is None and not is_loopback(host):
            raise InsecureBindError(
                f"Refusing to serve MCP over HTTP on {host} without a bearer token: set "
                "FLIGHT_AGENT_MCP_TOKEN, or bind 127.0.0.1."
            )
        app = super().streamable_http_app()
        if self._token is not None:
            app.add_middleware(BearerTokenMiddleware, token=self._token)
        return app

    async def run_streamable_http_async(self) -> None:
        """Serve streamable HTTP until interrupted, announcing the URL once it listens.

        Raises:
            InsecureBindError: The host is not loopback and no token is set.
        """
        config = uvicorn.Config(
            self.streamable_http_app(),
            host=self.settings.host,
            port=self.settings.port,
            log_level=self.settings.log_level.lower(),
        )
        await _AnnouncingServer(config, self.settings.streamable_http_path).serve()

    async def serve(self, transport: Transport = "stdio") -> None:
        """Serve on ``transport`` until it ends, then close the service the server built.

        Raises:
            InsecureBindError: HTTP off loopback without a token.
        """
        try:
            if transport == "stdio":
                await self.run_stdio_async()
            else:
                await self.run_streamable_http_async()
        finally:
            await self.services.aclose()


class _AnnouncingServer(uvicorn.Server):
    """uvicorn, writing the URL it serves to stderr once it listens (the actual port for 0)."""

    def __init__(self, config: uvicorn.Config, path: str) -> None:
        super().__init__(config)
        self._path = path

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        """Start as uvicorn does, then say where."""
        await super().startup(sockets)
        if self.started:
            host = self.config.host
            port = self.servers[0].sockets[0].getsockname()[1]
            authority = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
            url = f"http://{authority}{self._path}"
            sys.stderr.write(f"flight-agent MCP server on {url} (Ctrl-C to stop)\n")


def build_mcp_server(
    service: EnhancedFlightMonitoringService | None = None,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    token: str | None = None,
    factory: ServiceFactory | None = None,
) -> FlightMCPServer:
    """The MCP server over ``service``, or over one built from settings on first use.

    Args:
        service: The service the tools call (the caller closes it); built lazily when None.
        host: Interface for the HTTP transport; anything but loopback needs a token.
        port: Port for the HTTP transport.
        token: Bearer token for HTTP; when None, ``FLIGHT_AGENT_MCP_TOKEN`` (from the
            service's settings, else the environment). Blank counts as none.
        factory: Builds the service when none is given (default: from the environment).

    Returns:
        The server; run it with ``await server.serve("stdio" | "http")``.
    """
    if token is None:
        settings = service.settings if service is not None else Settings()
        token = Settings.secret(settings.flight_agent_mcp_token)
    slot = ServiceSlot(service, factory or default_service)
    return FlightMCPServer(slot, host=host, port=port, token=(token or "").strip() or None)
