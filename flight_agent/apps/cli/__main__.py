"""``python -m flight_agent.apps.cli``: the ``flight-agent`` command."""

from flight_agent.apps.cli import app

app()
