"""``watch`` and ``assess_disruption`` agree: on the same two snapshots of a flight, for every
kind of change, the monitor publishes exactly the changes the IROPS report carries.

Each case shows the monitor a first snapshot (its baseline), then answers the next one: the
``assess_disruption`` tool operation compares it with the monitor's last snapshot, and the
monitor's next poll diffs the same pair.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest

from flight_agent.airports import get_airport
from flight_agent.changes import KIND_ORDER, ChangeKind, FlightChange
from flight_agent.clock import FakeClock
from flight_agent.flight_query import FlightQuery
from flight_agent.irops import Disruption, DisruptionKind
from flight_agent.models import FlightStatus, FlightStatusData
from flight_agent.providers import FlightDataProvider
from flight_agent.services import EnhancedFlightMonitoringService
from flight_agent.settings import Settings
from tests.monitoring.records import ARRIVAL, DEPARTURE, NOON, record
from tools.irops_operations import assess_disruption
from tools.schemas import FlightRef

NOW = NOON
LATER = timedelta(minutes=15)
"""Longer than any first snapshot here stays fresh in the cache, so the tool sees the next one."""


def snapshot(**overrides: Any) -> FlightStatusData:
    """BA117 LHR-JFK on 2026-11-28 (``tests.monitoring.records``) with a known aircraft."""
    return record(**({"registration": "G-XWBA", "aircraft_type": "A35K"} | overrides))


AIRBORNE: dict[str, Any] = {
    "status": FlightStatus.EN_ROUTE,
    "actual_out": DEPARTURE,
    "actual_off": DEPARTURE + timedelta(minutes=15),
}


@dataclass(frozen=True)
class Case:
    """Two snapshots, the kind of change between them and the disruption that reports it."""

    kind: ChangeKind
    before: dict[str, Any]
    after: dict[str, Any]
    reported_as: DisruptionKind


CASES = {
    "cancelled": Case(
        ChangeKind.CANCELLED, {}, {"status": FlightStatus.CANCELLED}, DisruptionKind.CANCELLATION
    ),
    "possibly-cancelled": Case(
        ChangeKind.CANCELLED, {}, {"cancellation_uncertain": True}, DisruptionKind.CANCELLATION
    ),
    "uncancelled": Case(
        ChangeKind.UNCANCELLED,
        {"status": FlightStatus.CANCELLED},
        {},
        DisruptionKind.CANCELLATION_WITHDRAWN,
    ),
    "diverted": Case(
        ChangeKind.DIVERTED,
        AIRBORNE,
        AIRBORNE | {"status": FlightStatus.DIVERTED, "diverted_to": get_airport("BOS")},
        DisruptionKind.DIVERSION,
    ),
    "airport": Case(
        ChangeKind.AIRPORT, {}, {"destination": get_airport("EWR")}, DisruptionKind.AIRPORT_CHANGE
    ),
    "departed": Case(
        ChangeKind.DEPARTED,
        {"status": FlightStatus.BOARDING},
        {"status": FlightStatus.BOARDING, "actual_out": DEPARTURE},
        DisruptionKind.DEPARTED,
    ),
    "arrived": Case(
        ChangeKind.ARRIVED,
        AIRBORNE,
        AIRBORNE | {"actual_on": ARRIVAL - timedelta(minutes=10)},
        DisruptionKind.ARRIVED,
    ),
    "status": Case(
        ChangeKind.STATUS,
        {},
        {"status": FlightStatus.BOARDING},
        DisruptionKind.STATUS_CHANGE,
    ),
    "schedule": Case(
        ChangeKind.SCHEDULE,
        {},
        {"scheduled_out": DEPARTURE + timedelta(hours=3)},
        DisruptionKind.SCHEDULE_CHANGE,
    ),
    "delay": Case(
        ChangeKind.DELAY,
        {},
        {"departure_delay_minutes": 40},
        DisruptionKind.DEPARTURE_DELAY,
    ),
    "delay-back-on-time": Case(
        ChangeKind.DELAY,
        {"arrival_delay_minutes": 40},
        {"arrival_delay_minutes": 10},
        DisruptionKind.ARRIVAL_DELAY,
    ),
    "estimated-departure": Case(
        ChangeKind.ESTIMATED_DEPARTURE,
        {},
        {"estimated_out": DEPARTURE + timedelta(minutes=40)},
        DisruptionKind.DEPARTURE_DELAY,
    ),
    "estimated-departure-early": Case(
        ChangeKind.ESTIMATED_DEPARTURE,
        {},
        {"estimated_out": DEPARTURE - timedelta(minutes=20)},
        DisruptionKind.EARLY_DEPARTURE,
    ),
    "estimated-arrival": Case(
        ChangeKind.ESTIMATED_ARRIVAL,
        {},
        {"estimated_in": ARRIVAL + timedelta(minutes=40)},
        DisruptionKind.ARRIVAL_DELAY,
    ),
    "first-gate": Case(ChangeKind.GATE, {}, {"gate_origin": "B12"}, DisruptionKind.GATE_CHANGE),
    "gate-change": Case(
        ChangeKind.GATE,
        {"gate_destination": "4"},
        {"gate_destination": "7"},
        DisruptionKind.GATE_CHANGE,
    ),
    "terminal": Case(
        ChangeKind.TERMINAL,
        {"terminal_origin": "3"},
        {"terminal_origin": "5"},
        DisruptionKind.TERMINAL_CHANGE,
    ),
    "aircraft": Case(
        ChangeKind.AIRCRAFT,
        {},
        {"registration": "G-XWBB", "aircraft_type": "B77W"},
        DisruptionKind.AIRCRAFT_SWAP,
    ),
    "inbound": Case(
        ChangeKind.INBOUND, {}, {"inbound_flight_id": "BA116"}, DisruptionKind.INBOUND_CHANGE
    ),
}


class Snapshots(FlightDataProvider):
    """A provider that answers BA117 with the snapshot the test shows it."""

    def __init__(self, clock: FakeClock, shown: FlightStatusData) -> None:
        super().__init__("Snapshots", 10, clock=clock)
        self.shown = shown

    async def _fetch(self, query: FlightQuery) -> FlightStatusData | None:
        if query.flight_id != self.shown.flight_id:
            return None
        return self.shown.model_copy(update={"fetched_at": self.clock.now()})

    async def _probe(self) -> str | None:
        return "snapshots"


async def watch_and_assess(
    before: FlightStatusData, after: FlightStatusData
) -> tuple[list[FlightChange], list[Disruption]]:
    """What the monitor publishes and what ``assess_disruption`` reports for ``before`` ->
    ``after``: the monitor's baseline is ``before``, then both look at ``after``."""
    clock = FakeClock(NOW)
    provider = Snapshots(clock, before)
    service = EnhancedFlightMonitoringService(
        providers=[provider], settings=Settings(redis_url=None), clock=clock
    )
    try:
        await service.watch("BA117", NOW.date())
        assert await service.monitor.poll_due() == []  # the baseline
        [state] = await service.watched()
        assert state.next_due is not None
        provider.shown = after
        clock.set(max(state.next_due, NOW + LATER))
        report = await assess_disruption(
            service, FlightRef(flight_number="BA117", date=NOW.date().isoformat())
        )
        published = await service.monitor.poll_due()
    finally:
        await service.aclose()
    return published, report.disruptions


