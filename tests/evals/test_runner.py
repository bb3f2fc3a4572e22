"""The eval runner: the offline model over the dev split, bounded concurrency, latency and
tokens, a model failing mid-run, and the command line's report per split."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from evals import Report, load_cases, run_eval
from evals.__main__ import main
from evals.runner import (
    ModelFailedError,
    bounded_map,
    default_concurrency,
    model_factory,
    run_cases,
)
from evals.scripted_api import ScriptedChatServer

OVERALL_FLOORS = {"passed": 0.97, "exact": 0.75, "tool_selection": 0.97}
"""A little under the offline model's 100 % / 79 % / 100 % on the 554 dev cases."""

PASS_FLOORS = {
    "status": 0.95,
    "batch": 0.95,
    "health": 0.95,
    "connection": 0.9,
    "rights": 0.95,
    "alternatives": 0.95,
    "disruption": 0.95,
    "follow_up": 0.95,
    "relative_date": 0.95,
    "clarify": 0.95,
    "out_of_scope": 0.95,
    "hostile": 0.95,
}
"""Per category, a little under the measured rate by meaning (or behaviour)."""

TRAJECTORY_FLOOR = 0.9
"""A little under the 56 of 59 full runs measured."""

HELD_OUT_FLOOR = 0.90
"""The target on the 144 held-out cases, which were written before the offline model was
changed and never used to tune it; it scores 132 of 144 (91.7 %)."""


@pytest.fixture(scope="module")
def report() -> Report:
    return run_eval({"dev": load_cases()}, "offline")


def test_the_held_out_split_stays_above_its_floor() -> None:
    """The offline model on cases it was never tuned on: the fair estimate for new phrasing."""
    held_out = run_eval({"heldout": load_cases(split="heldout")}, "offline", trajectory=False)
    assert held_out.splits["heldout"].overall.passed >= HELD_OUT_FLOOR


@pytest.mark.parametrize("rate", list(OVERALL_FLOORS))
def test_overall_scores_stay_above_the_floor(report: Report, rate: str) -> None:
    """Passed by meaning, exact and tool selection over the dev split stay at their level."""
    assert getattr(report.splits["dev"].overall, rate) >= OVERALL_FLOORS[rate]


@pytest.mark.parametrize("category", list(PASS_FLOORS))
def test_each_category_stays_above_its_floor(report: Report, category: str) -> None:
    """Every category passes at least as often as its floor."""
    assert report.splits["dev"].categories[category].passed >= PASS_FLOORS[category]


def test_exact_never_passes_what_meaning_fails(report: Report) -> None:
    """Arguments written exactly as expected mean what is expected: exact implies passed, and
    every failure says why."""
    results = report.splits["dev"].results
    assert [s.id for s in results if s.exact and not s.passed] == []
    assert [s.id for s in results if s.passed != (s.reason is None)] == []
    assert report.splits["dev"].failures == [s.id for s in results if not s.passed]


def test_the_trajectory_check_runs_the_chat_agent(report: Report) -> None:
    """The full runs on the simulated toolkit end in the offline assistant's answers, and enough
    of them match the expected calls."""
    journeys = report.splits["dev"].trajectory
    assert len(journeys) >= 5
    assert all("(offline assistant)" in t.answer for t in journeys)
    assert sum(t.passed for t in journeys) / len(journeys) >= TRAJECTORY_FLOOR


def test_each_case_records_latency_and_no_tokens_offline(report: Report) -> None:
    """Latency is measured per case; the offline model reports no token use, so none is shown."""
    results = report.splits["dev"].results
    assert all(s.latency_s is not None and s.latency_s >= 0 for s in results)
    assert all(s.input_tokens is None and s.output_tokens is None for s in results)
    assert report.splits["dev"].overall.input_tokens is None


def test_concurrency_changes_nothing_but_speed(report: Report) -> None:
    """Cases run four at a time come back in order with the same verdicts."""
    scores = run_cases(load_cases(), model_factory("offline"), concurrency=4)
    expected = [(s.id, s.passed, s.exact, s.reason) for s in report.splits["dev"].results]
    assert [(s.id, s.passed, s.exact, s.reason) for s in scores] == expected


def test_concurrency_is_bounded() -> None:
    """No more than ``concurrency`` items are worked on at once; results keep their order."""
    running, most = 0, 0
    lock = threading.Lock()
    # Each item waits until three run at once: a pool running fewer breaks the barrier, and
    # one running more shows in ``most``.
    together = threading.Barrier(3, timeout=5)

    def work(item: int) -> int:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        together.wait()
        with lock:
            running -= 1
        return item * 2

    assert bounded_map(work, range(12), 3) == [item * 2 for item in range(12)]
    assert most == 3


def test_default_concurrency() -> None:
    """A provider's model answers four cases at a time, the offline model one."""
    assert (default_concurrency("offline"), default_concurrency("openai:gpt-4.1-mini")) == (1, 4)


def test_a_model_failing_mid_run_names_the_case() -> None:
    """A model error stops the run with the case it failed on, the provider's error chained."""
    case = load_cases()[0]
    with ScriptedChatServer([]) as server:
        model = server.openai_model()
        with pytest.raises(ModelFailedError, match=case.id) as failed:
            run_cases([case], lambda now: model)
    assert "script exhausted" in str(failed.value.__cause__)


def test_the_command_line_reports_each_split(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``python -m evals`` runs dev and held-out, prints a table for each and writes one section
    per split; its status says whether every trajectory passed."""
    path = tmp_path / "out" / "report.json"
    status = main(["--model", "offline", "--report", str(path)])
    written = json.loads(path.read_text(encoding="utf-8"))
    assert (written["model"], written["concurrency"]) == ("offline", 1)
    assert list(written["splits"]) == ["dev", "heldout"]
    for split, section in written["splits"].items():
        cases = load_cases(split=split)
        assert [r["id"] for r in section["results"]] == [case.id for case in cases]
        assert set(section["categories"]) == {case.category for case in cases}
        assert set(section["overall"]) >= {"passed", "exact", "tool_selection", "latency_s"}
    journeys = [t for section in written["splits"].values() for t in section["trajectory"]]
    assert status == (0 if all(t["passed"] for t in journeys) else 1)
    printed = capsys.readouterr().out
    assert "offline, dev split" in printed
    assert "offline, heldout split" in printed


def test_one_split_is_one_section(tmp_path: Path) -> None:
    """``--split dev --concurrency 2`` reports the dev split alone, at that concurrency."""
    path = tmp_path / "report.json"
    argv = ["--split", "dev", "--concurrency", "2", "--no-trajectory", "--report", str(path)]
    assert main(argv) == 0
    written = json.loads(path.read_text(encoding="utf-8"))
    assert list(written["splits"]) == ["dev"]
    assert written["concurrency"] == 2
    assert written["splits"]["dev"]["trajectory"] == []
