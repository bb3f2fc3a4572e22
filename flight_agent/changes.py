"""What changed between two snapshots of one flight, as typed events: the one change differ.

``diff_snapshots`` compares the previous and the current record of a flight and returns one
``FlightChange`` per meaningful difference. The monitor publishes these to watchers
(``WatchState.observe``) and the IROPS engine reports the same ones as disruptions
(``flight_agent.irops.detect_disruptions``), so ``watch`` and ``assess_disruption`` agree.

Noise is filtered out: delays and estimated times must move by at least a threshold (15 minutes,
the on-time boundary), and a value that disappears from a provider's answer is missing data, not
a change. A first value (a gate assigned, a registration known) is a change a traveller wants.

Cancellation flaps (AeroAPI's ``cancelled`` means "no longer tracked"), so a cancellation seen here
is always ``provisional``; ``flight_agent.monitoring.debounce.CancellationDebouncer`` confirms it.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from flight_agent.airports import Airport
from flight_agent.models import (
    DISRUPTION_DELAY_MINUTES,
    FlightStatus,
    FlightStatusData,
    UtcDatetime,
    local_clock,
)

ChangeValue = str | int | None
"""A JSON-friendly old or new value: text, whole minutes, an ISO 8601 time or nothing."""


class ChangeKind(StrEnum):
    """The kinds of change, declared in the order ``diff_snapshots`` reports them.

    The order puts the most significant first: cancellation, diversion, a new airport and the
    milestones, then status and time changes, then gates, terminals and the aircraft.
    """

    CANCELLED = "cancelled"
    UNCANCELLED = "uncancelled"
    DIVERTED = "diverted"
    AIRPORT = "airport"
    DEPARTED = "departed"
    ARRIVED = "arrived"
    STATUS = "status"
    SCHEDULE = "schedule"
    DELAY = "delay"
    ESTIMATED_DEPARTURE = "estimated_departure"
    ESTIMATED_ARRIVAL = "estimated_arrival"
    GATE = "gate"
    TERMINAL = "terminal"
    AIRCRAFT = "aircraft"
    INBOUND = "inbound"


KIND_ORDER = {kind: index for index, kind in enumerate(ChangeKind)}
"""Sort key of each kind: changes of one poll are reported in this order."""


class FlightChange(BaseModel):
    """One detected change of one flight.

    Attributes:
        kind: What kind of change this is.
        flight_id: The flight's designator, e.g. ``BA117``.
        flight_date: The flight's local departure date.
        field: The ``FlightStatusData`` field that changed, e.g. ``gate_origin``.
        old: The previous value (ISO 8601 for times), or None when it was unknown.
        new: The current value, or None when it is unknown.
        detected_at: When the monitor saw the change (aware UTC).
        provisional: True while the change may still be withdrawn (an unconfirmed cancellation
            and its withdrawal); False for everything else.
        message: One human-readable line describing the change.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: ChangeKind
    flight_id: str
    flight_date: date
    field: str
    old: ChangeValue = None
    new: ChangeValue = None
    detected_at: UtcDatetime
    provisional: bool = False
    message: str = Field(description="One human line, e.g. 'BA117 2026-11-28: gate B12 (was A10)'")

    @classmethod
    def of(
        cls,
        record: FlightStatusData,
        kind: ChangeKind,
        field: str,
        values: tuple[ChangeValue, ChangeValue],
        text: str,
        *,
        now: datetime,
        provisional: bool = False,
    ) -> FlightChange:
        """A change of the record's flight: ``values`` are old and new, ``text`` the message
        after the flight and date."""
        old, new = values
        return cls(
            kind=kind,
            flight_id=record.flight_id,
            flight_date=record.flight_date,
            field=field,
            old=old,
            new=new,
            detected_at=now,
            provisional=provisional,
            message=f"{record.flight_id} {record.flight_date}: {text}",
        )


