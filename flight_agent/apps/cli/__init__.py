"""The ``flight-agent`` command line (``commands``), with what its commands share and print."""

from flight_agent.apps.cli.commands import app

__all__ = ["app"]
