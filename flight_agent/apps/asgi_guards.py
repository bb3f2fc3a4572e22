"""Limits in front of the MCP HTTP endpoint: body size, JSON the SDK cannot take, event streams.

Each refusal names the problem, with a JSON-RPC error body shaped like the SDK's own (id
``server-error``) but for the first, which is the SDK's:

* a body over ``max_body_bytes``: 413 "Request body too large", from the SDK's
  ``RequestBodyLimitMiddleware`` (FastMCP's ``max_request_body_size``), placed first so nothing
  larger is ever buffered;
* a body that is not UTF-8, not JSON, nested deeper than ``max_depth``, or holding a number that
  is not finite (``1e400``, ``NaN``, ``Infinity``): 400, parse error;
* a ``GET`` event stream past ``max_streams`` open at once: 503 with ``Retry-After``; an open
  stream that carries no event for ``stream_idle_timeout`` seconds is ended.

Why our own code for the last two: the SDK parses the body with ``json.loads(bytes)`` and
answers 500 to ``UnicodeDecodeError`` and ``RecursionError``, and takes ``1e400`` as infinity,
which reaches the tool as null (a cancellation notice of ``1e400`` days became "unknown");
neither it, Starlette nor uvicorn has a setting for the encoding, the depth or finite numbers.
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

import anyio
from mcp.server.transport_security import RequestBodyLimitMiddleware
from mcp.types import INTERNAL_ERROR, PARSE_ERROR, ErrorData, JSONRPCError
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send


@dataclass(frozen=True, slots=True)
class HttpLimits:
    """What one HTTP request to the MCP endpoint may ask of the server.

    Attributes:
        max_body_bytes: Largest request body; a batch of 100 flights takes under 8 KiB.
        max_depth: Deepest nesting of objects and arrays in a body; tool calls need 5.
        max_streams: Most ``GET`` event streams open at once.
        stream_idle_timeout: Seconds an event stream stays open without sending an event.
    """

    max_body_bytes: int = 256 * 1024
    max_depth: int = 32
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
    status: HTTPStatus, code: int, message: str, headers: dict[str, str] | None = None
) -> Response:
    """A JSON-RPC error without a request id, as the SDK answers transport-level problems."""
    error = JSONRPCError(
        jsonrpc="2.0", id="server-error", error=ErrorData(code=code, message=message)
    )
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


def _depth(document: object) -> int:
    """How deeply objects and arrays nest in ``document`` (0 for a scalar)."""
    deepest = 0
    pending = [(document, 1)]
    while pending:
        value, level = pending.pop()
        if isinstance(value, dict):
            children = list(value.values())
        elif isinstance(value, list):
            children = value
        else:
            continue
        deepest = max(deepest, level)
        pending.extend((child, level + 1) for child in children)
    return deepest


def _body_problem(body: bytes, max_depth: int) -> str | None:
    """What makes ``body`` unfit for the SDK's parser, or None when it is sound JSON."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        return f"the body is not valid UTF-8 (byte {error.start})"
    too_deep = f"JSON nested deeper than {max_depth} levels"
    try:
        document = json.loads(text, parse_float=_finite, parse_constant=_refuse)
    except RecursionError:
        return too_deep
    except _NotFinite as error:
        return str(error)
    except ValueError as error:  # malformed JSON, or an integer too long to convert
        return f"not valid JSON: {error}"
    return too_deep if _depth(document) > max_depth else None


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
        problem = _body_problem(body, self.max_depth)
        if problem is not None:
            refusal = _error_response(
                HTTPStatus.BAD_REQUEST, PARSE_ERROR, f"Parse error: {problem}"
            )
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
