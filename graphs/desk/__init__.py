"""The disruption desk: watched trips open IROPS cases by themselves, durably, across workers.

- ``trips``: a traveller's booking (``Trip``) and its validation.
- ``cases``: one case per trip disruption episode (``Case``, ``CaseStatus``, ``HistoryEntry``).
- ``triage``: whether a trip matters, per the IROPS engine.
- ``storage``: LangGraph's store and matching checkpointer (memory, SQLite, PostgreSQL).
- ``desk``: the service API (``Desk``): trips, cases, events, decisions.
- ``worker``: the stream consumer (``DeskWorker``), any number of them.
- ``session``: a desk built from settings, with its service (``open_desk``).
"""

from graphs.desk.cases import Case, CaseStatus, HistoryEntry
from graphs.desk.desk import Desk
from graphs.desk.errors import (
    CaseAlreadyDecidedError,
    CaseNotFoundError,
    DeskStorageError,
    InvalidTripError,
    TripNotFoundError,
)
from graphs.desk.storage import DeskStorage, open_storage
from graphs.desk.trips import Trip, TripRequest
from graphs.desk.worker import DESK_GROUP, DeskWorker

__all__ = [
    "DESK_GROUP",
    "Case",
    "CaseAlreadyDecidedError",
    "CaseNotFoundError",
    "CaseStatus",
    "Desk",
    "DeskStorage",
    "DeskStorageError",
    "DeskWorker",
    "HistoryEntry",
    "InvalidTripError",
    "Trip",
    "TripNotFoundError",
    "TripRequest",
    "open_storage",
]
