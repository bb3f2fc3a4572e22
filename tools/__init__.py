"""LangChain tools over the flight-agent service.

The module-level tools (``from tools import get_flight_status``, one per entry of
``tools.specs.TOOL_SPECS``) bind lazily to a default service built from settings on first use
(no I/O at import); ``FlightToolkit(service)`` binds them to a service of your own.
"""

from langchain_core.tools import BaseTool

from tools.langchain_tools import make_tools
from tools.service_runner import ServiceRunner
from tools.toolkit import FlightToolkit, close_shared_toolkits, shared_toolkit

default_runner = ServiceRunner()
"""Runs the default service, built from the environment on the first tool call."""

default_tools = {tool.name: tool for tool in make_tools(default_runner)}
"""Every tool bound to the default service, by name."""


def __getattr__(name: str) -> BaseTool:
    """The default tool called ``name``, as a module attribute (``tools.batch_status``)."""
    try:
        return default_tools[name]
    except KeyError:
        raise AttributeError(f"module 'tools' has no attribute {name!r}") from None


__all__ = [
    "FlightToolkit",
    "ServiceRunner",
    "close_shared_toolkits",
    "shared_toolkit",
    "default_runner",
    "default_tools",
    *default_tools,
]
