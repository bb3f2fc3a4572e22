"""Errors as the model reads them: what happened and what to try next."""

from __future__ import annotations

from langchain_core.tools import ToolException

from flight_agent.errors import AllProvidersFailedError, FlightDataError
from tools.operations import error_kind

HINTS = {
    "invalid_query": "Fix the argument as described and call the tool again.",
    "date_out_of_range": "Ask for a date inside the range the message gives.",
    "not_found": "Check the flight number with the traveller; do not guess another one.",
    "providers_down": (
        "No earlier copy of this flight is cached. Tell the user live data is unavailable, "
        "try again in a minute, or call provider_health to see which providers are down."
    ),
}


def tool_error(error: FlightDataError) -> ToolException:
    """A ``ToolException`` whose text states the problem and the next step."""
    kind = error_kind(error)
    detail = error.message
    if isinstance(error, AllProvidersFailedError):
        detail = "Every flight-data provider failed: " + "; ".join(
            f"{attempt.provider} {attempt.outcome}" for attempt in error.attempts
        )
    return ToolException(f"{kind}: {detail} {HINTS[kind]}")
