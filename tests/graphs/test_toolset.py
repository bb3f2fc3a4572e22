"""Graphs share one service runner per service: building them costs no thread, closing frees all."""

from __future__ import annotations

import importlib
import threading
from typing import Any

import pytest
from langchain_core.messages import AIMessage, HumanMessage

from flight_agent.services import EnhancedFlightMonitoringService
from graphs import build_chat_agent, build_irops_graph
from tests.graphs.conftest import simulated_service
from tests.graphs.scripted import scripted
from tools import FlightToolkit, close_shared_toolkits, shared_toolkit


def service_threads() -> int:
    return sum(1 for t in threading.enumerate() if t.name == "flight-agent-service")


def status_then_answer() -> list[AIMessage | str]:
    call = {"name": "get_flight_status", "args": {"flight_number": "BA117"}, "id": "c1"}
    return [AIMessage(content="", tool_calls=[call]), "done"]


def test_building_graphs_starts_no_thread_and_running_many_uses_one() -> None:
    """Ten graphs over one service: none starts a thread when built; running all of them
    runs one service thread, and closing the shared toolkits stops it."""
    before = service_threads()
    service = simulated_service()
    agents = [build_chat_agent(scripted(*status_then_answer()), service=service) for _ in range(10)]
    irops = build_irops_graph(scripted("ok"), service=service)
    assert service_threads() == before
    for agent in agents:
        agent.invoke({"messages": [HumanMessage(content="BA117?")]})
    assert service_threads() == before + 1
    assert irops is not None
    close_shared_toolkits()
    assert service_threads() == before


def test_a_given_toolkit_is_the_callers_to_close() -> None:
    """With ``tools=toolkit`` the graph runs on that toolkit; closing it stops its thread."""
    before = service_threads()
    with FlightToolkit(service=simulated_service()) as toolkit:
        agent = build_chat_agent(scripted(*status_then_answer()), tools=toolkit)
        agent.invoke({"messages": [HumanMessage(content="BA117?")]})
        assert service_threads() == before + 1
    assert service_threads() == before


def test_the_studio_graphs_share_one_default_service(monkeypatch: pytest.MonkeyPatch) -> None:
    """``langgraph.json``'s graphs build no service when loaded and one between them when used."""
    keys = ("FLIGHTAWARE_API_KEY", "AERODATABOX_API_KEY", "AVIATIONSTACK_API_KEY")
    for name in (*keys, "FLIGHT_AGENT_MODEL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("REDIS_URL", "")
    built: list[object] = []
    original = EnhancedFlightMonitoringService.__init__

    def counting(self: EnhancedFlightMonitoringService, *args: Any, **kwargs: Any) -> None:
        built.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(EnhancedFlightMonitoringService, "__init__", counting)
    close_shared_toolkits()
    studio = importlib.reload(importlib.import_module("graphs.studio"))
    assert built == []
    for question in ("status of BA117", "status of LH400"):
        studio.chat.invoke({"messages": [HumanMessage(content=question)]})
    assert len(built) == 1
    assert shared_toolkit().runner.is_built
