"""The main job on the embedded defaults: the IROPS graph over a disrupted itinerary.

A traveller flies BA117 London Heathrow to New York JFK, connecting to AA1830 to Boston. The
simulated day delays BA117 by nearly four hours, so the connection is lost. The primary
provider is down for the whole run (a simulated outage), so every answer comes from the
backup: the report shows the failover, the missed connection, the rebooking the graph proposes
and UK261 compensation. The approval step is answered automatically, and the output says so.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.runnables import RunnableConfig
from langgraph.types import Command

from flight_agent.clock import SYSTEM_CLOCK, Clock
from flight_agent.providers import MockFlightDataProvider
from flight_agent.services import EnhancedFlightMonitoringService
from flight_agent.settings import Settings
from graphs.checkpoints import memory_checkpointer
from graphs.irops_graph import build_irops_graph
from graphs.report import IropsReport

DEMO_SCENARIOS = {"BA117": "major_delay", "AA1830": "on_time"}
"""What the simulated day does to the demo's flights."""


def demo_itinerary(day: dt.date) -> list[dict[str, str]]:
    """BA117 LHR-JFK connecting to AA1830 JFK-BOS on ``day``."""
    return [
        {"flight_number": "BA117", "date": day.isoformat(), "origin": "LHR"},
        {"flight_number": "AA1830", "date": day.isoformat(), "origin": "JFK"},
    ]


def demo_service(seed: int = 0, *, clock: Clock = SYSTEM_CLOCK) -> EnhancedFlightMonitoringService:
    """A primary in a simulated outage and a simulated backup; memory cache, no Redis."""
    primary = MockFlightDataProvider(
        "AeroAPI (simulated outage)",
        10,
        seed=seed,
        clock=clock,
        scenarios=DEMO_SCENARIOS,
        error_rate=1.0,
    )
    backup = MockFlightDataProvider(
        "Simulated backup", 5, seed=seed, clock=clock, scenarios=DEMO_SCENARIOS
    )
    return EnhancedFlightMonitoringService(
        providers=[primary, backup], settings=Settings(redis_url=None), clock=clock
    )


def run_demo(
    model: BaseChatModel | None = None, *, day: dt.date | None = None, approve: bool = True
) -> tuple[dict[str, Any], IropsReport]:
    """Run the graph over the demo itinerary, answer its approval request, return the report.

    Returns:
        The interrupt's request (what a human was asked) and the final report.
    """
    day = day or dt.datetime.now(dt.UTC).date()
    graph = build_irops_graph(model, service=demo_service(), checkpointer=memory_checkpointer())
    config: RunnableConfig = {"configurable": {"thread_id": "demo"}}
    done = graph.invoke({"itinerary": demo_itinerary(day)}, config)
    interrupts = done.get("__interrupt__", ())
    request: dict[str, Any] = interrupts[0].value if interrupts else {}
    if interrupts:
        done = graph.invoke(Command(resume="approve" if approve else "reject"), config)
    report = done["report"]
    assert isinstance(report, IropsReport)
    return request, report
