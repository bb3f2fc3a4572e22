"""Where the tools' service runs: its own thread by default, or the caller's event loop."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator

import pytest
from pydantic import ValidationError

from flight_agent.clock import FakeClock
from flight_agent.providers import MockFlightDataProvider
from flight_agent.services import EnhancedFlightMonitoringService
from flight_agent.settings import Settings
from tests.tools.conftest import NOW, simulated_toolkit
from tools import FlightToolkit

ARGS = {"flight_number": "BA117", "date": "2026-11-29"}


def service_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "flight-agent-service"]


@pytest.fixture
async def on_caller_loop() -> AsyncIterator[FlightToolkit]:
    clock = FakeClock(NOW)
    service = EnhancedFlightMonitoringService(
        providers=[MockFlightDataProvider("Simulated", clock=clock)],
        settings=Settings(redis_url=None),
        clock=clock,
    )
    kit = FlightToolkit(service=service, loop="caller")
    yield kit
    await kit.aclose()


async def test_on_the_callers_loop_calls_run_here_without_a_thread(
    on_caller_loop: FlightToolkit,
) -> None:
    """The tool answers, the service ran on this very loop, and no service thread started."""
    before = len(service_threads())
    tool = next(t for t in on_caller_loop.get_tools() if t.name == "get_flight_status")
    message = await tool.ainvoke({"type": "tool_call", "id": "1", "name": tool.name, "args": ARGS})
    assert message.artifact.flight.flight_id == "BA117"

    async def which_loop(_: object) -> asyncio.AbstractEventLoop:
        return asyncio.get_running_loop()

    assert await on_caller_loop.runner.call(which_loop) is asyncio.get_running_loop()
    assert len(service_threads()) == before


async def test_on_the_callers_loop_sync_calls_are_refused_with_what_to_do(
    on_caller_loop: FlightToolkit,
) -> None:
    """invoke() cannot wait on the loop it runs on: the error names ainvoke and loop='own'."""
    tool = next(t for t in on_caller_loop.get_tools() if t.name == "get_flight_status")
    with pytest.raises(RuntimeError, match=r"use ainvoke.*loop='own'"):
        tool.invoke(ARGS)
    with pytest.raises(RuntimeError, match="aclose"):
        on_caller_loop.close()


async def test_on_the_callers_loop_another_loop_is_refused(on_caller_loop: FlightToolkit) -> None:
    """The service belongs to the loop of its first call; another loop gets a clear error."""
    tool = next(t for t in on_caller_loop.get_tools() if t.name == "get_flight_status")
    await tool.ainvoke(ARGS)
    outcome: list[BaseException] = []

    def elsewhere() -> None:
        try:
            asyncio.run(tool.ainvoke(ARGS))
        except RuntimeError as error:
            outcome.append(error)

    thread = threading.Thread(target=elsewhere)
    thread.start()
    thread.join()
    assert len(outcome) == 1
    assert "first call" in str(outcome[0])


async def test_aclose_closes_the_service_and_later_calls_are_refused(
    on_caller_loop: FlightToolkit,
) -> None:
    """After aclose() a toolkit over a given service says it was closed."""
    tool = next(t for t in on_caller_loop.get_tools() if t.name == "get_flight_status")
    await tool.ainvoke(ARGS)
    await on_caller_loop.aclose()
    with pytest.raises(RuntimeError, match="was closed"):
        await tool.ainvoke(ARGS)


def test_an_unknown_loop_choice_is_refused() -> None:
    """Only 'own' and 'caller' exist."""
    with pytest.raises(ValidationError, match="'own' or 'caller'"):
        FlightToolkit(loop="thread")  # type: ignore[arg-type]


def test_the_service_thread_starts_with_the_first_call_and_a_with_block_stops_it() -> None:
    """Building a toolkit and its tools starts nothing; leaving the block closes what started."""
    before = len(service_threads())
    with simulated_toolkit(FakeClock(NOW)) as toolkit:
        tool = next(t for t in toolkit.get_tools() if t.name == "get_flight_status")
        assert len(service_threads()) == before
        assert tool.invoke(ARGS)
        assert len(service_threads()) == before + 1
    assert len(service_threads()) == before
    with pytest.raises(RuntimeError, match="was closed"):
        tool.invoke(ARGS)


async def test_async_with_closes_the_service_on_the_callers_loop() -> None:
    """``async with`` a caller-loop toolkit closes its service on the way out."""
    clock = FakeClock(NOW)
    service = EnhancedFlightMonitoringService(
        providers=[MockFlightDataProvider("Simulated", clock=clock)],
        settings=Settings(redis_url=None),
        clock=clock,
    )
    async with FlightToolkit(service=service, loop="caller") as toolkit:
        tool = next(t for t in toolkit.get_tools() if t.name == "get_flight_status")
        await tool.ainvoke(ARGS)
    with pytest.raises(RuntimeError, match="was closed"):
        await tool.ainvoke(ARGS)
