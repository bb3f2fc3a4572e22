"""``flight-agent serve``: MCP and the alert webhook in one app, and alerts end to end."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest
from pydantic import SecretStr
from starlette.applications import Starlette
from typer.testing import CliRunner

from flight_agent.apps.cli import app as cli
from flight_agent.apps.mcp_server import InsecureBindError
from flight_agent.apps.server import build_server
from flight_agent.clock import FakeClock
from flight_agent.monitoring.alerts import AlertReconciler, MemoryAlertBook
from flight_agent.monitoring.state import Watch
from flight_agent.providers import FlightAwareProvider
from flight_agent.providers.alert_callback import AlertCallback
from flight_agent.services import EnhancedFlightMonitoringService
from flight_agent.settings import Settings
from flight_agent.testing import FakeUpstream
from tests.conftest import load_fixture

SECRET = "0123456789abcdef-serve-secret"
TOKEN = "serve-token-abc"
KEY = "serve-test-key-98765"
ROOT = "http://127.0.0.1:8000"
DAY = date(2026, 11, 28)
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
MCP_HEADERS = {"Accept": "application/json, text/event-stream"}


def settings(*, secret: str | None = SECRET, token: str | None = None) -> Settings:
    return Settings(
        redis_url=None,
        flight_agent_alert_secret=SecretStr(secret) if secret else None,
        flight_agent_mcp_token=SecretStr(token) if token else None,
    )


def service_on(
    upstream: FakeUpstream, clock: FakeClock, config: Settings
) -> EnhancedFlightMonitoringService:
    provider = FlightAwareProvider(
        api_key=KEY,
        base_url=upstream.base_url("flightaware"),
        transport=upstream.transport(),
        clock=clock,
    )
    return EnhancedFlightMonitoringService(providers=[provider], settings=config, clock=clock)


@asynccontextmanager
async def running(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the app, with its lifespan (MCP sessions, alert workers) running."""
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=ROOT) as client,
    ):
        yield client


@pytest.fixture
def early() -> FakeClock:
    return FakeClock(datetime(2026, 11, 28, 2, 0, tzinfo=UTC))


@pytest.fixture
def upstream(early: FakeClock) -> FakeUpstream:
    return FakeUpstream(seed=0, clock=early, api_key=KEY)


async def test_one_app_serves_mcp_and_the_webhook(upstream: FakeUpstream, early: FakeClock) -> None:
    service = service_on(upstream, early, settings())
    app = build_server(service)
    async with running(app) as client:
        mcp = await client.post("/mcp", json=INITIALIZE, headers=MCP_HEADERS)
        await service.watch("BA117", DAY)
        requests_before = upstream.requests["flightaware"]
        pushed = await client.post(
            f"/alerts/{SECRET}", json=load_fixture("aeroapi_alerts/callback_departure.json")
        )
        await app.state.alert_receiver.join()
    await service.aclose()
    assert mcp.status_code == 200
    assert mcp.json()["result"]["serverInfo"]["name"] == "flight-agent"
    assert pushed.status_code == 202
    assert upstream.requests["flightaware"] == requests_before + 1  # the flight was re-read


async def test_a_callback_for_an_unwatched_flight_is_ignored(
    upstream: FakeUpstream, early: FakeClock
) -> None:
    service = service_on(upstream, early, settings())
    app = build_server(service)
    async with running(app) as client:
        pushed = await client.post(
            f"/alerts/{SECRET}", json=load_fixture("aeroapi_alerts/callback_departure.json")
        )
    await service.aclose()
    assert pushed.json() == {"status": "ignored"}
    assert upstream.requests["flightaware"] == 0


async def test_the_token_guards_mcp_but_not_the_webhook(
    upstream: FakeUpstream, early: FakeClock
) -> None:
    service = service_on(upstream, early, settings(token=TOKEN))
    app = build_server(service, host="0.0.0.0")
    async with running(app) as client:
        anonymous = await client.post("/mcp", json=INITIALIZE, headers=MCP_HEADERS)
        pushed = await client.post(f"/alerts/{SECRET}", json={"not": "a callback"})
    await service.aclose()
    assert anonymous.status_code == 401
    assert pushed.status_code == 400  # reached the receiver, which has its own secret


async def test_off_loopback_without_a_token_the_server_refuses_to_start(
    upstream: FakeUpstream, early: FakeClock
) -> None:
    service = service_on(upstream, early, settings())
    with pytest.raises(InsecureBindError, match="FLIGHT_AGENT_MCP_TOKEN"):
        build_server(service, host="0.0.0.0")
    await service.aclose()


async def test_without_a_secret_no_webhook_is_served(
    upstream: FakeUpstream, early: FakeClock
) -> None:
    service = service_on(upstream, early, settings(secret=None))
    app = build_server(service)
    async with running(app) as client:
        pushed = await client.post(f"/alerts/{SECRET}", json={})
    await service.aclose()
    assert app.state.alert_receiver is None
    assert pushed.status_code == 404


async def test_the_fake_upstreams_day_reaches_the_handler_once_per_event(
    upstream: FakeUpstream, early: FakeClock
) -> None:
    """Round trip: alerts made by the reconciler, callbacks delivered twice each and some late,
    through the real app; each event reaches the handler exactly once."""
    service = service_on(upstream, early, settings())
    (provider,) = service.failover_manager.providers
    alerts = AlertReconciler(provider, MemoryAlertBook(), target_url=f"{ROOT}/alerts/{SECRET}")
    events: list[tuple[int, str]] = []

    async def record(event: AlertCallback) -> None:
        events.append((event.alert_id, event.event_code))

    async def ours(event: AlertCallback) -> bool:
        return await alerts.watch_for(event.alert_id) is not None

    app = build_server(service, handler=record, is_watched=ours)
    upstream.alerts.configure(transport=httpx.ASGITransport(app=app), delay=20.0, duplicates=1.0)
    watch = Watch(flight_id="BA117", flight_date=DAY)
    alert_id = await alerts.ensure(watch)
    stranger = await provider.alerts().create(  # an alert of the account nobody watches
        alerts.spec_for(Watch(flight_id="LH400", flight_date=DAY))
    )
    async with running(app):
        while (due := upstream.alerts.next_due()) is not None:
            early.set(max(due, early.now()))
            await upstream.alerts.deliver_due()
            await app.state.alert_receiver.join()
    await service.aclose()
    codes = ["filed", "out", "departure", "off", "arrival", "on", "in"]
    assert events == [(alert_id, code) for code in codes]
    statuses: dict[tuple[int, bool], set[Any]] = {}
    for delivery in upstream.alerts.deliveries:
        statuses.setdefault((delivery.alert_id, delivery.duplicate), set()).add(delivery.status)
    assert statuses[(alert_id, False)] == {202}
    assert statuses[(alert_id, True)] == {200}
    assert statuses[(stranger, False)] == {200}  # ignored: not a watched flight


def test_the_serve_command_is_registered() -> None:
    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0
    assert "/alerts/<secret>" in result.output
