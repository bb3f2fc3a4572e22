"""Desk workers in separate processes: a SIGKILLed worker loses nothing and duplicates nothing.

The test process registers the trips in the real PostgreSQL (those disrupted already open their
cases there) and runs the simulated day's monitor: its events go to the real Redis stream, and
the disruptions that come during the day open their cases from them. A first worker process
kills itself with SIGKILL the moment it opens a case: the case is stored, its graph has not run
and its event is not acknowledged. Two more worker processes then share the work: they take
over the dead worker's event once it has idled for the claim time (measured by Redis), finish
that case's graph, and handle everything else, each event once. At the end every disrupted trip
has one case, none is stuck open, no undisrupted trip has one, and the desk group has nothing
pending or unread.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
import redis

from flight_agent.cache.base import KEY_NAMESPACE
from flight_agent.monitoring.redis_stream import stream_key
from graphs.desk import DESK_GROUP, CaseStatus, Desk
from tests.graphs.desk.conftest import (
    DISRUPTED,
    EVENING,
    TRIPS,
    desks_on,
    simulated_day,
    trip_request,
)

CLAIM_IDLE_MS = 300
WAIT_S = 90.0
"""How long the processes get to finish (they take seconds; the bound only ends a hang)."""


def start(pg_url: str, redis_url: str, mode: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.graphs.desk.desk_process",
            pg_url,
            redis_url,
            EVENING.isoformat(),
            str(CLAIM_IDLE_MS),
            mode,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )


@pytest.fixture
def processes() -> Iterator[list[subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)
        assert process.stdout is not None
        process.stdout.close()


def desk_backlog(client: redis.Redis) -> tuple[int, int]:
    """The desk group's pending and unread events."""
    groups = client.xinfo_groups(stream_key(KEY_NAMESPACE))
    desk = next(group for group in groups if group["name"].decode() == DESK_GROUP)
    return int(desk["pending"]), int(desk["lag"] or 0)


def settled(desk: Desk, client: redis.Redis) -> bool:
    cases = desk.cases()
    done = {case.trip_id for case in cases if not case.status.live or case.actions}
    return done >= DISRUPTED and desk_backlog(client) == (0, 0)


def test_a_killed_worker_loses_no_event_and_duplicates_no_case(
    pg_url: str, redis_url: str, processes: list[subprocess.Popen[str]]
) -> None:
    client = redis.Redis.from_url(redis_url)
    with simulated_day(redis_url) as day, desks_on(day, pg_url) as (desk,):
        for trip_id, legs in TRIPS.items():
            desk.add_trip(trip_request(trip_id, legs))
        day.run([])  # the monitor only: the events wait in the stream

        at_add = {case.id for case in desk.cases()}  # the trips disrupted when added

        doomed = start(pg_url, redis_url, "die-on-open")
        processes.append(doomed)
        assert doomed.wait(timeout=WAIT_S) == -9  # SIGKILL, on opening its first case
        opened = [case for case in desk.cases() if case.id not in at_add]
        assert [case.status for case in opened] == [CaseStatus.OPEN]
        assert desk_backlog(client)[0] >= 1  # its event is still pending

        processes += [start(pg_url, redis_url, "work") for _ in range(2)]
        deadline = time.monotonic() + WAIT_S
        while not settled(desk, client):
            assert time.monotonic() < deadline, f"not settled: {desk.cases()}"
            assert all(p.poll() is None for p in processes[1:]), "a worker died"
            time.sleep(0.1)

        cases = desk.cases()
        assert sorted(case.id for case in cases) == sorted(f"{trip}~1" for trip in DISRUPTED)
        assert CaseStatus.OPEN not in {case.status for case in cases}
        taken_over = desk.case(opened[0].id)
        assert taken_over.opened_by == opened[0].opened_by
        assert taken_over.status in (CaseStatus.AWAITING_APPROVAL, CaseStatus.RESOLVED)
    client.close()
