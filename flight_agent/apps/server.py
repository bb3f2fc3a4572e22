"""``flight-agent serve``: one ASGI app for the project's HTTP faces.

=====================  ===============================================================
path                   what
=====================  ===============================================================
``/mcp``               the MCP endpoint (``mcp_server``: bearer token, ``asgi_guards``)
``/alerts/<secret>``   the AeroAPI alert webhook (``alert_receiver``), when
                       ``FLIGHT_AGENT_ALERT_SECRET`` is set
``/`` (the rest)       the ops console of the disruption desk (``console``)
=====================  ===============================================================

The bind rules are the MCP server's: 127.0.0.1 by default, and off loopback the app refuses to
start without ``FLIGHT_AGENT_MCP_TOKEN`` (``InsecureBindError``). With a token, the console
takes it too (the header, or its sign-in form's cookie). The webhook does not take the bearer
token (AeroAPI cannot send one): its secret path segment is its authentication. The app's
lifespan runs the MCP session manager, the webhook's workers, the sampler of the console's
provider chart (``console.history.keep_history``) and, when asked, desk workers with the desk's
flight monitor (``desk_workers``); it closes the service and the desk it opened.

The console's desk is ``DATABASE_URL``'s (else the SQLite file), opened on the first page
load; its cases open when desk workers run, here or in ``flight-agent desk`` processes on the
same database and Redis.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

from starlette.applications import Starlette
from starlette.routing import Mount, Route

from flight_agent.apps.alert_receiver import (
    AlertHandler,
    AlertReceiver,
    RefreshingHandler,
    WatchedCheck,
)
from flight_agent.apps.console import build_console
from flight_agent.apps.console.history import keep_history
from flight_agent.apps.mcp_desk import DeskSlot
from flight_agent.apps.mcp_server import (
    FlightMCPServer,
    ServiceFactory,
    ServiceSlot,
    build_mcp_server,
)
from flight_agent.cache.redis_cache import fail_fast_client
from flight_agent.flight_query import FlightQuery
from flight_agent.models import FlightStatusData
from flight_agent.monitoring.state import Watch
from flight_agent.providers.alert_callback import AlertCallback
from flight_agent.services import EnhancedFlightMonitoringService
from flight_agent.settings import Settings
from graphs.desk import DeskWorker

ALERTS_PATH = "/alerts"


def watched_flights(services: ServiceSlot) -> WatchedCheck:
    """A ``WatchedCheck``: with the monitor's alerts, the callback's alert is one a watch owns;
    otherwise the service's watch list has the callback's flight and date (and its origin,
    when the watch names one)."""

    async def check(callback: AlertCallback) -> bool:
        alerts = services.get().monitor.alerts
        if alerts is not None:
            return await alerts.watch_for(callback.alert_id) is not None
        query = callback.query()
        if query is None:
            return False
        states = await services.get().watched()
        return any(_covers(state.watch, query) for state in states)

    return check


def refresh_through(services: ServiceSlot) -> AlertHandler:
    """The default handler: with the monitor's alerts, the event taken in by the monitor
    (``FlightMonitor.take_alert``: the flight re-read and observed as a poll, its change events
    saved); otherwise the flight re-read through the service's failover path."""

    async def refresh(query: FlightQuery) -> FlightStatusData | None:
        return await services.get().lookup.get(query, refresh=True)

    refreshing = RefreshingHandler(refresh)

    async def handle(callback: AlertCallback) -> None:
        monitor = services.get().monitor
        if monitor.alerts is None:
            await refreshing(callback)
        else:
            await monitor.take_alert(callback)

    return handle


def build_server(
    service: EnhancedFlightMonitoringService | None = None,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    factory: ServiceFactory | None = None,
    settings: Settings | None = None,
    handler: AlertHandler | None = None,
    is_watched: WatchedCheck | None = None,
    desk: DeskSlot | None = None,
    desk_workers: int = 0,
) -> Starlette:
    """The app serving MCP at ``/mcp``, with a secret set alerts at ``/alerts/<secret>``, and
    the ops console at ``/``.

    Args:
        service: The service behind both (the caller closes it); built on first use when None.
        host: Where it will listen; off loopback ``FLIGHT_AGENT_MCP_TOKEN`` is required.
        port: The port it will listen on (announced by the MCP settings).
        factory: Builds the service when none is given.
        settings: Tokens, the alert secret and networks, ``REDIS_URL`` (seen alert events are
            shared through it); the environment when omitted.
        handler: What to do with each accepted alert (default: refresh the flight).
        is_watched: Which callbacks are for watched flights (default: the service's watches).
        desk: The console's desk (default: the settings' database, opened on first use; the
            app closes a desk it opened).
        desk_workers: Desk workers to run in the app, with the desk's flight monitor (0: the
            console shows what ``flight-agent desk`` processes do).

    Raises:
        InsecureBindError: Off loopback without a bearer token.
    """
    settings = settings or (service.settings if service is not None else Settings())
    mcp: FlightMCPServer = build_mcp_server(
        service,
        host=host,
        port=port,
        token=Settings.secret(settings.flight_agent_mcp_token) or "",
        factory=factory,
    )
    mcp_app = mcp.streamable_http_app()
    redis = fail_fast_client(settings.redis_url) if settings.redis_url else None
    receiver = AlertReceiver.from_settings(
        settings,
        handler or refresh_through(mcp.services),
        is_watched or watched_flights(mcp.services),
        redis=redis,
    )
    desks = desk or DeskSlot()
    console = build_console(desks, token=Settings.secret(settings.flight_agent_mcp_token))
    routes = [Route("/mcp", endpoint=mcp_app), Mount("/", app=console)]
    if receiver is not None:
        routes.insert(0, Mount(ALERTS_PATH, app=receiver.app()))

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        workers = await start_desk(desks, desk_workers) if desk_workers else None
        state = console.state.console
        sampler = asyncio.create_task(keep_history(desks, state.history, state.refresh_s))
        try:
            async with mcp_app.router.lifespan_context(mcp_app):
                if receiver is None:
                    yield
                else:
                    async with receiver.running():
                        yield
        finally:
            sampler.cancel()
            with suppress(asyncio.CancelledError):
                await sampler
            if workers is not None:
                workers.cancel()
                with suppress(asyncio.CancelledError):
                    await workers
            await mcp.services.aclose()
            await asyncio.to_thread(desks.close)
            if redis is not None:
                await redis.aclose()

    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.alert_receiver = receiver
    app.state.console = console.state.console
    return app


async def start_desk(desks: DeskSlot, workers: int) -> asyncio.Future[None]:
    """Watch every trip's legs and judge every trip once (``Desk.watch_all``), start the desk
    service's flight monitor, then run ``workers`` desk workers on the service's loop until
    the returned future is cancelled.

    Raises:
        DeskStorageError: The desk's database does not answer.
    """
    desk = await asyncio.to_thread(desks.get)
    await asyncio.to_thread(desk.watch_all)

    async def start(service: EnhancedFlightMonitoringService) -> None:
        await service.start()

    async def work(service: EnhancedFlightMonitoringService) -> None:
        stream = service.monitor.store.events
        await asyncio.gather(*(DeskWorker(desk, stream).run() for _ in range(workers)))

    await desk.toolkit.runner.call(start)
    return asyncio.ensure_future(desk.toolkit.runner.call(work))


def _covers(watch: Watch, query: FlightQuery) -> bool:
    if (watch.flight_id, watch.flight_date) != (query.flight_id, query.flight_date):
        return False
    return watch.origin is None or query.origin is None or watch.origin == query.origin
