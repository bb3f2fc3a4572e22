"""A desk starting again: a leg disrupted while no desk ran gives no change event once it is
watched again, so the start-up judges every trip once, and judging again changes nothing."""

from __future__ import annotations

from graphs.desk import CaseStatus
from tests.graphs.desk.conftest import (
    INJECT_AT,
    TRIPS,
    desks_on,
    inject,
    simulated_day,
    trip_request,
)


def test_a_trip_disrupted_while_no_desk_ran_opens_its_case_once_at_start_up(
    pg_url: str,
) -> None:
    with simulated_day() as morning, desks_on(morning, pg_url) as (desk,):
        desk.add_trip(trip_request("kim", TRIPS["kim"]))  # on time this morning
        desk.add_trip(trip_request("lee", TRIPS["lee"]))  # on time all day
        assert desk.cases() == []

    with simulated_day() as later, desks_on(later, pg_url, count=2) as (restarted, another):
        later.clock.set(INJECT_AT.replace(hour=11))
        inject(later.service)  # BA108 was cancelled while no desk ran

        assert restarted.watch_all() == 2
        another.watch_all()  # a second desk process starting at the same time
        restarted.watch_all()  # and the first one restarting again

        cases = restarted.cases()
        assert [(case.id, case.status) for case in cases] == [
            ("kim~1", CaseStatus.AWAITING_APPROVAL)
        ]
        later.run(later.workers([restarted, another]))  # the monitor's events change nothing
        assert [case.id for case in another.cases()] == ["kim~1"]
