"""The fake upstream serves AeroAPI alerts and pushes the simulated day's events as callbacks."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest

from flight_agent.clock import FakeClock
from flight_agent.errors import AuthenticationError, InvalidFlightQueryError
from flight_agent.flight_query import FlightDesignator
from flight_agent.providers import FlightAwareProvider
from flight_agent.providers.alerts import AlertSpec
from flight_agent.testing import FakeUpstream
from flight_agent.testing.alerts import ALERTS_PER_PAGE, alert_events
from flight_agent.testing.asgi import Receive, Scope, Send
from flight_agent.testing.server import serve_asgi
from tests.providers.alert_spec import callback_schema, problems, response_schema
from tests.testing.conftest import KEY

DAY = date(2026, 11, 28)
RECEIVER = "http://receiver.test/alerts/0123456789abcdef"


class Inbox:
    """An ASGI app that keeps every callback POSTed to it and answers ``status``."""

    def __init__(self, status: int = 202) -> None:
        self.bodies: list[dict[str, Any]] = []
        self.status = status

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        self.bodies.append(json.loads(body))
        await send({"type": "http.response.start", "status": self.status, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    def codes(self) -> list[str]:
        return [body["event_code"] for body in self.bodies]


@pytest.fixture
def early() -> FakeClock:
    """Before BA117's day starts moving (it is scheduled out of London at 08:25)."""
    return FakeClock(datetime(2026, 11, 28, 2, 0, tzinfo=UTC))


def upstream_and_provider(
    clock: FakeClock, scenarios: dict[str, str] | None = None
) -> tuple[FakeUpstream, FlightAwareProvider]:
    upstream = FakeUpstream(seed=0, clock=clock, scenarios=scenarios, api_key=KEY)
    provider = FlightAwareProvider(
        api_key=KEY,
        base_url=upstream.base_url("flightaware"),
        transport=upstream.transport(),
        clock=clock,
    )
    return upstream, provider


async def run_day(upstream: FakeUpstream, clock: FakeClock) -> None:
    """Jump from one due callback to the next until none is left."""
    while (due := upstream.alerts.next_due()) is not None:
        clock.set(max(due, clock.now()))
        await upstream.alerts.deliver_due()


async def test_alerts_are_created_listed_updated_and_deleted(early: FakeClock) -> None:
    upstream, provider = upstream_and_provider(early)
    async with provider:
        api = provider.alerts()
        first = await api.create(AlertSpec("BAW117", start=DAY, end=DAY))
        second = await api.create(AlertSpec("UAL1", origin="KSFO"))
        assert [alert.id for alert in await api.list()] == [first, second]
        await api.update(first, AlertSpec("BAW117", start=DAY, end=DAY, events=frozenset({"in"})))
        assert upstream.alerts.alerts[first]["events"]["in"] is True
        assert upstream.alerts.alerts[first]["events"]["out"] is False
        assert await api.delete(first) is True
        assert [alert.id for alert in await api.list()] == [second]


async def test_the_fakes_answers_match_the_official_spec(early: FakeClock) -> None:
    upstream, provider = upstream_and_provider(early)
    async with provider, httpx.AsyncClient(transport=upstream.transport()) as client:
        alert_id = await provider.alerts().create(AlertSpec("BAW117", origin="EGLL"))
        await provider.alerts().set_endpoint(RECEIVER)
        headers = {"x-apikey": KEY}
        root = upstream.base_url("flightaware")
        page = (await client.get(f"{root}/alerts", headers=headers)).json()
        one = (await client.get(f"{root}/alerts/{alert_id}", headers=headers)).json()
        endpoint = (await client.get(f"{root}/alerts/endpoint", headers=headers)).json()
    assert problems(response_schema("/alerts"), page) == []
    assert problems(response_schema("/alerts/{id}"), one) == []
    assert problems(response_schema("/alerts/endpoint"), endpoint) == []
    assert endpoint == {"url": RECEIVER}


async def test_a_long_alert_list_comes_in_pages_the_provider_follows(early: FakeClock) -> None:
    _, provider = upstream_and_provider(early)
    async with provider:
        for number in range(ALERTS_PER_PAGE + 5):
            await provider.alerts().create(AlertSpec(f"BAW{100 + number}"))
        assert len(await provider.alerts().list()) == ALERTS_PER_PAGE + 5


async def test_the_alert_endpoints_check_the_key_and_the_body(early: FakeClock) -> None:
    upstream, _ = upstream_and_provider(early)
    stranger = FlightAwareProvider(
        api_key="wrong-key",
        base_url=upstream.base_url("flightaware"),
        transport=upstream.transport(),
        clock=early,
    )
    async with stranger:
        with pytest.raises(AuthenticationError):
            await stranger.alerts().list()
    async with httpx.AsyncClient(transport=upstream.transport()) as client:
        url = f"{upstream.base_url('flightaware')}/alerts"
        refused = await client.post(url, headers={"x-apikey": KEY}, json={"ident": "BAW117"})
        missing = await client.put(f"{url}/99", headers={"x-apikey": KEY}, json={})
    assert refused.status_code == 400
    assert refused.json()["detail"] == "missing events"
    assert missing.status_code == 404
    assert upstream.alerts.alerts == {}


async def test_a_bad_alert_is_refused_as_bad_input(early: FakeClock) -> None:
    _, provider = upstream_and_provider(early)
    async with provider:
        with pytest.raises(InvalidFlightQueryError, match="invalid ident"):
            await provider.alerts().create(AlertSpec("ZZ"))