def diff_snapshots(
    previous: FlightStatusData | None,
    current: FlightStatusData,
    *,
    now: datetime,
    delay_threshold_minutes: int = DISRUPTION_DELAY_MINUTES,
) -> list[FlightChange]:
    """The changes from ``previous`` to ``current``, in ``ChangeKind`` declaration order.

    Within one kind the departure side comes before the arrival side. The rules per kind:

    - ``cancelled`` / ``uncancelled``: the record starts / stops reporting a cancellation (status
      cancelled, or ``cancellation_uncertain``). Always provisional.
    - ``diverted``: the status becomes diverted or ``diverted_to`` names a new airport.
    - ``airport``: the origin or destination is another airport (the booking was moved).
    - ``departed``: ``actual_out`` or ``actual_off`` is newly set (reported once).
    - ``arrived``: ``actual_on`` or ``actual_in`` is newly set (reported once: the flight
      reached its destination, at touchdown or at the gate, whichever is reported first).
    - ``status``: the status changed, unless a cancellation or diversion event above covers it.
    - ``schedule``: a known scheduled gate departure or arrival moved (any amount: timetables
      move on purpose).
    - ``delay``: a departure or arrival delay moved by ``delay_threshold_minutes`` or more
      (an unknown delay counts as 0; a delay that becomes unknown is not a change).
    - ``estimated_departure`` / ``estimated_arrival``: the gate estimate (the scheduled time
      while there is none) moved by the threshold or more, until the flight ``has_departed`` /
      ``has_arrived`` (an estimate that is withdrawn is not a change, and a new timetable with no
      estimate on either side is a ``schedule`` change only).
    - ``gate``, ``terminal``, ``aircraft`` (registration, type), ``inbound``: a new non-null
      value that differs from the old one (a first assignment counts; a removal does not).

    Args:
        previous: The last record seen, or None for the first one (which is the baseline and
            yields no changes).
        current: The record just fetched.
        now: When the change is detected (aware UTC).
        delay_threshold_minutes: Smallest move of a delay or an estimate that is reported.

    Returns:
        The changes, empty when nothing meaningful changed.
    """
    if previous is None:
        return []
    differ = _Differ(previous, current, now, delay_threshold_minutes)
    return differ.changes()


