"""How long a cached answer stays fresh: the TTL follows the flight's phase.

A flight far in the future barely changes, so its answer is kept long and saves provider quota;
around departure and arrival gates, times and status move by the minute, so answers expire
quickly; a finished flight no longer changes. Every answer is then kept ``stale_for`` longer as
a stale copy for outages (stale-if-error).

| phase (first match wins)                                   | field       | default |
|------------------------------------------------------------|-------------|---------|
| not found (no record)                                      | not_found   | 2 min   |
| cancelled, ``cancellation_uncertain`` set                  | unknown     | 1 min   |
| cancelled                                                  | cancelled   | 10 min  |
| diverted (at the alternate's gate too)                     | diverted    | 5 min   |
| arrived (``has_arrived``: at the gate)                     | final       | 6 h     |
| boarding, or departed the gate and not yet off the ground  | taxi_out    | 1 min   |
| ``arrival_near``: landed, or airborne with arrival within  | arriving    | 2 min   |
| ``ARRIVAL_HORIZON`` (45 min)                               |             |         |
| airborne, further from arrival                             | en_route    | 5 min   |
| scheduled, departure more than ``far_horizon`` (24 h) away | far         | 1 h     |
| scheduled, more than ``near_horizon`` (3 h) away           | day         | 10 min  |
| scheduled, within ``near_horizon`` or past departure       | near        | 2 min   |
| unknown, or scheduled with no departure time               | unknown     | 1 min   |

Departure and arrival are the record's best gate times (actual, else estimated, else scheduled).
The phases after departure are the record's predicates (``has_departed``, ``has_taken_off``,
``arrival_near``, ``has_arrived``), the ones the poll schedule and the monitor read: a watched
flight arriving is polled every 5 minutes from the same horizon from which its cached answer
lasts 2, so a tool never answers from a copy older than a watcher's news.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from flight_agent.cache.base import CacheEntry
from flight_agent.models import FlightStatus, FlightStatusData

_Positive = Annotated[timedelta, Field(gt=timedelta(0))]
"""A duration longer than zero."""
_NonNegative = Annotated[timedelta, Field(ge=timedelta(0))]
"""A duration of zero or more."""


class TtlPolicy(BaseModel):
    """The freshness of a cached answer by flight phase; see the module docstring's table.

    Durations accept ``timedelta`` values, seconds, or ISO 8601 durations (``PT10M``).

    Raises:
        pydantic.ValidationError: A freshness or horizon is not positive, ``stale_for`` is
            negative, or ``near_horizon`` is not shorter than ``far_horizon``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)

    far_horizon: _Positive = timedelta(hours=24)
    """Departures further away than this are "far": schedules rarely change a day out."""
    near_horizon: _Positive = timedelta(hours=3)
    """Departures at most this far away are "near": gates, delays and boarding news arrive."""

    far: _Positive = timedelta(hours=1)
    """Fresh time for a scheduled flight departing after ``far_horizon``; saves quota."""
    day: _Positive = timedelta(minutes=10)
    """Fresh time between ``far_horizon`` and ``near_horizon``: delays start to appear."""
    near: _Positive = timedelta(minutes=2)
    """Fresh time within ``near_horizon`` of departure: the seed's 2-minute critical TTL."""
    taxi_out: _Positive = timedelta(minutes=1)
    """Fresh time while boarding or taxiing out: take-off and gate-return news matter now."""
    en_route: _Positive = timedelta(minutes=5)
    """Fresh time while airborne: the arrival estimate drifts slowly in cruise."""
    arriving: _Positive = timedelta(minutes=2)
    """Fresh time near arrival and after landing: gate, on-block and baggage belt come in."""
    final: _Positive = timedelta(hours=6)
    """Fresh time once arrived: the answer no longer changes."""
    cancelled: _Positive = timedelta(minutes=10)
    """Fresh time of a cancellation: airlines reinstate flights and providers' flags flap."""
    diverted: _Positive = timedelta(minutes=5)
    """Fresh time for a diversion: the new destination and onward plan are still moving."""
    unknown: _Positive = timedelta(minutes=1)
    """Fresh time when the phase is unknown or a cancellation is unconfirmed: ask again soon."""
    not_found: _Positive = timedelta(minutes=2)
    """Fresh time of a "not found" answer: absorbs repeats, yet a late schedule load shows up."""
    stale_for: _NonNegative = timedelta(hours=6)
    """How long past freshness a copy is kept to serve, marked stale, while providers fail."""

    @model_validator(mode="after")
    def _check_horizons(self) -> Self:
        if self.near_horizon >= self.far_horizon:
            raise ValueError("near_horizon must be shorter than far_horizon")
        return self

    def fresh_for(self, record: FlightStatusData | None, now: datetime) -> timedelta:
        """How long an answer stays fresh from ``now``.

        Args:
            record: The provider's answer, or None for "not found".
            now: The current time (aware).

        Returns:
            The row of the module docstring's table that first matches.
        """
        if record is None:
            return self.not_found
        status = record.status
        if status is FlightStatus.CANCELLED:
            return self.unknown if record.cancellation_uncertain else self.cancelled
        if status is FlightStatus.DIVERTED:
            return self.diverted
        if record.has_arrived:
            return self.final
        if status is FlightStatus.BOARDING or (record.has_departed and not record.has_taken_off):
            return self.taxi_out
        if record.has_departed:
            return self.arriving if record.arrival_near(now) else self.en_route
        departure = record.best_departure
        if status is FlightStatus.UNKNOWN or departure is None:
            return self.unknown
        until_departure = departure - now
        if until_departure > self.far_horizon:
            return self.far
        if until_departure > self.near_horizon:
            return self.day
        return self.near

    def entry(self, record: FlightStatusData | None, now: datetime) -> CacheEntry:
        """A cache entry for an answer stored at ``now``, with this policy's deadlines.

        Args:
            record: The provider's answer, or None for "not found".
            now: The current time (aware).

        Returns:
            An entry fresh for ``fresh_for(record, now)`` and stale for ``stale_for`` after.
        """
        fresh_until = now + self.fresh_for(record, now)
        return CacheEntry(record, now, fresh_until, fresh_until + self.stale_for)
