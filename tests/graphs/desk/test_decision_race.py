"""Two desks, each with its own PostgreSQL connections (as two processes have), make the same
decision on one case at the same moment: the graph resumes once, both callers see the outcome.
"""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from graphs.desk import Case, CaseStatus, Desk
from tests.graphs.desk.conftest import TRIPS, desks_on, simulated_day, trip_request

RACE_WINDOW_S = 3.0
"""How long the first decision holds its resumed run open for the second to barge in."""


def children_per_checkpoint(desk: Desk, case: str) -> Counter[str]:
    """How many checkpoints follow each checkpoint of the case's thread (2 = a fork)."""
    config: Any = {"configurable": {"thread_id": case}}
    return Counter(
        snapshot.parent_config["configurable"]["checkpoint_id"]
        for snapshot in desk.graph.get_state_history(config)
        if snapshot.parent_config is not None
    )


def test_two_identical_decisions_racing_in_two_desks_resume_the_graph_once(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with simulated_day() as day, desks_on(day, pg_url, count=2) as (first, second):
        first.add_trip(trip_request("meyer", TRIPS["meyer"]))
        assert first.case("meyer~1").status is CaseStatus.AWAITING_APPROVAL
        first_resuming, second_done = threading.Event(), threading.Event()
        checkpointer = first.storage.checkpointer
        write = checkpointer.put

        def held_open(*args: Any, **kwargs: Any) -> Any:
            if not first_resuming.is_set():
                # The first decision's run has read the paused checkpoint and is about to write
                # the next one: the second decision reads the same paused checkpoint now.
                first_resuming.set()
                second_done.wait(RACE_WINDOW_S)
            return write(*args, **kwargs)

        monkeypatch.setattr(checkpointer, "put", held_open)

        def second_decides() -> Case:
            assert first_resuming.wait(30)
            try:
                return second.approve("meyer~1")
            finally:
                second_done.set()

        with ThreadPoolExecutor(2) as pool:
            by_first = pool.submit(first.approve, "meyer~1")
            by_second = pool.submit(second_decides)
            outcomes = [by_first.result(timeout=120), by_second.result(timeout=120)]

        assert [case.status for case in outcomes] == [CaseStatus.APPROVED] * 2
        assert max(children_per_checkpoint(second, "meyer~1").values()) == 1  # no fork
        decisions = [entry for entry in second.history("meyer~1") if entry.kind == "decision"]
        assert len(decisions) == 1
        assert second.case("meyer~1").status is CaseStatus.APPROVED
