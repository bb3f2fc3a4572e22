"""The scripted world of the monitoring benchmarks: flights whose changes happen at known
instants, and a provider that answers the state each script has reached at the clock's time.

Every flight gets, where its watch span allows: an aircraft swap more than 24 h out, a terminal
change 3.5-23.5 h out, a 30-90 min delay announced 3.5-20 h out (half the flights), a gate
assigned 1-2.75 h before departure, a gate change in the last hour, a further 20-45 min delay in
the last 2.5 h (a third), the gate departure, and the landing. A change's phase is read from the
departure the world shows just before it (delays only grow, so the monitor never believes a
departure later than the world's). The provider has departure boards paged as AeroAPI pages
them (15 flights a result set).

Two worlds: ``DENSE`` (8 airlines between 10 airports: about 12 watched flights per airline and
airport a day at 1,000 flights, a hub's or an airline's watch list) and ``SPARSE`` (48 airlines
between 60 airports: about one per airline and airport in three days, as an agency's customers'
trips spread). ``phased_poller_calls`` is the smarter baseline's cost on a script.
"""

from __future__ import annotations

import bisect
import math
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from benchmarks.stack import CARRIERS
from flight_agent.airlines import find_airline
from flight_agent.airports import get_airport
from flight_agent.clock import FakeClock
from flight_agent.flight_query import FlightQuery
from flight_agent.models import FlightStatus, FlightStatusData
from flight_agent.monitoring import ChangeKind
from flight_agent.providers.interfaces import DepartureBoard, FlightDataProvider

WATCH_START = datetime(2026, 11, 28, tzinfo=UTC)
"""Every watch of the worlds starts here (00:00 on day 0)."""
HOUR = timedelta(hours=1)
MINUTE = timedelta(minutes=1)
AIRPORTS = ("LHR", "JFK", "FRA", "CDG", "AMS", "MAD", "ORD", "ATL", "DXB", "SIN")
BOARD_PAGE = 15
"""Flights per result set of an AeroAPI airport board."""
SPARSE_AIRPORTS = (
    *AIRPORTS,
    *("LGW", "MAN", "DUB", "BRU", "ZRH", "VIE", "MUC", "CPH", "ARN", "OSL"),
    *("HEL", "LIS", "BCN", "FCO", "MXP", "ATH", "IST", "DOH", "AUH", "DEL"),
    *("BOM", "HKG", "NRT", "ICN", "PEK", "SYD", "MEL", "AKL", "YYZ", "YVR"),
    *("LAX", "SFO", "SEA", "DEN", "DFW", "IAH", "MIA", "BOS", "EWR", "IAD"),
    *("MEX", "GRU", "EZE", "BOG", "JNB", "CAI", "NBO", "BKK", "KUL", "MNL"),
)
SPARSE_CARRIERS = (
    *CARRIERS,
    *("IB", "AY", "SK", "LX", "OS", "SN", "TP", "EI", "AZ", "TK"),
    *("QR", "EY", "AI", "CX", "JL", "NH", "KE", "SQ", "QF", "NZ"),
    *("AC", "WS", "AS", "B6", "WN", "AM", "LA", "AV", "SA", "ET"),
    *("MS", "KQ", "TG", "MH", "PR", "CA", "MU", "CZ", "VS", "FI"),
)


@dataclass(frozen=True, slots=True)
class Event:
    """One scripted change: when it happens, the fields it sets, the change kind it must raise."""

    at: datetime
    update: dict[str, Any]
    kind: ChangeKind | None


@dataclass(slots=True)
class Script:
    """One flight's states over time and the changes it must be seen to make."""

    query: FlightQuery
    departs: datetime
    times: list[datetime] = field(default_factory=list)
    states: list[FlightStatusData] = field(default_factory=list)
    events: list[tuple[Event, str]] = field(default_factory=list)

    def at(self, now: datetime) -> FlightStatusData:
        """The record the world shows at ``now``."""
        return self.states[bisect.bisect_right(self.times, now) - 1]

    @property
    def at_gate(self) -> datetime:
        """When the flight reaches its arrival gate (the last state)."""
        return self.times[-1]

    @property
    def off_gate(self) -> datetime:
        """When the flight leaves its departure gate."""
        departed = self.states[-1].actual_out
        assert departed is not None
        return departed


