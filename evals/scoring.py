"""Scoring a model's tool calls against a case's expectation.

Per case: **tool selection** (the same tools, each as many times), **exact arguments** (every
expected call has a call of the same tool with equal arguments) and **subset arguments** (the
expected arguments appear in the call; extra ones are allowed). A case passes on tool selection
plus the argument mode it names. Cases that expect no call pass when there is none and the
model replied with text.

Arguments are compared after normalization, so equivalent spellings agree: missing, None and
schema-default values are dropped; flight designators take their IATA form ('BAW117' is
'BA117'); airport codes are upper case; 'today', 'tomorrow' and 'yesterday' become dates
counted from the case's ``now``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from langchain_core.tools import BaseTool
from pydantic import BaseModel, Field
from pydantic_core import PydanticUndefined

from evals.dataset import EvalCase, SimpleToolCall
from flight_agent.errors import InvalidFlightQueryError
from flight_agent.flight_query import FlightDesignator
from tools.schemas import RELATIVE_DAYS

Defaults = Mapping[str, Mapping[str, Any]]
"""Per tool, the arguments' default values (dropped before comparing)."""


class CaseScore(BaseModel):
    """How one case went."""

    id: str
    category: str
    match: str
    tool_selection: bool
    args_exact: bool
    args_subset: bool
    passed: bool
    expected: list[SimpleToolCall]
    actual: list[SimpleToolCall]
    reply: str = Field(description="The model's text, when it answered without tools")


class Summary(BaseModel):
    """Rates over a group of cases (0 to 1)."""

    cases: int
    tool_selection: float
    args_exact: float
    args_subset: float
    passed: float


def tool_defaults(tools: Sequence[BaseTool]) -> dict[str, dict[str, Any]]:
    """Each tool's argument defaults, read from its pydantic schema."""
    found: dict[str, dict[str, Any]] = {}
    for tool in tools:
        schema = tool.args_schema
        fields = (
            schema.model_fields
            if isinstance(schema, type) and issubclass(schema, BaseModel)
            else {}
        )
        found[tool.name] = {
            name: info.default
            for name, info in fields.items()
            if info.default is not PydanticUndefined and info.default is not None
        }
    return found


def normalize(
    name: str, args: Mapping[str, Any], today: dt.date, defaults: Defaults
) -> dict[str, Any]:
    """``args`` of tool ``name`` in the comparable form described in the module docstring."""
    dropped = defaults.get(name, {})
    return {
        key: _value(key, value, today)
        for key, value in args.items()
        if value is not None and not (key in dropped and dropped[key] == value)
    }


def _value(key: str, value: Any, today: dt.date) -> Any:
    if isinstance(value, Mapping):
        return {k: _value(k, v, today) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_value(key, item, today) for item in value]
    if not isinstance(value, str):
        return value
    if key == "flight_number":
        try:
            return FlightDesignator.parse(value).flight_id
        except InvalidFlightQueryError:
            return value
    if key in ("origin", "destination"):
        return value.strip().upper()
    if key == "date" and value in RELATIVE_DAYS:
        return (today + dt.timedelta(days=RELATIVE_DAYS[value])).isoformat()
    if key == "provider":
        return value.casefold()
    return value


def contains(actual: Any, expected: Any) -> bool:
    """Whether ``expected`` is a part of ``actual``: keys of dicts, items of equal-length lists."""
    if isinstance(expected, Mapping):
        return isinstance(actual, Mapping) and all(
            key in actual and contains(actual[key], value) for key, value in expected.items()
        )
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(actual) == len(expected)
            and all(contains(a, e) for a, e in zip(actual, expected, strict=True))
        )
    return bool(actual == expected)


def _all_matched(
    expected: Sequence[SimpleToolCall],
    actual: Sequence[SimpleToolCall],
    agree: Callable[[dict[str, Any], dict[str, Any]], bool],
) -> bool:
    """Each expected call pairs with its own actual call of that tool whose args agree."""
    free = list(actual)
    for want in expected:
        pair = next((c for c in free if c.name == want.name and agree(c.args, want.args)), None)
        if pair is None:
            return False
        free.remove(pair)
    return True


def score_case(
    case: EvalCase, actual: Sequence[SimpleToolCall], reply: str, defaults: Defaults
) -> CaseScore:
    """Score the calls a model made (``actual``) and its text (``reply``) for ``case``."""
    today = case.now.astimezone(dt.UTC).date()
    want = [
        SimpleToolCall(name=c.name, args=normalize(c.name, c.args, today, defaults))
        for c in case.expected_tool_calls
    ]
    got = [
        SimpleToolCall(name=c.name, args=normalize(c.name, c.args, today, defaults), id=c.id)
        for c in actual
    ]
    selection = Counter(c.name for c in want) == Counter(c.name for c in got)
    exact = selection and _all_matched(want, got, lambda a, e: a == e)
    subset = selection and _all_matched(want, got, contains)
    passed = exact if case.match == "exact" else subset
    if not want:
        passed = passed and bool(reply.strip())
    return CaseScore(
        id=case.id,
        category=case.category,
        match=case.match,
        tool_selection=selection,
        args_exact=exact,
        args_subset=subset,
        passed=passed,
        expected=case.expected_tool_calls,
        actual=list(actual),
        reply=reply,
    )


def summarize(scores: Sequence[CaseScore]) -> Summary:
    """The rates over ``scores``."""
    count = len(scores) or 1
    return Summary(
        cases=len(scores),
        tool_selection=sum(s.tool_selection for s in scores) / count,
        args_exact=sum(s.args_exact for s in scores) / count,
        args_subset=sum(s.args_subset for s in scores) / count,
        passed=sum(s.passed for s in scores) / count,
    )


def by_category(scores: Sequence[CaseScore]) -> dict[str, Summary]:
    """A summary per category, in the order categories first appear."""
    names = list(dict.fromkeys(score.category for score in scores))
    return {name: summarize([s for s in scores if s.category == name]) for name in names}
