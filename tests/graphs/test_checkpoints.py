"""Checkpointers: an IROPS thread paused for approval resumes from memory, SQLite or PostgreSQL,
in the same process or in another one, with its state typed as it was and no warning.

PostgreSQL comes from ``FLIGHT_AGENT_TEST_POSTGRES_URL`` (``.ci/run`` sets it), else the local
server at ``postgresql://postgres@127.0.0.1:5432/test``. Each test runs its own thread id, so
reruns and parallel runs share the tables without meeting.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import sqlite3
import subprocess
import sys
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from uuid import uuid4

import psycopg
import pytest
from langchain_core.messages import ToolMessage
from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.checkpoint.serde.event_hooks import register_serde_event_listener
from langgraph.types import Command

from flight_agent.cache.redis_cache import redact_url
from graphs import (
    IropsReport,
    async_postgres_checkpointer,
    async_sqlite_checkpointer,
    memory_checkpointer,
    postgres_checkpointer,
    sqlite_checkpointer,
)
from graphs.checkpoints import CheckpointDatabaseError, StateSerializer
from tests.graphs.resume_process import TRIP, trip_graph
from tools.payloads import AlternativesResult, BatchItem, BatchStatusResult

POSTGRES_URL_VARIABLE = "FLIGHT_AGENT_TEST_POSTGRES_URL"
DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"
REPO = Path(__file__).resolve().parents[2]
SECRET = "s3cret-pw"

Opener = Callable[[], contextlib.AbstractContextManager[BaseCheckpointSaver[Any]]]
AsyncOpener = Callable[[], contextlib.AbstractAsyncContextManager[BaseCheckpointSaver[Any]]]


@pytest.fixture(scope="module")
def postgres_url() -> str:
    """The test database's URL; the test fails if CI set it and nothing answers there."""
    configured = os.environ.get(POSTGRES_URL_VARIABLE)
    url = configured or DEFAULT_POSTGRES_URL
    try:
        psycopg.connect(url, connect_timeout=3).close()
    except psycopg.Error as error:
        reason = f"PostgreSQL does not answer at {redact_url(url)} ({type(error).__name__})"
        if configured:
            pytest.fail(f"{reason}; {POSTGRES_URL_VARIABLE} is set, so it must (see .ci/run)")
        pytest.skip(f"POSTGRES TESTS SKIPPED: {reason}; set {POSTGRES_URL_VARIABLE} to run them")
    return url


@pytest.fixture
def serde_complaints(caplog: pytest.LogCaptureFixture) -> Iterator[Callable[[], list[str]]]:
    """What the checkpoint serializer complained about during the test.

    Its log says each complaint once per process, so the allow-list events, which it emits
    every time, are counted too.
    """
    events: list[str] = []
    unregister = register_serde_event_listener(
        lambda event: events.append(f"{event['kind']}: {event['module']}.{event['name']}")
    )
    caplog.set_level(logging.WARNING, logger="langgraph.checkpoint.serde")

    def complaints() -> list[str]:
        logged = [
            record.getMessage()
            for record in caplog.records
            if record.name.startswith("langgraph.checkpoint.serde")
        ]
        return logged + events

    yield complaints
    unregister()


@pytest.fixture
def thread() -> RunnableConfig:
    """A thread of this test's own."""
    return {"configurable": {"thread_id": f"test-{uuid4()}"}}


def run_in_memory() -> tuple[Any, dict[str, Any]]:
    """The trip's approval request and approved report, run in this process in memory."""
    graph = trip_graph(memory_checkpointer())
    config: RunnableConfig = {"configurable": {"thread_id": "expected"}}
    [request] = graph.invoke(TRIP, config)["__interrupt__"]
    report = graph.invoke(Command(resume="approve"), config)["report"]
    return json.loads(json.dumps(request.value)), report.model_dump(mode="json")


def assert_typed(values: dict[str, Any]) -> None:
    """The paused thread's state holds the models the nodes wrote, tool artifacts included."""
    artifacts = {m.name: m.artifact for m in values["messages"] if isinstance(m, ToolMessage)}
    assert isinstance(artifacts["batch_status"], BatchStatusResult)
    assert isinstance(artifacts["find_alternative_flights"], AlternativesResult)
    assert values["statuses"]
    assert all(isinstance(item, BatchItem) for item in values["statuses"])


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def opener(request: pytest.FixtureRequest, tmp_path: Path) -> Opener:
    """Opens a checkpointer of each kind, anew each time (memory: the same saver again)."""
    if request.param == "memory":
        saver = memory_checkpointer()
        return lambda: contextlib.nullcontext(saver)
    if request.param == "sqlite":
        return lambda: sqlite_checkpointer(tmp_path / "threads.sqlite")
    url = request.getfixturevalue("postgres_url")
    return lambda: postgres_checkpointer(url)


