"""``flight-agent trips``, ``cases`` and ``desk``: the desk from the command line.

The commands run against a SQLite file of the test's own (``--db``) and the simulated provider
(no key, no Redis); a case is produced by the desk API over the same file on the simulated day.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from flight_agent.apps.cli import commands as cli
from graphs.desk import CaseStatus
from tests.graphs.desk.conftest import TRIPS, desks_on, simulated_day, trip_request

runner = CliRunner()


@pytest.fixture(autouse=True)
def _simulated_only(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "REDIS_URL",
        "DATABASE_URL",
        "FLIGHTAWARE_API_KEY",
        "AERODATABOX_API_KEY",
        "AVIATIONSTACK_API_KEY",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "desk.sqlite")


def flight_agent(*args: str) -> Result:
    return runner.invoke(cli.app, list(args))


def test_a_trip_is_added_listed_shown_and_removed(db: str) -> None:
    added = flight_agent(
        "trips",
        "add",
        "ba117/2026-11-29/LHR",
        "AA1830/2026-11-29/JFK",
        "--id",
        "smith",
        "--label",
        "Ann Smith",
        "--passengers",
        "2",
        "--db",
        db,
    )
    assert added.exit_code == 0, added.output
    assert "Added smith (Ann Smith): BA117 2026-11-29, AA1830 2026-11-29, 2 pax" in added.stdout

    listed = flight_agent("trips", "list", "--json", "--db", db)
    assert [trip["id"] for trip in json.loads(listed.stdout)] == ["smith"]
    shown = flight_agent("trips", "show", "smith", "--json", "--db", db)
    assert json.loads(shown.stdout)["trip"]["passengers"] == 2

    assert flight_agent("trips", "remove", "smith", "--db", db).exit_code == 0
    missing = flight_agent("trips", "show", "smith", "--db", db)
    assert missing.exit_code == 1
    assert "No trip 'smith'" in missing.stderr


@pytest.mark.parametrize(
    ("leg", "message"),
    [("BA117", "FLIGHT/DATE or FLIGHT/DATE/ORIGIN"), ("XX/2026-11-29", "flight_number 'XX'")],
)
def test_a_bad_leg_exits_2_saying_how_to_write_it(db: str, leg: str, message: str) -> None:
    refused = flight_agent("trips", "add", leg, "--db", db)
    assert refused.exit_code == 2
    assert message in refused.stderr
    assert "No trips" in flight_agent("trips", "list", "--db", db).stdout


def test_a_case_is_listed_shown_approved_once(db: str) -> None:
    with simulated_day() as day, desks_on(day, db) as (desk,):
        desk.add_trip(trip_request("smith", TRIPS["smith"]))
        day.run(day.workers([desk]))
    waiting = flight_agent("cases", "list", "--status", "awaiting_approval", "--db", db)
    assert "smith~1  awaiting_approval  2 actions to approve (notify-1, rebook-1)" in waiting.stdout
    shown = flight_agent("cases", "show", "smith~1", "--db", db)
    assert "action rebook-1: Rebook AA1830" in shown.stdout
    assert "Connection: missed" in shown.stdout
    assert "Rights: UK261" in shown.stdout
    found = json.loads(flight_agent("cases", "show", "smith~1", "--json", "--db", db).stdout)
    assert [c["risk"] for c in found["findings"]["connections"]] == ["missed"]

    approved = flight_agent("cases", "approve", "smith~1", "--action", "notify-1", "--db", db)

    assert approved.exit_code == 0, approved.stderr
    assert "smith~1  approved" in approved.stdout
    again = flight_agent("cases", "reject", "smith~1", "--db", db)
    assert again.exit_code == 5
    assert "a case takes one decision" in again.stderr
    cases = json.loads(flight_agent("cases", "list", "--json", "--db", db).stdout)
    assert [(c["id"], c["status"]) for c in cases] == [("smith~1", CaseStatus.APPROVED.value)]
