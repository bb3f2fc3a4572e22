"""Redis down for a while in the middle of the simulated day: the desk loses nothing.

The test runs its own redis-server, with an append-only file synced on every write (what a
production Redis that must not lose acknowledged events runs with), and kills it (SIGKILL) from
08:30 to 12:30 simulated time (the outage is measured on the fake clock, which also times the
Redis guard's back-off; nothing sleeps). While it is down the monitor's
passes and the desk workers' reads fail and are retried on the next step; when it is back, the
watch list and the stream are where they were, the monitor finds what changed meanwhile (BA108
cancelled at 09:00, QR1 diverted about 12:00) and publishes it, and the desk opens the cases.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from flight_agent.errors import StoreUnavailableError
from graphs.desk import CaseStatus, DeskWorker
from tests.graphs.desk.conftest import (
    MORNING,
    STEP_S,
    TRIPS,
    SimulatedDay,
    desks_on,
    simulated_day,
    trip_request,
)

OUTAGE = (MORNING.replace(hour=8, minute=30), MORNING.replace(hour=12, minute=30))


class DurableRedis:
    """A redis-server of the test's own that survives SIGKILL (append-only, fsync always)."""

    def __init__(self, folder: Path) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            if os.environ.get("CI") == "true":  # .ci/run installs it: missing here is a failure
                pytest.fail("redis-server is not installed")
            pytest.skip("REDIS TESTS SKIPPED: redis-server is not installed")
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.command = [
            binary,
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--dir",
            str(folder),
            "--appendonly",
            "yes",
            "--appendfsync",
            "always",
            "--save",
            "",
        ]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            self.command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        client = redis.Redis.from_url(self.url, socket_timeout=0.5)
        deadline = time.monotonic() + 10
        while True:
            with contextlib.suppress(redis.RedisError, OSError):
                if client.ping():
                    break
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)
        client.close()

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)


@pytest.fixture
def durable_redis(tmp_path: Path) -> Iterator[DurableRedis]:
    server = DurableRedis(tmp_path)
    server.start()
    yield server
    server.kill()


def step(day: SimulatedDay, workers: list[DeskWorker]) -> int:
    """One step; how many steps failed for want of Redis (0 or 1)."""
    day.clock.advance(STEP_S)
    day.inject_when_due()
    try:
        day.poll()
        day.handle(workers)
    except StoreUnavailableError:
        return 1
    return 0


def test_events_found_while_redis_was_down_open_their_case_once_it_is_back(
    durable_redis: DurableRedis,
) -> None:
    with simulated_day(durable_redis.url) as day, desks_on(day, None) as (desk,):
        for trip in ("meyer", "kim", "khan"):
            desk.add_trip(trip_request(trip, TRIPS[trip]))
        workers = day.workers([desk])
        while day.clock.now() < OUTAGE[0]:
            assert step(day, workers) == 0
        assert [case.id for case in desk.cases()] == ["meyer~1"]  # disrupted when added

        durable_redis.kill()
        failed = 0
        while day.clock.now() < OUTAGE[1]:
            failed += step(day, workers)
        durable_redis.start()
        day.run(workers)

        assert failed > 0  # the outage was felt, and survived
        cases = {case.id: case.status for case in desk.cases()}
        assert cases == {
            f"{trip}~1": CaseStatus.AWAITING_APPROVAL for trip in ("meyer", "kim", "khan")
        }
        kim = desk.history("kim~1")
        assert any("BA108" in entry.text for entry in kim if entry.kind == "event")
