"""A watched flight and its per-flight monitoring state.

A ``Watch`` names one flight on one date (optionally one origin, for multi-leg designators).
Its ``WatchState`` holds what the monitor needs between polls: the last snapshot, when the next
poll is due, the cancellation debounce, when the watch was created and the state's version.
Both are frozen pydantic models; the state's JSON is what a ``WatchStore`` keeps.
``WatchState.observe`` is the whole per-poll step: diff against the last snapshot, debounce
cancellation, schedule the next poll.

``pack`` is the compact form a store keeps in memory: the state's JSON, deflated
against a dictionary made of a typical state's JSON, so the field names and the usual values
cost almost nothing (about 250 bytes a state, against about 7 KB for the live objects, whose
records each carry their own field-name set). ``zlib``'s preset dictionary does it; a
hand-written encoding would save a little more and be one more format to keep.

Each saved state is one version after the state it replaces: a store saves a state only over its
predecessor, so a worker whose lease ran out while it polled cannot overwrite what the worker
that took over saved, and each version's change events are written once (their ids name it).
"""

from __future__ import annotations

import zlib
from datetime import UTC, date, datetime, timedelta
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializationInfo,
    field_serializer,
    field_validator,
)

from flight_agent.airports import get_airport
from flight_agent.changes import KIND_ORDER, FlightChange, diff_snapshots
from flight_agent.models import (
    DISRUPTION_DELAY_MINUTES,
    FlightStatus,
    FlightStatusData,
    UtcDatetime,
    date_follow_up_ends,
)
from flight_agent.monitoring.debounce import CancellationDebouncer
from flight_agent.monitoring.schedule import PollSchedule


class Watch(BaseModel):
    """One flight on one date that the monitor follows.

    Attributes:
        flight_id: The designator, e.g. ``BA117`` (folded to upper case).
        flight_date: The local departure date at the origin.
        origin: An airport code narrowing a multi-leg designator to one leg, or None.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    flight_id: str = Field(min_length=1)
    flight_date: date
    origin: str | None = Field(default=None, min_length=1)

    @field_validator("flight_id", "origin")
    @classmethod
    def _key_safe(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if ":" in value or any(char.isspace() for char in value):
            raise ValueError("must not contain ':' or whitespace")
        return value.upper()

    @property
    def key(self) -> str:
        """The watch's identity in a store: ``BA117:2026-11-28`` or ``BA117:2026-11-28:LHR``."""
        key = f"{self.flight_id}:{self.flight_date.isoformat()}"
        return f"{key}:{self.origin}" if self.origin else key