class _Differ:
    """One comparison: holds both records so each rule is a short method."""

    def __init__(
        self,
        previous: FlightStatusData,
        current: FlightStatusData,
        now: datetime,
        threshold: int,
    ) -> None:
        self.old = previous
        self.new = current
        self.now = now
        self.threshold = threshold
        self.found: list[FlightChange] = []

    def changes(self) -> list[FlightChange]:
        self._cancellation()
        self._diversion()
        self._airports()
        self._milestone(ChangeKind.DEPARTED, ("actual_out", "actual_off"))
        self._milestone(ChangeKind.ARRIVED, ("actual_in", "actual_on"))
        self._status()
        self._schedule("out", self.new.origin)
        self._schedule("in", self.new.destination)
        for field, side in (
            ("departure_delay_minutes", "departure"),
            ("arrival_delay_minutes", "arrival"),
        ):
            self._delay(field, side)
        if not self.new.has_departed:
            self._estimate(ChangeKind.ESTIMATED_DEPARTURE, "out", self.new.origin)
        if not self.new.has_arrived:
            self._estimate(ChangeKind.ESTIMATED_ARRIVAL, "in", self.new.destination)
        for kind, field, label in _LABELLED_FIELDS:
            self._label(kind, field, label)
        # The rules run in kind order already; sorting (stable) keeps that a guarantee.
        return sorted(self.found, key=lambda change: KIND_ORDER[change.kind])

    def _add(
        self,
        kind: ChangeKind,
        field: str,
        old: ChangeValue,
        new: ChangeValue,
        text: str,
        *,
        provisional: bool = False,
    ) -> None:
        self.found.append(
            FlightChange.of(
                self.new, kind, field, (old, new), text, now=self.now, provisional=provisional
            )
        )

    def _cancellation(self) -> None:
        before, after = self.old.cancellation_reported, self.new.cancellation_reported
        if before == after:
            return
        field = "status" if self.old.status != self.new.status else "cancellation_uncertain"
        old, new = _field_value(self.old, field), _field_value(self.new, field)
        if after:
            self._add(
                ChangeKind.CANCELLED,
                field,
                old,
                new,
                "reported cancelled, not yet confirmed",
                provisional=True,
            )
        else:
            text = f"no longer reported cancelled, status {self.new.status}"
            self._add(ChangeKind.UNCANCELLED, field, old, new, text, provisional=True)

    def _diversion(self) -> None:
        old_to = self.old.diverted_to.code if self.old.diverted_to else None
        new_to = self.new.diverted_to.code if self.new.diverted_to else None
        became = (
            self.new.status is FlightStatus.DIVERTED
            and self.old.status is not FlightStatus.DIVERTED
        )
        if became or (new_to is not None and new_to != old_to):
            text = (
                f"diverted to {new_to}" if new_to else "diverted, alternate airport not known yet"
            )
            self._add(ChangeKind.DIVERTED, "diverted_to", old_to, new_to, text)

    def _airports(self) -> None:
        for field, label in (("origin", "departure airport"), ("destination", "arrival airport")):
            old: Airport = getattr(self.old, field)
            new: Airport = getattr(self.new, field)
            if old.code != new.code:
                self._add(
                    ChangeKind.AIRPORT,
                    field,
                    old.code,
                    new.code,
                    f"{label} {new.code} (was {old.code})",
                )

    def _milestone(self, kind: ChangeKind, fields: tuple[str, str]) -> None:
        if any(getattr(self.old, field) is not None for field in fields):
            return
        for field in fields:
            value: datetime | None = getattr(self.new, field)
            if value is not None:
                airport = self.new.origin if kind is ChangeKind.DEPARTED else self.new.destination
                when = local_clock(value, airport, dated=True)
                text = f"{_MILESTONE_WORDS[field]} at {airport.code}, {when}"
                self._add(kind, field, None, value.isoformat(), text)
                return

    def _status(self) -> None:
        old, new = self.old.status, self.new.status
        covered = (
            self.old.cancellation_reported != self.new.cancellation_reported
            or FlightStatus.CANCELLED in (old, new)
            or new is FlightStatus.DIVERTED
        )
        if old != new and not covered:
            self._add(ChangeKind.STATUS, "status", old.value, new.value, f"status {old} -> {new}")

    def _delay(self, field: str, side: str) -> None:
        old: int | None = getattr(self.old, field)
        new: int | None = getattr(self.new, field)
        if new is None or abs(new - (old or 0)) < self.threshold:
            return
        was = f"{old} min" if old is not None else "unknown"
        self._add(ChangeKind.DELAY, field, old, new, f"{side} delay {new} min (was {was})")

    def _schedule(self, suffix: str, airport: Airport) -> None:
        field = f"scheduled_{suffix}"
        old: datetime | None = getattr(self.old, field)
        new: datetime | None = getattr(self.new, field)
        if old is not None and new is not None and old != new:
            self._moved(ChangeKind.SCHEDULE, field, (old, new), airport)

    def _estimate(self, kind: ChangeKind, suffix: str, airport: Airport) -> None:
        field = f"estimated_{suffix}"
        old_estimate: datetime | None = getattr(self.old, field)
        new_estimate: datetime | None = getattr(self.new, field)
        if new_estimate is None:
            return  # a withdrawn estimate is missing data; a new timetable is a schedule change
        old = old_estimate or getattr(self.old, f"scheduled_{suffix}")
        if old is not None and abs(new_estimate - old) >= timedelta(minutes=self.threshold):
            self._moved(kind, field, (old, new_estimate), airport)

    def _moved(
        self, kind: ChangeKind, field: str, times: tuple[datetime, datetime], airport: Airport
    ) -> None:
        """A scheduled or estimated gate time that moved from ``times[0]`` to ``times[1]``."""
        old, new = times
        what = field.split("_")[0]
        side = "departure" if field.endswith("out") else "arrival"
        now, before = (local_clock(time, airport, dated=True) for time in (new, old))
        text = f"{what} {side} {now} (was {before})"
        self._add(kind, field, old.isoformat(), new.isoformat(), text)

    def _label(self, kind: ChangeKind, field: str, label: str) -> None:
        old: str | None = getattr(self.old, field)
        new: str | None = getattr(self.new, field)
        if new is not None and new != old:
            self._add(kind, field, old, new, f"{label} {new} (was {old or 'not assigned'})")


_MILESTONE_WORDS = {
    "actual_out": "left the gate",
    "actual_off": "took off",
    "actual_in": "arrived at the gate",
    "actual_on": "landed",
}

_LABELLED_FIELDS: tuple[tuple[ChangeKind, str, str], ...] = (
    (ChangeKind.GATE, "gate_origin", "departure gate"),
    (ChangeKind.GATE, "gate_destination", "arrival gate"),
    (ChangeKind.TERMINAL, "terminal_origin", "departure terminal"),
    (ChangeKind.TERMINAL, "terminal_destination", "arrival terminal"),
    (ChangeKind.AIRCRAFT, "registration", "aircraft registration"),
    (ChangeKind.AIRCRAFT, "aircraft_type", "aircraft type"),
    (ChangeKind.INBOUND, "inbound_flight_id", "inbound flight"),
)


def _field_value(record: FlightStatusData, field: str) -> ChangeValue:
    value: FlightStatus | bool = getattr(record, field)
    return value.value if isinstance(value, FlightStatus) else str(value).lower()
