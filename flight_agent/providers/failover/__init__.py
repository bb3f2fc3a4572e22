"""The failover engine: every provider call, from choosing the provider to accounting for it.

``manager`` is the entry point (``FailoverManager``); ``operations`` describes each kind of call;
``request`` chooses the next provider and concludes a request; ``attempt`` makes one call with
its permits, timeout and accounting; ``slot`` holds one provider's breaker, limiter and
cool-down; ``health`` probes providers; ``config`` holds the settings.
"""

from flight_agent.providers.failover.config import FailoverConfig, RateLimit
from flight_agent.providers.failover.manager import FailoverManager
from flight_agent.providers.failover.operations import Operation
from flight_agent.providers.failover.slot import ProviderStats

__all__ = ["FailoverConfig", "FailoverManager", "Operation", "ProviderStats", "RateLimit"]
