"""The disruption desk: watched trips open IROPS cases by themselves, durably, across workers.

- ``trips``: a traveller's booking (``Trip``) and its validation.
- ``cases``: one case per trip disruption episode (``Case``, ``CaseStatus``, ``HistoryEntry``).
- ``triage``: whether a trip matters, per the IROPS engine.
- ``legs``: watching the trips' legs and reading their latest records on the flight service.
- ``storage``: LangGraph's store and matching checkpointer (memory, SQLite, PostgreSQL).
- ``case_graph``: each case's IROPS graph run, its findings (``Findings``) and its decision.
- ``desk``: the service API (``Desk``): trips, cases, their findings, events, decisions, and
  listeners of case changes (``Desk.listen``).
- ``approvals``: a case's decision, checked, claimed and applied once (``Desk.decide``).
- ``worker``: the stream consumer (``DeskWorker``), any number of them.
- ``session``: a desk built from settings, with its service (``open_desk``).
- ``demo``: the demo's trips on the simulated day (``add_demo_trips``).
"""

from graphs.desk.case_graph import Findings
from graphs.desk.cases import Case, CaseStatus, HistoryEntry
from graphs.desk.demo import DEMO_TRIPS, add_demo_trips
from graphs.desk.desk import Desk
from graphs.desk.errors import (
    CaseAlreadyDecidedError,
    CaseNotFoundError,
    DecisionBusyError,
    DeskStorageError,
    InvalidTripError,
    TripNotFoundError,
)
from graphs.desk.storage import DeskStorage, open_storage
from graphs.desk.trips import Trip, TripRequest
from graphs.desk.worker import DESK_GROUP, DeskWorker

__all__ = [
    "DEMO_TRIPS",
    "DESK_GROUP",
    "Case",
    "CaseAlreadyDecidedError",
    "CaseNotFoundError",
    "CaseStatus",
    "DecisionBusyError",
    "Desk",
    "DeskStorage",
    "DeskStorageError",
    "DeskWorker",
    "Findings",
    "HistoryEntry",
    "InvalidTripError",
    "Trip",
    "TripNotFoundError",
    "TripRequest",
    "add_demo_trips",
    "open_storage",
]
