"""Cancellation debounce: a reported cancellation is provisional until it holds.

AeroAPI's ``cancelled`` flag means "no longer tracked by FlightAware" and flaps back; AeroDataBox
has a ``CanceledUncertain`` state ("possibly cancelled"). ``diff_snapshots`` reports the
first sighting as a provisional ``cancelled`` change and a withdrawal as a provisional
``uncancelled`` change. ``CancellationDebouncer`` adds the confirmation: a ``cancelled`` change
with ``provisional=False``, emitted once, when a poll at least ``confirm_after`` after the first
sighting still reports a firm cancellation (status cancelled and not ``cancellation_uncertain``).
A withdrawal resets it, so a cancellation that flaps back within the window is never confirmed.

The debouncer is a frozen pydantic model: its JSON is part of a watch's stored state.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict, Field

from flight_agent.changes import ChangeKind, FlightChange
from flight_agent.models import FlightStatus, FlightStatusData, UtcDatetime

DEFAULT_CONFIRM_AFTER = timedelta(minutes=10)
"""How long a cancellation must hold before it is confirmed."""


class CancellationDebouncer(BaseModel):
    """One flight's cancellation debounce state.

    Attributes:
        confirm_after: How long after the first sighting a poll must still see the
            cancellation to confirm it.
        reported_since: When the current cancellation report was first seen, or None while none
            is reported.
        confirmed: Whether the current cancellation has been confirmed.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    confirm_after: timedelta = Field(default=DEFAULT_CONFIRM_AFTER, gt=timedelta(0))
    reported_since: UtcDatetime | None = None
    confirmed: bool = False

    def observe(
        self, record: FlightStatusData, *, now: datetime
    ) -> tuple[CancellationDebouncer, FlightChange | None]:
        """Feed one polled record.

        Args:
            record: The record just fetched.
            now: When it was fetched (aware UTC).

        Returns:
            The next debounce state, and the confirmed ``cancelled`` change when this poll
            confirms the cancellation (else None).
        """
        if not record.cancellation_reported:
            return CancellationDebouncer(confirm_after=self.confirm_after), None
        if self.confirmed:
            return self, None
        if self.reported_since is None:
            return self.model_copy(update={"reported_since": now}), None
        firm = record.status is FlightStatus.CANCELLED and not record.cancellation_uncertain
        if not firm or now - self.reported_since < self.confirm_after:
            return self, None
        change = FlightChange.of(
            record,
            ChangeKind.CANCELLED,
            "status",
            (None, record.status.value),
            "cancelled (confirmed)",
            now=now,
        )
        return self.model_copy(update={"confirmed": True}), change
