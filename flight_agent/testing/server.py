"""A small HTTP/1.1 server for one ASGI app on 127.0.0.1, for end-to-end runs and benchmarks.

It keeps connections alive, answers requests on a connection in order, reads Content-Length
bodies and writes each response in one go, so its own work per request is a header parse and
a write: small and constant. An exception from the app resets the TCP connection, which is how
``ConnectionDropped`` reaches a client over a socket; any other exception is logged first. It
is a test fixture, not a general server: no chunked request bodies, no TLS.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import struct
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from http import HTTPStatus
from typing import Any
from urllib.parse import unquote

from flight_agent.testing.asgi import DROP_EXTENSION, ASGIApp, ConnectionDropped, Message

logger = logging.getLogger(__name__)

HOST = "127.0.0.1"
MAX_HEAD_BYTES = 65_536
BACKLOG = 1024
_PHRASES = {status.value: status.phrase for status in HTTPStatus}
_LINGER_RESET = struct.pack("ii", 1, 0)


class _BadHead(Exception):
    """The request head cannot be read; the connection answers 400 and closes."""


def _parse_head(head: bytes) -> tuple[str, str, str, list[tuple[bytes, bytes]]]:
    """Method, target, version and headers (lower-case names) of a request head."""
    lines = head.rstrip(b"\r\n").split(b"\r\n")
    try:
        method, target, version = lines[0].decode("ascii").split(" ")
    except (UnicodeDecodeError, ValueError) as error:
        raise _BadHead(str(error)) from error
    headers = []
    for line in lines[1:]:
        name, colon, value = line.partition(b":")
        if not colon:
            raise _BadHead("a header line without a colon")
        headers.append((name.strip().lower(), value.strip()))
    return method, target, version, headers


def _encode(
    status: int, headers: list[tuple[bytes, bytes]], body: bytes, *, keep_alive: bool
) -> bytes:
    """The response bytes, with our own Content-Length and Connection headers."""
    lines = [f"HTTP/1.1 {status} {_PHRASES.get(status, '')}".encode("ascii")]
    lines += [
        name + b": " + value
        for name, value in headers
        if name.lower() not in (b"content-length", b"connection")
    ]
    lines.append(b"content-length: " + str(len(body)).encode("ascii"))
    if not keep_alive:
        lines.append(b"connection: close")
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


def _reset(writer: asyncio.StreamWriter) -> None:
    """Close the connection with a TCP reset, as a crashed or refusing server would."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, _LINGER_RESET)
    writer.transport.abort()


async def _call_app(
    app: ASGIApp, scope: dict[str, Any], body: bytes
) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    """Run the app for one request and collect its whole response."""
    started: dict[str, Any] = {}
    chunks: list[bytes] = []
    received = False

    async def receive() -> Message:
        nonlocal received
        if received:
            return {"type": "http.disconnect"}
        received = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: Message) -> None:
        if message["type"] == "http.response.start":
            started.update(message)
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    return started["status"], list(started.get("headers", [])), b"".join(chunks)


async def _serve_connection(
    app: ASGIApp, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> None:
    """Answer requests on one connection until the client or the app closes it."""
    server, client = writer.get_extra_info("sockname"), writer.get_extra_info("peername")
    while True:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            method, target, version, headers = _parse_head(head)
        except (asyncio.IncompleteReadError, ConnectionError):
            return  # the client closed the connection
        except (asyncio.LimitOverrunError, _BadHead):
            writer.write(_encode(400, [], b"bad request head", keep_alive=False))
            return
        fields = dict(headers)
        if b"transfer-encoding" in fields:
            writer.write(_encode(501, [], b"chunked bodies are not supported", keep_alive=False))
            return
        length = fields.get(b"content-length", b"0")
        if not length.isdigit():
            writer.write(_encode(400, [], b"bad content-length", keep_alive=False))
            return
        body = await reader.readexactly(int(length))
        keep_alive = version == "HTTP/1.1" and fields.get(b"connection") != b"close"
        path, _, query = target.partition("?")
        scope: dict[str, Any] = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": version.removeprefix("HTTP/"),
            "method": method,
            "scheme": "http",
            "path": unquote(path),
            "raw_path": path.encode("ascii"),
            "query_string": query.encode("ascii"),
            "root_path": "",
            "headers": headers,
            "server": server,
            "client": client,
            "extensions": {DROP_EXTENSION: {}},
        }
        try:
            status, response_headers, response_body = await _call_app(app, scope, body)
        except Exception as error:
            if not isinstance(error, ConnectionDropped):
                logger.exception("the app failed on %s %s; resetting the connection", method, path)
            _reset(writer)
            return
        writer.write(_encode(status, response_headers, response_body, keep_alive=keep_alive))
        await writer.drain()
        if not keep_alive:
            return


@asynccontextmanager
async def serve_asgi(app: ASGIApp) -> AsyncIterator[str]:
    """Serve ``app`` on 127.0.0.1 on a free port; yields the root URL, e.g. 'http://127.0.0.1:5123'.

    Leaving the block stops listening and ends every connection, including requests the app
    never answers.
    """
    connections: set[asyncio.Task[Any]] = set()

    async def connected(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        # Our own task per connection: shutdown cancels it, while the task asyncio's stream
        # server created for this callback ends normally (Python 3.11 logs an error when
        # that one is cancelled).
        task = asyncio.create_task(_serve_connection(app, reader, writer))
        connections.add(task)
        task.add_done_callback(connections.discard)
        try:
            await task
        except (asyncio.CancelledError, asyncio.IncompleteReadError, ConnectionError):
            pass  # shut down, or the client went away mid-request
        finally:
            writer.close()

    server = await asyncio.start_server(connected, HOST, 0, backlog=BACKLOG, limit=MAX_HEAD_BYTES)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://{HOST}:{port}"
    finally:
        server.close()
        for task in list(connections):
            task.cancel()
        await asyncio.gather(*connections, return_exceptions=True)
        await server.wait_closed()
