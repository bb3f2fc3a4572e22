"""Flight-data providers behind one interface, and the normalized record they return."""

from flight_agent.models import FlightStatus, FlightStatusData
from flight_agent.providers.flightaware_provider import FlightAwareProvider
from flight_agent.providers.interfaces import FlightDataProvider, ProviderHealth, QueryOutcome

__all__ = [
    "FlightAwareProvider",
    "FlightDataProvider",
    "FlightStatus",
    "FlightStatusData",
    "ProviderHealth",
    "QueryOutcome",
]
