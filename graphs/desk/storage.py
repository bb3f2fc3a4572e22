"""Where the desk keeps trips and cases, and the graph its checkpoints: one database for both.

``open_storage`` picks the backend: PostgreSQL when a ``postgresql://`` URL is given (the CLI
passes ``DATABASE_URL``), else SQLite in a local file, or memory for tests and one-off runs. The
records live in LangGraph's store (``PostgresStore``, ``SqliteStore``, ``InMemoryStore``: the
``BaseStore`` API, namespaces such as ``("desk", "cases")``) and the IROPS graph's state in the
matching checkpointer (``PostgresSaver``, ``SqliteSaver``, ``InMemorySaver``) on the graphs'
``StateSerializer``, so a case paused in one process is decided in another.

Why one hand-written operation, ``insert_if_absent``: ``BaseStore.put`` always overwrites, and
opening a case must be atomic across workers and processes (two workers seeing two events of
one episode must open one case, and exactly one of them must run the graph). The case's id is
deterministic per trip episode, so "open" is an insert that fails when the key exists: one
``INSERT ... ON CONFLICT DO NOTHING`` on the store's own table in PostgreSQL, ``INSERT OR
IGNORE`` in SQLite (both atomic in the database, whatever the number of processes), and a
get-then-put under a lock for the in-memory store (one process). The row is written the way the
store writes it (``prefix`` = the namespace joined by dots, the value as JSON), so the store's
``get`` and ``search`` read it like any other item.

Why a second one, ``deciding``: a decision resumes a case's graph, and the checkpointer does not
stop two processes resuming one paused thread at once (each reads the interrupt, each runs the
rest of the graph: its actions would be applied twice). ``deciding(case)`` holds a lock on the
case while its decision is applied: a PostgreSQL session advisory lock (``pg_advisory_lock``
on a connection held for the duration, waiting at most ``DECISION_WAIT_S`` through the
server's ``lock_timeout``), an exclusive transaction on a small lock database beside the SQLite
database (one for all its cases: an embedded desk decides one case at a time; SQLite's own file
locking, so it holds on every platform, waiting at most ``DECISION_WAIT_S`` through its busy
timeout), a thread lock in memory (likewise). All three are released when their holder ends,
however it ends: a process killed mid-decision, or a connection cut by a database failure,
leaves no lock behind, so the decision can be made again once the database is back.

PostgreSQL is reached through a small connection pool that checks a connection before lending
it: after the server restarts, the next call reconnects. While it is down, every call raises
``DeskStorageError`` (no password in it) and changes nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.store.base import BaseStore
from langgraph.store.memory import InMemoryStore

from flight_agent.cache.redis_cache import redact_url
from graphs.checkpoints import StateSerializer, memory_checkpointer
from graphs.desk.errors import DecisionBusyError, DeskStorageError

DEFAULT_PATH = Path(".flight-agent") / "desk.sqlite"
"""The SQLite file of the CLI's desk when no ``DATABASE_URL`` is set."""

POOL_TIMEOUT_S = 5.0
"""How long a PostgreSQL call waits for a connection before saying the database is down."""

DECISION_WAIT_S = 30.0
"""How long a decision waits for another decision on the same case being applied."""


@dataclass
class DeskStorage:
    """The store and checkpointer of one desk, and the put-if-absent the store lacks.

    Attributes:
        store: Trips, cases, their history and the decisions.
        checkpointer: The IROPS graph's state, by case id.
        where: The database, for messages (no password).
    """

    store: BaseStore
    checkpointer: BaseCheckpointSaver[Any]
    where: str
    _pool: Any = None
    _password: str | None = None
    _sqlite: sqlite3.Connection | None = None
    _sqlite_path: Path | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _deciding: threading.Lock = field(default_factory=threading.Lock)

    def insert_if_absent(self, namespace: tuple[str, ...], key: str, value: dict[str, Any]) -> bool:
        """Store ``value`` under ``key`` unless the key exists, atomically; True when stored."""
        prefix = ".".join(namespace)
        with self.guard():
            if self._pool is not None:
                from psycopg.types.json import Jsonb

                with self._pool.connection() as connection:
                    cursor = connection.execute(
                        "INSERT INTO store (prefix, key, value) VALUES (%s, %s, %s) "
                        "ON CONFLICT (prefix, key) DO NOTHING",
                        (prefix, key, Jsonb(value)),
                    )
                    return bool(cursor.rowcount == 1)
            if self._sqlite is not None:
                with self.store.lock:  # type: ignore[attr-defined]  # SqliteStore's own lock
                    cursor = self._sqlite.execute(
                        "INSERT OR IGNORE INTO store (prefix, key, value) VALUES (?, ?, ?)",
                        (prefix, key, json.dumps(value)),
                    )
                    return bool(cursor.rowcount == 1)
            with self._lock:
                if self.store.get(namespace, key) is not None:
                    return False
                self.store.put(namespace, key, value)
                return True

    @contextlib.contextmanager
    def deciding(self, case: str) -> Iterator[None]:
        """Hold the case's decision lock for the block: one decision applied at a time.

        Raises:
            DecisionBusyError: Another decision on the case held it for ``DECISION_WAIT_S``.
            DeskStorageError: The database is down.
        """
        if self._pool is not None:
            with self._advisory_lock(case):
                yield
        elif self._sqlite_path is not None:
            with _sqlite_lock(
                self._sqlite_path.with_name(self._sqlite_path.name + ".decisions"), case
            ):
                yield
        else:
            if not self._deciding.acquire(timeout=DECISION_WAIT_S):
                raise _busy(case)
            try:
                yield
            finally:
                self._deciding.release()

    @contextlib.contextmanager
    def _advisory_lock(self, case: str) -> Iterator[None]:
        from psycopg.errors import LockNotAvailable

        key = int.from_bytes(hashlib.blake2b(case.encode(), digest_size=8).digest(), signed=True)
        with self.guard(), self._pool.connection() as connection:
            connection.execute(f"SET lock_timeout = '{int(DECISION_WAIT_S * 1000)}ms'")
            try:
                connection.execute("SELECT pg_advisory_lock(%s)", (key,))
            except LockNotAvailable:
                raise _busy(case) from None
            finally:
                connection.execute("RESET lock_timeout")
            try:
                yield
            finally:
                # On a broken connection this fails, and the server has released the lock.
                with contextlib.suppress(Exception):
                    connection.execute("SELECT pg_advisory_unlock(%s)", (key,))

    @contextlib.contextmanager
    def guard(self) -> Iterator[None]:
        """Turn a database failure into ``DeskStorageError`` naming the database."""
        try:
            yield
        except sqlite3.OperationalError as error:
            raise DeskStorageError(f"The desk database {self.where} failed: {error}") from None
        except Exception as error:
            if not _is_postgres_failure(error):
                raise
            why = " ".join(str(error).split()) or type(error).__name__
            raise DeskStorageError(
                f"The desk database {self.where} is unreachable ({type(error).__name__}: "
                f"{_masked(why, self._password)}); nothing was changed, try again once it is back."
            ) from None


