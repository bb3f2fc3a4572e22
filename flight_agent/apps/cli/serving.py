"""``flight-agent serve``: the ops console, the MCP endpoint and the alert webhook on one port
(``apps.server``).

``serve --demo`` shows the console at work without any setup: today's simulated day replayed
fast from 04:00 UTC in a fresh SQLite file, with ``flight-agent desk --demo``'s trips and desk
workers in the server, so cases open on the page as the day goes by.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
import uvicorn

from flight_agent.apps.cli import common
from flight_agent.apps.cli.common import fail
from flight_agent.apps.cli.desk import DEMO_START
from flight_agent.apps.cli.replay import replay_service
from flight_agent.apps.mcp_desk import DeskSlot
from flight_agent.apps.mcp_server import InsecureBindError
from flight_agent.apps.server import ALERTS_PATH, build_server
from flight_agent.settings import Settings
from graphs.desk import add_demo_trips
from graphs.desk.session import open_desk

DEMO_WORKERS = 2


@contextlib.contextmanager
def demo_desk(speed: float, day: dt.date | None = None) -> Iterator[DeskSlot]:
    """A desk on ``day``'s simulated flights (today's when None) from 04:00 UTC, ``speed``
    times faster, in a fresh SQLite file, holding the demo trips."""
    day = day or dt.datetime.now(dt.UTC).date()
    service = replay_service(Settings(), speed, dt.datetime.combine(day, DEMO_START, dt.UTC))
    with (
        tempfile.TemporaryDirectory() as folder,
        open_desk(str(Path(folder) / "demo.sqlite"), service=service) as desk,
    ):
        add_demo_trips(desk, day)
        yield DeskSlot(desk)


def serve(
    host: Annotated[
        str, typer.Option(help="Interface; off loopback FLIGHT_AGENT_MCP_TOKEN is required.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port.")] = 8000,
    desk_workers: Annotated[
        int,
        typer.Option(
            min=0,
            max=16,
            help="Desk workers (and the desk's flight monitor) to run in this process; 0 when "
            "`flight-agent desk` runs them.",
        ),
    ] = 0,
    demo: Annotated[
        bool,
        typer.Option(
            "--demo", help="Replay today's simulated flights with demo trips in the console."
        ),
    ] = False,
    speed: Annotated[
        float, typer.Option(min=1, help="--demo: simulated seconds per real second.")
    ] = 60,
) -> None:
    """Serve the ops console at /, MCP at /mcp and, with FLIGHT_AGENT_ALERT_SECRET set, AeroAPI
    alerts at /alerts/<secret>, until interrupted."""
    common.check_listen(host, port)
    with contextlib.ExitStack() as stack:
        desk = stack.enter_context(demo_desk(speed)) if demo else None
        workers = max(desk_workers, DEMO_WORKERS) if demo else desk_workers
        try:
            app = build_server(
                host=host,
                port=port,
                factory=common.service_factory,
                desk=desk,
                desk_workers=workers,
            )
        except (InsecureBindError, ValueError) as error:
            fail(str(error), 2)
        alerts = (
            "on" if app.state.alert_receiver is not None else "off (no FLIGHT_AGENT_ALERT_SECRET)"
        )
        typer.echo(
            f"flight-agent on http://{host}:{port}: the console at /, /mcp, "
            f"{ALERTS_PATH}/<secret> {alerts}",
            err=True,
        )
        # No access log: the webhook's path carries its secret.
        config = uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False)
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(uvicorn.Server(config).serve())
