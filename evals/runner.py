"""Run the eval cases through a chat model and build the report.

Each case is one model turn: the model, bound to the real tools' schemas (``FlightToolkit``),
sees what the chat agent would send it (``EvalCase.model_input``: the agent's own system prompt
at the case's time, then the conversation), and its reply is scored without running any tool
(``evals.scoring``). Cases run on a bounded thread pool; each records the model's latency and the
tokens it reports using. ``evals.trajectory`` runs the full loop for the cases marked for it.

Each split (dev, held-out, or a dataset file) is reported on its own: overall, per category,
the ids that failed, the trajectories and every case's score.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from langchain_core.language_models import BaseChatModel
from langchain_core.tools import BaseTool
from pydantic import BaseModel, Field

from evals.dataset import EvalCase, SimpleToolCall
from evals.scoring import CaseScore, Summary, by_category, score_case, summarize
from evals.trajectory import TrajectoryResult, require_agentevals, run_trajectory
from flight_agent.clock import FakeClock
from graphs.models import OFFLINE, select_model
from tools import FlightToolkit

ModelFactory = Callable[[dt.datetime], BaseChatModel]
"""Gives the model under test for a case's ``now`` (the offline model reads dates with it)."""

PROVIDER_CONCURRENCY = 4
"""Cases a provider's model answers at once by default: a little parallelism, under rate limits."""
OFFLINE_CONCURRENCY = 1
"""The offline model answers in milliseconds on the CPU, holding the GIL: threads would not help."""


class ModelFailedError(RuntimeError):
    """The model under test failed on a case (a refused key, a network error); the cause is
    chained."""

    def __init__(self, case_id: str) -> None:
        super().__init__(f"the model failed on case {case_id!r}")
        self.case_id = case_id


class SplitReport(BaseModel):
    """One split's results."""

    overall: Summary
    categories: dict[str, Summary]
    failures: list[str] = Field(description="Ids of the cases that failed by meaning")
    trajectory: list[TrajectoryResult]
    results: list[CaseScore]


class Report(BaseModel):
    """What ``python -m evals`` prints and writes: one section per split."""

    model: str
    concurrency: int
    splits: dict[str, SplitReport]


def default_concurrency(name: str) -> int:
    """How many cases run at once for the model ``name`` unless told otherwise."""
    return OFFLINE_CONCURRENCY if name.strip() == OFFLINE else PROVIDER_CONCURRENCY


def model_factory(name: str) -> ModelFactory:
    """The model ``name`` as ``select_model`` builds it: the offline model on a clock set to each
    case's ``now``; a provider's model built once and shared by every case."""
    if name.strip() == OFFLINE:
        return lambda now: select_model(OFFLINE, clock=FakeClock(now))
    model = select_model(name)
    return lambda now: model


T = TypeVar("T")
R = TypeVar("R")


def bounded_map(work: Callable[[T], R], items: Iterable[T], concurrency: int) -> list[R]:
    """``work`` on each item, at most ``concurrency`` at a time, results in order; the first
    error stops the run (cases not started are dropped)."""
    pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="evals")
    try:
        return list(pool.map(work, items))
    finally:
        pool.shutdown(cancel_futures=True)


def run_case(case: EvalCase, model: BaseChatModel, tools: Sequence[BaseTool]) -> CaseScore:
    """One model turn on ``case``, scored, with its latency and token use.

    Raises:
        ModelFailedError: The model raised.
    """
    started = time.perf_counter()
    try:
        reply = model.bind_tools(tools).invoke(case.model_input())
    except Exception as error:
        raise ModelFailedError(case.id) from error
    latency = time.perf_counter() - started
    actual = [SimpleToolCall(name=c["name"], args=c["args"], id=c["id"]) for c in reply.tool_calls]
    usage = reply.usage_metadata
    return score_case(case, actual, reply.text).model_copy(
        update={
            "latency_s": latency,
            "input_tokens": usage["input_tokens"] if usage else None,
            "output_tokens": usage["output_tokens"] if usage else None,
        }
    )


def run_cases(
    cases: Sequence[EvalCase], factory: ModelFactory, *, concurrency: int = 1
) -> list[CaseScore]:
    """Every case, against the tools' schemas (no tool runs), in the order given."""
    toolkit = FlightToolkit()
    try:
        tools = toolkit.get_tools()
        return bounded_map(
            lambda case: run_case(case, factory(case.now), tools), cases, concurrency
        )
    finally:
        toolkit.close()


def run_split(
    cases: Sequence[EvalCase], factory: ModelFactory, *, concurrency: int, trajectory: bool
) -> SplitReport:
    """Score ``cases`` and, when asked, run the trajectories of those marked for it."""
    scores = run_cases(cases, factory, concurrency=concurrency)
    journeys = (
        bounded_map(
            lambda case: run_trajectory(case, factory(case.now)),
            [case for case in cases if case.trajectory],
            concurrency,
        )
        if trajectory
        else []
    )
    return SplitReport(
        overall=summarize(scores),
        categories=by_category(scores),
        failures=[score.id for score in scores if not score.passed],
        trajectory=journeys,
        results=scores,
    )


def run_eval(
    splits: Mapping[str, Sequence[EvalCase]],
    name: str,
    *,
    trajectory: bool = True,
    concurrency: int | None = None,
) -> Report:
    """Score each split's cases with the model ``name`` and, unless told not to, check their
    trajectories; ``concurrency`` cases at a time (``default_concurrency`` when None).

    Raises:
        AgentevalsMissingError: Trajectories are to be checked without agentevals installed.
        ModelSelectionError: The model cannot be built.
        ModelFailedError: The model failed on a case.
    """
    if trajectory:
        require_agentevals()
    workers = concurrency or default_concurrency(name)
    factory = model_factory(name)
    return Report(
        model=name,
        concurrency=workers,
        splits={
            split: run_split(cases, factory, concurrency=workers, trajectory=trajectory)
            for split, cases in splits.items()
        },
    )
