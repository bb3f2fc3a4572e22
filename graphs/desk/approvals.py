"""A case's decision: the human answer to its approval interrupt, applied once.

``Desk.decide`` (and ``approve``/``reject``, which build the answer) goes through two steps.
``claim_decision`` refuses a case that does not await approval, checks the answer against the
actions before anything is written, then claims the decision (put-if-absent per case: another
answer is refused). ``apply_decision`` runs holding the case's decision lock
(``DeskStorage.deciding``, released however its holder ends): the graph resumes from its
checkpoint only if it still waits, and the desk gives the case its final status from the
outcome. So two identical decisions racing in two processes apply once (the second finds the
graph resumed and reports the outcome), and a decision cut off by a database failure, made
again once it is back, finishes what the first left: the resume if it never happened, the rest
of the run if it stopped half-way, or only the case's status.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from graphs.desk.case_graph import CaseGraph, Outcome
from graphs.desk.cases import Case, CaseStatus, HistoryEntry
from graphs.desk.errors import CaseAlreadyDecidedError
from graphs.desk.records import DECISIONS, dump, history_of
from graphs.desk.storage import DeskStorage


def approval(actions: list[str] | None) -> Any:
    """The answer approving every action, or only those with the given ids."""
    return "approve" if not actions else {"approve": list(actions)}


def rejection(reason: str | None, action_count: int) -> Any:
    """The answer rejecting every one of ``action_count`` actions, with an optional reason."""
    if reason:
        return {"decisions": [{"type": "reject", "message": reason}] * action_count}
    return "reject"


def claim_decision(
    storage: DeskStorage, case_graph: CaseGraph, found: Case, answer: Any, now: datetime
) -> None:
    """Claim ``answer`` as the case's one decision, once it is checked against its actions.

    Raises:
        CaseAlreadyDecidedError: The case is not awaiting approval, or another decision was
            made on it.
        InvalidFlightQueryError: The answer does not fit the case's actions; nothing was written.
        DeskStorageError: The database failed.
    """
    if found.status is not CaseStatus.AWAITING_APPROVAL:
        decided = f" (decision: {found.decision!r})" if found.decision is not None else ""
        raise CaseAlreadyDecidedError(
            f"Case {found.id} is {found.status.value}{decided}, not awaiting approval: "
            "a case takes one decision."
        )
    case_graph.check(found.id, answer)
    with storage.guard():
        claimed = storage.insert_if_absent(
            DECISIONS, found.id, {"answer": answer, "at": now.isoformat()}
        )
        if not claimed:
            item = storage.store.get(DECISIONS, found.id)
            if item is not None and item.value.get("answer") != answer:
                raise CaseAlreadyDecidedError(
                    f"Case {found.id} already has a decision ({item.value.get('answer')!r}) "
                    "being applied; a case takes one decision."
                )


def apply_decision(
    storage: DeskStorage, case_graph: CaseGraph, case: str, answer: Any, now: datetime
) -> Outcome:
    """Bring the decided case's graph to its end and record the decision in its history; what
    the graph ended with. The caller holds the case's decision lock.

    Raises:
        DeskStorageError: The database failed; made again once it is back, the decision
            applies once.
    """
    entry = HistoryEntry(key="decision", kind="decision", at=now, text=f"decision: {answer!r}")
    case_graph.apply(case, answer)
    with storage.guard():
        storage.store.put(history_of(case), entry.key, dump(entry))
    return case_graph.outcome(case)
