"""The normalized flight record every provider maps onto, its status enum and its phases.

All times are aware UTC datetimes; local times are rendered from the airport's IANA zone.

The record's phase predicates (``has_departed`` ... ``has_arrived``, ``cancellation_reported``,
``arrival_near``, ``finished_for_polling``) are the one definition of where a flight is: the
change differ, the poll schedule, the monitor, the IROPS engine and the cache's TTL policy all
read them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, computed_field, model_validator

from flight_agent.airports import Airport

DISRUPTION_DELAY_MINUTES = 15
"""A delay of this many minutes or more counts as a disruption (Cirium's "Late" threshold)."""

ARRIVAL_HORIZON = timedelta(minutes=45)
"""A departed flight this close to its gate arrival is arriving (``arrival_near``).

About 45 minutes before the gate a flight starts its descent: the landing estimate firms up and
the arrival gate and baggage belt are set. The monitor polls every 5 minutes from here (its
detection bound for landing), and the cache keeps answers only briefly over the same span, so a
tool's answer is never older than the news a watcher already got.
"""

FOLLOW_UP_HORIZON = timedelta(hours=12)
"""How long a flight without news is still followed past its expected gate time.

The poll schedule stops polling a flight that has not arrived this long after its expected
arrival (or, not departed, its expected departure), and the monitor drops a watch no provider
answers for by the same bound. Twelve hours outlasts a long delay a provider has not yet put in
its estimates (a delay it does report moves the expected time, and the horizon with it) and the
late updates of a flight that arrived without a gate time; past it, polls only spend quota.
"""

_LATEST_LOCAL_OFFSET = timedelta(hours=12)
"""A local date ends at most this long after it ends in UTC (UTC-12)."""


class FlightStatus(StrEnum):
    """Where a flight is in its life; "delayed" is not a state but a delay on any state."""

    SCHEDULED = "scheduled"
    BOARDING = "boarding"
    DEPARTED = "departed"
    EN_ROUTE = "en_route"
    LANDED = "landed"
    ARRIVED = "arrived"
    CANCELLED = "cancelled"
    DIVERTED = "diverted"
    UNKNOWN = "unknown"


def _as_utc(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("naive datetime: every time must carry a UTC offset")
    return value.astimezone(UTC)


UtcDatetime = Annotated[datetime, AfterValidator(_as_utc)]
"""An aware datetime, converted to UTC; naive values are rejected."""


NOT_SENT_OUTCOMES = frozenset(
    {"circuit_open", "cooling_down", "throttled", "out_of_range", "budget_exhausted"}
)
"""Attempt outcomes decided before any request left the process."""


class Attempt(BaseModel):
    """One call the failover manager made (or skipped) while answering a request."""

    model_config = ConfigDict(frozen=True)

    provider: str
    outcome: str = Field(
        description="success, not_found, timeout, unavailable, rate_limited, quota_exhausted, "
        "auth, invalid_response, invalid_query, error, circuit_open, cooling_down, throttled, "
        "out_of_range, budget_exhausted, cancelled"
    )
    latency_ms: float = 0.0
    detail: str | None = None

    @property
    def reached_provider(self) -> bool:
        """Whether a request was sent (skips for an open circuit, a cool-down, ... were free)."""
        return self.outcome not in NOT_SENT_OUTCOMES


class FlightStatusData(BaseModel):
    """One flight on one date, normalized from any provider.

    The twelve OOOI times are gate departure (out), take-off (off), landing (on) and gate
    arrival (in), each scheduled, estimated and actual. Delays are gate-based minutes,
    negative when early.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    flight_id: str = Field(description="Designator as normalized from the query, e.g. BA117")
    ident_iata: str | None = None
    ident_icao: str | None = None
    carrier_iata: str | None = None
    carrier_icao: str | None = None
    flight_number: str | None = None
    flight_date: date = Field(description="Local departure date at the origin")
    origin: Airport
    destination: Airport
    diverted_to: Airport | None = None

    scheduled_out: UtcDatetime | None = None
    estimated_out: UtcDatetime | None = None
    actual_out: UtcDatetime | None = None
    scheduled_off: UtcDatetime | None = None
    estimated_off: UtcDatetime | None = None
    actual_off: UtcDatetime | None = None
    scheduled_on: UtcDatetime | None = None
    estimated_on: UtcDatetime | None = None
    actual_on: UtcDatetime | None = None
    scheduled_in: UtcDatetime | None = None
    estimated_in: UtcDatetime | None = None
    actual_in: UtcDatetime | None = None

    departure_delay_minutes: int | None = None
    arrival_delay_minutes: int | None = None
    status: FlightStatus = FlightStatus.UNKNOWN
    status_text: str | None = Field(default=None, description="The provider's own words")
    cancellation_uncertain: bool = Field(
        default=False, description="The provider reports a possible, unconfirmed cancellation"
    )

    gate_origin: str | None = None
    gate_destination: str | None = None
    terminal_origin: str | None = None
    terminal_destination: str | None = None
    baggage_claim: str | None = None
    registration: str | None = None
    aircraft_type: str | None = None
    codeshares: tuple[str, ...] = ()
    legs: tuple[str, ...] = Field(
        default=(),
        description="Every leg flown under this designator that day, e.g. ('LHR-JFK', 'JFK-LAX')",
    )

    provider_flight_id: str | None = None
    inbound_flight_id: str | None = None
    source: str = Field(description="The provider that answered")
    fetched_at: UtcDatetime
    stale: bool = False
    attempts: tuple[Attempt, ...] = Field(
        default=(), description="The calls made to answer this request, in order (provenance)"
    )

    @model_validator(mode="before")
    @classmethod
    def _drop_computed(cls, data: Any) -> Any:
        """Accept the record's own JSON back: ``is_disrupted`` is derived, not stored."""
        if isinstance(data, dict) and "is_disrupted" in data:
            return {key: value for key, value in data.items() if key != "is_disrupted"}
        return data

    @computed_field  # type: ignore[prop-decorator]
    @property
    def is_disrupted(self) -> bool:
        """Cancelled, diverted, or delayed 15 minutes or more at departure or arrival."""
        if self.status in (FlightStatus.CANCELLED, FlightStatus.DIVERTED):
            return True
        delays = (self.departure_delay_minutes, self.arrival_delay_minutes)
        return any(d is not None and d >= DISRUPTION_DELAY_MINUTES for d in delays)

    @property
    def best_departure(self) -> datetime | None:
        """The most certain gate departure time: actual, else estimated, else scheduled."""
        return self.actual_out or self.estimated_out or self.scheduled_out

    @property
    def best_arrival(self) -> datetime | None:
        """The most certain gate arrival time: actual, else estimated, else scheduled."""
        return self.actual_in or self.estimated_in or self.scheduled_in

    @property
    def cancellation_reported(self) -> bool:
        """Whether the flight is, or may be, cancelled (status cancelled or
        ``cancellation_uncertain``); a first report is provisional until it holds."""
        return self.status is FlightStatus.CANCELLED or self.cancellation_uncertain

    @property
    def has_departed(self) -> bool:
        """Left the departure gate: ``actual_out``, a later milestone, or status departed."""
        return (
            self.actual_out is not None
            or self.status is FlightStatus.DEPARTED
            or self.has_taken_off
        )

    @property
    def has_taken_off(self) -> bool:
        """Airborne or beyond: ``actual_off``, a later milestone, or status en route or
        diverted."""
        return (
            self.actual_off is not None
            or self.status in (FlightStatus.EN_ROUTE, FlightStatus.DIVERTED)
            or self.has_landed
        )

    @property
    def has_landed(self) -> bool:
        """On the ground at the end of the flight: ``actual_on``, at the gate, or status landed."""
        return self.actual_on is not None or self.status is FlightStatus.LANDED or self.has_arrived

    @property
    def has_arrived(self) -> bool:
        """At the arrival gate (``actual_in`` or status arrived): the flight is over."""
        return self.actual_in is not None or self.status is FlightStatus.ARRIVED

    def arrival_near(self, now: datetime) -> bool:
        """Whether arrival news is due: landed, or departed with its gate arrival
        ``ARRIVAL_HORIZON`` away or less (overdue included)."""
        if self.has_landed:
            return True
        arrival = self.best_arrival
        return self.has_departed and arrival is not None and arrival - now <= ARRIVAL_HORIZON

    @property
    def follow_up_ends(self) -> datetime:
        """When following the flight without news ends: ``FOLLOW_UP_HORIZON`` after its
        expected gate arrival once departed, else after its expected gate departure; by its date
        (``date_follow_up_ends``) while that time is unknown."""
        expected = self.best_arrival if self.has_departed else self.best_departure
        if expected is None:
            return date_follow_up_ends(self.flight_date)
        return expected + FOLLOW_UP_HORIZON

    def finished_for_polling(self, now: datetime) -> bool:
        """Whether the flight needs no more polls: arrived, or ``follow_up_ends`` has passed."""
        return self.has_arrived or now >= self.follow_up_ends

    @property
    def route(self) -> str:
        """Origin and destination codes, e.g. 'LHR-JFK'."""
        return f"{self.origin.code}-{self.destination.code}"

    def departure_local(self, value: datetime | None) -> datetime | None:
        """Render a time in the origin's zone (unchanged UTC when the zone is unknown)."""
        return to_local(value, self.origin)

    def arrival_local(self, value: datetime | None) -> datetime | None:
        """Render a time in the destination's zone (unchanged UTC when the zone is unknown)."""
        return to_local(value, self.destination)


def date_follow_up_ends(flight_date: date) -> datetime:
    """When following a flight known only by its local departure date ends.

    The latest a flight can leave on that date (the date's end at UTC-12, noon UTC the next
    day) plus ``FOLLOW_UP_HORIZON``: two days after the date began in UTC.
    """
    date_ends_in_utc = datetime.combine(flight_date + timedelta(days=1), time(), UTC)
    return date_ends_in_utc + _LATEST_LOCAL_OFFSET + FOLLOW_UP_HORIZON


def to_local(value: datetime | None, airport: Airport) -> datetime | None:
    """Convert an aware time to the airport's local zone."""
    if value is None:
        return None
    zone = airport.zone
    return value.astimezone(zone) if zone else value


def local_clock(
    value: datetime | None,
    airport: Airport,
    *,
    day: date | None = None,
    dated: bool = False,
    unknown: str = "-",
) -> str:
    """A time as the airport's wall clock with its zone and UTC: ``"20:00 EDT (00:00Z)"``.

    Args:
        value: An aware time; None shows ``unknown``.
        airport: The airport whose zone to use (UTC when it has none).
        day: The date the reader has in mind: a time on another local date shows it,
            ``"29 Nov 01:00 EST (06:00Z)"``.
        dated: Always show the full local date: ``"2026-11-29 09:40 GMT (09:40Z)"``.
        unknown: What an unknown time shows.
    """
    if value is None:
        return unknown
    local = to_local(value, airport) or value
    if dated:
        prefix = f"{local:%Y-%m-%d} "
    elif day is not None and local.date() != day:
        prefix = f"{local:%d %b} "
    else:
        prefix = ""
    return f"{prefix}{local:%H:%M} {local.tzname()} ({value.astimezone(UTC):%H:%MZ})"


class ScheduledFlight(BaseModel):
    """A published schedule entry: a candidate alternative flight."""

    model_config = ConfigDict(frozen=True)

    ident: str = Field(description="Designator as sold, IATA form where known")
    operating_ident: str | None = Field(
        default=None, description="The operating flight when ``ident`` is a codeshare"
    )
    origin: Airport
    destination: Airport
    scheduled_out: UtcDatetime
    scheduled_in: UtcDatetime
    aircraft_type: str | None = None
    provider_flight_id: str | None = None
    source: str
