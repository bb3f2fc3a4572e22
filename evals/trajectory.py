"""The trajectory check: the chat agent on the simulated toolkit, judged by agentevals.

For each case marked ``"trajectory": true`` the chat agent (``graphs.build_chat_agent``, the
agent that runs, prompt and bounds included) runs the model to its answer against a toolkit over
the deterministic simulated provider on a clock set to the case's ``now``. agentevals'
``superset`` trajectory match then checks that the run made at least the expected tool calls,
each containing the expected arguments by meaning (``evals.scoring.agrees`` in subset mode: IATA
or ICAO, 'today' or today's date, a batch in any order); the run must also end in a text answer,
with every tool call succeeding. agentevals comes with the ``evals`` extra and is imported only
when a trajectory is judged.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
from collections.abc import Callable
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, ToolMessage
from langgraph.graph import MessagesState
from pydantic import BaseModel

from evals.dataset import EvalCase
from evals.scoring import agrees
from flight_agent.clock import FakeClock
from flight_agent.providers import MockFlightDataProvider
from flight_agent.services import EnhancedFlightMonitoringService
from flight_agent.settings import Settings
from graphs.chat_agent import build_chat_agent
from graphs.turns import is_fallback
from tools import FlightToolkit

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


def args_matcher(name: str, now: dt.datetime) -> ArgsMatcher:
    """agentevals' argument check for tool ``name`` at ``now``: the run's arguments contain what
    the reference's state, by meaning."""

    def agree(output: dict[str, Any], reference: dict[str, Any]) -> bool:
        return agrees(name, reference, output, now, "subset")

    return agree


def run_trajectory(case: EvalCase, model: BaseChatModel) -> TrajectoryResult:
    """Run ``case`` to the model's answer and judge the trajectory."""
    from agentevals.trajectory.match import create_trajectory_match_evaluator

    given = case.conversation()
    with simulated_toolkit(case.now) as toolkit:
        tools = toolkit.get_tools()
        agent = build_chat_agent(model, tools=tools, clock=FakeClock(case.now))
        state: MessagesState = {"messages": given}
        messages: list[BaseMessage] = agent.invoke(state)["messages"]
    evaluator = create_trajectory_match_evaluator(
        trajectory_match_mode="superset",
        tool_args_match_mode="superset",
        tool_args_match_overrides={tool.name: args_matcher(tool.name, case.now) for tool in tools},
    )
    run = messages[len(given) - 1 :]
    judged = evaluator(outputs=run, reference_outputs=_reference(case))
    last = messages[-1]
    answered = isinstance(last, AIMessage) and not is_fallback(last) and bool(last.text.strip())
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
