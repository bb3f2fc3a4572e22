"""The desk's test world: the simulated day on a fake clock, the real PostgreSQL and Redis.

``pg_url`` is a schema of this test's own in the test database
(``FLIGHT_AGENT_TEST_POSTGRES_URL``, default ``postgresql://postgres@127.0.0.1:5432/test``),
dropped afterwards, so parallel runs never see each other's trips, cases or checkpoints.
``SimulatedDay`` runs one service over the simulated provider on a ``FakeClock`` from 04:00 UTC,
polls the watched flights every ten simulated minutes and lets desk workers handle the events.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import os
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import psycopg
import pytest
import redis

from flight_agent.cache.base import KEY_NAMESPACE
from flight_agent.clock import FakeClock
from flight_agent.providers import MockFlightDataProvider
from flight_agent.services import EnhancedFlightMonitoringService
from flight_agent.services.provider_factory import simulated_provider
from flight_agent.settings import Settings
from graphs.desk import Desk, DeskWorker, open_storage
from tests.conftest import RedisServer
from tools import FlightToolkit

DAY = dt.date(2026, 11, 29)
MORNING = dt.datetime.combine(DAY, dt.time(4), dt.UTC)
EVENING = dt.datetime.combine(DAY, dt.time(20), dt.UTC)
STEP_S = 600

TRIPS = {
    "smith": [("BA117", "LHR"), ("AA1830", "JFK")],  # 3 h 30 late: the connection is missed
    "meyer": [("LH400", "FRA")],  # cancelled
    "dubois": [("AF1080", "CDG")],  # 25 min late
    "khan": [("QR1", "DOH")],  # diverted, which shows about 12:00
    "kim": [("BA108", "CUN")],  # on time until the simulator cancels it at 09:00
    "kim-twin": [("BA108", "CUN")],  # the same flight, another booking
    "lee": [("BA105", "MAN")],  # on time: no case
    "ito": [("BA1440", "LHR")],  # on time, a gate change: no case
}
"""Trips on the simulated day, and what the simulated world does to them. The first three
are disrupted when they are added (the world knows it from the morning on); the next three
become disrupted during the day, and only an event can tell."""

DISRUPTED = {"smith", "meyer", "dubois", "khan", "kim", "kim-twin"}

INJECTED = {"BA108": "cancelled"}
"""Disruptions the simulator injects at ``INJECT_AT`` (flight: scenario)."""
INJECT_AT = dt.datetime.combine(DAY, dt.time(9), dt.UTC)


def inject(service: EnhancedFlightMonitoringService) -> None:
    """Pin the injected scenarios on the service's simulated provider."""
    for provider in service.failover_manager.providers:
        if isinstance(provider, MockFlightDataProvider):
            for flight, scenario in INJECTED.items():
                provider.set_scenario(flight, scenario)


def trip_request(trip_id: str, legs: Sequence[tuple[str, str]]) -> dict[str, object]:
    """The request registering ``legs`` on the simulated day."""
    return {
        "id": trip_id,
        "legs": [{"flight_number": f, "date": str(DAY), "origin": o} for f, o in legs],
        "label": trip_id.title(),
    }


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A PostgreSQL URL whose tables live in a schema of this test's own."""
    base = os.environ.get(
        "FLIGHT_AGENT_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
    )
    schema = f"desk_{uuid.uuid4().hex[:12]}"
    try:
        admin = psycopg.connect(base, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI requires PostgreSQL: {error}")
        pytest.skip(f"POSTGRES TESTS SKIPPED: {error}")
    with admin:
        admin.execute(f"CREATE SCHEMA {schema}")
        separator = "&" if "?" in base else "?"
        yield f"{base}{separator}options=-csearch_path%3D{schema}"
        admin.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture
def redis_url(redis_server: RedisServer) -> Iterator[str]:
    """The shared Redis, without the service's keys before and after the test."""
    client = redis.Redis.from_url(redis_server.url)

    def clean() -> None:
        stale = list(client.scan_iter(match=f"{KEY_NAMESPACE}:*"))
        if stale:
            client.delete(*stale)

    clean()
    yield redis_server.url
    clean()
    client.close()


@dataclass
class SimulatedDay:
    """One service over the simulated world on a fake clock, and the desks working on it."""

    clock: FakeClock
    toolkit: FlightToolkit
    injected: bool = False

    @property
    def service(self) -> EnhancedFlightMonitoringService:
        return self.toolkit.runner.service

    def inject_when_due(self) -> None:
        """Inject the day's disruptions (``INJECTED``) once the clock passes ``INJECT_AT``."""
        if not self.injected and self.clock.now() >= INJECT_AT:
            inject(self.service)
            self.injected = True

    def poll(self) -> None:
        """One monitor pass on the service's loop."""
        self.toolkit.runner.call_sync(lambda s: s.monitor.poll_due())

    def handle(self, workers: Sequence[DeskWorker]) -> int:
        """Let every worker handle what waits, concurrently; how many events they took."""

        async def together(_: EnhancedFlightMonitoringService) -> int:
            return sum(await asyncio.gather(*(worker.run_once() for worker in workers)))

        return self.toolkit.runner.call_sync(together)

    def run(self, workers: Sequence[DeskWorker], until: dt.datetime = EVENING) -> None:
        """Poll and handle every ``STEP_S`` simulated seconds until ``until``."""
        while self.clock.now() < until:
            self.clock.advance(STEP_S)
            self.inject_when_due()
            self.poll()
            self.handle(workers)
        while self.handle(workers):  # the last events
            pass

    def workers(self, desks: Sequence[Desk], per_desk: int = 1) -> list[DeskWorker]:
        """Desk workers reading the service's event stream."""
        stream = self.service.monitor.store.events
        return [DeskWorker(desk, stream) for desk in desks for _ in range(per_desk)]


@contextlib.contextmanager
def simulated_day(redis_url: str | None = None) -> Iterator[SimulatedDay]:
    """The simulated day at 04:00 UTC, with Redis when ``redis_url`` is given."""
    clock = FakeClock(MORNING)
    settings = Settings(redis_url=redis_url)
    service = EnhancedFlightMonitoringService(
        providers=[simulated_provider(settings, clock)], settings=settings, clock=clock
    )
    with FlightToolkit(service=service) as toolkit:
        yield SimulatedDay(clock, toolkit)


@contextlib.contextmanager
def desks_on(day: SimulatedDay, target: str | None, count: int = 1) -> Iterator[list[Desk]]:
    """``count`` desks on one database, each with its own connections (as processes have)."""
    with contextlib.ExitStack() as stack:
        storages = [stack.enter_context(open_storage(target)) for _ in range(count)]
        if target is None:  # memory: one store for every desk of the process
            storages = [storages[0]] * count
        yield [Desk(storage, day.toolkit, clock=day.clock) for storage in storages]
