"""``flight-agent serve --desk-workers N`` runs the desk's monitor and workers in the app;
``--demo`` serves a desk of demo trips on the simulated day."""

from __future__ import annotations

import datetime as dt
import re
import threading

from starlette.testclient import TestClient

from flight_agent.apps.cli.serving import demo_desk
from flight_agent.apps.mcp_desk import DeskSlot
from flight_agent.apps.server import build_server
from flight_agent.clock import FakeClock
from flight_agent.services import EnhancedFlightMonitoringService
from flight_agent.services.provider_factory import simulated_provider
from flight_agent.settings import Settings
from graphs.desk import DEMO_TRIPS, Case, CaseStatus
from tests.graphs.desk.conftest import (
    DAY,
    INJECT_AT,
    MORNING,
    TRIPS,
    SimulatedDay,
    desks_on,
    inject,
    trip_request,
)
from tools import FlightToolkit


def test_desk_workers_in_the_app_open_the_case_of_a_disruption_the_monitor_sees(
    pg_url: str,
) -> None:
    clock = FakeClock(MORNING)
    settings = Settings(redis_url=None)
    service = EnhancedFlightMonitoringService(
        providers=[simulated_provider(settings, clock)],
        settings=settings,
        clock=clock,
        check_interval_seconds=0.05,  # the monitor looks at the fake clock this often
    )
    with FlightToolkit(service=service) as toolkit:
        day = SimulatedDay(clock, toolkit)
        with desks_on(day, pg_url) as (desk,):
            desk.add_trip(trip_request("kim", TRIPS["kim"]))  # on time this morning
            day.poll()  # the monitor's baseline of BA108, before the app starts
            waiting = threading.Event()

            def moved(case: Case) -> None:
                if case.status is CaseStatus.AWAITING_APPROVAL:
                    waiting.set()

            desk.listen(moved)
            app = build_server(service, desk=DeskSlot(desk), settings=settings, desk_workers=1)
            with TestClient(app):
                inject(service)  # BA108 is cancelled; the app's monitor and worker notice
                clock.set(INJECT_AT + dt.timedelta(hours=1))

                assert waiting.wait(60), f"no case within 60 s: {service.monitor.polls} polls"

            assert not desk.case("kim~1").opened_by.startswith("judged/")  # an event opened it


def test_the_demo_desk_holds_the_demo_trips_and_the_console_shows_their_cases() -> None:
    settings = Settings(redis_url=None)
    with demo_desk(speed=1, day=DAY) as slot:
        with TestClient(build_server(desk=slot, settings=settings)) as client:
            page = client.get("/")
        desk = slot.get()
        trips = {trip.id for trip in desk.trips()}
        awaiting = {case.trip_id for case in desk.cases(status=CaseStatus.AWAITING_APPROVAL)}

    assert trips == {trip_id for trip_id, _, _ in DEMO_TRIPS}
    assert {"smith", "meyer"} <= awaiting  # disrupted from the morning on
    assert page.status_code == 200
    assert all(label in page.text for _, label, _ in DEMO_TRIPS)
    assert 'id="case-smith~1"' in page.text
    assert re.search(
        r"BA117 to AA1830</strong> at JFK: <span class=\"risk risk-missed\">", page.text
    )
