"""The flight tools as a model meets them: compact answers, typed artifacts, actionable errors."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from datetime import UTC, datetime
from typing import Any

import pytest
from langchain_core.messages import AIMessage, ToolMessage
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.prebuilt import ToolNode

from flight_agent.clock import FakeClock
from flight_agent.errors import ProviderUnavailableError
from flight_agent.providers import MockFlightDataProvider
from tests.tools.conftest import simulated_toolkit
from tools import FlightToolkit
from tools.payloads import BatchStatusResult, FlightStatusResult, ProviderHealthResult


def call(name: str, args: dict[str, Any], call_id: str = "call-1") -> dict[str, Any]:
    return {"type": "tool_call", "id": call_id, "name": name, "args": args}


def tools_of(toolkit: FlightToolkit) -> dict[str, Any]:
    return {tool.name: tool for tool in toolkit.get_tools()}


def run_tool_node(toolkit: FlightToolkit, calls: list[dict[str, Any]]) -> list[ToolMessage]:
    """Run tool calls through a real one-node LangGraph graph, as an agent would."""
    graph = StateGraph(MessagesState)
    graph.add_node("tools", ToolNode(toolkit.get_tools(), handle_tool_errors=True))
    graph.add_edge(START, "tools")
    graph.add_edge("tools", END)
    message = AIMessage(content="", tool_calls=[{**c, "type": "tool_call"} for c in calls])
    result = graph.compile().invoke({"messages": [message]})
    return [m for m in result["messages"] if isinstance(m, ToolMessage)]


def test_a_status_answer_is_compact_and_the_artifact_is_the_full_record(
    toolkit: FlightToolkit,
) -> None:
    """Content fits 600 characters with status, local and UTC times, delay, gates, provider, age."""
    message = tools_of(toolkit)["get_flight_status"].invoke(
        call("get_flight_status", {"flight_number": "BA117", "date": "2026-11-29"})
    )
    assert message.status == "success"
    assert len(message.content) <= 600
    result = message.artifact
    assert isinstance(result, FlightStatusResult)
    flight = result.flight
    assert flight.flight_id == "BA117"
    for fact in ("BA117", "LHR", "JFK", "GMT", "Z)", "Source Simulated", "old", "gate"):
        assert fact in message.content
    assert result.query.date_note == "as given"


def test_the_date_defaults_to_today_at_the_origin(toolkit: FlightToolkit) -> None:
    """Without a date, 'today' is read at the origin and the answer says so."""
    message = tools_of(toolkit)["get_flight_status"].invoke(
        call("get_flight_status", {"flight_number": "QF1", "origin": "SYD"})
    )
    assert message.artifact.query.date_note == "today at SYD"
    assert "today at SYD" in message.content


def test_sync_invocation_works_inside_a_running_event_loop(toolkit: FlightToolkit) -> None:
    """A notebook cell calls invoke() while its loop runs: it still answers."""

    async def cell() -> str:
        return str(tools_of(toolkit)["get_flight_status"].invoke({"flight_number": "AF6"}))

    assert "AF6" in asyncio.run(cell())


async def test_async_invocation_answers_the_same_payload(toolkit: FlightToolkit) -> None:
    """ainvoke gives the same artifact type as invoke."""
    message = await tools_of(toolkit)["batch_status"].ainvoke(
        call("batch_status", {"flights": [{"flight_number": "BA117"}, {"flight_number": "ZZ9999"}]})
    )
    result = message.artifact
    assert isinstance(result, BatchStatusResult)
    assert (result.found, result.failed) == (1, 1)
    assert result.items[1].error_kind == "not_found"
    assert "ZZ9999: not_found" in message.content


def test_provider_health_names_the_providers(toolkit: FlightToolkit) -> None:
    """Health lists each provider's state; an unknown name is an error listing the real ones."""
    health = tools_of(toolkit)["provider_health"]
    message = health.invoke(call("provider_health", {}))
    assert isinstance(message.artifact, ProviderHealthResult)
    assert message.artifact.providers[0].state == "closed"
    unknown = health.invoke(call("provider_health", {"provider": "Nope"}))
    assert unknown.status == "error"
    assert "configured providers: Simulated" in unknown.content


