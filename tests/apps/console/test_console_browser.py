"""The ops console in a real browser, on the simulated day: what a person at the desk sees and does.

Every test serves ``flight-agent serve``'s app over a desk on the real PostgreSQL, drives the
simulated day from the test (monitor polls, desk workers, the real IROPS graph with the offline
model) and watches the page follow it through the live stream, without a reload.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import httpx
from playwright.sync_api import Browser, Page, expect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from flight_agent.clock import FakeClock
from flight_agent.providers import FlightAwareProvider, MockFlightDataProvider
from flight_agent.services import EnhancedFlightMonitoringService
from flight_agent.services.provider_factory import simulated_provider
from flight_agent.settings import Settings
from flight_agent.testing import FakeUpstream
from graphs.desk import CaseStatus
from tests.apps.console.conftest import Screenshots, console_on
from tests.graphs.desk.conftest import (
    DAY,
    INJECT_AT,
    MORNING,
    TRIPS,
    SimulatedDay,
    desks_on,
    simulated_day,
    trip_request,
)
from tools import FlightToolkit

HOUR = dt.timedelta(hours=1)
SCRIPT = "<script>window.__xss = 'status'</script>"
IMAGE = '<img src="x" onerror="window.__xss = \'gate\'">'


def test_a_disruption_opens_a_case_one_action_is_approved_and_the_case_moves(
    pg_url: str, page: Page, browser: Browser, screenshots: Screenshots
) -> None:
    with (
        simulated_day() as day,
        desks_on(day, pg_url) as (desk,),
        console_on(desk, page) as url,
    ):
        for trip_id in ("kim", "lee"):  # on time in the morning
            desk.add_trip(trip_request(trip_id, TRIPS[trip_id]))
        day.poll()
        page.goto(url)
        page.evaluate("window.sameDocument = true")
        expect(page.locator("#connection")).to_have_text("Live")
        expect(page.locator("#trips")).to_contain_text("BA108")
        expect(page.locator("#awaiting-list")).to_contain_text("No case waits for a decision")
        screenshots.take(page, "1-morning-no-case")

        day.run(day.workers([desk]), until=INJECT_AT + 2 * HOUR)  # BA108 is cancelled at 09:00

        card = page.locator('#awaiting-list [id="case-kim~1"]')
        expect(card).to_contain_text("awaiting approval")
        expect(card).to_contain_text("BA108")
        expect(card.get_by_role("heading", name="What happened")).to_be_visible()
        expect(card.locator("table.rights")).to_contain_text("Legal basis")
        actions = [action["args"]["id"] for action in desk.case("kim~1").actions]
        assert len(actions) >= 2, "the cancellation should propose several actions"
        expect(card.get_by_role("checkbox")).to_have_count(len(actions))
        screenshots.take(page, "2-case-awaiting-approval")
        phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
        small = phone.new_page()
        small.goto(url)
        expect(small.locator('[id="case-kim~1"]')).to_be_visible()
        assert small.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        screenshots.take(small, "2-case-awaiting-approval-phone")
        phone.close()

        # Approve the first action only, with the keyboard: untick the others, press the button.
        for box in card.get_by_role("checkbox").all()[1:]:
            box.focus()
            page.keyboard.press("Space")
        card.get_by_role("button", name="Approve selected").focus()
        page.keyboard.press("Enter")

        decided = page.locator('#decided-list [id="case-kim~1"]')
        expect(decided).to_contain_text("Decision: approved")
        expect(decided.locator("li.approved")).to_have_count(1)
        expect(decided.locator("li.rejected")).to_have_count(len(actions) - 1)
        expect(page.locator("#awaiting-list")).not_to_contain_text("kim~1")
        expect(page.locator("#announce")).to_have_text("Case kim~1 approved.")
        assert page.evaluate("window.sameDocument") is True  # no reload
        screenshots.take(page, "3-case-approved")

        stored = desk.case("kim~1")
        assert stored.status is CaseStatus.APPROVED
        assert stored.report is not None
        approved = [r["approved"] for r in stored.report["recommendations"]]
        assert approved == [True] + [False] * (len(actions) - 1)


def test_a_provider_outage_turns_its_row_red_and_then_the_data_stale(
    pg_url: str, page: Page, screenshots: Screenshots
) -> None:
    clock = FakeClock(MORNING)
    settings = Settings(redis_url=None)
    primary = MockFlightDataProvider(
        "primary", 10, seed=settings.flight_agent_mock_seed, clock=clock
    )
    backup = simulated_provider(settings, clock)
    service = EnhancedFlightMonitoringService(
        providers=[primary, backup], settings=settings, clock=clock
    )
    with FlightToolkit(service=service) as toolkit:
        day = SimulatedDay(clock, toolkit)
        with desks_on(day, pg_url) as (desk,), console_on(desk, page) as url:
            for trip_id in ("lee", "ito"):
                desk.add_trip(trip_request(trip_id, TRIPS[trip_id]))
            workers = day.workers([desk])
            day.run(workers, until=MORNING + 2 * HOUR)
            page.goto(url)
            primary_row = page.locator('[id="provider-primary"]')
            backup_row = page.locator(f'[id="provider-{backup.name}"]')
            expect(primary_row).to_have_class(re.compile("healthy"))
            expect(page.locator("#trips")).not_to_contain_text("STALE")

            primary.add_outage(clock.now(), clock.now() + 12 * HOUR)
            day.run(workers, until=MORNING + 4 * HOUR)

            expect(primary_row).to_have_class(re.compile("failing"))
            expect(primary_row).to_contain_text("open failing")
            expect(backup_row).to_have_class(re.compile("healthy"))
            expect(page.locator("#trips")).to_contain_text("failover: primary")
            expect(page.locator("#banner")).to_be_empty()
            expect(primary_row.locator("svg.chart")).to_be_visible()
            screenshots.take(page, "4-primary-provider-down")

            backup.add_outage(clock.now(), clock.now() + 12 * HOUR)
            day.run(workers, until=MORNING + 6 * HOUR)

            expect(page.locator("#banner")).to_contain_text("Every flight-data provider is failing")
            expect(backup_row).to_have_class(re.compile("failing"))
            stale = page.locator("#trips tr.stale")
            expect(stale.first).to_contain_text(re.compile(r"STALE: \d+ (min|h)"))
            screenshots.take(page, "5-every-provider-down-stale-data")


def hostile(app: ASGIApp) -> ASGIApp:
    """The fake AeroAPI with markup in each flight's status text and departure gate."""

    async def rewritten(scope: Scope, receive: Receive, send: Send) -> None:
        started: list[Message] = []
        body = bytearray()

        async def collect(message: Message) -> None:
            if message["type"] == "http.response.start":
                started.append(message)
                return
            body.extend(message.get("body", b""))
            if message.get("more_body"):
                return
            payload = json.loads(body) if body else {}
            for flight in payload.get("flights", []) if isinstance(payload, dict) else []:
                flight["status"] = SCRIPT
                flight["gate_origin"] = IMAGE
            data = json.dumps(payload).encode()
            start = started[0]
            headers = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
            headers.append((b"content-length", str(len(data)).encode()))
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": data})

        await app(scope, receive, collect)

    return rewritten


