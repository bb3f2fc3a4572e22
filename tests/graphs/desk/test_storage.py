"""The SQLite desk's decision lock: one decision at a time across processes, none left behind
by a process that dies holding it."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from graphs.desk import open_storage
from graphs.desk import storage as storage_module
from graphs.desk.errors import DecisionBusyError

HOLDER = """
import sys, time
from graphs.desk import open_storage
with open_storage(sys.argv[1]) as storage, storage.deciding("trip~1"):
    print("holding", flush=True)
    time.sleep(600)
"""


@pytest.fixture
def holder(tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the decision lock of the desk at ``tmp_path/desk.sqlite``."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(tmp_path / "desk.sqlite")],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "holding"
    yield process
    process.kill()
    process.wait()
    process.stdout.close()


def test_a_decision_waits_for_the_one_another_process_applies_then_says_busy(
    tmp_path: Path, holder: subprocess.Popen[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage_module, "DECISION_WAIT_S", 0.2)
    with (
        open_storage(tmp_path / "desk.sqlite") as storage,
        pytest.raises(DecisionBusyError, match="trip~1"),
        storage.deciding("trip~1"),
    ):
        pass


def test_a_process_killed_while_deciding_leaves_no_lock_behind(
    tmp_path: Path, holder: subprocess.Popen[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage_module, "DECISION_WAIT_S", 5.0)
    holder.kill()
    holder.wait()
    decided = False
    with open_storage(tmp_path / "desk.sqlite") as storage, storage.deciding("trip~1"):
        decided = True
    assert decided
