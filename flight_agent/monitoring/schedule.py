"""When to poll a watched flight next: dense near departure and arrival, sparse elsewhere.

A fixed 5-minute poller spends 288 calls per flight-day. ``PollSchedule`` spends them where
changes matter: every 5 minutes in the last 3 hours before departure and the last 45 minutes
before arrival, every 30 minutes before that and en route, and not at all once the flight
arrived or its cancellation is confirmed. Detection latency is bounded by the interval of the
phase the change happens in; an interval never runs past the next phase boundary, so a flight
entering a denser phase is polled at the boundary. Polls fall on the grid of their interval, so
flights leaving together fall due together and can share one departure board.

Where a flight is after departure (en route, arriving, finished) comes from the record's phase
predicates (``flight_agent.models``), the ones the cache's TTL policy, the monitor and the IROPS
engine read too; the table below configures how often to poll in each phase.

A flight whose provider pushes its events (a live AeroAPI alert, ``monitoring.alerts``) needs
polls only as a safety net: ``next_poll(..., pushed=True)`` waits ``alert_interval`` (2 h; in
the final window ``alert_final_interval``), on that interval's grid so pushed flights leaving
together still share boards, and never past ``push_grace`` (4 min) after the expected departure
or arrival, where a missing ``out``/``off`` or ``on``/``in`` push shows (``push_overdue``);
``WatchState.observe`` then falls back to the table until pushes flow again. A lost delay or
gate-change push leaves no such trace: it shows at the next safety-net poll, so how long it may
wait is the safety net's interval (``SAFETY_NETS`` names the two settings worth having).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from flight_agent.models import ARRIVAL_HORIZON, FlightStatusData
from flight_agent.settings import SafetyNet

_ZERO = timedelta(0)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

SAFETY_NETS: dict[SafetyNet, dict[str, timedelta]] = {
    "lean": {},
    "strict": {
        "alert_interval": timedelta(minutes=30),
        "alert_final_interval": timedelta(minutes=5),
    },
}
"""How pushed flights are polled (``FLIGHT_AGENT_ALERT_SAFETY_NET``). ``lean``: every 2 hours and
just after each expected milestone, so a lost delay or gate-change push waits up to 2 hours.
``strict``: on the table's 30- and 5-minute bounds before departure, so a lost push is seen as
soon as without alerts; it costs most of what polling costs, since no trace shows which pushes
were lost and the 5-minute bound of the final 3 hours takes a poll every 5 minutes there."""


class PollSchedule(BaseModel):
    """The poll-interval table; every field can be overridden (the arrival and stop horizons
    are the record's, ``ARRIVAL_HORIZON`` and ``FOLLOW_UP_HORIZON``).

    "Departure" is the best known gate departure (estimated, else scheduled), "arrival" the best
    known gate arrival; both move with the estimates, and so do the phase boundaries.

    ==========  ==========================================================  =============
    phase       when                                                        next poll in
    ==========  ==========================================================  =============
    stopped     ``finished_for_polling``: arrived (``has_arrived``), or     None
                ``FOLLOW_UP_HORIZON`` (12 h) past the expected departure
                (not departed) or arrival (departed); a confirmed
                cancellation
    unknown     no record yet, or no departure time                         15 min
    far         departure more than ``far_window`` (24 h) away              30 min
    day         departure 24 h to ``final_window`` (3 h) away               30 min
    final       departure 3 h away or less, or overdue                      5 min
    en route    ``has_departed`` (``actual_out`` or later, or a status      30 min
                from departed on)
    arrival     ``arrival_near``: landed, or departed and arrival           5 min
                ``ARRIVAL_HORIZON`` (45 min) away or less, or overdue
    ==========  ==========================================================  =============

    The far, day and en route intervals are clamped so the poll falls no later than the start of
    the next phase (24 h / 3 h before departure, 45 min before arrival). While a cancellation is
    reported but not yet confirmed the interval is at most ``cancellation_interval`` (10 min, the
    debouncer's default ``confirm_after``) so the confirmation poll comes promptly.

    Cost, for one flight that leaves and arrives on time (block 2 h), against a fixed 5-minute
    poller over the same span: watched from 48 h before departure, 139 calls against 600
    (23 %); watched from 24 h before, 91 against 312 (29 %). The 30- and 5-minute detection
    bounds impose this floor on a flight polled alone; flights leaving one airport with one
    airline together share departure boards (``FlightMonitor``), which is what takes a watched
    fleet below 1/5. ``far_interval`` can be raised (6 h, say) where changes more than a day
    out may wait.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    far_window: timedelta = Field(default=timedelta(hours=24), gt=_ZERO)
    far_interval: timedelta = Field(default=timedelta(minutes=30), gt=_ZERO)
    day_interval: timedelta = Field(default=timedelta(minutes=30), gt=_ZERO)
    final_window: timedelta = Field(default=timedelta(hours=3), gt=_ZERO)
    final_interval: timedelta = Field(default=timedelta(minutes=5), gt=_ZERO)
    en_route_interval: timedelta = Field(default=timedelta(minutes=30), gt=_ZERO)
    arrival_interval: timedelta = Field(default=timedelta(minutes=5), gt=_ZERO)
    unknown_interval: timedelta = Field(default=timedelta(minutes=15), gt=_ZERO)
    cancellation_interval: timedelta = Field(default=timedelta(minutes=10), gt=_ZERO)
    alert_interval: timedelta = Field(default=timedelta(hours=2), gt=_ZERO)
    """How often a flight whose events are pushed is polled, as a safety net."""
    alert_final_interval: timedelta = Field(default=timedelta(hours=2), gt=_ZERO)
    """How often such a flight is polled in the final window before departure."""
    push_grace: timedelta = Field(default=timedelta(minutes=4), gt=_ZERO)
    """How late a milestone's push may be before the pushes count as missed: short enough
    that the checkpoint poll, a monitor pass later, still falls within the 5-minute bound of
    the final phases."""

    @classmethod
    def with_safety_net(cls, net: SafetyNet) -> PollSchedule:
        """The table with a named safety net for pushed flights (``SAFETY_NETS``)."""
        return cls(**SAFETY_NETS[net])

    @model_validator(mode="after")
    def _windows_nest(self) -> Self:
        if self.final_window >= self.far_window:
            raise ValueError("final_window must be shorter than far_window")
        return self

    def next_interval(
        self,
        record: FlightStatusData | None,
        now: datetime,
        *,
        cancellation_confirmed: bool = False,
    ) -> timedelta | None:
        """How long to wait before polling the flight again.

        Args:
            record: The latest record of the flight, or None when none was fetched yet.
            now: The current time (aware UTC).
            cancellation_confirmed: Whether the debouncer has confirmed a cancellation.

        Returns:
            A positive interval, or None when the flight needs no more polls.
        """
        if record is None:
            return self.unknown_interval
        if cancellation_confirmed or record.finished_for_polling(now):
            return None
        interval = self._en_route(record, now) if record.has_departed else self._ahead(record, now)
        if record.cancellation_reported:
            return min(interval, self.cancellation_interval)
        return interval

    def next_poll(
        self,
        record: FlightStatusData | None,
        now: datetime,
        *,
        cancellation_confirmed: bool = False,
        pushed: bool = False,
    ) -> datetime | None:
        """When to poll the flight next (None when it needs no more polls).

        With ``pushed`` (its events are pushed and none was missed) the poll is the safety
        net's: ``alert_interval`` away (``alert_final_interval`` in the final window, which a
        longer interval does not run past), or ``push_grace`` after the next expected departure
        or arrival when that comes first (``cancellation_interval`` still bounds a reported
        cancellation, whose confirmation needs a poll).

        ``now`` plus ``next_interval``, moved back to the last multiple of that interval since
        the Unix epoch when that still lies ahead: flights on the same interval fall due in the
        same pass (every 30 minutes at :00 and :30, say), so the monitor can answer flights
        leaving one airport with one departure board. No gap grows beyond the interval; an
        interval clamped to a phase boundary keeps the boundary.
        """
        interval = self.next_interval(record, now, cancellation_confirmed=cancellation_confirmed)
        if interval is None:
            return None
        if pushed and record is not None:
            return self._safety_net(record, now, interval)
        return self._on_grid(now + interval, interval)

    def push_overdue(self, record: FlightStatusData, now: datetime) -> bool:
        """Whether a push should have come by now: ``push_grace`` passed the flight's next
        expected milestone (gate departure, landing, gate arrival) and the record lacks it."""
        if record.cancellation_reported:
            return False
        expected = _next_milestone(record)
        return expected is not None and now >= expected + self.push_grace

    def _on_grid(self, due: datetime, grid: timedelta) -> datetime:
        """``due`` moved back to the last multiple of ``grid`` since the epoch, when ``grid`` is
        one of the table's intervals (else ``due``: a phase boundary is kept as it is)."""
        if grid not in self._grids():
            return due
        return _EPOCH + (due - _EPOCH) // grid * grid

    def _safety_net(self, record: FlightStatusData, now: datetime, table: timedelta) -> datetime:
        """The safety net's next poll: its interval moved back onto the grid of the table's
        interval ``table`` (never further than the interval itself, never into the past)."""
        departure = None if record.has_departed else record.best_departure
        final_starts = None if departure is None else departure - self.final_window
        final = final_starts is not None and final_starts <= now
        interval = self.alert_final_interval if final else self.alert_interval
        due = self._on_grid(now + interval, table)
        checkpoints = [due if due > now else now + interval]
        if final_starts is not None and not final and interval > self.alert_final_interval:
            checkpoints.append(final_starts)
        expected = _next_milestone(record)
        if expected is not None and expected + self.push_grace > now:
            checkpoints.append(expected + self.push_grace)
        if record.cancellation_reported:
            checkpoints.append(now + self.cancellation_interval)
        return min(checkpoints)

    def _grids(self) -> set[timedelta]:
        """The table's own intervals, the only ones polls are aligned to."""
        return {
            self.far_interval,
            self.day_interval,
            self.final_interval,
            self.en_route_interval,
            self.arrival_interval,
            self.unknown_interval,
            self.cancellation_interval,
        }

    def _ahead(self, record: FlightStatusData, now: datetime) -> timedelta:
        departure = record.best_departure
        if departure is None:
            return self.unknown_interval
        left = departure - now
        if left <= self.final_window:
            return self.final_interval
        if left <= self.far_window:
            return min(self.day_interval, left - self.final_window)
        return min(self.far_interval, left - self.far_window)

    def _en_route(self, record: FlightStatusData, now: datetime) -> timedelta:
        if record.arrival_near(now):
            return self.arrival_interval
        arrival = record.best_arrival
        if arrival is None:
            return self.en_route_interval
        return min(self.en_route_interval, arrival - ARRIVAL_HORIZON - now)


def _next_milestone(record: FlightStatusData) -> datetime | None:
    """When the flight's next pushed milestone is expected: its gate departure, its landing,
    its gate arrival; None once it arrived (or while the time is unknown)."""
    if not record.has_departed:
        return record.best_departure
    if not record.has_landed:
        return record.estimated_on or record.scheduled_on or record.best_arrival
    return None if record.has_arrived else record.best_arrival
