"""PostgreSQL down while a decision is made: a clear error, nothing half-applied, then once.

The deciding desk reaches PostgreSQL through a proxy the test cuts; an observer desk connects
directly and sees what was stored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

import pytest

from graphs.desk import CaseAlreadyDecidedError, CaseStatus, Desk, DeskStorageError
from graphs.desk import storage as desk_storage
from graphs.desk.records import DECISIONS
from tests.graphs.desk.conftest import TRIPS, SimulatedDay, desks_on, simulated_day, trip_request
from tests.graphs.desk.tcp_proxy import CuttableProxy

T = TypeVar("T")


@pytest.fixture
def proxy(pg_url: str) -> Iterator[CuttableProxy]:
    parts = urlsplit(pg_url)
    cuttable = CuttableProxy((parts.hostname or "127.0.0.1", parts.port or 5432))
    cuttable.restore()
    yield cuttable
    cuttable.cut()


def through(url: str, proxy: CuttableProxy) -> str:
    parts = urlsplit(url)
    netloc = parts.netloc.rsplit(":", 1)[0] if parts.port else parts.netloc
    return urlunsplit(parts._replace(netloc=f"{netloc}:{proxy.port}"))


def awaiting_case(day: SimulatedDay, desk: Desk) -> str:
    desk.add_trip(trip_request("meyer", TRIPS["meyer"]))
    day.run(day.workers([desk]))
    assert desk.case("meyer~1").status is CaseStatus.AWAITING_APPROVAL
    return "meyer~1"


def once_back(call: Callable[[], T]) -> T:
    """``call`` made again until the database answers: the pool reconnects with a back-off,
    so the first tries after the restore may still find it down."""
    for _ in range(10):
        try:
            return call()
        except DeskStorageError:
            continue
    return call()


def decisions(desk: Desk, case: str) -> list[str]:
    return [entry.text for entry in desk.history(case) if entry.kind == "decision"]


@pytest.fixture(autouse=True)
def _quick_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(desk_storage, "POOL_TIMEOUT_S", 1.0)


def test_a_decision_while_the_database_is_down_fails_clearly_and_changes_nothing(
    pg_url: str, proxy: CuttableProxy
) -> None:
    with (
        simulated_day() as day,
        desks_on(day, through(pg_url, proxy)) as (deciding,),
        desks_on(day, pg_url) as (observer,),
    ):
        case = awaiting_case(day, deciding)
        proxy.cut()

        with pytest.raises(DeskStorageError, match=r"unreachable.*try again") as failed:
            deciding.approve(case)

        assert "127.0.0.1" in str(failed.value)
        assert observer.case(case).status is CaseStatus.AWAITING_APPROVAL
        assert observer.store.get(DECISIONS, case) is None
        assert decisions(observer, case) == []

        proxy.restore()
        assert once_back(lambda: deciding.approve(case)).status is CaseStatus.APPROVED
        assert decisions(observer, case) == ["decision: 'approve'"]


def test_a_decision_cut_off_half_way_completes_once_when_made_again(
    pg_url: str, proxy: CuttableProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    with (
        simulated_day() as day,
        desks_on(day, through(pg_url, proxy)) as (deciding,),
        desks_on(day, pg_url) as (observer,),
    ):
        case = awaiting_case(day, deciding)
        resume = deciding.graph.invoke

        def cut_then_resume(*args: Any, **kwargs: Any) -> Any:
            proxy.cut()  # the decision is claimed; the database goes before the graph resumes
            return resume(*args, **kwargs)

        monkeypatch.setattr(deciding.graph, "invoke", cut_then_resume)
        with pytest.raises(DeskStorageError):
            deciding.reject(case)
        monkeypatch.setattr(deciding.graph, "invoke", resume)
        assert observer.case(case).status is CaseStatus.AWAITING_APPROVAL
        proxy.restore()

        with pytest.raises(CaseAlreadyDecidedError, match="already has a decision"):
            observer.approve(case)  # another decision than the one being applied
        done = once_back(lambda: deciding.reject(case))

        assert done.status is CaseStatus.REJECTED
        assert done.report is not None
        assert done.report["decision"] == "rejected"
        assert decisions(observer, case) == ["decision: 'reject'"]
        with pytest.raises(CaseAlreadyDecidedError, match="is rejected"):
            deciding.reject(case)
