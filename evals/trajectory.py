"""The trajectory check: model -> tools -> model on the simulated toolkit, judged by agentevals.

For each case marked ``"trajectory": true`` the model runs to its answer against a toolkit over
the deterministic simulated provider on a clock set to the case's ``now``. agentevals'
``superset`` trajectory match then checks that the run made at least the expected tool calls,
comparing arguments with this package's normalized subset match (``evals.scoring``); the run
must also end in a text answer, with every tool call succeeding. agentevals comes with the
``evals`` extra and is imported only when a trajectory is judged.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
from collections.abc import Callable, Sequence
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, ToolCall, ToolMessage
from langchain_core.tools import BaseTool
from pydantic import BaseModel

from evals.dataset import EvalCase
from evals.scoring import Defaults, contains, normalize, tool_defaults
from flight_agent.clock import FakeClock
from flight_agent.providers import MockFlightDataProvider
from flight_agent.services import EnhancedFlightMonitoringService
from flight_agent.settings import Settings
from tools import FlightToolkit

MAX_ROUNDS = 3
"""Model turns per run; the offline model needs two (tools, then the answer)."""
EVALS_EXTRA = "pip install 'flight-agent[evals]'"


class AgentevalsMissingError(ImportError):
    """agentevals, which judges the trajectories, is not installed."""


def require_agentevals() -> None:
    """Make sure trajectories can be judged.

    Raises:
        AgentevalsMissingError: agentevals is not installed; the message says how to get it.
    """
    if importlib.util.find_spec("agentevals") is None:
        raise AgentevalsMissingError(f"The trajectory check needs agentevals: {EVALS_EXTRA}")


class TrajectoryResult(BaseModel):
    """How one full run went."""

    id: str
    matched: bool
    answered: bool
    tools_ok: bool
    passed: bool
    tool_calls: list[str]
    answer: str


def simulated_toolkit(now: dt.datetime) -> FlightToolkit:
    """Tools over the simulated provider on a clock stopped at ``now``; memory only."""
    clock = FakeClock(now)
    service = EnhancedFlightMonitoringService(
        providers=[MockFlightDataProvider("Simulated", clock=clock)],
        settings=Settings(redis_url=None),
        clock=clock,
    )
    return FlightToolkit(service=service)


ArgsMatcher = Callable[[dict[str, Any], dict[str, Any]], bool]


def args_matcher(name: str, today: dt.date, defaults: Defaults) -> ArgsMatcher:
    """agentevals' argument check for tool ``name``: normalized reference args are contained."""

    def agree(output: dict[str, Any], reference: dict[str, Any]) -> bool:
        return contains(
            normalize(name, output, today, defaults), normalize(name, reference, today, defaults)
        )

    return agree


def _run_tool(tools: dict[str, BaseTool], call: ToolCall) -> ToolMessage:
    tool = tools.get(call["name"])
    if tool is None:
        return ToolMessage(
            content=f"{call['name']} is not a tool", tool_call_id=call["id"] or "", status="error"
        )
    result = tool.invoke(call)
    assert isinstance(result, ToolMessage)
    return result


def run_trajectory(case: EvalCase, model: BaseChatModel) -> TrajectoryResult:
    """Run ``case`` to the model's answer and judge the trajectory."""
    from agentevals.trajectory.match import create_trajectory_match_evaluator

    toolkit = simulated_toolkit(case.now)
    try:
        tools = {tool.name: tool for tool in toolkit.get_tools()}
        bound = model.bind_tools(list(tools.values()))
        messages = case.model_input()
        start = len(messages) - 1
        for _ in range(MAX_ROUNDS):
            reply = bound.invoke(messages)
            messages.append(reply)
            if not isinstance(reply, AIMessage) or not reply.tool_calls:
                break
            messages += [_run_tool(tools, call) for call in reply.tool_calls]
    finally:
        toolkit.close()
    today = case.now.astimezone(dt.UTC).date()
    defaults = tool_defaults(list(tools.values()))
    evaluator = create_trajectory_match_evaluator(
        trajectory_match_mode="superset",
        tool_args_match_mode="superset",
        tool_args_match_overrides={name: args_matcher(name, today, defaults) for name in tools},
    )
    run = messages[start:]
    judged = evaluator(outputs=run, reference_outputs=_reference(case))
    last = messages[-1]
    answered = isinstance(last, AIMessage) and not last.tool_calls and bool(last.text.strip())
    results = [m for m in run if isinstance(m, ToolMessage)]
    tools_ok = bool(results) and all(m.status == "success" for m in results)
    matched = bool(judged["score"])
    return TrajectoryResult(
        id=case.id,
        matched=matched,
        answered=answered,
        tools_ok=tools_ok,
        passed=matched and answered and tools_ok,
        tool_calls=[m.name or "?" for m in results],
        answer=last.text,
    )


def _reference(case: EvalCase) -> list[dict[str, Any]]:
    """The expected trajectory in OpenAI form: the user turn, then the expected calls."""
    calls = [
        {"function": {"name": c.name, "arguments": json.dumps(c.args)}}
        for c in case.expected_tool_calls
    ]
    return [
        {"role": "user", "content": case.messages[-1].content},
        {"role": "assistant", "content": "", "tool_calls": calls},
    ]


def run_trajectories(
    cases: Sequence[EvalCase], factory: Callable[[dt.datetime], BaseChatModel]
) -> list[TrajectoryResult]:
    """The full run of each case."""
    return [run_trajectory(case, factory(case.now)) for case in cases]
