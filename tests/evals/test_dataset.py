"""The eval datasets: enough cases in every category and for every tool, each expecting calls
the tools accept; a held-out split apart from the development one."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from evals.dataset import CATEGORIES, EvalCase, load_cases
from tools import FlightToolkit
from tools.specs import TOOL_SPECS

MIN_CASES = 300
MIN_HELD_OUT = 100
MIN_PER_CATEGORY = 5
MIN_TRAJECTORIES = 30


@pytest.fixture(scope="module", params=["dev", "heldout"])
def cases(request: pytest.FixtureRequest) -> list[EvalCase]:
    return load_cases(split=request.param)


def test_each_split_covers_every_category_and_tool(cases: list[EvalCase]) -> None:
    """At least 5 cases in each category, and every tool expected somewhere."""
    counts = Counter(case.category for case in cases)
    assert min(counts[category] for category in CATEGORIES) >= MIN_PER_CATEGORY, counts
    called = {call.name for case in cases for call in case.expected_tool_calls}
    assert called == {spec.name for spec in TOOL_SPECS}


def test_the_splits_are_large_and_apart() -> None:
    """300 development cases with 30 full trajectories, 100 held out, no id in both."""
    dev, held_out = load_cases(split="dev"), load_cases(split="heldout")
    assert len(dev) >= MIN_CASES
    assert sum(case.trajectory for case in dev) >= MIN_TRAJECTORIES
    assert len(held_out) >= MIN_HELD_OUT
    assert not {case.id for case in dev} & {case.id for case in held_out}


def test_expected_calls_are_valid_tool_calls(cases: list[EvalCase]) -> None:
    """Every expected call names a real tool, with arguments its schema accepts."""
    toolkit = FlightToolkit()
    try:
        schemas = {tool.name: tool.args_schema for tool in toolkit.get_tools()}
    finally:
        toolkit.close()
    for case in cases:
        for call in case.expected_tool_calls:
            schema = schemas[call.name]
            assert isinstance(schema, type)
            schema.model_validate(call.args)


def test_no_call_categories_expect_behaviour(cases: list[EvalCase]) -> None:
    """Clarify cases ask for what is missing; out-of-scope cases make no call."""
    for case in cases:
        if case.category == "clarify":
            assert case.expect == "clarify", case.id
        if case.category == "out_of_scope":
            assert case.expect in ("refuse", "answer"), case.id


def test_a_repeated_id_is_rejected(tmp_path: Path) -> None:
    """Two cases with one id make the dataset invalid."""
    line = (
        '{"id": "x", "category": "status", "now": "2026-11-28T12:00:00Z", '
        '"messages": [{"role": "human", "content": "BA117"}], "expected_tool_calls": [], '
        '"expect": "answer"}'
    )
    path = tmp_path / "cases.jsonl"
    path.write_text(f"{line}\n{line}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="repeated case ids: x"):
        load_cases(path)


def test_a_naive_now_is_rejected(tmp_path: Path) -> None:
    """A case's ``now`` must carry a time zone."""
    path = tmp_path / "cases.jsonl"
    path.write_text(
        '{"id": "x", "category": "status", "now": "2026-11-28T12:00:00", '
        '"messages": [{"role": "human", "content": "BA117"}], "expected_tool_calls": [], '
        '"expect": "answer"}\n',
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="dataset line 1"):
        load_cases(path)
