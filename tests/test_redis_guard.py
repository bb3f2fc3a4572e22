"""The Redis guard: one error for every Redis failure, naming the server, then one back-off."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from flight_agent.clock import FakeClock
from flight_agent.errors import FlightDataError, StoreUnavailableError
from flight_agent.redis_guard import RedisGuard, server_address

REFUSING = "redis://user:s3cret@127.0.0.1:1/0"
"""A Redis URL nothing listens on: every connection is refused at once."""


@pytest.fixture
async def refusing_client() -> AsyncIterator[Redis]:
    client = Redis.from_url(REFUSING, socket_connect_timeout=1)
    yield client
    await client.aclose()


async def test_a_refused_connection_is_one_flight_data_error_naming_the_server(
    refusing_client: Redis, clock: FakeClock
) -> None:
    """The error says which server failed and how, never the password."""
    guard = RedisGuard(refusing_client, role="test", backoff_s=5.0, clock=clock)
    with pytest.raises(StoreUnavailableError) as caught:
        await guard.run(lambda: refusing_client.get("key"))
    error = caught.value
    assert isinstance(error, FlightDataError)
    assert str(error).startswith("Redis at 127.0.0.1:1 is unavailable: ConnectionError")
    assert "REDIS_URL" in str(error)
    assert "s3cret" not in str(error)
    assert error.retry_after == 5.0
    assert (guard.commands, guard.failures) == (1, 1)


async def test_after_a_failure_redis_rests_for_the_back_off_then_is_asked_again(
    refusing_client: Redis, clock: FakeClock
) -> None:
    """During the back-off calls fail at once without a command; then one command is sent."""
    guard = RedisGuard(refusing_client, role="test", backoff_s=5.0, clock=clock)
    with pytest.raises(StoreUnavailableError):
        await guard.run(lambda: refusing_client.get("key"))
    clock.advance(3.0)
    with pytest.raises(StoreUnavailableError, match=r"asked again in 2\.0 s") as resting:
        await guard.run(lambda: refusing_client.get("key"))
    assert resting.value.retry_after == pytest.approx(2.0)
    assert (guard.commands, guard.failures) == (1, 1)
    clock.advance(2.0)
    with pytest.raises(StoreUnavailableError):
        await guard.run(lambda: refusing_client.get("key"))
    assert (guard.commands, guard.failures) == (2, 2)


def test_a_negative_back_off_is_refused() -> None:
    """Resting a negative time makes no sense."""
    with pytest.raises(ValueError, match="backoff_s"):
        RedisGuard(Redis.from_url(REFUSING), role="test", backoff_s=-1)


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        pytest.param("redis://:pw@cache:6380/1", "cache:6380", id="host-and-port"),
        pytest.param("redis://localhost", "localhost:6379", id="default-port"),
        pytest.param("unix:///run/redis.sock?db=2", "/run/redis.sock", id="socket"),
    ],
)
def test_the_server_is_named_by_address_only(url: str, shown: str) -> None:
    """host:port (or the socket path): no scheme, user, password or database."""
    assert server_address(Redis.from_url(url)) == shown
