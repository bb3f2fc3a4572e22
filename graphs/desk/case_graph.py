"""The IROPS graph of each case: one thread per case (``thread_id`` = the case id).

``CaseGraph`` runs a case's graph to the approval interrupt (or to its end when there is
nothing to approve), finishes a run a dead worker left half-way from its last checkpoint, reads
what the paused graph asks, and resumes it with a decision. Every call goes through the
storage's guard, so a database failure is a ``DeskStorageError``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

from langchain_core.runnables import RunnableConfig
from langgraph.graph.state import CompiledStateGraph
from langgraph.types import Command

from graphs.decisions import apply_answer
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

    def check(self, case: str, answer: Any) -> bool:
        """Whether the graph waits for a decision, after checking ``answer`` fits its actions.

        Raises:
            InvalidFlightQueryError: It waits, and the answer does not fit.
        """
        with self.storage.guard():
            state = self.graph.get_state(_config(case))
        if not _pending(state):
            return False
        apply_answer(state.values.get("recommendations", []), answer)
        return True

    def resume(self, case: str, answer: Any) -> None:
        """Resume the waiting graph with ``answer`` and run it to its end."""
        with self.storage.guard():
            self.graph.invoke(Command(resume=answer), _config(case))


def _config(case: str) -> RunnableConfig:
    return {"configurable": {"thread_id": case}}


def _pending(state: Any) -> list[Any]:
    """The interrupts the graph waits on."""
    return [pending for task in state.tasks for pending in task.interrupts]
