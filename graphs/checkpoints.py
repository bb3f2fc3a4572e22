"""Checkpointers that restore the graphs' state as it was: in memory, SQLite or PostgreSQL.

Every checkpointer here (``memory_checkpointer``, ``sqlite_checkpointer``,
``postgres_checkpointer`` and the async ``async_sqlite_checkpointer`` and
``async_postgres_checkpointer``) is LangGraph's own saver built on ``StateSerializer``, so a
thread paused at the approval step resumes in another process, or after a restart, with the
same typed state.

Why the serializer is not LangGraph's default ``JsonPlusSerializer``:

- LangGraph restores pydantic models and enums only for types it was told about; each of the
  others is logged once per process ("Deserializing unregistered type ...", 14 when an IROPS
  thread resumes) and a later version will refuse them. ``StateSerializer`` registers every
  model and enum the IROPS state holds, found by walking the fields of the report and of every
  tool's result (``tools.specs``).
- A message is stored as its ``model_dump()``, which turns the pydantic model a tool returned
  (``ToolMessage.artifact``, e.g. a ``BatchStatusResult``) into a dict, and since ``artifact``
  is typed ``Any`` the message is rebuilt with that dict. ``StateSerializer`` validates the
  artifact of each tool message it loads back into the result model of the tool it names, so
  the nodes, the offline model and the report read the same objects after a round trip, in
  memory too.

The SQLite and PostgreSQL checkpointers are context managers: they connect as the savers'
``from_conn_string`` does, create or migrate the tables (``setup()``) and close the connection
on exit. They need the ``sqlite`` or ``postgres`` extra (``MissingExtraError`` says which); a
PostgreSQL URL's password never shows in their errors.
"""

from __future__ import annotations

import contextlib
import enum
import os
import sqlite3
import typing
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any

from langchain_core.messages import ToolMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer
from pydantic import BaseModel, ValidationError

from flight_agent.cache.redis_cache import redact_url
from graphs.report import IropsReport
from tools.specs import TOOL_SPECS

if TYPE_CHECKING:
    import psycopg
    from langgraph.checkpoint.postgres import PostgresSaver
    from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
    from langgraph.checkpoint.sqlite import SqliteSaver
    from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

STATE_ROOTS: tuple[type[BaseModel], ...] = (IropsReport, *(spec.result for spec in TOOL_SPECS))
"""The report and every tool's result (tool messages keep their result as the artifact)."""


class MissingExtraError(ImportError):
    """A checkpointer's package is not installed; the message says which extra to install."""


class CheckpointDatabaseError(ConnectionError):
    """The PostgreSQL checkpoint database cannot be opened; the message never shows a password."""


def state_types(*roots: type[BaseModel]) -> list[tuple[str, str]]:
    """(module, name) of every pydantic model and enum reachable from the roots' fields."""
    seen: dict[type, None] = {}

    def walk(annotation: object) -> Iterator[type]:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel | enum.Enum):
            yield annotation
        for argument in typing.get_args(annotation):
            yield from walk(argument)

    pending: list[type] = list(roots or STATE_ROOTS)
    while pending:
        kind = pending.pop()
        if kind in seen:
            continue
        seen[kind] = None
        if issubclass(kind, BaseModel):
            for info in kind.model_fields.values():
                pending.extend(walk(info.annotation))
    return sorted((kind.__module__, kind.__qualname__) for kind in seen)


class StateSerializer(JsonPlusSerializer):
    """LangGraph's serializer with the state types allowed and tool artifacts typed on load.

    Loading validates the dict artifact of each tool message whose ``name`` is a known tool
    into that tool's result model. An artifact that does not validate (a result stored by
    another version of the tool) stays the dict it was: loading never fails on it.
    """

    def __init__(self) -> None:
        super().__init__(allowed_msgpack_modules=state_types())
        self.tool_results: dict[str, type[BaseModel]] = {
            spec.name: spec.result for spec in TOOL_SPECS
        }

    def loads_typed(self, data: tuple[str, bytes]) -> Any:
        """The stored value, its tool artifacts typed again."""
        value = super().loads_typed(data)
        self._type_artifacts(value)
        return value

    def _type_artifacts(self, value: object) -> None:
        """Type the artifacts of the tool messages in ``value`` (a channel's value, a write or
        a whole checkpoint), in place."""
        if isinstance(value, ToolMessage):
            result = self.tool_results.get(value.name or "")
            if result is not None and isinstance(value.artifact, dict):
                with contextlib.suppress(ValidationError):
                    value.artifact = result.model_validate(value.artifact)
        elif isinstance(value, dict):
            for item in value.values():
                self._type_artifacts(item)
        elif isinstance(value, list | tuple):
            for item in value:
                self._type_artifacts(item)


