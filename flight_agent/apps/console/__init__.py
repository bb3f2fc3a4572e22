"""The ops console: a web page for the disruption desk, served by ``flight-agent serve`` at ``/``.

- ``board``: what the page shows at one moment (cases with their findings, trips and their
  flights' last records, providers), read from the desk and its flight service.
- ``history``: the providers' figures over the last hour, for the latency chart.
- ``markup``: HTML with every value escaped; ``views``: the page and its live sections;
  ``case_views``: the cases section.
- ``live``: the sections sent over server-sent events when they change.
- ``security``: the token off loopback, CSRF on decisions, the content policy.
- ``app``: the routes (``build_console``).
"""

from flight_agent.apps.console.app import Console, build_console

__all__ = ["Console", "build_console"]