def _busy(case: str) -> DecisionBusyError:
    return DecisionBusyError(
        f"A decision on case {case} is being applied by another desk right now; "
        f"`flight-agent cases show {case}` shows it once it is done."
    )


@contextlib.contextmanager
def _sqlite_lock(path: Path, case: str) -> Iterator[None]:
    """An exclusive transaction on the lock database ``path``, ended with the block (or by the
    operating system when its process dies).

    Raises:
        DecisionBusyError: Another process held it for ``DECISION_WAIT_S``.
    """
    connection = sqlite3.connect(path, timeout=DECISION_WAIT_S, isolation_level=None)
    try:
        try:
            connection.execute("BEGIN EXCLUSIVE")
        except sqlite3.OperationalError:  # still locked when the busy timeout ran out
            raise _busy(case) from None
        try:
            yield
        finally:
            connection.execute("ROLLBACK")
    finally:
        connection.close()


def _is_postgres_failure(error: Exception) -> bool:
    try:
        import psycopg
        from psycopg_pool import PoolTimeout
    except ImportError:
        return False
    return isinstance(error, psycopg.OperationalError | psycopg.InterfaceError | PoolTimeout)


def _masked(text: str, password: str | None) -> str:
    """``text`` with the database password masked, should a driver message quote it."""
    return text.replace(password, "***") if password else text


@contextlib.contextmanager
def open_storage(target: str | os.PathLike[str] | None = None) -> Iterator[DeskStorage]:
    """The desk's storage: PostgreSQL for a ``postgresql://`` URL, SQLite for a file path,
    memory for None or ``":memory:"``; tables created on first use.

    Raises:
        DeskStorageError: PostgreSQL does not answer.
        MissingExtraError: The ``sqlite`` or ``postgres`` extra is not installed.
    """
    text = os.fspath(target) if target is not None else ":memory:"
    if text.startswith(("postgresql://", "postgres://")):
        with _postgres(text) as storage:
            yield storage
    elif text == ":memory:":
        yield DeskStorage(InMemoryStore(), memory_checkpointer(), "memory")
    else:
        with _sqlite(Path(text)) as storage:
            yield storage


@contextlib.contextmanager
def _sqlite(path: Path) -> Iterator[DeskStorage]:
    from langgraph.checkpoint.sqlite import SqliteSaver
    from langgraph.store.sqlite import SqliteStore

    path.parent.mkdir(parents=True, exist_ok=True)
    store_connection = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    saver_connection = sqlite3.connect(path, check_same_thread=False)
    with contextlib.closing(store_connection), contextlib.closing(saver_connection):
        for connection in (store_connection, saver_connection):
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA busy_timeout=10000")
        store = SqliteStore(store_connection)
        store.setup()
        saver = SqliteSaver(saver_connection, serde=StateSerializer())
        saver.setup()
        yield DeskStorage(store, saver, str(path), _sqlite=store_connection, _sqlite_path=path)


@contextlib.contextmanager
def _postgres(url: str) -> Iterator[DeskStorage]:
    from langgraph.checkpoint.postgres import PostgresSaver
    from langgraph.store.postgres import PostgresStore
    from psycopg.rows import dict_row
    from psycopg_pool import ConnectionPool

    where = redact_url(url)
    pool: ConnectionPool[Any] = ConnectionPool(
        url,
        min_size=1,
        max_size=8,
        timeout=POOL_TIMEOUT_S,
        open=False,
        check=ConnectionPool.check_connection,
        kwargs={"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row},
    )
    from psycopg.conninfo import conninfo_to_dict

    try:
        password = conninfo_to_dict(url).get("password")
    except Exception:  # a malformed URL: the pool's error below says so
        password = None
    storage = DeskStorage(
        PostgresStore(pool),
        PostgresSaver(pool, serde=StateSerializer()),
        where,
        _pool=pool,
        _password=str(password) if password else None,
    )
    with storage.guard():
        pool.open(wait=True, timeout=POOL_TIMEOUT_S)
    try:
        with storage.guard():
            storage.store.setup()  # type: ignore[attr-defined]
            storage.checkpointer.setup()  # type: ignore[attr-defined]
        yield storage
    finally:
        pool.close()