def memory_checkpointer() -> InMemorySaver:
    """An in-memory checkpointer (tests, the CLI) that restores the state's types."""
    return InMemorySaver(serde=StateSerializer())


def _missing(extra: str, function: str) -> MissingExtraError:
    return MissingExtraError(
        f"graphs.{function} needs the {extra} extra: pip install 'flight-agent[{extra}]'"
    )


@contextlib.contextmanager
def sqlite_checkpointer(path: str | os.PathLike[str]) -> Iterator[SqliteSaver]:
    """Checkpoints in the SQLite file at ``path`` (or ``":memory:"``), tables created.

    Raises:
        MissingExtraError: The ``sqlite`` extra is not installed.
    """
    try:
        from langgraph.checkpoint.sqlite import SqliteSaver
    except ImportError as error:
        raise _missing("sqlite", "sqlite_checkpointer") from error
    # The saver serializes access with a lock, so any thread may use the connection.
    with contextlib.closing(sqlite3.connect(path, check_same_thread=False)) as connection:
        saver = SqliteSaver(connection, serde=StateSerializer())
        saver.setup()
        yield saver


@contextlib.asynccontextmanager
async def async_sqlite_checkpointer(
    path: str | os.PathLike[str],
) -> AsyncIterator[AsyncSqliteSaver]:
    """``sqlite_checkpointer`` for ``ainvoke`` and ``astream`` (aiosqlite).

    Raises:
        MissingExtraError: The ``sqlite`` extra is not installed.
    """
    try:
        import aiosqlite
        from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver
    except ImportError as error:
        raise _missing("sqlite", "async_sqlite_checkpointer") from error
    async with aiosqlite.connect(os.fspath(path)) as connection:
        saver = AsyncSqliteSaver(connection, serde=StateSerializer())
        await saver.setup()
        yield saver


def _unreachable(url: str, error: psycopg.Error) -> CheckpointDatabaseError:
    """Why the database at ``url`` cannot be used, without its password.

    libpq quotes a malformed connection string in its message, so a hint replaces a parse
    error; a connection error names the server, and any password is masked anyway. Callers
    raise it ``from None``: the chained libpq error would print in the traceback.
    """
    import psycopg
    from psycopg.conninfo import conninfo_to_dict

    if isinstance(error, psycopg.ProgrammingError):
        why = (
            "the URL is not a valid PostgreSQL connection URL (check its parameters, and "
            "percent-encode special characters in the password, e.g. a space as %20)"
        )
    else:
        why = " ".join(str(error).split())
        password = conninfo_to_dict(url).get("password")
        if password:
            why = why.replace(str(password), "***")
    return CheckpointDatabaseError(f"Cannot open the checkpoint database {redact_url(url)}: {why}")


@contextlib.contextmanager
def postgres_checkpointer(url: str) -> Iterator[PostgresSaver]:
    """Checkpoints in the PostgreSQL database at ``url`` (``postgresql://user@host/db``),
    tables created or migrated.

    Raises:
        MissingExtraError: The ``postgres`` extra is not installed.
        CheckpointDatabaseError: The database does not answer or the URL is not valid.
    """
    try:
        import psycopg
        from langgraph.checkpoint.postgres import PostgresSaver
        from psycopg.rows import dict_row
    except ImportError as error:
        raise _missing("postgres", "postgres_checkpointer") from error
    try:
        connection = psycopg.Connection.connect(
            url, autocommit=True, prepare_threshold=0, row_factory=dict_row
        )
    except psycopg.Error as error:
        raise _unreachable(url, error) from None
    with connection:
        saver = PostgresSaver(connection, serde=StateSerializer())
        saver.setup()
        yield saver


@contextlib.asynccontextmanager
async def async_postgres_checkpointer(url: str) -> AsyncIterator[AsyncPostgresSaver]:
    """``postgres_checkpointer`` for ``ainvoke`` and ``astream``.

    Raises:
        MissingExtraError: The ``postgres`` extra is not installed.
        CheckpointDatabaseError: The database does not answer or the URL is not valid.
    """
    try:
        import psycopg
        from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
    except ImportError as error:
        raise _missing("postgres", "async_postgres_checkpointer") from error
    async with contextlib.AsyncExitStack() as stack:
        try:
            saver = await stack.enter_async_context(
                AsyncPostgresSaver.from_conn_string(url, serde=StateSerializer())
            )
        except psycopg.Error as error:
            raise _unreachable(url, error) from None
        await saver.setup()
        yield saver
