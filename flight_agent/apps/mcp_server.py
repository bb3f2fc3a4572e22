"""The MCP server: the flight tools as native MCP tools, derived from the same specs.

``build_mcp_server()`` returns a ``FastMCP`` server with one tool per entry of
``tools.specs.TOOL_SPECS``, the LangChain tools' twins: the same names, descriptions,
argument schemas and operations. Each tool answers with the spec's compact text for the model
and its typed result as structured content, declared as its output schema. Bad arguments and
flight errors come back as MCP error results (``isError``) whose text says what was wrong and
what to do next (the hints of ``tools.errors``). A new spec is served with nothing to add here.

The service is built from settings on the first tool call, inside the server's event loop
(a given service is used as is), and ``serve()`` closes a service it built when the transport
ends. The server reports itself as ``flight-agent`` with the package's version. Transports:
stdio, and streamable HTTP (stateless, JSON responses) bound to 127.0.0.1 by default, which
writes its URL to stderr once it listens. Off loopback the server refuses to start without a
bearer token (``FLIGHT_AGENT_MCP_TOKEN``); with a token set, every HTTP request must carry
``Authorization: Bearer <token>`` or gets 401. Past the token, ``asgi_guards`` bounds bodies,
JSON and event streams (``HttpLimits``).

Output schemas are checked by type, not by JSON Schema, on each call: a tool's payload must be
an instance of its spec's result model, whose serialization-mode schema is the one advertised,
so its JSON form fits by construction (the tests validate every tool's answers against the
listed schemas). The SDK would re-validate each answer with ``jsonschema.validate``, which
checks the schema itself against the metaschema every time: about 40 ms a call for
``get_flight_status`` (a validator compiled once per tool still takes 1.4 ms, as long as the
rest of the call). Answering with a ``CallToolResult`` is the SDK's way to skip that.
"""

from __future__ import annotations

import asyncio
import gc
import hmac
import socket
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal

import uvicorn
from mcp.server.fastmcp import FastMCP
from mcp.server.fastmcp.exceptions import ToolError
from mcp.server.fastmcp.tools import Tool
from mcp.server.fastmcp.utilities.func_metadata import ArgModelBase, FuncMetadata
from mcp.types import CallToolResult, TextContent, ToolAnnotations
from pydantic import BaseModel, ConfigDict, ValidationError
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from flight_agent import __version__
from flight_agent.apps.asgi_guards import HttpLimits, add_guards
from flight_agent.errors import FlightDataError
from flight_agent.services import EnhancedFlightMonitoringService, default_service
from flight_agent.settings import Settings
from tools.errors import HINTS, explain_invalid, tool_error
from tools.specs import (
    ASSESS_DISRUPTION,
    BATCH_STATUS,
    CHECK_CONNECTION,
    FIND_ALTERNATIVE_FLIGHTS,
    GET_FLIGHT_STATUS,
    PASSENGER_RIGHTS,
    PROVIDER_HEALTH,
    TOOL_SPECS,
    ToolSpec,
)

if TYPE_CHECKING:
    from flight_agent.apps.mcp_desk import DeskSlot

ServiceFactory = Callable[[], EnhancedFlightMonitoringService]
Transport = Literal["stdio", "http"]

READ_ONLY = ToolAnnotations(readOnlyHint=True, idempotentHint=True, openWorldHint=True)
"""Every flight tool only reads, may be repeated, and reaches outside (the providers)."""

INSTRUCTIONS = (
    "Operational flight status with provider failover, and airline disruption (IROPS) "
    f"reasoning. Use {GET_FLIGHT_STATUS.name} for one flight, {BATCH_STATUS.name} for several, "
    f"{PROVIDER_HEALTH.name} to explain missing or stale data, {CHECK_CONNECTION.name}, "
    f"{ASSESS_DISRUPTION.name}, {PASSENGER_RIGHTS.name} and {FIND_ALTERNATIVE_FLIGHTS.name} "
    "when a trip is disrupted."
)


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

    def convert_result(self, result: Any) -> CallToolResult:
        """The compact text as content and the payload's JSON form as structured content.

        As a ``CallToolResult``, which the SDK sends on without validating it again.
        """
        text = TextContent(type="text", text=self.summarize(result))
        return CallToolResult(content=[text], structuredContent=result.model_dump(mode="json"))


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


