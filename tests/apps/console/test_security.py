"""The console's guards over HTTP: the token rule of the MCP server, CSRF, headers, no secrets.

The browser tests show the same guards from a page; these pin the HTTP contract itself, on
``flight-agent serve``'s app over a desk on the real PostgreSQL.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from flight_agent.apps.console.security import AUTH_COOKIE, SESSION_COOKIE
from graphs.desk import CaseStatus, Desk
from tests.apps.console.conftest import ROOT, console_app
from tests.graphs.desk.conftest import TRIPS, desks_on, simulated_day, trip_request

TOKEN = "console-token-271828"


@pytest.fixture
def desk(pg_url: str) -> Iterator[Desk]:
    with simulated_day() as day, desks_on(day, pg_url) as (opened,):
        yield opened


def test_with_a_token_every_request_needs_it_and_the_sign_in_form_sets_a_cookie(
    desk: Desk, pg_url: str
) -> None:
    with TestClient(console_app(desk, TOKEN), base_url=ROOT) as client:
        assert client.get("/", follow_redirects=False).headers["location"] == "/login"
        assert client.get("/events").status_code == 401
        refused = client.post("/cases/x~1/decision", data={"decision": "approve_all"})
        assert refused.status_code == 401
        assert client.get("/static/console.js").status_code == 200  # the page's own files

        wrong = client.post("/login", data={"token": "guess"}, headers={"Origin": ROOT})
        assert wrong.status_code == 401
        assert AUTH_COOKIE not in client.cookies
        cross = client.post("/login", data={"token": TOKEN}, headers={"Origin": "http://evil"})
        assert cross.status_code == 401

        signed = client.post(
            "/login", data={"token": TOKEN}, headers={"Origin": ROOT}, follow_redirects=False
        )
        assert signed.status_code == 303
        assert TOKEN not in client.cookies[AUTH_COOKIE]
        page = client.get("/")
        assert page.status_code == 200
        assert "Disruption desk" in page.text
        assert TOKEN not in page.text
        assert pg_url not in page.text

    with TestClient(console_app(desk, TOKEN), base_url=ROOT) as client:
        bearer = client.get("/", headers={"Authorization": f"Bearer {TOKEN}"})
        assert bearer.status_code == 200


def test_pages_forbid_inline_scripts_and_framing(desk: Desk) -> None:
    with TestClient(console_app(desk), base_url=ROOT) as client:
        page = client.get("/")
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert page.headers["x-content-type-options"] == "nosniff"
    session = page.cookies[SESSION_COOKIE]
    assert session
    assert "httponly" in page.headers["set-cookie"].lower()
    assert "samesite=strict" in page.headers["set-cookie"].lower()


def test_a_decision_needs_the_sessions_token_and_this_hosts_origin(desk: Desk) -> None:
    desk.add_trip(trip_request("meyer", TRIPS["meyer"]))  # cancelled: its case waits now
    with TestClient(console_app(desk), base_url=ROOT) as client:
        page = client.get("/")
        match = re.search(r'data-csrf="([0-9a-f]+)"', page.text)
        assert match is not None
        token = match.group(1)
        form = {"decision": "approve_all", "csrf": token}
        url = "/cases/meyer~1/decision"
        json = {"Accept": "application/json"}

        no_origin = client.post(url, data=form, headers=json)
        other_origin = client.post(url, data=form, headers=json | {"Origin": "http://evil"})
        no_token = client.post(url, data={"decision": "approve_all"}, headers={"Origin": ROOT})
        other_session = TestClient(client.app, base_url=ROOT).post(
            url, data=form, headers={"Origin": ROOT}
        )
        assert [r.status_code for r in (no_origin, other_origin, no_token, other_session)] == [
            403
        ] * 4
        assert "did not come from the console page" in no_origin.json()["error"]
        assert desk.case("meyer~1").status is CaseStatus.AWAITING_APPROVAL

        nothing = client.post(
            url,
            data={"decision": "approve_selected", "csrf": token},
            headers=json | {"Origin": ROOT},
        )
        assert nothing.status_code == 400
        assert "Tick at least one action" in nothing.json()["error"]

        done = client.post(url, data=form, headers=json | {"Origin": ROOT})
        assert done.status_code == 200
        assert done.json()["status"] == "approved"
        again = client.post(url, data=form, headers=json | {"Origin": ROOT})
        assert again.status_code == 409
        assert "takes one decision" in again.json()["error"]
        plain = client.post(url, data=form, headers={"Origin": ROOT}, follow_redirects=False)
        assert plain.status_code == 409  # without the page's script: an HTML answer
        assert "text/html" in plain.headers["content-type"]