def _phase(record: FlightStatusData, now: datetime) -> str:
    """Where the flight is for polling: far / day / final before departure, arrival after."""
    if record.actual_out is not None:
        return "arrival"
    departure = record.best_departure
    assert departure is not None
    left = departure - now
    if left > 24 * HOUR:
        return "far"
    return "day" if left > 3 * HOUR else "final"


def build_script(
    ident: str, departs: datetime, rng: random.Random, airports: tuple[str, ...] = AIRPORTS
) -> Script:
    """The scripted life of one flight departing at ``departs``, watched from ``WATCH_START``."""
    origin, destination = (get_airport(code) for code in rng.sample(airports, 2))
    airline = find_airline(ident[:2])
    assert airline is not None
    zone = origin.zone
    flight_date = departs.astimezone(zone).date() if zone else departs.date()
    block = timedelta(minutes=rng.randint(60, 360))
    base = FlightStatusData(
        flight_id=ident,
        ident_iata=ident,
        carrier_iata=ident[:2],
        carrier_icao=airline.icao,
        flight_number=ident[2:],
        flight_date=flight_date,
        origin=origin,
        destination=destination,
        scheduled_out=departs,
        scheduled_off=departs + 15 * MINUTE,
        scheduled_on=departs + block - 8 * MINUTE,
        scheduled_in=departs + block,
        status=FlightStatus.SCHEDULED,
        terminal_origin="1",
        registration="G-AAAA",
        aircraft_type="A320",
        source="Scripted",
        fetched_at=WATCH_START,
    )
    lead = departs - WATCH_START
    events: list[Event] = []

    def before(departure: datetime, low: float, high: float) -> datetime:
        return departure - timedelta(hours=rng.uniform(low, high))

    if lead > 25 * HOUR:
        at = before(departs, 24.5, lead / HOUR - 0.5)
        events.append(Event(at, {"registration": "G-BBBB"}, ChangeKind.AIRCRAFT))
    if lead > 4 * HOUR:
        at = before(departs, 3.5, min(23.5, lead / HOUR - 0.25))
        events.append(Event(at, {"terminal_origin": "2"}, ChangeKind.TERMINAL))
    delay = 0
    if lead > 4 * HOUR and rng.random() < 0.5:
        delay = rng.randint(30, 90)
        at = before(departs, 3.5, min(20.0, lead / HOUR - 0.25))
        events.append(Event(at, _delayed(departs, block, delay), ChangeKind.DELAY))
    if rng.random() < 1 / 3:
        extra = rng.randint(20, 45)
        at = before(departs + delay * MINUTE, 0.5, 2.5)
        delay += extra
        events.append(Event(at, _delayed(departs, block, delay), ChangeKind.DELAY))
    departure = departs + delay * MINUTE
    events.append(Event(before(departure, 1.0, 2.75), {"gate_origin": "A10"}, ChangeKind.GATE))
    events.append(Event(before(departure, 0.1, 0.9), {"gate_origin": "B22"}, ChangeKind.GATE))
    arrival = departs + block + delay * MINUTE
    events += [
        Event(
            departure,
            {"actual_out": departure, "status": FlightStatus.DEPARTED},
            ChangeKind.DEPARTED,
        ),
        Event(
            departure + 15 * MINUTE,
            {"actual_off": departure + 15 * MINUTE, "status": FlightStatus.EN_ROUTE},
            None,
        ),
        Event(
            arrival - 8 * MINUTE,
            {"actual_on": arrival - 8 * MINUTE, "status": FlightStatus.LANDED},
            ChangeKind.ARRIVED,
        ),
        Event(arrival, {"actual_in": arrival, "status": FlightStatus.ARRIVED}, None),
    ]
    script = Script(FlightQuery.parse(ident, flight_date), departs, [WATCH_START], [base])
    for event in sorted(events, key=lambda event: event.at):
        if event.at <= WATCH_START + MINUTE:
            continue  # before the watch: part of the first answer, not a change
        current = script.states[-1]
        if event.kind is not None:
            script.events.append((event, _phase(current, event.at)))
        script.times.append(event.at)
        script.states.append(current.model_copy(update=event.update))
    return script


