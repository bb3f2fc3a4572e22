"""What the console shows at one moment: cases, trips with their flights, providers.

``read_board`` gathers it from the desk (trips, cases, the findings of each case awaiting a
decision: ``Desk.case_findings``)
and from the desk's flight service (the monitor's last record of every watched leg, the
providers' statistics), without asking any provider anything: the page shows what the desk
and the monitor already know.

A leg's data is *stale* when the provider chain answered with the last known record
(``FlightStatusData.stale``) or when its poll is overdue by more than ``STALE_AFTER``: the
monitor polls a flight again when it is due, so a flight overdue that long is one no
provider answered for. A provider is *failing* when its breaker is not closed or its last
call failed; when every enabled provider is failing, the page says so in a banner.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass, field

from flight_agent.apps.console.history import ProviderHistory, Sample
from flight_agent.models import FlightStatusData
from flight_agent.monitoring.state import WatchState
from flight_agent.providers.failover.slot import ProviderStats
from flight_agent.services import EnhancedFlightMonitoringService
from graphs.desk import Case, CaseStatus, Desk, Findings, Trip
from graphs.desk.trips import leg_day
from tools.schemas import FlightRef

STALE_AFTER = dt.timedelta(minutes=5)
"""How long past its due poll a leg's record counts as stale."""

DECIDED_SHOWN = 20
"""How many decided cases the page lists (the most recent ones)."""


@dataclass(frozen=True)
class CaseView:
    """A case and, while it awaits a decision, the IROPS graph's findings."""

    case: Case
    trip: Trip | None
    findings: Findings = field(default_factory=Findings)

    @property
    def awaiting(self) -> bool:
        return self.case.status is CaseStatus.AWAITING_APPROVAL


@dataclass(frozen=True)
class LegView:
    """One leg of a trip and the monitor's last record of it."""

    ref: FlightRef
    record: FlightStatusData | None
    age: dt.timedelta | None
    stale: bool

    @property
    def failovers(self) -> list[str]:
        """The providers that failed before one answered, e.g. 'primary unavailable'."""
        if self.record is None:
            return []
        return [f"{a.provider} {a.outcome}" for a in self.record.attempts if a.outcome != "success"]


@dataclass(frozen=True)
class TripView:
    trip: Trip
    legs: list[LegView]


@dataclass(frozen=True)
class ProviderView:
    """One provider's figures and the samples of its last hour."""

    name: str
    stats: ProviderStats
    samples: list[Sample]

    @property
    def failing(self) -> bool:
        stats = self.stats
        if stats.state != "closed":
            return True
        if stats.last_error_at is None:
            return False
        return stats.last_success_at is None or stats.last_error_at > stats.last_success_at


@dataclass(frozen=True)
class Board:
    """Everything the page shows."""

    now: dt.datetime
    cases: list[CaseView]
    trips: list[TripView]
    providers: list[ProviderView]

    @property
    def awaiting(self) -> list[CaseView]:
        return [view for view in self.cases if view.awaiting]

    @property
    def others(self) -> list[CaseView]:
        """The cases not awaiting approval, most recently changed first."""
        rest = [view for view in self.cases if not view.awaiting]
        return sorted(rest, key=lambda v: (v.case.updated_at, v.case.id), reverse=True)

    @property
    def all_failing(self) -> bool:
        enabled = [p for p in self.providers if p.stats.enabled]
        return bool(enabled) and all(p.failing for p in enabled)


def case_view(desk: Desk, case: Case, trips: dict[str, Trip]) -> CaseView:
    """A case with its graph's findings."""
    return CaseView(case, trips.get(case.trip_id), desk.case_findings(case.id))


def _desk_part(desk: Desk) -> tuple[list[Trip], list[CaseView]]:
    trips = desk.trips()
    by_id = {trip.id: trip for trip in trips}
    cases = desk.cases()
    live = [c for c in cases if c.status is CaseStatus.AWAITING_APPROVAL]
    decided = sorted(
        (c for c in cases if c.status is not CaseStatus.AWAITING_APPROVAL),
        key=lambda c: c.updated_at,
    )[-DECIDED_SHOWN:]
    views = [case_view(desk, case, by_id) for case in live]
    # A decided case shows its report's digest: no need to read its graph's checkpoint.
    return trips, views + [CaseView(case, by_id.get(case.trip_id)) for case in decided]


async def _service_part(
    service: EnhancedFlightMonitoringService,
) -> tuple[dt.datetime, list[WatchState], dict[str, ProviderStats]]:
    return service.clock.now(), await service.watched(), service.get_provider_stats()


def leg_view(ref: FlightRef, state: WatchState | None, now: dt.datetime) -> LegView:
    """A leg as the page shows it: its record, the record's age, whether it is stale."""
    record = state.last_snapshot if state is not None else None
    if state is None or record is None:
        return LegView(ref, None, None, False)
    overdue = state.next_due is not None and now - state.next_due > STALE_AFTER
    age = max(dt.timedelta(0), now - record.fetched_at)
    return LegView(ref, record, age, record.stale or overdue)


def _state_of(ref: FlightRef, states: list[WatchState]) -> WatchState | None:
    day = leg_day(ref)
    for state in states:
        watch = state.watch
        if (watch.flight_id, watch.flight_date) == (ref.flight_number, day) and (
            ref.origin is None or watch.origin in (None, ref.origin)
        ):
            return state
    return None


async def read_board(desk: Desk, history: ProviderHistory) -> Board:
    """The board now; records the providers' figures in ``history`` on the way.

    Raises:
        DeskStorageError: The desk's database is down.
    """
    trips, cases = await asyncio.to_thread(_desk_part, desk)
    now, states, stats = await desk.toolkit.runner.call(_service_part)
    history.record(now, stats)
    return Board(
        now=now,
        cases=cases,
        trips=[
            TripView(trip, [leg_view(ref, _state_of(ref, states), now) for ref in trip.legs])
            for trip in trips
        ],
        providers=[ProviderView(name, s, history.of(name, now)) for name, s in stats.items()],
    )
