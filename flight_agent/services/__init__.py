"""Services on top of the providers: the cached, monitored flight-status facade."""

from flight_agent.services.enhanced_flight_monitoring_service import (
    EnhancedFlightMonitoringService,
    default_service,
)

__all__ = ["EnhancedFlightMonitoringService", "default_service"]
