"""Limits in front of the MCP HTTP endpoint: body size, JSON and JSON-RPC requests the SDK
mishandles, event streams.

Each refusal names the problem, with a JSON-RPC error body shaped like the SDK's own (id
``server-error``, or the request's id where the SDK would answer the request) but for the
first, which is the SDK's:

* a body over ``max_body_bytes``: 413 "Request body too large", from the SDK's
  ``RequestBodyLimitMiddleware`` (FastMCP's ``max_request_body_size``), placed first so nothing
  larger is ever buffered;
* a body that is not UTF-8, not JSON, nested deeper than ``max_depth``, or holding a number that
  is not finite (``1e400``, ``NaN``, ``Infinity``): 400, parse error;
* a request whose id is neither a string nor an integer (as MCP requires): 400, invalid
  request; the SDK takes it for a notification and answers 202 with no body;
* a request for a method the SDK does not know, or with params its method does not take: the
  SDK's JSON-RPC error (invalid params) naming the first problem, which the SDK logs over about
  200 lines;
* a ``tools/call`` naming a tool longer than ``MAX_TOOL_NAME``: the JSON-RPC error (invalid
  params) "Unknown tool" with the name cut short, where the SDK echoes and logs it whole;
* a ``GET`` event stream past ``max_streams`` open at once: 503 with ``Retry-After``; an open
  stream that carries no event for ``stream_idle_timeout`` seconds is ended.

Why our own code for the parse errors and event streams: the SDK parses the body with
``json.loads(bytes)`` and answers 500 to ``UnicodeDecodeError`` and ``RecursionError``, and
takes ``1e400`` as infinity, which reaches the tool as null (a cancellation notice of ``1e400``
days became "unknown"); neither it, Starlette nor uvicorn has a setting for the encoding, the
depth or finite numbers.
The SDK's ``session_idle_timeout`` and ``max_sessions`` apply to stateful sessions only, while
this server is stateless: there each ``GET`` opens an event stream that nothing ever writes to
(server messages go out on the ``POST`` that caused them) and that lives until the client
leaves. uvicorn's ``limit_concurrency`` counts every connection, so it would refuse tool calls
too, and Starlette has no such limit.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, get_args

import anyio
from mcp.server.transport_security import RequestBodyLimitMiddleware
from mcp.types import (
    INTERNAL_ERROR,
    INVALID_PARAMS,
    INVALID_REQUEST,
    PARSE_ERROR,
    ClientRequest,
    ErrorData,
    JSONRPCError,
    JSONRPCRequest,
    RequestId,
)
from pydantic import BaseModel, ValidationError
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tools.errors import shortened
from tools.fast_tool import MAX_DEPTH, too_deep

MAX_TOOL_NAME = 64
"""Longest tool name looked up; the flight tools' names are under 30 characters."""

_REQUESTS: dict[str, type[BaseModel]] = {
    model.model_fields["method"].default: model
    for model in get_args(ClientRequest.model_fields["root"].annotation)
}
"""The model of each request a client may send, by its method (the members of the SDK's
``ClientRequest``)."""


@dataclass(frozen=True, slots=True)
class HttpLimits:
    """What one HTTP request to the MCP endpoint may ask of the server.

    Attributes:
        max_body_bytes: Largest request body; a batch of 100 flights takes under 8 KiB.
        max_depth: Deepest nesting of objects and arrays in a body, as deep as the LangChain
            tools take arguments; tool calls need 5.
        max_streams: Most ``GET`` event streams open at once.
        stream_idle_timeout: Seconds an event stream stays open without sending an event.
    """

    max_body_bytes: int = 256 * 1024
    max_depth: int = MAX_DEPTH
    max_streams: int = 32
    stream_idle_timeout: float = 60.0


def add_guards(app: Starlette, limits: HttpLimits) -> None:
    """Put the limits in front of ``app``'s routes: body size first, then JSON, then streams."""
    app.add_middleware(
        EventStreamGuard, max_streams=limits.max_streams, idle_timeout=limits.stream_idle_timeout
    )
    app.add_middleware(JsonBodyGuard, max_depth=limits.max_depth)
    app.add_middleware(RequestBodyLimitMiddleware, max_body_size=limits.max_body_bytes)


def _error_response(
    status: HTTPStatus,
    code: int,
    message: str,
    headers: dict[str, str] | None = None,
    request_id: RequestId = "server-error",
) -> Response:
    """A JSON-RPC error, without a request id (``server-error``) as the SDK answers
    transport-level problems unless one is given."""
    error = JSONRPCError(jsonrpc="2.0", id=request_id, error=ErrorData(code=code, message=message))
    return Response(
        error.model_dump_json(by_alias=True, exclude_none=True),
        status_code=status,
        media_type="application/json",
        headers=headers,
    )


class _NotFinite(ValueError):
    """A JSON number that no double holds, or a ``NaN``/``Infinity`` literal."""

    def __init__(self, literal: str) -> None:
        super().__init__(f"the number {literal} is not finite; send numbers a double can hold")


def _finite(literal: str) -> float:
    number = float(literal)
    if not math.isfinite(number):
        raise _NotFinite(literal)
    return number


def _refuse(literal: str) -> float:
    raise _NotFinite(literal)


class _Unparsable(ValueError):
    """A body the SDK's parser cannot take; the message says why."""


