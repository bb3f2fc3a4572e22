"""The disruption desk: trips in, cases out, decisions back into the graph.

``Desk`` is the service API the CLI, the MCP server and the workers share. Its methods are
synchronous (the store, the checkpointer and the IROPS graph are); the flight service runs on
the toolkit's own loop (``FlightToolkit(loop="own")``), which the desk reaches through its
runner, so a desk works from a script, a thread of an async server, or a worker's threads.

Trips: ``add_trip`` stores the trip and its leg index, watches each leg and, if the trip is
disrupted already (a change no poll will report), opens its case at once; ``remove_trip``
deletes them, closes the trip's live case and unwatches the legs no other trip flies.
``watch_all`` (a desk starting) watches every leg again and judges every trip once, as
``add_trip`` does: a leg disrupted while no desk ran gives no event once watched again. A
judgement without an event is keyed by the trouble itself, so judging again, in any number of
starting processes, opens nothing twice.

Cases: ``cases`` lists them through the store's filter (status, trip), ``case_findings`` says
what the case's graph found (disruptions with their evidence, connection verdicts, rights per
regime), and ``listen`` registers any number of listeners of case changes (the CLI's printer,
the console's live page).

Events (``handle_event``, idempotent by event id): for every trip flying the event's leg, the
engine judges the trip (``graphs.desk.triage``). If it matters, the trip's live case is found
or opened: the case id is the trip and the episode number, and opening is the store's
put-if-absent, so however many workers handle events of one episode, one case opens and the
worker that opened it runs the graph (``graphs.desk.case_graph``, ``thread_id`` = case id) to
the approval interrupt. Any other event of the episode joins the case's history, a decided
case's too while the trip's trouble is the same; other trouble opens the next episode. A
worker that dies mid-run leaves its event unacknowledged; whoever handles that event again
(``Case.opened_by``) finishes the run from the last checkpoint.

Decisions (``decide``, ``approve``, ``reject``): applied once, however many processes answer
and whatever fails half-way (``graphs.desk.approvals``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from langchain_core.language_models import BaseChatModel
from langgraph.store.base import GetOp

from flight_agent.clock import Clock
from flight_agent.models import FlightStatusData
from flight_agent.monitoring.stream import ChangeEvent
from graphs.desk.approvals import apply_decision, approval, claim_decision, rejection
from graphs.desk.case_graph import FINAL_STATUS, CaseGraph, Findings, Outcome
from graphs.desk.cases import Case, CaseStatus, HistoryEntry, case_id, episode_of
from graphs.desk.errors import CaseNotFoundError, InvalidTripError, TripNotFoundError
from graphs.desk.legs import Legs
from graphs.desk.records import (
    CASES,
    HANDLED,
    TRIPS,
    dump,
    every,
    history_of,
    legs_of,
)
from graphs.desk.storage import DeskStorage
from graphs.desk.triage import judge_trip
from graphs.desk.trips import Trip, check_trip_id, leg_key, new_trip
from graphs.irops_graph import build_irops_graph
from tools import FlightToolkit

SUMMARY_LINES = 5
"""How many reasons a case keeps in its summary."""

JUDGED_AT_ONCE = 50
"""Trips whose legs a starting desk reads at once."""


class Desk:
    """Trips, cases and decisions over one storage and one flight service.

    Args:
        storage: The store and checkpointer (``graphs.desk.open_storage``).
        toolkit: The flight tools and their service, on the toolkit's own loop.
        model: The chat model of the IROPS graph; ``select_model()`` when None.
        clock: "Now"; the service's clock when None.
    """

    def __init__(
        self,
        storage: DeskStorage,
        toolkit: FlightToolkit,
        *,
        model: BaseChatModel | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.storage = storage
        self.toolkit = toolkit
        self.clock = clock or toolkit.runner.service.clock
        self.graph = build_irops_graph(
            model, tools=toolkit, checkpointer=storage.checkpointer, clock=self.clock
        )
        self.case_graph = CaseGraph(self.graph, storage)
        self.legs = Legs(toolkit)
        self._listeners: list[Callable[[Case], None]] = []

    def listen(self, listener: Callable[[Case], None]) -> Callable[[], None]:
        """Call ``listener`` with a case each time it opens or its status changes here (the
        demo prints them, the console redraws); returns what stops the calls."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def _announce(self, case: Case) -> None:
        for listener in list(self._listeners):
            listener(case)

    @property
    def store(self) -> Any:
        return self.storage.store

    def now(self) -> datetime:
        """The desk's present."""
        return self.clock.now()

    # ----- trips ------------------------------------------------------------------------------

    def add_trip(self, request: object) -> Trip:
        """Register a trip and watch its legs; if it is disrupted already (a change the monitor
        will never report), its case opens now.

        Args:
            request: ``{"id"?, "legs": [{flight_number, date, origin?}, ...], "passengers"?,
                "label"?}`` (``TripRequest``).

        Raises:
            InvalidTripError: The request is invalid, or a trip with its id exists.
            DeskStorageError: The database is down; nothing was added.
        """
        trip = new_trip(request, now=self.now())
        with self.storage.guard():
            if not self.storage.insert_if_absent(TRIPS, trip.id, dump(trip)):
                raise InvalidTripError(
                    f"A trip {trip.id!r} exists already: choose another id, or remove it first"
                )
            for key in trip.leg_keys:
                self.store.put(legs_of(key), trip.id, {"trip": trip.id})
        for leg in trip.legs:
            self.legs.watch(leg)
        self._judge(trip, None, "trip added")  # disrupted already: no event comes
        return trip

    def watch_all(self) -> int:
        """Watch every leg of every trip and judge every trip once, as ``add_trip`` does (a
        desk starting: a leg disrupted while no desk ran gives no event once watched again);
        how many legs. Idempotent: a trouble judged before joins the case it opened."""
        trips = self.trips()
        legs = {(leg.flight_number, leg.date, leg.origin): leg for t in trips for leg in t.legs}
        for leg in legs.values():
            self.legs.watch(leg)
        for start in range(0, len(trips), JUDGED_AT_ONCE):
            batch = trips[start : start + JUDGED_AT_ONCE]
            records = self.legs.latest(batch)
            for trip in batch:
                self._judge(trip, None, "desk started", records[trip.id])
        return len(legs)

    def trips(self) -> list[Trip]:
        """Every trip, by id."""
        with self.storage.guard():
            items = every(self.store, TRIPS)
        return sorted((Trip.model_validate(item.value) for item in items), key=lambda t: t.id)

    def trip(self, trip_id: str) -> Trip:
        """One trip.

        Raises:
            TripNotFoundError: No trip has that id.
        """
        check_trip_id(trip_id)
        with self.storage.guard():
            item = self.store.get(TRIPS, trip_id)
        if item is None:
            raise TripNotFoundError(f"No trip {trip_id!r}; `flight-agent trips list` shows them")
        return Trip.model_validate(item.value)

    def remove_trip(self, trip_id: str) -> Trip:
        """Delete a trip, close its live case, unwatch the legs no other trip flies.

        Raises:
            TripNotFoundError: No trip has that id.
        """
        trip = self.trip(trip_id)
        with self.storage.guard():
            live = self._live_case(trip.id)
            if live is not None:
                self._set_status(live, CaseStatus.CLOSED, "its trip was removed")
            self.store.delete(TRIPS, trip.id)
            orphans = []
            for leg, key in zip(trip.legs, trip.leg_keys, strict=True):
                self.store.delete(legs_of(key), trip.id)
                if not self.store.search(legs_of(key), limit=1):
                    orphans.append(leg)
        for leg in orphans:
            self.legs.unwatch(leg)
        return trip

    # ----- cases ------------------------------------------------------------------------------

    def cases(self, status: CaseStatus | None = None, trip_id: str | None = None) -> list[Case]:
        """The cases, oldest first, optionally of one status or one trip (the store's filter:
        only those cases are read)."""
        wanted: dict[str, Any] = {}
        if status is not None:
            wanted["status"] = status.value
        if trip_id is not None:
            wanted["trip_id"] = trip_id
        with self.storage.guard():
            items = every(self.store, CASES, wanted or None)
        found = [Case.model_validate(item.value) for item in items]
        return sorted(found, key=lambda c: (c.opened_at, c.id))

    def case(self, case: str) -> Case:
        """One case.

        Raises:
            CaseNotFoundError: No case has that id.
        """
        with self.storage.guard():
            item = self.store.get(CASES, case)
        if item is None:
            raise CaseNotFoundError(f"No case {case!r}; `flight-agent cases list` shows them")
        return Case.model_validate(item.value)

    def case_findings(self, case: str) -> Findings:
        """What the IROPS graph found for a case: the disruptions with their evidence, the
        connection verdicts, the travellers' rights per regime (empty before its graph ran).

        Raises:
            CaseNotFoundError: No case has that id.
        """
        self.case(case)
        return self.case_graph.findings(case)

    def history(self, case: str) -> list[HistoryEntry]:
        """What moved the case, in time order."""
        with self.storage.guard():
            items = every(self.store, history_of(case))
        entries = [HistoryEntry.model_validate(item.value) for item in items]
        return sorted(entries, key=lambda e: (e.at, e.key))

    # ----- events -----------------------------------------------------------------------------

    def handle_event(self, event: ChangeEvent) -> list[Case]:
        """Open or update the cases of the trips the event touches, if their trip matters.

        Idempotent by event id. Returns the live cases the event opened or joined.

        Raises:
            DeskStorageError: The database is down (the event should be handled again later).
        """
        change = event.change
        key = leg_key(change.flight_id, change.flight_date)
        with self.storage.guard():
            trip_ids = [item.key for item in every(self.store, legs_of(key))]
        markers = [f"{trip_id}|{event.id}" for trip_id in trip_ids]
        with self.storage.guard():
            found = self.store.batch(
                [GetOp(HANDLED, marker) for marker in markers]
                + [GetOp(TRIPS, trip_id) for trip_id in trip_ids]
            )
        handled, stored = found[: len(markers)], found[len(markers) :]
        trips = [
            Trip.model_validate(item.value)
            for done, item in zip(handled, stored, strict=True)
            if done is None and item is not None  # not handled yet, not removed meanwhile
        ]
        records = self.legs.latest(trips)
        touched = []
        for trip in trips:
            case = self._judge(trip, event.id, event.change.message, records[trip.id])
            if case is not None:
                touched.append(case)
            with self.storage.guard():
                self.store.put(HANDLED, f"{trip.id}|{event.id}", {"at": self.now().isoformat()})
        return touched

    def _judge(
        self,
        trip: Trip,
        key: str | None,
        text: str,
        records: Sequence[FlightStatusData] | None = None,
    ) -> Case | None:
        """Open or update the trip's case if it matters, for the event ``key`` (``text``).

        Without an event (a trip added, a desk started), the key is the trouble itself
        (``judged/<trip>/<signature digest>``): judging the same trouble again, from any
        process, finds the case it opened instead of a new one. ``records``: the trip's legs'
        latest records, when the caller read them already.
        """
        if records is None:
            records = self.legs.latest([trip])[trip.id]
        verdict = judge_trip(records, self.now())
        if not verdict.reasons:
            return None
        if key is None:
            digest = hashlib.blake2b("|".join(verdict.signature).encode(), digest_size=6)
            key = f"judged/{trip.id}/{digest.hexdigest()}"
        entry = HistoryEntry(key=key, kind="event", at=self.now(), text=text)
        episode = 1
        while True:
            with self.storage.guard():
                fresh = Case(
                    id=case_id(trip.id, episode),
                    trip_id=trip.id,
                    opened_by=key,
                    opened_at=self.now(),
                    updated_at=self.now(),
                    summary=verdict.reasons[:SUMMARY_LINES],
                    signature=verdict.signature,
                )
                opened = self.storage.insert_if_absent(CASES, fresh.id, dump(fresh))
                case = fresh if opened else self.case(fresh.id)
            if opened or case.status.live or case.opened_by == key:
                break
            if case.signature == verdict.signature and self._is_last(case):
                break  # the same trouble as the decided case: the same episode
            episode += 1
        with self.storage.guard():
            self.store.put(history_of(case.id), entry.key, dump(entry))
        if opened:
            self._announce(case)
        if case.status is CaseStatus.OPEN and case.opened_by == key:
            return self._run(case, trip)
        return case

    def _is_last(self, case: Case) -> bool:
        """Whether no later episode of the case's trip exists."""
        with self.storage.guard():
            later = self.store.get(CASES, case_id(case.trip_id, episode_of(case.id) + 1))
        return later is None

    def _live_case(self, trip_id: str) -> Case | None:
        live = [c for c in self.cases(trip_id=trip_id) if c.status.live]
        return live[-1] if live else None

    def _run(self, case: Case, trip: Trip) -> Case:
        """Run (or finish) the case's graph to the approval interrupt or the end."""
        return self._follow(case, self.case_graph.run(case.id, trip))

    def _follow(self, case: Case, outcome: Outcome) -> Case:
        """The case's status from its graph: awaiting approval, or finished."""
        if outcome.actions:
            updated = case.model_copy(update={"actions": outcome.actions})
            return self._set_status(updated, CaseStatus.AWAITING_APPROVAL, "awaiting approval")
        report = outcome.report
        if report is None:
            return case
        updated = case.model_copy(update={"report": outcome.digest(), "actions": []})
        return self._set_status(
            updated, FINAL_STATUS[report.decision], report.explanation.splitlines()[0][:200]
        )

    def _set_status(self, case: Case, status: CaseStatus, why: str) -> Case:
        updated = case.model_copy(update={"status": status, "updated_at": self.now()})
        entry = HistoryEntry(
            key=f"status-{status.value}", kind="status", at=self.now(), text=f"{status}: {why}"
        )
        with self.storage.guard():
            self.store.put(CASES, case.id, dump(updated))
            self.store.put(history_of(case.id), entry.key, dump(entry))
        self._announce(updated)
        return updated

    # ----- decisions --------------------------------------------------------------------------

    def approve(self, case: str, actions: list[str] | None = None) -> Case:
        """Approve every action of the case, or only those with the given ids."""
        return self.decide(case, approval(actions))

    def reject(self, case: str, reason: str | None = None) -> Case:
        """Reject every action of the case, with an optional reason."""
        actions = len(self.case(case).actions) if reason else 0
        return self.decide(case, rejection(reason, actions))

    def decide(self, case: str, answer: Any) -> Case:
        """Resume the case's graph with a decision (any answer ``graphs.decisions`` reads).

        Raises:
            CaseNotFoundError: No such case.
            CaseAlreadyDecidedError: The case is not awaiting approval, or another decision
                was made on it (``DecisionBusyError``: the same one, being applied elsewhere
                for longer than ``DECISION_WAIT_S``).
            InvalidFlightQueryError: The answer does not fit the case's actions; nothing
                was applied.
            DeskStorageError: The database failed; made again once it is back, the decision
                applies once.
        """
        found = self.case(case)
        claim_decision(self.storage, self.case_graph, found, answer, self.now())
        decided_at = self.now()
        with self.storage.deciding(case):
            outcome = apply_decision(self.storage, self.case_graph, case, answer, decided_at)
            return self._follow(found.model_copy(update={"decision": answer}), outcome)
