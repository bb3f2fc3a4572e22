"""LangChain tools over the flight-agent service.

The module-level tools bind lazily to a default service built from settings on first use (no
I/O at import); ``FlightToolkit(service)`` binds them to a service of your own.
"""

from tools.flight_tools import make_flight_tools
from tools.irops_tools import make_irops_tools
from tools.service_runner import ServiceRunner
from tools.toolkit import FlightToolkit

default_runner = ServiceRunner()
"""Runs the default service, built from the environment on the first tool call."""

get_flight_status, batch_status, provider_health = make_flight_tools(default_runner)
check_connection, assess_disruption, passenger_rights, find_alternative_flights = make_irops_tools(
    default_runner
)

__all__ = [
    "FlightToolkit",
    "ServiceRunner",
    "assess_disruption",
    "batch_status",
    "check_connection",
    "default_runner",
    "find_alternative_flights",
    "get_flight_status",
    "passenger_rights",
    "provider_health",
]