def _tool(entry: ToolSpec[Any, Any], services: ServiceSlot) -> Tool:
    """The FastMCP tool of a spec, calling the service of ``services``."""
    result: type[BaseModel] = entry.result

    async def call(**arguments: Any) -> BaseModel:
        try:
            args = entry.args.model_validate(arguments)
        except ValidationError as error:
            explained = explain_invalid(entry.args, error)
            raise ToolError(f"invalid_query: {explained}. {HINTS['invalid_query']}") from None
        try:
            payload = await entry.run(services.get(), args)
        except FlightDataError as error:
            raise ToolError(str(tool_error(error))) from error
        if not isinstance(payload, result):
            raise ToolError(
                f"Output validation error: {entry.name} answered with "
                f"{type(payload).__name__}, not {result.__name__}"
            )
        return payload

    metadata = _ToolIO(
        arg_model=_RawArguments,
        output_schema=result.model_json_schema(mode="serialization"),
        output_model=result,
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
    """A ``FastMCP`` server over one flight service, with a tool for each of ``TOOL_SPECS``.

    Build it with ``build_mcp_server()``.

    Args:
        services: Where the service comes from.
        host: Interface the HTTP transport binds.
        port: Port the HTTP transport binds.
        token: Bearer token HTTP requests must carry; None for none (loopback only).
        limits: What one HTTP request may ask of the server.
        desk: Also serve the desk's trip and case tools (``mcp_desk``) over this desk.
    """

    def __init__(
        self,
        services: ServiceSlot,
        *,
        host: str,
        port: int,
        token: str | None,
        limits: HttpLimits,
        desk: DeskSlot | None = None,
    ) -> None:
        tools = [_tool(entry, services) for entry in TOOL_SPECS]
        if desk is not None:
            from flight_agent.apps.mcp_desk import desk_tools

            tools += desk_tools(desk)
        super().__init__(
            "flight-agent",
            instructions=INSTRUCTIONS,
            tools=tools,
            host=host,
            port=port,
            stateless_http=True,
            json_response=True,
            log_level="WARNING",
            max_request_body_size=limits.max_body_bytes,
        )
        self._mcp_server.version = __version__  # FastMCP 1.x would report the mcp SDK's version
        self.services = services
        self.desk = desk
        self._token = token
        self.limits = limits

    def streamable_http_app(self) -> Starlette:
        """The streamable-HTTP app behind the limits, and the bearer-token check if a token is set.

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
        add_guards(app, self.limits)
        if self._token is not None:  # outermost: nothing unauthorized is read or held open
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
            if self.desk is not None:
                await asyncio.to_thread(self.desk.close)


class _AnnouncingServer(uvicorn.Server):
    """uvicorn, writing the URL it serves to stderr once it listens (the actual port for 0)."""

    def __init__(self, config: uvicorn.Config, path: str) -> None:
        super().__init__(config)
        self._path = path

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        """Start as uvicorn does, then say where."""
        await super().startup(sockets)
        if self.started:
            # What exists now (modules, schemas, the app) lives as long as the server: frozen,
            # it is no longer re-scanned by every full collection, each of which otherwise held
            # every call in flight for about 80 ms (p99 119 ms at 20 clients, 37 ms frozen).
            gc.collect()
            gc.freeze()
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
    limits: HttpLimits | None = None,
    desk: DeskSlot | bool = False,
) -> FlightMCPServer:
    """The MCP server over ``service``, or over one built from settings on first use.

    Args:
        service: The service the tools call (the caller closes it); built lazily when None.
        host: Interface for the HTTP transport; anything but loopback needs a token.
        port: Port for the HTTP transport.
        token: Bearer token for HTTP; when None, ``FLIGHT_AGENT_MCP_TOKEN`` (from the
            service's settings, else the environment). Blank counts as none.
        factory: Builds the service when none is given (default: from the environment).
        limits: Body, JSON and event-stream limits for HTTP (default ``HttpLimits()``).
        desk: Also serve the desk's tools (trips and cases): True for the desk of
            ``DATABASE_URL`` (else the SQLite file), or a ``DeskSlot``. Its write tools are
            annotated as writes and, over HTTP, need the token like every tool.

    Returns:
        The server; run it with ``await server.serve("stdio" | "http")``.
    """
    if token is None:
        settings = service.settings if service is not None else Settings()
        token = Settings.secret(settings.flight_agent_mcp_token)
    slot = ServiceSlot(service, factory or default_service)
    return FlightMCPServer(
        slot,
        host=host,
        port=port,
        token=(token or "").strip() or None,
        limits=limits or HttpLimits(),
        desk=_desk_slot(desk),
    )


def _desk_slot(desk: DeskSlot | bool) -> DeskSlot | None:
    if desk is True:
        from flight_agent.apps.mcp_desk import DeskSlot

        return DeskSlot()
    return desk or None
