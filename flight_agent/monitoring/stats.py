"""The monitor's figures, as ``FlightMonitor.stats()`` reports them."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class MonitorStats(BaseModel):
    """The monitor's counters at one moment."""

    model_config = ConfigDict(frozen=True)

    worker_id: str
    watched_flights: int
    polls: int
    board_polls: int
    """Departure boards asked for, each answering several flights."""
    board_pages: int
    poll_errors: int
    changes_published: int
    running: bool
