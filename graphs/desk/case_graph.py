"""The IROPS graph of each case: one thread per case (``thread_id`` = the case id).

``CaseGraph`` runs a case's graph to the approval interrupt (or to its end when there is
nothing to approve), finishes a run a dead worker left half-way from its last checkpoint, reads
what the paused graph asks and what it found (``Findings``), and brings a decided case's graph
to its end. Every call goes through the storage's guard, so a database failure is a
``DeskStorageError``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

from langchain_core.runnables import RunnableConfig
from langgraph.graph.state import CompiledStateGraph
from langgraph.types import Command

from flight_agent.irops import ConnectionAssessment, FlightDisruption, RightsResult
from graphs.decisions import apply_answer
from graphs.desk.cases import CaseStatus
from graphs.desk.storage import DeskStorage
from graphs.desk.trips import Trip
from graphs.irops_graph import IropsInput
from graphs.report import IropsReport


@dataclass(frozen=True)
class Outcome:
    """Where a case's graph stands.

    Attributes:
        actions: The action requests it waits on (empty when it does not wait).
        report: The final report, once it finished.
    """

    actions: list[dict[str, Any]] = field(default_factory=list)
    report: IropsReport | None = None

    def digest(self) -> dict[str, Any] | None:
        """What a case keeps of the final report."""
        if self.report is None:
            return None
        return {
            "decision": self.report.decision,
            "explanation": self.report.explanation,
            "recommendations": [
                {"id": r.id, "description": r.description, "approved": r.approved}
                for r in self.report.recommendations
            ],
        }


FINAL_STATUS = {
    "approved": CaseStatus.APPROVED,
    "rejected": CaseStatus.REJECTED,
    "not_needed": CaseStatus.RESOLVED,
}
"""A case's status once its graph ended, by the report's decision."""


@dataclass(frozen=True)
class Findings:
    """What the IROPS graph found for a case, from its last checkpoint.

    Attributes:
        disruptions: The disruptions of the trip's legs, with their evidence.
        connections: The verdict on each connection.
        rights: What the travellers are owed, per regime.
    """

    disruptions: list[FlightDisruption] = field(default_factory=list)
    connections: list[ConnectionAssessment] = field(default_factory=list)
    rights: list[RightsResult] = field(default_factory=list)

    def as_json(self) -> dict[str, list[dict[str, Any]]]:
        """The findings as JSON-ready lists, for the CLI's and MCP's answers."""
        return {
            "disruptions": [d.model_dump(mode="json") for d in self.disruptions],
            "connections": [c.model_dump(mode="json") for c in self.connections],
            "rights": [r.model_dump(mode="json") for r in self.rights],
        }


class CaseGraph:
    """The IROPS graph over the desk's checkpointer, one thread per case.

    Args:
        graph: The compiled IROPS graph (with the storage's checkpointer).
        storage: The desk's storage (its guard).
    """

    def __init__(self, graph: CompiledStateGraph[Any, Any, Any, Any], storage: DeskStorage) -> None:
        self.graph = graph
        self.storage = storage

    def run(self, case: str, trip: Trip) -> Outcome:
        """Start the case's run, or finish one left half-way; stop at the interrupt or end."""
        config = _config(case)
        with self.storage.guard():
            state = self.graph.get_state(config)
            if not state.values:
                legs = [leg.model_dump(exclude_none=True) for leg in trip.legs]
                self.graph.invoke(cast("IropsInput", {"itinerary": legs}), config)
            elif state.next and not _pending(state):
                self.graph.invoke(None, config)
        return self.outcome(case)

    def outcome(self, case: str) -> Outcome:
        """What the case's graph waits on, or its report."""
        with self.storage.guard():
            state = self.graph.get_state(_config(case))
        pending = _pending(state)
        if pending:
            return Outcome(actions=list(pending[0].value.get("action_requests", [])))
        report = state.values.get("report")
        return Outcome(report=report if isinstance(report, IropsReport) else None)

    def findings(self, case: str) -> Findings:
        """What the case's graph found so far (empty before it ran)."""
        with self.storage.guard():
            values = self.graph.get_state(_config(case)).values
        return Findings(
            disruptions=list(values.get("disruptions", [])),
            connections=list(values.get("connections", [])),
            rights=list(values.get("rights", [])),
        )

    def check(self, case: str, answer: Any) -> None:
        """Check that ``answer`` fits the actions the graph waits on (if it still waits).

        Raises:
            InvalidFlightQueryError: The answer does not fit.
        """
        with self.storage.guard():
            state = self.graph.get_state(_config(case))
        if _pending(state):
            apply_answer(state.values.get("recommendations", []), answer)

    def apply(self, case: str, answer: Any) -> None:
        """Bring the decided case's graph to its end: resume it with ``answer`` if it still
        waits, finish the run if a failure stopped it half-way, nothing if it has ended.

        The caller holds the case's decision lock, so the state read here is not stale.
        """
        config = _config(case)
        with self.storage.guard():
            state = self.graph.get_state(config)
            if _pending(state):
                self.graph.invoke(Command(resume=answer), config)
            elif state.next:
                self.graph.invoke(None, config)


def _config(case: str) -> RunnableConfig:
    return {"configurable": {"thread_id": case}}


def _pending(state: Any) -> list[Any]:
    """The interrupts the graph waits on."""
    return [pending for task in state.tasks for pending in task.interrupts]
