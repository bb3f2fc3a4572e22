"""Flight-data providers behind one interface, the failover manager, and the normalized record."""

from flight_agent.models import FlightStatus, FlightStatusData
from flight_agent.providers.aerodatabox_provider import AeroDataBoxProvider
from flight_agent.providers.aviationstack_provider import AviationStackProvider
from flight_agent.providers.failover import (
    FailoverConfig,
    FailoverManager,
    Operation,
    ProviderStats,
    RateLimit,
)
from flight_agent.providers.flightaware_provider import FlightAwareProvider
from flight_agent.providers.interfaces import (
    DepartureBoard,
    FlightDataProvider,
    ProviderHealth,
    QueryOutcome,
)
from flight_agent.providers.mock_provider import MockFlightDataProvider

__all__ = [
    "AeroDataBoxProvider",
    "AviationStackProvider",
    "DepartureBoard",
    "FailoverConfig",
    "FailoverManager",
    "FlightAwareProvider",
    "FlightDataProvider",
    "FlightStatus",
    "FlightStatusData",
    "MockFlightDataProvider",
    "Operation",
    "ProviderHealth",
    "ProviderStats",
    "QueryOutcome",
    "RateLimit",
]
