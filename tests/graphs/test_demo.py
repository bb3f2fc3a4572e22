"""The demo (``flight-agent run``): the same story on every date and at every hour.

Tomorrow's BA117 is 3 h 30 late, so its traveller misses AA1830 at JFK; the primary provider is
down, so the backup answers; the graph rebooks onto B61234 and works out UK261 compensation.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from functools import partial

import pytest
from typer.testing import CliRunner

from flight_agent.apps.cli import commands as cli
from flight_agent.clock import FakeClock
from flight_agent.irops import ConnectionRisk
from graphs import demo

MOMENTS = [
    datetime(2026, 12, 4, 0, 0, tzinfo=UTC),
    datetime(2026, 12, 4, 9, 30, tzinfo=UTC),
    datetime(2026, 12, 4, 23, 59, tzinfo=UTC),
    datetime(2027, 3, 20, 15, 0, tzinfo=UTC),  # UK and US clocks four hours apart
    datetime(2027, 7, 1, 23, 30, tzinfo=UTC),  # already tomorrow in London
]


@pytest.mark.parametrize("now", MOMENTS, ids=lambda now: now.strftime("%Y-%m-%d-%H%M"))
def test_the_demo_tells_the_same_story_at_any_date_and_hour(now: datetime) -> None:
    """Failover, missed connection, rebooking, approval and GBP 520 (GBP 260 if reduced)."""
    request, report = demo.run_demo(clock=FakeClock(now))
    tomorrow = now.date() + timedelta(days=1)
    assert [(leg.flight_number, leg.date, leg.status) for leg in report.legs] == [
        ("BA117", tomorrow, "scheduled"),
        ("AA1830", tomorrow, "scheduled"),
    ]
    assert [leg.departure_delay_minutes for leg in report.legs] == [210, 0]
    assert {leg.source for leg in report.legs} == {"Simulated backup"}
    assert report.legs[0].failover is not None
    assert "AeroAPI (simulated outage)" in report.legs[0].failover
    assert [c.risk for c in report.connections] == [ConnectionRisk.MISSED]
    assert [a["args"]["id"] for a in request["action_requests"]] == ["notify-1", "rebook-1"]
    [rebooking] = [r.alternative for r in report.recommendations if r.alternative is not None]
    assert rebooking.ident == "B61234"
    [uk261] = [r for r in report.rights if r.regime == "UK261"]
    assert (uk261.amount, uk261.reduced_amount) == (520, 260)
    assert report.decision == "approved"


def flight_agent_run(monkeypatch: pytest.MonkeyPatch, now: datetime) -> str:
    """What ``flight-agent run`` prints when the clock reads ``now``, dates blanked out."""
    monkeypatch.setattr(demo, "run_demo", partial(demo.run_demo, clock=FakeClock(now)))
    result = CliRunner().invoke(cli.app, ["run"])
    assert result.exit_code == 0, result.output
    return re.sub(r"\d{4}-\d{2}-\d{2}", "<date>", result.stdout)


def test_flight_agent_run_prints_the_same_report_every_time_apart_from_dates(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """At midnight, mid-morning and late evening, today or weeks later: one text."""
    day = date(2026, 12, 4)
    outputs = {
        flight_agent_run(monkeypatch, datetime.combine(day, moment, UTC))
        for moment in (time(0, 0), time(10, 45))
    }
    outputs.add(flight_agent_run(monkeypatch, datetime(2027, 1, 15, 23, 59, tzinfo=UTC)))
    [output] = outputs
    assert "Rebook AA1830 (JFK-BOS) onto B61234 departing <date> 22:00Z" in output
    assert "UK261: GBP 520 (the carrier may reduce it to GBP 260)" in " ".join(output.split())