def _parsed(body: bytes, max_depth: int) -> object:
    """The JSON document of ``body``.

    Raises:
        _Unparsable: It is not UTF-8, not JSON, nested deeper than ``max_depth`` or holds a
            number that is not finite.
    """
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _Unparsable(f"the body is not valid UTF-8 (byte {error.start})") from None
    too_deep_json = f"JSON nested deeper than {max_depth} levels"
    try:
        document = json.loads(text, parse_float=_finite, parse_constant=_refuse)
    except RecursionError:
        raise _Unparsable(too_deep_json) from None
    except _NotFinite as error:
        raise _Unparsable(str(error)) from None
    except ValueError as error:  # malformed JSON, or an integer too long to convert
        raise _Unparsable(f"not valid JSON: {error}") from None
    if too_deep(document, max_depth):
        raise _Unparsable(too_deep_json)
    return document


def _refusal(body: bytes, max_depth: int) -> Response | None:
    """The error answering ``body``, or None when the SDK can take it."""
    try:
        document = _parsed(body, max_depth)
    except _Unparsable as unparsable:
        return _error_response(HTTPStatus.BAD_REQUEST, PARSE_ERROR, f"Parse error: {unparsable}")
    if not isinstance(document, dict):
        return None
    request_id = document.get("id", "server-error")  # a notification has none
    if isinstance(request_id, bool) or not isinstance(request_id, str | int):
        return _error_response(
            HTTPStatus.BAD_REQUEST,
            INVALID_REQUEST,
            "Invalid Request: the id must be a string or an integer, not "
            + shortened(json.dumps(request_id)),
        )
    problem = _params_problem(document)
    if problem is not None:
        return _error_response(
            HTTPStatus.OK,
            INVALID_PARAMS,
            f"Invalid request parameters: {problem}",
            request_id=request_id,
        )
    params = document.get("params")
    name = params.get("name") if isinstance(params, dict) else None
    if (
        document.get("method") == "tools/call"
        and isinstance(name, str)
        and len(name) > MAX_TOOL_NAME
    ):
        return _error_response(
            HTTPStatus.OK,
            INVALID_PARAMS,
            f"Unknown tool: {shortened(name)} ({len(name)} characters; tool names have at "
            f"most {MAX_TOOL_NAME})",
            request_id=request_id,
        )
    return None


def _params_problem(document: dict[str, Any]) -> str | None:
    """Why the SDK would refuse a request's method or params, in one line, or None when it
    takes them or the document is no request (the SDK answers that itself).

    The check is the SDK's own (``JSONRPCRequest``, then the method's request model); the SDK
    logs the problems of every request model it knows (about 200 lines) and answers without
    naming any.
    """
    try:
        request = JSONRPCRequest.model_validate(document)
    except ValidationError:
        return None
    model = _REQUESTS.get(request.method)
    if model is None:
        return f"no method {shortened(json.dumps(request.method))}"
    try:
        model.model_validate(request.model_dump(by_alias=True, mode="json", exclude_none=True))
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        return f"{'.'.join(map(str, first['loc']))}: {first['msg']}"
    return None


class JsonBodyGuard:
    """ASGI middleware answering 400 to a ``POST`` whose body the SDK's parser cannot take.

    The body is read here (its size already bounded), checked, and handed on unchanged.

    Args:
        app: The application behind the guard.
        max_depth: Deepest nesting of objects and arrays allowed.
    """

    def __init__(self, app: ASGIApp, max_depth: int) -> None:
        self.app = app
        self.max_depth = max_depth

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check a POST body, then pass the request on; anything else passes untouched."""
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client left before sending the whole body
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        refusal = _refusal(body, self.max_depth)
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


class EventStreamGuard:
    """ASGI middleware capping open ``GET`` event streams and ending idle ones.

    A stream is idle while it sends nothing but comments (the keep-alive pings); once idle
    for ``idle_timeout`` seconds it is ended as a complete response, and its slot is free.

    Args:
        app: The application behind the guard.
        max_streams: Most streams open at once; the next gets 503 with ``Retry-After``.
        idle_timeout: Seconds a stream may stay open without an event.
    """

    def __init__(self, app: ASGIApp, max_streams: int, idle_timeout: float) -> None:
        self.app = app
        self.max_streams = max_streams
        self.idle_timeout = idle_timeout
        self.open = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve a GET within the cap and the idle timeout; anything else passes untouched."""
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        if self.open >= self.max_streams:
            refusal = _error_response(
                HTTPStatus.SERVICE_UNAVAILABLE,
                INTERNAL_ERROR,
                f"Too many open event streams: at most {self.max_streams}; retry later",
                headers={"Retry-After": str(math.ceil(self.idle_timeout))},
            )
            await refusal(scope, receive, send)
            return
        self.open += 1
        try:
            await self._serve(scope, receive, send)
        finally:
            self.open -= 1

    async def _serve(self, scope: Scope, receive: Receive, send: Send) -> None:
        ended = False
        with anyio.CancelScope() as idle:

            async def watch(message: Message) -> None:
                nonlocal ended
                body = message.get("body", b"")
                if message["type"] == "http.response.start" or (body and body[:1] != b":"):
                    idle.deadline = anyio.current_time() + self.idle_timeout
                ended = message["type"] == "http.response.body" and not message.get("more_body")
                await send(message)

            await self.app(scope, receive, watch)
        if idle.cancelled_caught and not ended:
            await send({"type": "http.response.body", "body": b"", "more_body": False})
