"""Fixtures of the monitoring tests that use the shared Redis."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import redis

from tests.conftest import RedisServer


@pytest.fixture
def namespace(redis_server: RedisServer) -> Iterator[str]:
    """A namespace of this test's own in the shared Redis, deleted afterwards."""
    name = f"flight-agent:test:{uuid.uuid4().hex}"
    yield name
    client = redis.Redis.from_url(redis_server.url)
    stale = list(client.scan_iter(match=f"{name}:*"))
    if stale:
        client.delete(*stale)
    client.close()
