"""The desk over a simulated day: trips open one case per disruption episode, decisions resume.

Every test here runs on the real PostgreSQL (a schema of its own) and, where the monitor's
events cross workers, the real Redis; the IROPS graph runs for real with the offline model.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from flight_agent.errors import InvalidFlightQueryError
from graphs.desk import (
    CaseAlreadyDecidedError,
    CaseNotFoundError,
    CaseStatus,
    InvalidTripError,
    TripNotFoundError,
)
from tests.graphs.desk.conftest import (
    DISRUPTED,
    TRIPS,
    desks_on,
    simulated_day,
    trip_request,
)


def watched_keys(day: object) -> set[str]:
    states = day.toolkit.runner.call_sync(lambda s: s.watched())  # type: ignore[attr-defined]
    return {f"{state.watch.flight_id}" for state in states}


def test_every_disrupted_trip_opens_one_case_across_workers_and_the_others_none(
    pg_url: str, redis_url: str
) -> None:
    with simulated_day(redis_url) as day, desks_on(day, pg_url, count=3) as desks:
        for trip_id, legs in TRIPS.items():
            desks[0].add_trip(trip_request(trip_id, legs))
        desks[0].add_trip(trip_request("smith-twin", TRIPS["smith"]))
        workers = day.workers(desks, per_desk=2)  # six workers, three database connections

        day.run(workers)

        cases = desks[1].cases()
        assert sorted(case.id for case in cases) == sorted(
            f"{trip}~1" for trip in (*DISRUPTED, "smith-twin")
        )
        assert {case.id: case.status for case in cases} == {
            **{f"{trip}~1": CaseStatus.AWAITING_APPROVAL for trip in DISRUPTED},
            "smith-twin~1": CaseStatus.AWAITING_APPROVAL,
            "dubois~1": CaseStatus.RESOLVED,  # 25 min late: nothing to approve
        }
        by_event = [case for case in cases if not case.opened_by.startswith("judged/")]
        assert {case.trip_id for case in by_event} == {"khan", "kim", "kim-twin"}
        smith = desks[2].case("smith~1")
        assert [action["name"] for action in smith.actions] == ["notify_traveller", "rebook"]
        assert "BA117>AA1830:missed" in smith.signature
        events = [entry for entry in desks[0].history("smith~1") if entry.kind == "event"]
        assert len(events) == len({entry.key for entry in events}) > 1
        assert sum(worker.failed for worker in workers) == 0


def test_a_decision_resumes_the_graph_once_and_a_second_one_is_refused(pg_url: str) -> None:
    with simulated_day() as day, desks_on(day, pg_url, count=2) as (first, second):
        first.add_trip(trip_request("smith", TRIPS["smith"]))
        day.run(day.workers([first]))
        waiting = second.case("smith~1")
        ids = [action["args"]["id"] for action in waiting.actions]

        with pytest.raises(InvalidFlightQueryError, match="Unknown action ids"):
            second.approve("smith~1", ["rebook-9"])
        assert first.case("smith~1").status is CaseStatus.AWAITING_APPROVAL

        decided = second.approve("smith~1", [ids[0]])

        assert decided.status is CaseStatus.APPROVED
        assert decided.report is not None
        assert [r["approved"] for r in decided.report["recommendations"]] == [True, False]
        with pytest.raises(CaseAlreadyDecidedError, match="smith~1 is approved"):
            first.reject("smith~1", "changed my mind")
        kinds = [entry.kind for entry in first.history("smith~1")]
        assert kinds.count("decision") == 1


def test_a_decision_made_in_another_process_resumes_the_checkpoint(pg_url: str) -> None:
    with simulated_day() as day, desks_on(day, pg_url) as (desk,):
        desk.add_trip(trip_request("meyer", TRIPS["meyer"]))
        day.run(day.workers([desk]))
        assert desk.case("meyer~1").status is CaseStatus.AWAITING_APPROVAL

        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "flight_agent.apps.cli",
                "cases",
                "reject",
                "meyer~1",
                "--reason",
                "traveller rebooked herself",
                "--db",
                pg_url,
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

        assert done.returncode == 0, done.stderr
        assert "meyer~1  rejected" in done.stdout
        case = desk.case("meyer~1")
        assert case.status is CaseStatus.REJECTED
        assert case.report is not None
        assert case.report["decision"] == "rejected"


def test_adding_a_trip_watches_its_legs_and_removing_it_unwatches_only_its_own(
    pg_url: str,
) -> None:
    with simulated_day() as day, desks_on(day, pg_url) as (desk,):
        desk.add_trip(trip_request("smith", TRIPS["smith"]))
        desk.add_trip(trip_request("onward", [("AA1830", "JFK")]))
        assert watched_keys(day) == {"BA117", "AA1830"}

        desk.remove_trip("smith")

        assert watched_keys(day) == {"AA1830"}  # the other trip still flies it
        assert [trip.id for trip in desk.trips()] == ["onward"]
        with pytest.raises(TripNotFoundError, match="flight-agent trips list"):
            desk.trip("smith")


def test_removing_a_trip_closes_its_live_case(pg_url: str) -> None:
    with simulated_day() as day, desks_on(day, pg_url) as (desk,):
        desk.add_trip(trip_request("meyer", TRIPS["meyer"]))
        day.run(day.workers([desk]))

        desk.remove_trip("meyer")

        assert desk.case("meyer~1").status is CaseStatus.CLOSED
        with pytest.raises(CaseAlreadyDecidedError, match="closed"):
            desk.approve("meyer~1")


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        ({"legs": []}, "at least 1 item"),
        ({"legs": [{"flight_number": "BA117"}]}, "leg 1 (BA117) has no date"),
        ({"legs": [{"flight_number": "BA117", "date": "2026-11-29"}] * 2}, "appears twice"),
        ({"legs": [{"flight_number": "X", "date": "2026-11-29"}]}, "flight_number 'X'"),
        ({"id": "Bad Id", "legs": [{"flight_number": "BA117", "date": "2026-11-29"}]}, "id"),
        (
            {"legs": [{"flight_number": "BA117", "date": "2026-11-29"}], "passengers": 10},
            "passengers",
        ),
    ],
)
def test_an_invalid_trip_is_refused_with_what_to_fix_and_nothing_is_stored(
    request_: dict[str, object], message: str
) -> None:
    with simulated_day() as day, desks_on(day, None) as (desk,):
        with pytest.raises(InvalidTripError, match="Invalid trip") as refused:
            desk.add_trip(request_)
        assert message in str(refused.value)
        assert desk.trips() == []
        assert watched_keys(day) == set()


def test_a_trip_id_is_taken_once(pg_url: str) -> None:
    with simulated_day() as day, desks_on(day, pg_url) as (desk,):
        desk.add_trip(trip_request("smith", TRIPS["smith"]))
        with pytest.raises(InvalidTripError, match="exists already"):
            desk.add_trip(trip_request("smith", TRIPS["meyer"]))
        assert [leg.flight_number for leg in desk.trip("smith").legs] == ["BA117", "AA1830"]


def test_a_trip_added_once_disrupted_opens_its_case_at_once_and_only_once(pg_url: str) -> None:
    with simulated_day() as day, desks_on(day, pg_url) as (desk,):
        day.clock.set(day.clock.now().replace(hour=13))  # LH400 was cancelled at 05:07

        desk.add_trip(trip_request("meyer", TRIPS["meyer"]))

        assert desk.case("meyer~1").status is CaseStatus.AWAITING_APPROVAL
        day.run(day.workers([desk]))
        assert [case.id for case in desk.cases()] == ["meyer~1"]


def test_a_case_awaiting_approval_shows_what_the_graph_found(pg_url: str) -> None:
    with simulated_day() as day, desks_on(day, pg_url, count=2) as (first, second):
        first.add_trip(trip_request("smith", TRIPS["smith"]))
        assert first.case("smith~1").status is CaseStatus.AWAITING_APPROVAL

        found = second.case_findings("smith~1")  # another desk reads the checkpoint

        assert "BA117" in {item.flight_number for item in found.disruptions}
        assert [(c.inbound_flight, c.onward_flight, c.risk.value) for c in found.connections] == [
            ("BA117", "AA1830", "missed")
        ]
        assert found.rights
        with pytest.raises(CaseNotFoundError, match="flight-agent cases list"):
            second.case_findings("nobody~1")


def test_every_listener_hears_each_case_change_until_it_stops_listening() -> None:
    with simulated_day() as day, desks_on(day, None) as (desk,):
        heard: dict[str, list[str]] = {"printer": [], "console": []}
        desk.listen(lambda case: heard["printer"].append(f"{case.id} {case.status}"))
        stop = desk.listen(lambda case: heard["console"].append(f"{case.id} {case.status}"))

        desk.add_trip(trip_request("meyer", TRIPS["meyer"]))
        stop()
        desk.approve("meyer~1")

        assert heard["console"] == ["meyer~1 open", "meyer~1 awaiting_approval"]
        assert heard["printer"] == [*heard["console"], "meyer~1 approved"]


def test_cases_of_one_status_or_one_trip_are_those_alone(pg_url: str) -> None:
    with simulated_day() as day, desks_on(day, pg_url) as (desk,):
        day.clock.set(day.clock.now().replace(hour=13))
        for trip_id in ("meyer", "smith", "lee"):
            desk.add_trip(trip_request(trip_id, TRIPS[trip_id]))
        desk.reject("meyer~1")

        awaiting = desk.cases(status=CaseStatus.AWAITING_APPROVAL)

        assert [case.id for case in awaiting] == ["smith~1"]
        assert [case.id for case in desk.cases(trip_id="meyer")] == ["meyer~1"]
        assert desk.cases(status=CaseStatus.REJECTED, trip_id="smith") == []
