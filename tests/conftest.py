"""Shared test helpers: fixture files, a fake clock and real Redis servers."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import redis

from flight_agent.clock import FakeClock

FIXTURES = Path(__file__).parent / "fixtures"


def load_fixture(relative: str) -> Any:
    """Parse a JSON file under ``tests/fixtures``."""
    return json.loads((FIXTURES / relative).read_text("utf-8"))


@pytest.fixture
def clock() -> FakeClock:
    """A fake clock at 2026-11-28 12:00 UTC, the day most fixtures fly."""
    return FakeClock(datetime(2026, 11, 28, 12, 0, tzinfo=UTC))


@dataclass
class RedisServer:
    """A Redis server for tests: its URL and, when the tests started it, its process."""

    url: str
    process: subprocess.Popen[bytes] | None = None

    def stop(self) -> None:
        """Kill a server the tests started (to simulate an outage)."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=5)


def _answers(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_timeout=0.5).ping())
    except (redis.RedisError, OSError):
        return False


def _missing_redis(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI requires Redis (see .ci/run)")
    pytest.skip(f"REDIS TESTS SKIPPED: {reason}")


def start_redis_server() -> RedisServer:
    """Start a throw-away redis-server on a free loopback port."""
    binary = shutil.which("redis-server")
    if binary is None:
        _missing_redis("redis-server is not installed")
        raise AssertionError("unreachable")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    deadline = time.monotonic() + 10
    while not _answers(url):
        if time.monotonic() > deadline:
            process.kill()
            _missing_redis(f"redis-server on port {port} did not start")
        time.sleep(0.05)
    return RedisServer(url, process)


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    """The shared Redis (REDIS_URL, default db 15 on localhost), or one started for the run."""
    url = os.environ.get("REDIS_URL", "redis://localhost:6379/15")
    if _answers(url):
        yield RedisServer(url)
        return
    server = start_redis_server()
    yield server
    server.stop()


@pytest.fixture
def private_redis() -> Iterator[RedisServer]:
    """A Redis server of this test's own, which the test may kill."""
    server = start_redis_server()
    yield server
    server.stop()


def pytest_configure(config: pytest.Config) -> None:
    """Mark the main thread's loop as explicitly unset before any test runs.

    looptime's plugin asks the event-loop policy for a loop even around synchronous tests;
    unless a loop was set (or explicitly unset) before, the policy creates one nobody closes,
    which ``filterwarnings = error`` turns into a failure.
    """
    asyncio.set_event_loop(None)