async def test_callbacks_follow_the_simulated_flight_and_match_the_spec(
    early: FakeClock,
) -> None:
    upstream, provider = upstream_and_provider(early)
    inbox = Inbox()
    upstream.alerts.configure(transport=httpx.ASGITransport(app=inbox))
    async with provider:
        await provider.alerts().set_endpoint(RECEIVER)
        alert_id = await provider.alerts().create(AlertSpec("BAW117", start=DAY, end=DAY))
    await run_day(upstream, early)
    assert inbox.codes() == ["filed", "out", "departure", "off", "arrival", "on", "in"]
    assert all(problems(callback_schema(), body) == [] for body in inbox.bodies)
    assert {body["alert_id"] for body in inbox.bodies} == {alert_id}
    (leg,) = upstream.simulator.legs(FlightDesignator.parse("BA117"), DAY) or []
    when = dict(alert_events(leg))
    out = inbox.bodies[inbox.codes().index("out")]["flight"]
    assert out["actual_out"] == when["out"].strftime("%Y-%m-%dT%H:%M:%SZ")
    assert out["actual_off"] is None  # the flight as it stood at the event
    assert [d.due_at for d in upstream.alerts.deliveries] == sorted(when[c] for c in inbox.codes())


async def test_a_cancelled_flight_pushes_one_cancellation(early: FakeClock) -> None:
    upstream, provider = upstream_and_provider(early, {"BA117": "cancelled"})
    inbox = Inbox()
    upstream.alerts.configure(transport=httpx.ASGITransport(app=inbox))
    async with provider:
        await provider.alerts().set_endpoint(RECEIVER)
        await provider.alerts().create(AlertSpec("BAW117", start=DAY, end=DAY))
    await run_day(upstream, early)
    assert inbox.codes() == ["cancelled"]
    assert inbox.bodies[0]["flight"]["cancelled"] is True


async def test_a_gate_change_is_pushed_as_a_change(early: FakeClock) -> None:
    upstream, provider = upstream_and_provider(early, {"BA117": "gate_change"})
    inbox = Inbox()
    upstream.alerts.configure(transport=httpx.ASGITransport(app=inbox))
    async with provider:
        await provider.alerts().set_endpoint(RECEIVER)
        await provider.alerts().create(AlertSpec("BAW117", start=DAY, end=DAY))
    await run_day(upstream, early)
    assert "change" in inbox.codes()


async def test_only_the_events_asked_for_and_after_the_alert_are_pushed(clock: FakeClock) -> None:
    upstream, provider = upstream_and_provider(clock)  # 12:00, BA117 is at the gate
    inbox = Inbox()
    upstream.alerts.configure(transport=httpx.ASGITransport(app=inbox))
    async with provider:
        await provider.alerts().set_endpoint(RECEIVER)
        events = frozenset({"filed", "off", "in"})
        await provider.alerts().create(AlertSpec("BAW117", start=DAY, end=DAY, events=events))
    await run_day(upstream, clock)
    assert inbox.codes() == ["off", "in"]  # filed came before the alert


async def test_without_an_endpoint_nothing_is_delivered(early: FakeClock) -> None:
    upstream, provider = upstream_and_provider(early)
    async with provider:
        await provider.alerts().create(AlertSpec("BAW117", start=DAY, end=DAY))
    assert upstream.alerts.next_due() is None
    early.advance(24 * 3600)
    assert await upstream.alerts.deliver_due() == []


async def test_delay_loss_and_duplicates_are_injected(early: FakeClock) -> None:
    upstream, provider = upstream_and_provider(early)
    inbox = Inbox()
    upstream.alerts.configure(
        transport=httpx.ASGITransport(app=inbox), delay=45.0, loss=0.5, duplicates=0.5
    )
    async with provider:
        await provider.alerts().set_endpoint(RECEIVER)
        await provider.alerts().create(AlertSpec("BAW117", start=DAY, end=DAY))
    await run_day(upstream, early)
    deliveries = upstream.alerts.deliveries
    assert all(d.due_at - d.event_at == timedelta(seconds=45) for d in deliveries)
    lost = [d for d in deliveries if d.lost]
    copies = [d for d in deliveries if d.duplicate]
    assert lost
    assert copies
    assert len(inbox.bodies) == len(deliveries) - len(lost)
    assert len({d.event_code for d in deliveries if not d.lost}) == 7 - len(lost)


async def test_nothing_is_due_before_its_delay_has_passed(early: FakeClock) -> None:
    upstream, provider = upstream_and_provider(early)
    upstream.alerts.configure(transport=httpx.ASGITransport(app=Inbox()), delay=30.0)
    async with provider:
        await provider.alerts().set_endpoint(RECEIVER)
        await provider.alerts().create(AlertSpec("BAW117", start=DAY, end=DAY))
    due = upstream.alerts.next_due()
    assert due is not None
    early.set(due - timedelta(seconds=1))
    assert await upstream.alerts.deliver_due() == []
    early.set(due)
    assert [d.event_code for d in await upstream.alerts.deliver_due()] == ["filed"]


async def test_callbacks_reach_a_loopback_url(early: FakeClock) -> None:
    upstream, provider = upstream_and_provider(early)
    inbox = Inbox()
    async with serve_asgi(inbox) as root, provider:
        await provider.alerts().set_endpoint(f"{root}/alerts/0123456789abcdef")
        await provider.alerts().create(AlertSpec("BAW117", start=DAY, end=DAY))
        early.set(datetime(2026, 11, 28, 11, 0, tzinfo=UTC))
        delivered = await upstream.alerts.deliver_due()
    assert [(d.event_code, d.status) for d in delivered] == [("filed", 202)]
    assert inbox.codes() == ["filed"]