def test_markup_from_a_provider_or_a_traveller_is_shown_as_text_never_run(
    pg_url: str, page: Page, screenshots: Screenshots
) -> None:
    clock = FakeClock(MORNING)
    upstream = FakeUpstream(seed=0, clock=clock)
    provider = FlightAwareProvider(
        api_key=upstream.api_key,
        base_url=upstream.base_url("flightaware"),
        transport=httpx.ASGITransport(app=hostile(upstream.app)),
        clock=clock,
    )
    settings = Settings(redis_url=None)
    service = EnhancedFlightMonitoringService(providers=[provider], settings=settings, clock=clock)
    with FlightToolkit(service=service) as toolkit:
        day = SimulatedDay(clock, toolkit)
        with desks_on(day, pg_url) as (desk,), console_on(desk, page) as url:
            trip = trip_request("lee", TRIPS["lee"]) | {"label": f"Lee {IMAGE}"}
            desk.add_trip(trip)
            day.poll()
            dialogs: list[str] = []
            page.on("dialog", lambda dialog: dialogs.append(dialog.message))
            page.goto(url)

            trips = page.locator("#trips")
            expect(trips).to_contain_text(SCRIPT)  # as text, from the page and the live stream
            expect(trips).to_contain_text(IMAGE)
            clock.advance(3600)
            day.poll()
            expect(page.locator("#clock")).to_contain_text(f"{DAY} 05:00Z")
            expect(trips).to_contain_text(SCRIPT)
            assert page.evaluate("window.__xss") is None
            assert dialogs == []
            assert page.locator("script").count() == 1  # console.js, nothing else
            assert page.locator("main img").count() == 0
            assert upstream.api_key not in page.content()
            screenshots.take(page, "6-markup-shown-as-text")


EVIL_FORM = """<!doctype html><form id="f" method="post" action="{action}">
<input name="decision" value="approve_all"><input name="csrf" value="{csrf}"></form>
<script>document.getElementById("f").submit()</script>"""


def test_a_decision_without_the_pages_token_or_from_another_site_is_refused(
    pg_url: str, page: Page, screenshots: Screenshots
) -> None:
    with (
        simulated_day() as day,
        desks_on(day, pg_url) as (desk,),
        console_on(desk, page) as url,
    ):
        desk.add_trip(trip_request("meyer", TRIPS["meyer"]))  # cancelled: its case opens now
        assert desk.case("meyer~1").status is CaseStatus.AWAITING_APPROVAL
        page.goto(url)
        expect(page.locator('[id="case-meyer~1"]')).to_contain_text("awaiting approval")
        action = f"{url}/cases/meyer~1/decision"
        token = page.evaluate("document.body.dataset.csrf")

        forged = page.evaluate(
            """async (url) => (await fetch(url, {method: "POST",
                headers: {"Accept": "application/json", "X-CSRF-Token": "forged"},
                body: new URLSearchParams({decision: "approve_all"})})).status""",
            action,
        )
        assert forged == 403

        # Another site's page, even one that learnt the token, posting in the same browser.
        page.route(
            "http://evil.test/**",
            lambda route: route.fulfill(
                content_type="text/html", body=EVIL_FORM.format(action=action, csrf=token)
            ),
        )
        page.goto("http://evil.test/")
        expect(page.locator("body")).to_contain_text("Refused")
        screenshots.take(page, "7-cross-site-decision-refused")
        assert desk.case("meyer~1").status is CaseStatus.AWAITING_APPROVAL

        page.goto(url)  # the console's own form, with its token, is obeyed
        card = page.locator('[id="case-meyer~1"]')
        card.get_by_label("Reason, if you reject").fill("traveller rebooked herself")
        card.get_by_role("button", name="Reject").click()
        expect(page.locator('#decided-list [id="case-meyer~1"]')).to_contain_text(
            "Decision: rejected"
        )
        assert desk.case("meyer~1").status is CaseStatus.REJECTED