class WatchState(BaseModel):
    """Everything the monitor keeps about one watch between polls.

    Attributes:
        watch: The flight being watched.
        created_at: When the watch was added (aware UTC).
        next_due: When the next poll is due, or None once the flight needs no more polls.
        last_snapshot: The last record fetched, or None before the first poll.
        last_polled_at: When ``last_snapshot`` was fetched, or None before the first poll.
        cancellation: The cancellation debounce state.
        version: 0 when the watch was added, one more for each state saved after it.
        push_missed: A poll of a flight with a live alert found news no push brought (or a
            milestone passed without its push): it is polled by the table until a push comes.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    watch: Watch
    created_at: UtcDatetime
    next_due: UtcDatetime | None
    last_snapshot: FlightStatusData | None = None
    last_polled_at: UtcDatetime | None = None
    cancellation: CancellationDebouncer = Field(default_factory=CancellationDebouncer)
    version: int = Field(default=0, ge=0)
    push_missed: bool = False

    @field_serializer("last_snapshot")
    def _snapshot_fields_only(
        self, value: FlightStatusData | None, info: SerializationInfo
    ) -> dict[str, Any] | None:
        # The computed ``is_disrupted`` would be refused (extra="forbid") when read back.
        if value is None:
            return None
        return value.model_dump(mode=info.mode, exclude={"is_disrupted"})

    @property
    def key(self) -> str:
        """The watch's key, see ``Watch.key``."""
        return self.watch.key

    @property
    def follow_up_ends(self) -> datetime:
        """When following this flight without news ends: by its last snapshot
        (``FlightStatusData.follow_up_ends``), or by its date before the first answer."""
        if self.last_snapshot is None:
            return date_follow_up_ends(self.watch.flight_date)
        return self.last_snapshot.follow_up_ends

    def stopped(self) -> WatchState:
        """The next state of a watch that needs no more polls (it is kept, never due)."""
        return self.model_copy(update={"next_due": None, "version": self.version + 1})

    def observe(
        self,
        record: FlightStatusData,
        *,
        now: datetime,
        schedule: PollSchedule | None = None,
        delay_threshold_minutes: int = DISRUPTION_DELAY_MINUTES,
        alert: bool = False,
        pushed: bool = False,
    ) -> tuple[WatchState, list[FlightChange]]:
        """Take in one polled record: detect changes and schedule the next poll.

        A flight with a live alert (``alert``) is polled on the schedule's safety net while
        pushes flow. A record read because of a push (``pushed``) says they do. A poll finds a
        push missed, and the flight is polled by the table until the next push, when it sees
        a milestone no push brought (left the gate, took off, landed, at the gate, cancelled)
        or one overdue (``PollSchedule.push_overdue``); other news (estimates, gates) is not
        pushed by every provider and only refreshes the record.

        Args:
            record: The record just fetched for this watch.
            now: When it was fetched (aware UTC).
            schedule: The poll-interval table (default: ``PollSchedule()``).
            delay_threshold_minutes: Smallest move of a delay or estimate that is a change.
            alert: Whether the flight's events are pushed (it has a live alert).
            pushed: Whether a push brought this record.

        Returns:
            The next state (to ``WatchStore.save`` with the changes) and the changes, in
            ``ChangeKind`` order.
        """
        changes = diff_snapshots(
            self.last_snapshot, record, now=now, delay_threshold_minutes=delay_threshold_minutes
        )
        cancellation, confirmation = self.cancellation.observe(record, now=now)
        if confirmation is not None:
            changes = sorted([*changes, confirmation], key=lambda change: KIND_ORDER[change.kind])
        schedule = schedule or PollSchedule()
        missed = (
            alert
            and not pushed
            and (
                self.push_missed
                or (
                    self.last_snapshot is not None
                    and _milestones(record) != _milestones(self.last_snapshot)
                )
                or schedule.push_overdue(record, now)
            )
        )
        next_due = schedule.next_poll(
            record, now, cancellation_confirmed=cancellation.confirmed, pushed=alert and not missed
        )
        state = self.model_copy(
            update={
                "last_snapshot": record,
                "last_polled_at": now,
                "next_due": next_due,
                "cancellation": cancellation,
                "version": self.version + 1,
                "push_missed": missed,
            }
        )
        return state, changes


def _milestones(record: FlightStatusData) -> tuple[bool, ...]:
    """The pushed milestones a record shows: gate departure, take-off, landing, gate arrival,
    cancellation."""
    return (
        record.has_departed,
        record.has_taken_off,
        record.has_landed,
        record.has_arrived,
        record.cancellation_reported,
    )


def _packing_dictionary() -> bytes:
    """A typical state's JSON: the preset dictionary states are deflated against."""
    when = datetime(2026, 1, 1, 12, tzinfo=UTC)
    hour = timedelta(hours=1)
    record = FlightStatusData(
        flight_id="BA117",
        ident_iata="BA117",
        ident_icao="BAW117",
        carrier_iata="BA",
        carrier_icao="BAW",
        flight_number="117",
        flight_date=when.date(),
        origin=get_airport("LHR"),
        destination=get_airport("JFK"),
        scheduled_out=when,
        scheduled_off=when + hour / 4,
        scheduled_on=when + 7 * hour,
        scheduled_in=when + 8 * hour,
        status=FlightStatus.SCHEDULED,
        terminal_origin="5",
        gate_origin="A10",
        registration="G-XWBA",
        aircraft_type="B77W",
        source="FlightAware",
        fetched_at=when,
    )
    state = WatchState(
        watch=Watch(flight_id="BA117", flight_date=when.date()),
        created_at=when,
        next_due=when,
        last_snapshot=record,
        last_polled_at=when,
    )
    return state.model_dump_json().encode()


_DICTIONARY = _packing_dictionary()


def pack(state: WatchState) -> bytes:
    """The compact form of a state (``unpack`` reads it back)."""
    deflate = zlib.compressobj(zdict=_DICTIONARY)
    return deflate.compress(state.model_dump_json().encode()) + deflate.flush()


def unpack(packed: bytes) -> WatchState:
    """The state ``pack`` made ``packed`` of."""
    inflate = zlib.decompressobj(zdict=_DICTIONARY)
    return WatchState.model_validate_json(inflate.decompress(packed) + inflate.flush())