def test_a_paused_thread_reloads_typed_and_resumes_into_the_same_report(
    opener: Opener, thread: RunnableConfig, serde_complaints: Callable[[], list[str]]
) -> None:
    """Paused at the approval step and reopened, the thread's state is typed (tool artifacts
    are their result models), nothing is logged about deserializing it, and approving gives
    the report an uninterrupted run gives."""
    _, expected = run_in_memory()
    with opener() as checkpointer:
        assert trip_graph(checkpointer).invoke(TRIP, thread)["__interrupt__"]
    with opener() as checkpointer:
        graph = trip_graph(checkpointer)
        assert_typed(graph.get_state(thread).values)
        done = graph.invoke(Command(resume="approve"), thread)
    assert done["report"].model_dump(mode="json") == expected
    assert serde_complaints() == []


@pytest.fixture(params=["sqlite", "postgres"])
def async_opener(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncOpener:
    """Opens an async checkpointer of each kind, on a new connection each time."""
    if request.param == "sqlite":
        return lambda: async_sqlite_checkpointer(tmp_path / "threads.sqlite")
    url = request.getfixturevalue("postgres_url")
    return lambda: async_postgres_checkpointer(url)


async def test_the_async_checkpointers_reload_typed_and_resume(
    async_opener: AsyncOpener, thread: RunnableConfig, serde_complaints: Callable[[], list[str]]
) -> None:
    """The async forms keep a thread the same way under ``ainvoke``."""
    _, expected = run_in_memory()
    async with async_opener() as checkpointer:
        assert (await trip_graph(checkpointer).ainvoke(TRIP, thread))["__interrupt__"]
    async with async_opener() as checkpointer:
        graph = trip_graph(checkpointer)
        assert_typed((await graph.aget_state(thread)).values)
        done = await graph.ainvoke(Command(resume="approve"), thread)
    assert done["report"].model_dump(mode="json") == expected
    assert serde_complaints() == []


def test_langgraphs_default_serializer_warns_and_returns_artifacts_as_dicts(
    thread: RunnableConfig, serde_complaints: Callable[[], list[str]]
) -> None:
    """Why ``StateSerializer`` exists: LangGraph's default serializer complains about every
    project type it restores and gives tool artifacts back as plain dicts."""
    graph = trip_graph(InMemorySaver())
    graph.invoke(TRIP, thread)
    values = graph.get_state(thread).values
    batch = next(m for m in values["messages"] if isinstance(m, ToolMessage))
    assert isinstance(batch.artifact, dict)
    assert any("tools.payloads.BatchItem" in complaint for complaint in serde_complaints())


def test_loading_types_a_known_tools_artifact_and_leaves_any_other_as_it_was() -> None:
    """A dict artifact of a known tool becomes its result model; one that does not validate,
    one of an unknown tool and an error's missing artifact come back unchanged."""
    result = BatchStatusResult(items=[], found=0, failed=0, stale=0)
    messages = [
        ToolMessage("0 found", tool_call_id="1", name="batch_status", artifact=result),
        ToolMessage("?", tool_call_id="2", name="batch_status", artifact={"found": "many"}),
        ToolMessage("?", tool_call_id="3", name="not_a_tool", artifact={"found": 0}),
        ToolMessage("Error", tool_call_id="4", name="batch_status", status="error"),
    ]
    serde = StateSerializer()
    loaded = serde.loads_typed(serde.dumps_typed({"messages": messages}))["messages"]
    assert [m.artifact for m in loaded] == [result, {"found": "many"}, {"found": 0}, None]
    assert isinstance(loaded[0].artifact, BatchStatusResult)


def test_closing_a_sqlite_checkpointer_closes_its_connection(tmp_path: Path) -> None:
    """On exit the SQLite file is closed."""
    with sqlite_checkpointer(tmp_path / "threads.sqlite") as checkpointer:
        pass
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        checkpointer.conn.execute("SELECT 1")


async def test_closing_an_async_sqlite_checkpointer_closes_its_connection(
    tmp_path: Path,
) -> None:
    """On exit the aiosqlite connection is closed."""
    async with async_sqlite_checkpointer(tmp_path / "threads.sqlite") as checkpointer:
        pass
    with pytest.raises(ValueError, match="no active connection"):
        await checkpointer.conn.execute("SELECT 1")


async def test_closing_a_postgres_checkpointer_closes_its_connection(postgres_url: str) -> None:
    """On exit the PostgreSQL connection is closed, sync and async."""
    with postgres_checkpointer(postgres_url) as checkpointer:
        assert not checkpointer.conn.closed
    async with async_postgres_checkpointer(postgres_url) as async_checkpointer:
        assert not async_checkpointer.conn.closed
    assert checkpointer.conn.closed
    assert async_checkpointer.conn.closed


@pytest.fixture
def closed_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def assert_hidden(error: BaseException, caplog: pytest.LogCaptureFixture) -> None:
    """Neither the error, as a traceback shows it, nor any log line holds the password."""
    shown = "".join(traceback.format_exception(error))
    assert SECRET not in shown
    assert SECRET not in caplog.text
    assert "postgresql://***@127.0.0.1" in str(error)


@pytest.mark.parametrize("password", [SECRET, f"{SECRET} unencoded"])
async def test_a_postgres_password_never_shows_when_the_database_cannot_be_opened(
    password: str, closed_port: int, caplog: pytest.LogCaptureFixture
) -> None:
    """Nothing listening, or a URL libpq cannot parse: the error names the server with its
    credentials masked, sync and async."""
    caplog.set_level(logging.DEBUG)
    url = f"postgresql://postgres:{password}@127.0.0.1:{closed_port}/test"
    with pytest.raises(CheckpointDatabaseError) as caught, postgres_checkpointer(url):
        pass
    assert_hidden(caught.value, caplog)
    with pytest.raises(CheckpointDatabaseError) as caught_async:
        async with async_postgres_checkpointer(url):
            pass
    assert_hidden(caught_async.value, caplog)


@pytest.mark.parametrize(
    ("module", "open_checkpointer", "extra"),
    [
        ("langgraph.checkpoint.sqlite", lambda: sqlite_checkpointer(":memory:"), "sqlite"),
        ("langgraph.checkpoint.postgres", lambda: postgres_checkpointer("x"), "postgres"),
    ],
)
def test_a_missing_extra_says_what_to_install(
    module: str, open_checkpointer: Opener, extra: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the extra's package, the error says which extra to install."""
    monkeypatch.setitem(sys.modules, module, None)
    with (
        pytest.raises(ImportError, match=rf"pip install 'flight-agent\[{extra}\]'"),
        open_checkpointer(),
    ):
        pass


@pytest.mark.parametrize(
    ("module", "open_checkpointer", "extra"),
    [
        (
            "langgraph.checkpoint.sqlite.aio",
            lambda: async_sqlite_checkpointer(":memory:"),
            "sqlite",
        ),
        (
            "langgraph.checkpoint.postgres.aio",
            lambda: async_postgres_checkpointer("x"),
            "postgres",
        ),
    ],
)
async def test_a_missing_extra_says_what_to_install_async(
    module: str, open_checkpointer: AsyncOpener, extra: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The async forms say the same."""
    monkeypatch.setitem(sys.modules, module, None)
    with pytest.raises(ImportError, match=rf"pip install 'flight-agent\[{extra}\]'"):
        async with open_checkpointer():
            pass


def run_step(
    mode: str, backend: str, target: str, thread_id: str
) -> subprocess.CompletedProcess[str]:
    """One process of the thread (``tests/graphs/resume_process.py``)."""
    done = subprocess.run(
        [sys.executable, "-m", "tests.graphs.resume_process", mode, backend, target, thread_id],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_a_thread_started_in_one_process_resumes_in_another(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """One process runs the trip to the approval request; a new process approves it from the
    durable checkpoint and writes the report an uninterrupted run in memory writes, without a
    deserialization warning."""
    if backend == "sqlite":
        target = str(tmp_path / "threads.sqlite")
    else:
        target = request.getfixturevalue("postgres_url")
    thread_id = f"test-{uuid4()}"
    expected_request, expected_report = run_in_memory()

    started = run_step("start", backend, target, thread_id)
    resumed = run_step("resume", backend, target, thread_id)

    assert json.loads(started.stdout) == expected_request
    report = IropsReport.model_validate_json(resumed.stdout)
    assert report.model_dump(mode="json") == expected_report
    assert "langgraph.checkpoint" not in resumed.stderr
    assert "unregistered" not in resumed.stderr
