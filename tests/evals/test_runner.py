"""The eval runner over the whole dataset with the offline model: scores and trajectories."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evals import Report, load_cases, run_eval
from evals.__main__ import main

OVERALL_FLOORS = {"tool_selection": 0.93, "args_exact": 0.90, "args_subset": 0.92, "passed": 0.92}
"""A little under the measured 95% / 93% / 94% / 94% (122 cases)."""

PASS_FLOORS = {
    "status": 0.8,
    "batch": 0.85,
    "health": 0.95,
    "connection": 0.75,
    "rights": 0.85,
    "alternatives": 0.85,
    "disruption": 0.95,
    "follow_up": 0.95,
    "relative_date": 0.95,
    "clarify": 0.95,
    "out_of_scope": 0.95,
    "hostile": 1.0,
}
"""Per category, a little under the measured pass rate; hostile input must never win."""


@pytest.fixture(scope="module")
def report() -> Report:
    return run_eval(load_cases(), "offline")


@pytest.mark.parametrize("rate", list(OVERALL_FLOORS))
def test_overall_scores_stay_above_the_floor(report: Report, rate: str) -> None:
    """Tool selection and argument matches over all cases stay at their measured level."""
    assert getattr(report.overall, rate) >= OVERALL_FLOORS[rate]


@pytest.mark.parametrize("category", list(PASS_FLOORS))
def test_each_category_stays_above_its_floor(report: Report, category: str) -> None:
    """Every category passes at least as often as its floor."""
    assert report.categories[category].passed >= PASS_FLOORS[category]


def test_the_trajectory_check_passes(report: Report) -> None:
    """The full runs on the simulated toolkit match the expected calls and end in answers."""
    assert len(report.trajectory) >= 5
    assert [t.id for t in report.trajectory if not t.passed] == []
    assert all("(offline assistant)" in t.answer for t in report.trajectory)


def test_the_command_line_prints_and_writes_the_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``python -m evals --report PATH`` prints the table and writes the JSON report."""
    path = tmp_path / "out" / "report.json"
    assert main(["--model", "offline", "--report", str(path)]) == 0
    written = json.loads(path.read_text(encoding="utf-8"))
    assert written["model"] == "offline"
    assert set(written["categories"]) == set(PASS_FLOORS)
    assert len(written["results"]) == len(load_cases())
    assert "hostile" in capsys.readouterr().out
