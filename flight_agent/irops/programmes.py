"""What FAA airport programmes do to flights that have not left yet (FAA Order JO 7210.3).

Flights to an airport under a ground stop cannot leave before it ends (and it may be extended);
under a ground delay programme they leave about the average delay late, at worst the maximum;
an arrival delay adds to the arrival only, a departure delay at the origin to both ends; a
closure holds flights until they can arrive (or leave) after it reopens. The block time stays as
scheduled. These are NAS or weather causes: extraordinary circumstances for EU261 and APPR.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict, computed_field

from flight_agent.airports import Airport
from flight_agent.irops.formatting import duration_text, local_clock, whole_minutes
from flight_agent.irops.nas_status import AirportProgramme, NasStatus, ProgrammeKind
from flight_agent.irops.rights.facts import Cause
from flight_agent.models import FlightStatus, FlightStatusData, UtcDatetime

_AT_DESTINATION = frozenset(
    {
        ProgrammeKind.GROUND_STOP,
        ProgrammeKind.GROUND_DELAY,
        ProgrammeKind.ARRIVAL_DELAY,
        ProgrammeKind.CLOSURE,
    }
)
_AT_ORIGIN = frozenset({ProgrammeKind.DEPARTURE_DELAY, ProgrammeKind.CLOSURE})
_OPEN_ENDED = frozenset({ProgrammeKind.GROUND_STOP, ProgrammeKind.CLOSURE})


class ProgrammeEffect(BaseModel):
    """The expected and worst-case gate times of one flight under one programme.

    Predicted times are None when the programme's text gave no figure. For ground stops and
    closures the added delay is a lower bound (``extension_risk``).
    """

    model_config = ConfigDict(frozen=True)

    flight_id: str
    origin: Airport
    destination: Airport
    programme: AirportProgramme
    at_destination: bool
    planned_out: UtcDatetime
    planned_in: UtcDatetime
    predicted_out: UtcDatetime | None
    predicted_in: UtcDatetime | None
    worst_out: UtcDatetime | None = None
    worst_in: UtcDatetime | None = None
    cause: Cause = Cause.EXTRAORDINARY

    @property
    def extension_risk(self) -> bool:
        """Whether the programme may last longer than announced (ground stops, closures)."""
        return self.programme.kind in _OPEN_ENDED

    @property
    def added_delay_minutes(self) -> int | None:
        """Expected arrival delay the programme adds, in minutes."""
        if self.predicted_in is None:
            return None
        return whole_minutes(self.predicted_in - self.planned_in)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def explanation(self) -> str:
        """One line for a traveller or an agent."""
        programme = self.programme
        where = self.destination if self.at_destination else self.origin
        reason = f" ({programme.reason})" if programme.reason else ""
        until = f" until {local_clock(programme.ends_at, where)}" if programme.ends_at else ""
        head = (
            f"{programme.kind.replace('_', ' ').capitalize()} at {programme.airport}{reason}{until}"
        )
        if self.predicted_out is None or self.predicted_in is None:
            return f"{head}: it gives no figure to predict {self.flight_id}'s times."
        bound = "at least" if self.extension_risk else "about"
        text = (
            f"{head}: {self.flight_id} leaves {local_clock(self.predicted_out, self.origin)} and "
            f"arrives {local_clock(self.predicted_in, self.destination)}, {bound} "
            f"{duration_text(self.predicted_in - self.planned_in)} late"
        )
        if self.worst_in is not None:
            text += f"; at worst arrives {local_clock(self.worst_in, self.destination)}"
        return text + ("; it may be extended." if self.extension_risk else ".")


def _until(end: datetime | None, moment: datetime) -> timedelta | None:
    return max(end - moment, timedelta(0)) if end is not None else None


def _minutes(value: int | None) -> timedelta | None:
    return timedelta(minutes=value) if value is not None else None


def _delays(
    programme: AirportProgramme, out: datetime, arrival: datetime, *, at_destination: bool
) -> tuple[timedelta | None, timedelta | None]:
    """Expected and worst-case delay a programme imposes."""
    kind = programme.kind
    if kind is ProgrammeKind.GROUND_STOP:
        return _until(programme.ends_at, out), None
    if kind is ProgrammeKind.CLOSURE:
        return _until(programme.ends_at, arrival if at_destination else out), None
    if kind is ProgrammeKind.GROUND_DELAY:
        return _minutes(programme.average_delay_minutes), _minutes(programme.max_delay_minutes)
    return _minutes(programme.min_delay_minutes), _minutes(programme.max_delay_minutes)


def _later(value: datetime, delay: timedelta | None) -> datetime | None:
    return value + delay if delay is not None else None


def programme_effects(flight: FlightStatusData, status: NasStatus) -> tuple[ProgrammeEffect, ...]:
    """The programmes that hold up a flight not yet departed, with its predicted times.

    Args:
        flight: The flight; one that has left the gate, was cancelled or diverted is unaffected.
        status: The parsed NAS status feed.

    Returns:
        One effect per programme at the destination (ground stop, ground delay, arrival delay,
        closure) or origin (departure delay, closure) that delays the flight or may.
    """
    scheduled_out, scheduled_in = flight.scheduled_out, flight.scheduled_in
    if (
        flight.actual_out is not None
        or flight.status in (FlightStatus.CANCELLED, FlightStatus.DIVERTED)
        or scheduled_out is None
        or scheduled_in is None
    ):
        return ()
    out = flight.estimated_out or scheduled_out
    arrival = out + (scheduled_in - scheduled_out)
    candidates = [
        (programme, True)
        for programme in status.at(flight.destination.code)
        if programme.kind in _AT_DESTINATION
    ] + [
        (programme, False)
        for programme in status.at(flight.origin.code)
        if programme.kind in _AT_ORIGIN
    ]
    effects = []
    for programme, at_destination in candidates:
        expected, worst = _delays(programme, out, arrival, at_destination=at_destination)
        if expected == timedelta(0) and not worst:
            continue
        holds_departure = programme.kind is not ProgrammeKind.ARRIVAL_DELAY
        effects.append(
            ProgrammeEffect(
                flight_id=flight.flight_id,
                origin=flight.origin,
                destination=flight.destination,
                programme=programme,
                at_destination=at_destination,
                planned_out=out,
                planned_in=arrival,
                predicted_out=_later(out, expected) if holds_departure else out,
                predicted_in=_later(arrival, expected),
                worst_out=_later(out, worst) if holds_departure else None,
                worst_in=_later(arrival, worst),
            )
        )
    return tuple(effects)
