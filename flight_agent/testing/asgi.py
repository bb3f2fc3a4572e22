"""ASGI plumbing of the fake upstream: type aliases, a parsed request and a buffered response."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

import httpx

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

DROP_EXTENSION = "flight_agent.drop_connection"
"""Scope extension a server sets when it turns ``ConnectionDropped`` into a reset socket."""

JSON_TYPE = "application/json; charset=UTF-8"


class ConnectionDropped(httpx.ReadError):
    """The fake upstream dropped the connection without answering.

    In process, ``httpx.ASGITransport`` re-raises it to the client, which sees the same
    ``httpx.ReadError`` a reset socket gives; the loopback server resets the TCP connection.
    """


@dataclass(frozen=True, slots=True)
class Request:
    """What a provider endpoint needs from an HTTP request.

    Attributes:
        method: The HTTP method.
        path: The path below the provider's prefix, e.g. '/flights/BAW117'.
        params: Query parameters (the last value wins for repeated names).
        headers: Header values by lower-case name.
    """

    method: str
    path: str
    params: dict[str, str]
    headers: dict[str, str]

    @classmethod
    def from_scope(cls, scope: Scope, path: str) -> Request:
        """The request an ASGI HTTP scope describes, with ``path`` already stripped."""
        query = scope.get("query_string", b"").decode("latin-1")
        return cls(
            method=scope["method"],
            path=path,
            params=dict(parse_qsl(query, keep_blank_values=True)),
            headers={
                name.decode("latin-1").lower(): value.decode("latin-1")
                for name, value in scope.get("headers", ())
            },
        )


@dataclass(frozen=True, slots=True)
class Response:
    """A whole response: status, body and extra headers (Content-Length is added)."""

    status: int
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()

    async def send(self, send: Send) -> None:
        """Send this response through an ASGI ``send`` callable."""
        headers = [
            (name.encode("latin-1"), value.encode("latin-1")) for name, value in self.headers
        ]
        headers.append((b"content-length", str(len(self.body)).encode("ascii")))
        await send({"type": "http.response.start", "status": self.status, "headers": headers})
        await send({"type": "http.response.body", "body": self.body})


def json_response(status: int, payload: Any, headers: tuple[tuple[str, str], ...] = ()) -> Response:
    """A compact JSON response."""
    body = json.dumps(payload, separators=(",", ":")).encode("utf-8")
    return Response(status, body, (("content-type", JSON_TYPE), *headers))
