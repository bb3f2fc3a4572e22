"""Run the eval cases through a chat model and build the report.

Each case is one model turn: the model, bound to the real tools' schemas (``FlightToolkit``),
sees the chat system prompt with the case's date and the conversation, and its tool calls are
scored without running any tool. ``evals.trajectory`` runs the full loop for a few cases.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage
from langchain_core.tools import BaseTool
from pydantic import BaseModel

from evals.dataset import EvalCase, SimpleToolCall
from evals.scoring import CaseScore, Summary, by_category, score_case, summarize, tool_defaults
from evals.trajectory import TrajectoryResult, require_agentevals, run_trajectories
from flight_agent.clock import FakeClock
from graphs.models import select_model
from tools import FlightToolkit

ModelFactory = Callable[[dt.datetime], BaseChatModel]
"""Builds the model under test for a case's ``now`` (the offline model reads dates with it)."""


class Report(BaseModel):
    """What ``python -m evals`` prints and writes."""

    model: str
    overall: Summary
    categories: dict[str, Summary]
    trajectory: list[TrajectoryResult]
    results: list[CaseScore]


def model_factory(name: str) -> ModelFactory:
    """Models named as ``select_model`` reads them, with a clock set to each case's ``now``."""
    return lambda now: select_model(name, clock=FakeClock(now))


def run_case(case: EvalCase, model: BaseChatModel, tools: Sequence[BaseTool]) -> CaseScore:
    """One model turn on ``case``, scored."""
    reply = model.bind_tools(tools).invoke(case.model_input())
    calls = reply.tool_calls if isinstance(reply, AIMessage) else []
    actual = [SimpleToolCall(name=c["name"], args=c["args"], id=c["id"]) for c in calls]
    return score_case(case, actual, reply.text, tool_defaults(tools))


def run_cases(cases: Sequence[EvalCase], factory: ModelFactory) -> list[CaseScore]:
    """Every case, against the tools' schemas (no tool runs)."""
    toolkit = FlightToolkit()
    try:
        tools = toolkit.get_tools()
        return [run_case(case, factory(case.now), tools) for case in cases]
    finally:
        toolkit.close()


def run_eval(cases: Sequence[EvalCase], name: str, *, trajectory: bool = True) -> Report:
    """Score ``cases`` with the model ``name`` and, unless told not to, check trajectories.

    Raises:
        AgentevalsMissingError: Trajectories are to be checked without agentevals installed.
    """
    if trajectory:
        require_agentevals()
    factory = model_factory(name)
    scores = run_cases(cases, factory)
    journeys = run_trajectories([c for c in cases if c.trajectory], factory) if trajectory else []
    return Report(
        model=name,
        overall=summarize(scores),
        categories=by_category(scores),
        trajectory=journeys,
        results=scores,
    )


def report_json(report: Report) -> dict[str, Any]:
    """The report as JSON data, with the ids of the failed cases under ``failures``."""
    data = report.model_dump(mode="json")
    data["failures"] = [score["id"] for score in data["results"] if not score["passed"]]
    return data
