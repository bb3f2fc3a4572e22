"""Where a graph's tools and clock come from: given by the caller, or shared per service.

A graph built without tools uses ``tools.shared_toolkit(service)``, so building graphs over one
service any number of times runs one service on one thread (started by the first tool call);
``tools.close_shared_toolkits()`` closes them. A caller that owns a ``FlightToolkit`` passes it
and closes it when done.
"""

from __future__ import annotations

from collections.abc import Sequence

from langchain_core.tools import BaseTool

from flight_agent.clock import SYSTEM_CLOCK, Clock
from flight_agent.services import EnhancedFlightMonitoringService
from tools import FlightToolkit
from tools.toolkit import shared_toolkit

ToolSource = FlightToolkit | Sequence[BaseTool] | None
"""A toolkit, a list of tools, or None for the service's shared toolkit."""


def tools_of(source: ToolSource, service: EnhancedFlightMonitoringService | None) -> list[BaseTool]:
    """The tools a graph uses."""
    if source is None:
        return shared_toolkit(service).get_tools()
    if isinstance(source, FlightToolkit):
        return source.get_tools()
    return list(source)


def clock_of(clock: Clock | None, service: EnhancedFlightMonitoringService | None) -> Clock:
    """The clock a graph reads "now" from: the one given, the service's, else the system's."""
    if clock is not None:
        return clock
    return service.clock if service is not None else SYSTEM_CLOCK
