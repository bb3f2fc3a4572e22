"""Cases: one per trip disruption episode, from the first event that mattered to the decision.

A case's id is its trip's id and the episode's number (``trip-1~2``: the trip's second
episode), so every worker that sees an event of the same episode names the same case, and the
store's put-if-absent (``graphs.desk.storage``) lets exactly one of them open it. The IROPS graph
runs for the case with ``thread_id`` = the case id.

Statuses::

    open -> awaiting_approval -> approved | rejected
    open -> resolved            (the graph found nothing to approve)
    open | awaiting_approval -> closed   (its trip was removed)

Only ``open`` and ``awaiting_approval`` are live: an event of the trip updates the live case.
Once a case is final, an event joins it while the trip's trouble is the same (its
``signature``, ``graphs.desk.triage``); trouble of another kind opens the trip's next episode.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class CaseStatus(StrEnum):
    """Where a case stands."""

    OPEN = "open"
    AWAITING_APPROVAL = "awaiting_approval"
    APPROVED = "approved"
    REJECTED = "rejected"
    RESOLVED = "resolved"
    CLOSED = "closed"

    @property
    def live(self) -> bool:
        """Whether events of its trip still update it."""
        return self in (CaseStatus.OPEN, CaseStatus.AWAITING_APPROVAL)


def case_id(trip_id: str, episode: int) -> str:
    """The case of the trip's ``episode``-th disruption episode."""
    return f"{trip_id}~{episode}"


def episode_of(case: str) -> int:
    """The episode number of a case id."""
    return int(case.rpartition("~")[2])


class Case(BaseModel):
    """One trip disruption episode.

    Attributes:
        id: ``{trip id}~{episode}``, also the graph's thread id.
        trip_id: The trip.
        status: Where it stands.
        opened_by: The id of the event that opened it (whoever handles that event again, after
            its worker died, finishes the graph run).
        opened_at: When it opened.
        updated_at: When its status last changed.
        summary: Why the case opened, per the IROPS engine.
        signature: What was wrong when it opened (``graphs.desk.triage.Verdict``).
        actions: The actions awaiting approval (the interrupt's action requests).
        decision: The decision's answer, once made.
        report: The final IROPS report (JSON), once the graph finished.
        error: Why the last graph run failed, if it did.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    trip_id: str
    status: CaseStatus = CaseStatus.OPEN
    opened_by: str
    opened_at: dt.datetime
    updated_at: dt.datetime
    summary: list[str] = Field(default_factory=list)
    signature: list[str] = Field(default_factory=list)
    actions: list[dict[str, Any]] = Field(default_factory=list)
    decision: Any = None
    report: dict[str, Any] | None = None
    error: str | None = None


class HistoryEntry(BaseModel):
    """Something that moved a case: an event of its trip, a status change, a decision.

    Stored under its own key (the event id, or the decision's), so a redelivered event or a
    retried decision writes the same entry again instead of a second one.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str
    kind: Literal["event", "status", "decision"]
    at: dt.datetime
    text: str
