"""The eval dataset: enough cases in every category, each expecting calls the tools accept."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from evals.dataset import CATEGORIES, EvalCase, load_cases
from tools import FlightToolkit

MIN_CASES = 80
MIN_PER_CATEGORY = 5


@pytest.fixture(scope="module")
def cases() -> list[EvalCase]:
    return load_cases()


def test_the_dataset_covers_every_category(cases: list[EvalCase]) -> None:
    """At least 80 cases, and at least 5 in each category."""
    counts = Counter(case.category for case in cases)
    assert len(cases) >= MIN_CASES
    assert min(counts[category] for category in CATEGORIES) >= MIN_PER_CATEGORY, counts


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


def test_no_call_categories_expect_no_calls(cases: list[EvalCase]) -> None:
    """Clarifying questions and refusals expect no tool call; tool categories expect one."""
    for case in cases:
        if case.category in ("clarify", "out_of_scope"):
            assert case.expected_tool_calls == [], case.id
        elif case.category != "hostile":
            assert case.expected_tool_calls, case.id


def test_a_repeated_id_is_rejected(tmp_path: Path) -> None:
    """Two cases with one id make the dataset invalid."""
    line = (
        '{"id": "x", "category": "status", "now": "2026-11-28T12:00:00Z", '
        '"messages": [{"role": "human", "content": "BA117"}], "expected_tool_calls": []}'
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
        '"messages": [{"role": "human", "content": "BA117"}], "expected_tool_calls": []}\n',
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="dataset line 1"):
        load_cases(path)
