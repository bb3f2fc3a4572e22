"""Scoring: normalized arguments, exact and subset matches, cases without calls."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from evals.dataset import EvalCase, SimpleToolCall
from evals.scoring import contains, normalize, score_case, summarize

TODAY = dt.date(2026, 11, 28)
DEFAULTS = {"find_alternative_flights": {"earliest": "00:00", "latest": "23:59", "max_results": 5}}


def case(expected: list[SimpleToolCall], match: str = "exact") -> EvalCase:
    return EvalCase.model_validate(
        {
            "id": "c",
            "category": "status",
            "now": "2026-11-28T12:00:00Z",
            "messages": [{"role": "human", "content": "?"}],
            "expected_tool_calls": [c.model_dump() for c in expected],
            "match": match,
        }
    )


def call(name: str, **args: Any) -> SimpleToolCall:
    return SimpleToolCall(name=name, args=args)


@pytest.mark.parametrize(
    ("name", "args", "expected"),
    [
        pytest.param(
            "get_flight_status",
            {"flight_number": "BAW 117", "date": "tomorrow", "origin": "lhr"},
            {"flight_number": "BA117", "date": "2026-11-29", "origin": "LHR"},
            id="designator-date-airport",
        ),
        pytest.param(
            "get_flight_status",
            {"flight_number": "BA117", "date": None},
            {"flight_number": "BA117"},
            id="none-dropped",
        ),
        pytest.param(
            "find_alternative_flights",
            {"origin": "LHR", "destination": "JFK", "earliest": "00:00", "max_results": 3},
            {"origin": "LHR", "destination": "JFK", "max_results": 3},
            id="defaults-dropped",
        ),
        pytest.param(
            "batch_status",
            {"flights": [{"flight_number": "ba117", "date": "yesterday"}]},
            {"flights": [{"flight_number": "BA117", "date": "2026-11-27"}]},
            id="nested",
        ),
    ],
)
def test_arguments_are_normalized(
    name: str, args: dict[str, Any], expected: dict[str, Any]
) -> None:
    """Equivalent spellings of the same arguments normalize to one form."""
    assert normalize(name, args, TODAY, DEFAULTS) == expected


def test_contains_allows_extra_keys_but_not_extra_items() -> None:
    """Dicts may have more keys; lists must have the same length."""
    assert contains({"a": 1, "b": 2}, {"a": 1})
    assert contains({"f": [{"a": 1, "b": 2}]}, {"f": [{"a": 1}]})
    assert not contains({"f": [{"a": 1}, {"a": 2}]}, {"f": [{"a": 1}]})
    assert not contains({"a": 2}, {"a": 1})


def test_exact_and_subset_scores_differ_on_extra_arguments() -> None:
    """An extra argument passes a subset case but not an exact one."""
    expected = [call("get_flight_status", flight_number="BA117")]
    actual = [call("get_flight_status", flight_number="BA117", origin="LHR")]
    exact = score_case(case(expected), actual, "", {})
    subset = score_case(case(expected, "subset"), actual, "", {})
    assert (exact.tool_selection, exact.args_exact, exact.args_subset) == (True, False, True)
    assert (exact.passed, subset.passed) == (False, True)


def test_tool_selection_counts_calls() -> None:
    """The same tool twice where once is expected is the wrong selection."""
    expected = [call("assess_disruption", flight_number="QF1")]
    actual = [expected[0], call("assess_disruption", flight_number="QF2")]
    score = score_case(case(expected, "subset"), actual, "", {})
    assert not score.tool_selection
    assert not score.passed


def test_a_no_call_case_needs_a_reply() -> None:
    """Expecting no call passes only when the model answered in words."""
    assert score_case(case([]), [], "Which flight?", {}).passed
    assert not score_case(case([]), [], "", {}).passed
    assert not score_case(case([]), [call("provider_health")], "", {}).passed


def test_summaries_are_rates() -> None:
    """A summary gives the share of cases that passed each check."""
    expected = [call("provider_health")]
    scores = [
        score_case(case(expected), expected, "", {}),
        score_case(case(expected), [], "no", {}),
    ]
    summary = summarize(scores)
    assert (summary.cases, summary.tool_selection, summary.passed) == (2, 0.5, 0.5)
