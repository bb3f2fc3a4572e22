"""The main job on the embedded defaults: the IROPS graph over tomorrow's disrupted itinerary.

A traveller flies BA117 London Heathrow to New York JFK tomorrow, connecting to AA1830 to
Boston. Both are showcase flights of the simulated world (``flight-agent scenarios``): BA117 is
3 h 30 late every day and AA1830 leaves on time, so the connection will be missed. The primary
provider is down for the whole run (a simulated outage), so every answer comes from the backup:
the report shows the failover, the missed connection, the rebooking onto the first JFK-BOS
flight the traveller can still make and UK261 compensation for reaching Boston 3 h 45 late. The
approval step is answered automatically, and the output says so.

The trip is tomorrow's so that, whatever the hour, neither flight has left yet: the report reads
the same on every run, apart from the dates.
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
from graphs.irops_graph import IropsInput, build_irops_graph
from graphs.models import select_model
from graphs.report import IropsReport
from tools import FlightToolkit
from tools.schemas import FlightRefDict


def demo_day(clock: Clock = SYSTEM_CLOCK) -> dt.date:
    """The travel day: tomorrow (UTC)."""
    return clock.now().date() + dt.timedelta(days=1)


def demo_itinerary(day: dt.date) -> list[FlightRefDict]:
    """BA117 LHR-JFK connecting to AA1830 JFK-BOS on ``day``."""
    return [
        {"flight_number": "BA117", "date": day.isoformat(), "origin": "LHR"},
        {"flight_number": "AA1830", "date": day.isoformat(), "origin": "JFK"},
    ]


def demo_service(seed: int = 0, *, clock: Clock = SYSTEM_CLOCK) -> EnhancedFlightMonitoringService:
    """A primary in a simulated outage and a simulated backup; memory cache, no Redis."""
    primary = MockFlightDataProvider(
        "AeroAPI (simulated outage)", 10, seed=seed, clock=clock, error_rate=1.0
    )
    backup = MockFlightDataProvider("Simulated backup", 5, seed=seed, clock=clock)
    return EnhancedFlightMonitoringService(
        providers=[primary, backup], settings=Settings(redis_url=None), clock=clock
    )


def run_demo(
    model: BaseChatModel | None = None,
    *,
    day: dt.date | None = None,
    approve: bool = True,
    clock: Clock = SYSTEM_CLOCK,
) -> tuple[dict[str, Any], IropsReport]:
    """Run the graph over the demo itinerary, answer its approval request, return the report.

    Args:
        model: The chat model; ``select_model`` (the offline model unless configured) if None.
        day: The travel day; tomorrow if None.
        approve: Answer the approval request with "approve", else "reject".
        clock: What "now" is for the providers, the rules engine and the model.

    Returns:
        The interrupt's request (what a human was asked) and the final report.
    """
    with FlightToolkit(service=demo_service(clock=clock)) as toolkit:
        graph = build_irops_graph(
            model or select_model(clock=clock),
            tools=toolkit,
            clock=clock,
            checkpointer=memory_checkpointer(),
        )
        config: RunnableConfig = {"configurable": {"thread_id": "demo"}}
        trip: IropsInput = {"itinerary": demo_itinerary(day or demo_day(clock))}
        done = graph.invoke(trip, config)
        interrupts = done.get("__interrupt__", ())
        request: dict[str, Any] = interrupts[0].value if interrupts else {}
        if interrupts:
            done = graph.invoke(Command(resume="approve" if approve else "reject"), config)
    report = done["report"]
    assert isinstance(report, IropsReport)
    return request, report
