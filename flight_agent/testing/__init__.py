"""Test doubles for flight-agent: a fake upstream speaking the real providers' HTTP APIs.

``FakeUpstream`` serves FlightAware AeroAPI, AeroDataBox and AviationStack from the simulated
flight world, with latency and fault injection, in process (``httpx.ASGITransport``) or on a
loopback socket.
"""

from flight_agent.testing.app import PREFIXES, FakeUpstream, Fault
from flight_agent.testing.asgi import ConnectionDropped

__all__ = ["PREFIXES", "ConnectionDropped", "FakeUpstream", "Fault"]