def carried(disruptions: list[Disruption]) -> list[FlightChange]:
    """The changes a report's disruptions carry, in ``ChangeKind`` order."""
    changes = [change for disruption in disruptions for change in disruption.changes]
    return sorted(changes, key=lambda change: KIND_ORDER[change.kind])


def test_the_cases_cover_every_kind_of_change() -> None:
    """No kind of change is left out of the agreement below."""
    assert {case.kind for case in CASES.values()} == set(ChangeKind)


@pytest.mark.parametrize("case", [pytest.param(case, id=name) for name, case in CASES.items()])
async def test_watch_and_assess_disruption_report_the_same_changes(case: Case) -> None:
    """The monitor's published changes are exactly the changes the report's disruptions carry,
    each in one disruption, the case's change in the disruption of its kind."""
    published, disruptions = await watch_and_assess(snapshot(**case.before), snapshot(**case.after))
    assert case.kind in {change.kind for change in published}
    assert carried(disruptions) == published
    [reporting] = [d for d in disruptions if any(c.kind is case.kind for c in d.changes)]
    assert reporting.kind is case.reported_as


async def test_a_cancellation_that_holds_is_confirmed_by_both() -> None:
    """Cancelled at the baseline and still cancelled ten minutes on: the monitor publishes the
    confirmation, and the report's cancellation is no longer provisional."""
    cancelled = snapshot(status=FlightStatus.CANCELLED)
    published, disruptions = await watch_and_assess(cancelled, cancelled)
    assert [(c.kind, c.provisional) for c in published] == [(ChangeKind.CANCELLED, False)]
    [cancellation] = disruptions
    assert (cancellation.kind, cancellation.provisional) == (DisruptionKind.CANCELLATION, False)
