"""A desk built from settings: its database and its flight service, opened and closed together.

``DeskSettings`` adds the desk's two settings to ``Settings`` (read the same way, from the
environment or ``.env``): ``DATABASE_URL`` (PostgreSQL for trips, cases and checkpoints,
shared by every desk process) and ``FLIGHT_AGENT_DESK_DB`` (the SQLite file used when no URL
is set, ``.flight-agent/desk.sqlite`` by default).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from langchain_core.language_models import BaseChatModel
from pydantic import Field, SecretStr

from flight_agent.clock import Clock
from flight_agent.services import EnhancedFlightMonitoringService
from flight_agent.settings import Settings
from graphs.desk.desk import Desk
from graphs.desk.storage import DEFAULT_PATH, open_storage
from tools import FlightToolkit


class DeskSettings(Settings):
    """``Settings`` and the desk's database."""

    database_url: SecretStr | None = Field(
        default=None, description="PostgreSQL URL of the desk's trips, cases and checkpoints"
    )
    flight_agent_desk_db: Path = Field(
        default=DEFAULT_PATH, description="The desk's SQLite file when DATABASE_URL is unset"
    )

    def desk_database(self) -> str:
        """Where the desk keeps its records: ``DATABASE_URL``, else the SQLite file."""
        return self.secret(self.database_url) or str(self.flight_agent_desk_db)


@contextlib.contextmanager
def open_desk(
    database: str | None = None,
    *,
    service: EnhancedFlightMonitoringService | None = None,
    model: BaseChatModel | None = None,
    clock: Clock | None = None,
) -> Iterator[Desk]:
    """A desk on ``database`` (``DeskSettings().desk_database()`` when None; ``":memory:"``
    for memory) and ``service`` (the environment's when None), closed on the way out.

    Raises:
        DeskStorageError: PostgreSQL does not answer.
    """
    target = database or DeskSettings().desk_database()
    with open_storage(target) as storage, FlightToolkit(service=service) as toolkit:
        yield Desk(storage, toolkit, model=model, clock=clock)
