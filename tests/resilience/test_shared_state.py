"""Breaker OPEN decisions shared across processes through a real Redis (RESILIENCE D1, D4, D5)."""

from __future__ import annotations

import asyncio
import logging
import sys
import uuid
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import pytest
from redis.asyncio import Redis

from flight_agent.cache.redis_cache import fail_fast_client
from flight_agent.providers import FailoverConfig, FailoverManager
from flight_agent.resilience.shared_state import SharedBreakerState
from tests.conftest import RedisServer
from tests.stubs import StubProvider

ROOT = Path(__file__).resolve().parents[2]
DAY = date(2026, 11, 28)

PROCESS_A = """
import asyncio, sys
from datetime import date
from redis.asyncio import Redis
from flight_agent.errors import AuthenticationError
from flight_agent.providers import FailoverManager
from flight_agent.resilience.shared_state import SharedBreakerState
from tests.stubs import StubProvider

async def main() -> None:
    redis = Redis.from_url(sys.argv[1])
    shared = SharedBreakerState(redis, prefix=sys.argv[2])
    primary = StubProvider("primary", 10, [AuthenticationError("401", provider="primary")])
    manager = FailoverManager([primary, StubProvider("backup", 5)], shared_state=shared)
    await manager.get_flight_status("BA117", date(2026, 11, 28))
    await redis.aclose()

asyncio.run(main())
"""


@pytest.fixture
def prefix() -> str:
    return f"flight-agent:test:{uuid.uuid4().hex}"


@pytest.fixture
async def client(redis_server: RedisServer) -> AsyncIterator[Redis]:
    redis = Redis.from_url(redis_server.url, socket_timeout=0.2, socket_connect_timeout=0.2)
    yield redis
    await redis.aclose()


async def test_d1_an_open_decision_in_one_process_is_honoured_by_another(
    redis_server: RedisServer, client: Redis, prefix: str
) -> None:
    """Process A trips the primary; here the primary is skipped without being called."""
    process_a = await asyncio.create_subprocess_exec(
        sys.executable, "-c", PROCESS_A, redis_server.url, prefix, cwd=ROOT
    )
    assert await asyncio.wait_for(process_a.wait(), timeout=60) == 0
    shared = SharedBreakerState(client, prefix=prefix)
    pttl = await client.pttl(shared.key("primary"))
    assert 0 < pttl <= 33_000  # a 30 s open period with up to 10 % jitter
    primary = StubProvider("primary", 10)
    manager = FailoverManager([primary, StubProvider("backup", 5)], shared_state=shared)
    result = await manager.get_flight_status("BA117", DAY)
    assert result is not None
    assert (result.source, primary.calls) == ("backup", 0)
    assert result.attempts[0].detail is not None
    assert "another process" in result.attempts[0].detail


async def test_d1_the_shared_decision_expires_by_itself(client: Redis, prefix: str) -> None:
    """A published OPEN lasts its open period and then disappears without help."""
    shared = SharedBreakerState(client, prefix=prefix)
    await shared.publish_open("primary", 0.2)
    assert await shared.open_elsewhere("primary") == pytest.approx(0.2, abs=0.05)
    await asyncio.sleep(0.3)
    assert await shared.open_elsewhere("primary") is None


async def test_d5_one_redis_command_per_guarded_call_on_the_happy_path(
    client: Redis, prefix: str
) -> None:
    """Healthy calls cost exactly one Redis command each."""
    shared = SharedBreakerState(client, prefix=prefix)
    manager = FailoverManager([StubProvider("primary", 10)], shared_state=shared)
    for _ in range(20):
        await manager.get_flight_status("BA117", DAY)
    assert shared.commands == 20


async def test_d4_a_redis_outage_falls_back_to_local_state(
    private_redis: RedisServer, prefix: str
) -> None:
    """With Redis killed mid-run calls still succeed, errors are counted, Redis is rested."""
    redis = Redis.from_url(private_redis.url, socket_timeout=0.1, socket_connect_timeout=0.1)
    shared = SharedBreakerState(redis, prefix=prefix, retry_interval=60)
    primary = StubProvider("primary", 10)
    manager = FailoverManager([primary], FailoverConfig(), shared_state=shared)
    assert await manager.get_flight_status("BA117", DAY) is not None
    private_redis.stop()
    loop = asyncio.get_running_loop()
    started = loop.time()
    for _ in range(10):
        assert await manager.get_flight_status("BA117", DAY) is not None
    assert loop.time() - started < 0.5
    assert (shared.errors, shared.commands, primary.calls) == (1, 2, 11)
    await redis.aclose()


async def test_a_password_holding_an_unescaped_at_never_reaches_the_log(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """``redis://:s3cr@t-tail/x9@127.0.0.1:1/0``: the client is built for 127.0.0.1:1 (the
    last ``@`` ends the password), so the warning names that server, never a piece of the
    password taken for a host."""
    caplog.set_level(logging.WARNING)
    client = fail_fast_client("redis://:s3cr@t-tail/x9@127.0.0.1:1/0")
    shared = SharedBreakerState(client, prefix="flight-agent:test")
    assert await shared.open_elsewhere("primary") is None
    await client.aclose()
    assert shared.errors == 1
    assert "Redis at 127.0.0.1:1 is unavailable" in caplog.text
    assert not [part for part in ("s3cr", "t-tail", "x9@") if part in caplog.text]