def _delayed(departs: datetime, block: timedelta, minutes: int) -> dict[str, Any]:
    """The estimates and delays of a flight scheduled out at ``departs``, ``minutes`` late."""
    out = departs + minutes * MINUTE
    return {
        "estimated_out": out,
        "estimated_off": out + 15 * MINUTE,
        "estimated_on": out + block - 8 * MINUTE,
        "estimated_in": out + block,
        "departure_delay_minutes": minutes,
        "arrival_delay_minutes": minutes,
    }


class ScriptedProvider(FlightDataProvider):
    """Answers each flight with the state its script has reached, and departure boards as
    AeroAPI pages them (15 flights a result set); counts calls by phase, board pages apart."""

    supports_departure_boards = True

    def __init__(self, scripts: list[Script], clock: FakeClock) -> None:
        super().__init__("Scripted", 10, clock=clock)
        self.scripts = {(s.query.flight_id, s.query.flight_date): s for s in scripts}
        self.boards: defaultdict[tuple[str | None, str | None], list[Script]] = defaultdict(list)
        for script in scripts:
            first = script.states[0]
            self.boards[(first.origin.icao, first.carrier_icao)].append(script)
        self.calls: Counter[str] = Counter()

    async def _fetch(self, query: FlightQuery) -> FlightStatusData | None:
        now = self.clock.now()
        record = self.scripts[(query.flight_id, query.flight_date)].at(now)
        self.calls[_phase(record, now)] += 1
        return record.model_copy(update={"fetched_at": now})

    async def departure_board(
        self,
        airport: str,
        start: datetime,
        end: datetime,
        *,
        airline: str | None = None,
        max_pages: int = 1,
    ) -> DepartureBoard:
        now = self.clock.now()
        listed = [
            record
            for record in (script.at(now) for script in self.boards[(airport, airline)])
            if record.actual_off is None
            and record.scheduled_off is not None
            and start <= record.scheduled_off < end
        ]
        listed.sort(key=lambda record: record.estimated_off or record.scheduled_off or end)
        pages = max(1, math.ceil(len(listed) / BOARD_PAGE))
        sent = min(pages, max_pages)
        self.calls["board"] += sent
        return DepartureBoard(
            tuple(r.model_copy(update={"fetched_at": now}) for r in listed[: sent * BOARD_PAGE]),
            pages=sent,
            complete=sent == pages,
        )

    async def _probe(self) -> str | None:
        return "scripted"


class BoardlessScriptedProvider(ScriptedProvider):
    """The same world without departure boards: every poll is a single flight's lookup."""

    supports_departure_boards = False


@dataclass(frozen=True, slots=True)
class World:
    """Where the watched flights fly: their airlines (IATA codes) and airports."""

    name: str
    carriers: tuple[str, ...]
    airports: tuple[str, ...]

    def designators(self, count: int) -> list[str]:
        """``count`` distinct designators, the carriers taken in turn."""
        return [
            f"{self.carriers[i % len(self.carriers)]}{100 + i // len(self.carriers)}"
            for i in range(count)
        ]


DENSE = World("dense", CARRIERS, AIRPORTS)
"""8 airlines between 10 airports: about 12 watched flights per airline and airport a day at
1,000 flights, what a whole airline's operations centre watches at its hubs."""

SPARSE = World("sparse", SPARSE_CARRIERS, SPARSE_AIRPORTS)
"""48 airlines between 60 airports: about one watched flight per airline and airport in three
days at 1,000 flights, as an agency's customers' trips spread."""


def phased_poller_calls(script: Script) -> int:
    """The calls of the smarter baseline for one flight: a poller that knows the flight's
    phase but has no boards, polling every 30 min until 3 h before the departure the world
    shows, every 5 min in the last 3 h until it sees the flight off the gate, every 30 min
    en route and every 5 min from 45 min before the arrival until it sees it at the gate."""
    calls = 0
    now = WATCH_START
    while True:
        calls += 1
        record = script.at(now)
        if record.actual_in is not None:
            return calls
        if record.actual_out is None:
            boundary = record.best_departure
            assert boundary is not None
            boundary -= 3 * HOUR
        else:
            boundary = record.best_arrival
            assert boundary is not None
            boundary -= 45 * MINUTE
        left = boundary - now
        now += 5 * MINUTE if left <= timedelta() else min(30 * MINUTE, left)
