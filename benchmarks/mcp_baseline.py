"""The MCP benchmark's baseline: a bare FastMCP server whose one tool does nothing.

``python -m benchmarks.mcp_baseline`` serves ``get_flight_status`` (the flight number in, the
same text out, no output schema, so the SDK validates nothing) over the transport flight-agent
uses: streamable HTTP, stateless, JSON responses, uvicorn on 127.0.0.1 at an ephemeral port.
What it costs per call is the SDK's and uvicorn's floor. Like ``flight-agent mcp``, it names
its version, freezes its start-up heap out of the garbage collector, writes its URL to stderr
once it listens, and stops on SIGINT.
"""

from __future__ import annotations

import gc
import socket
import sys

import uvicorn
from mcp.server.fastmcp import FastMCP

server = FastMCP("baseline", stateless_http=True, json_response=True, log_level="WARNING")
# A version named, as flight-agent names its own: otherwise the SDK reads it from its package
# metadata on every request (each stateless request initializes a session anew).
server._mcp_server.version = "1"


@server.tool(structured_output=False)
def get_flight_status(flight_number: str, date: str | None = None) -> str:
    """The flight number, as given."""
    return flight_number


class _AnnouncingServer(uvicorn.Server):
    """uvicorn, writing its URL to stderr once it listens (the port the system picked)."""

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        """Start as uvicorn does, then say where."""
        await super().startup(sockets)
        if self.started:
            gc.collect()  # tuned as flight-agent's server is: only the tool differs
            gc.freeze()
            port = self.servers[0].sockets[0].getsockname()[1]
            sys.stderr.write(f"baseline MCP server on http://127.0.0.1:{port}/mcp\n")
            sys.stderr.flush()


def main() -> None:
    """Serve until SIGINT."""
    app = server.streamable_http_app()
    _AnnouncingServer(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning")).run()


if __name__ == "__main__":
    main()
