"""The desk's PostgreSQL down: the console says so without the password and loses no decision.

The console's desk reaches PostgreSQL through a proxy the test cuts (with a password in its URL,
which trust authentication ignores); an observer desk connects directly.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from starlette.testclient import TestClient

from graphs.desk import CaseStatus
from tests.apps.console.conftest import ROOT, console_app
from tests.graphs.desk.conftest import TRIPS, desks_on, simulated_day, trip_request
from tests.graphs.desk.tcp_proxy import CuttableProxy
from tests.graphs.desk.test_database_outage import proxy, through

__all__ = ["proxy"]

PASSWORD = "hunter2-console"


def with_password(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=parts.netloc.replace("@", f":{PASSWORD}@", 1)))


def test_a_decision_while_the_database_is_down_is_refused_clearly_then_made_once(
    pg_url: str, proxy: CuttableProxy
) -> None:
    target = with_password(through(pg_url, proxy))
    with (
        simulated_day() as day,
        desks_on(day, target) as (desk,),
        desks_on(day, pg_url) as (observer,),
    ):
        desk.add_trip(trip_request("meyer", TRIPS["meyer"]))  # cancelled: its case waits now
        with TestClient(console_app(desk), base_url=ROOT) as client:
            page = client.get("/")
            token = page.text.split('data-csrf="', 1)[1].split('"', 1)[0]
            form = {"decision": "reject", "reason": "rebooked by phone", "csrf": token}
            headers = {"Accept": "application/json", "Origin": ROOT}
            proxy.cut()

            down = client.get("/")
            refused = client.post("/cases/meyer~1/decision", data=form, headers=headers)

            proxy.restore()
            for _ in range(10):  # the pool reconnects with a back-off
                done = client.post("/cases/meyer~1/decision", data=form, headers=headers)
                if done.status_code != 503:
                    break
        stored = observer.case("meyer~1")
        decisions = [e for e in observer.history("meyer~1") if e.kind == "decision"]

    assert down.status_code == 503
    assert "desk database" in down.text
    assert refused.status_code == 503
    assert PASSWORD not in down.text + refused.text
    assert done.status_code == 200, done.text
    assert stored.status is CaseStatus.REJECTED
    assert len(decisions) == 1