BAD_CALLS = [
    pytest.param({"flight_number": "../x"}, "flight_number", id="path-characters"),
    pytest.param({"flight_number": "AA1?x=1"}, "flight_number", id="query-characters"),
    pytest.param({"flight_number": "BA117'; DROP TABLE"}, "flight_number", id="injection-like"),
    pytest.param({"flight_number": "B" * 10_000}, "flight_number", id="ten-thousand-characters"),
    pytest.param(
        {"flight_number": "BA117", "date": "2026-02-30"}, "calendar date", id="no-such-day"
    ),
    pytest.param({"flight_number": "BA117", "date": "next week"}, "date", id="words"),
    pytest.param(
        {"flight_number": "BA117", "origin": "QQQ"}, "Unknown airport", id="unknown-airport"
    ),
]


@pytest.mark.parametrize(("args", "expected"), BAD_CALLS)
def test_bad_input_is_a_tool_error_and_sends_nothing(
    toolkit: FlightToolkit, mock: MockFlightDataProvider, args: dict[str, Any], expected: str
) -> None:
    """Malformed arguments come back as an error message naming the problem; no provider call."""
    [message] = run_tool_node(toolkit, [call("get_flight_status", args)])
    assert message.status == "error"
    assert expected in message.content
    assert mock.calls == 0


def test_a_batch_of_more_than_100_is_refused_before_any_call(
    toolkit: FlightToolkit, mock: MockFlightDataProvider
) -> None:
    """101 items: an error that states the bound; nothing is fetched."""
    flights = [{"flight_number": f"BA{n}"} for n in range(1, 102)]
    [message] = run_tool_node(toolkit, [call("batch_status", {"flights": flights})])
    assert message.status == "error"
    assert "100" in message.content
    assert mock.calls == 0


def test_an_outage_without_a_copy_is_a_tool_error_with_a_hint(
    toolkit: FlightToolkit, mock: MockFlightDataProvider
) -> None:
    """Every provider failing and nothing cached: the model is told what to do next."""
    mock.fail_next(50, ProviderUnavailableError("simulated outage", provider="Simulated"))
    [message] = run_tool_node(toolkit, [call("get_flight_status", {"flight_number": "BA117"})])
    assert message.status == "error"
    assert message.content.startswith("providers_down:")
    assert "provider_health" in message.content


def test_an_outage_with_a_copy_answers_stale() -> None:
    """Every provider failing after the copy's TTL: the copy, marked STALE with its age."""
    clock = FakeClock(datetime(2026, 11, 29, 6, 0, tzinfo=UTC))
    toolkit = simulated_toolkit(clock=clock)
    tool = tools_of(toolkit)["get_flight_status"]
    tool.invoke({"flight_number": "BA117", "date": "2026-11-29"})
    clock.advance(2 * 3600)
    mock = toolkit.runner.service.failover_manager.providers[0]
    assert isinstance(mock, MockFlightDataProvider)
    mock.fail_next(50, ProviderUnavailableError("simulated outage", provider="Simulated"))
    message = tool.invoke(
        call("get_flight_status", {"flight_number": "BA117", "date": "2026-11-29"})
    )
    toolkit.close()
    assert message.status == "success"
    assert message.artifact.stale is True
    assert message.artifact.data_age_seconds == 7200
    assert "data 2.0 h old. STALE copy: every provider is failing" in message.content


def test_programming_errors_are_not_swallowed(toolkit: FlightToolkit) -> None:
    """A bug below the tool raises instead of turning into a polite message."""

    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("bug")

    toolkit.runner.service.lookup.get = broken  # type: ignore[method-assign]
    with pytest.raises(RuntimeError, match="bug"):
        tools_of(toolkit)["get_flight_status"].invoke({"flight_number": "BA117"})


def test_importing_the_tools_does_no_io() -> None:
    """Module-level tools build their service on first use, not at import."""
    code = "import tools; assert not tools.default_runner.is_built; print('ok')"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "ok"


def test_a_closed_toolkit_says_so_instead_of_using_a_closed_service() -> None:
    """After close(), a toolkit over a given service refuses calls with a clear error."""
    toolkit = simulated_toolkit()
    tool = tools_of(toolkit)["provider_health"]
    tool.invoke({})
    toolkit.close()
    with pytest.raises(RuntimeError, match="was closed"):
        tool.invoke({})
