"""The one way flight-agent talks to Redis: failures become ``StoreUnavailableError``, then a rest.

The shared cache, the watch store and the shared breaker state each send their commands through
a ``RedisGuard``. A command that fails (a ``RedisError``, or an ``OSError`` such as a refused
connection or a socket timeout) raises ``StoreUnavailableError`` naming the server, and Redis is
then left alone for ``backoff_s`` seconds: calls in that time raise at once without sending
anything, so an outage costs one socket timeout per back-off period, not one per request. Each
user decides what an outage means: the cache misses, breaker state falls back to what this
process knows, and watching a flight fails with the error.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from redis.asyncio import Redis
from redis.exceptions import RedisError

from flight_agent.clock import SYSTEM_CLOCK, Clock
from flight_agent.errors import StoreUnavailableError

logger = logging.getLogger(__name__)

T = TypeVar("T")

DEFAULT_PORT = 6379


def server_address(client: Redis) -> str:
    """Where ``client`` connects, safe to show: ``host:port`` or the socket path."""
    options = client.connection_pool.connection_kwargs
    if options.get("path"):
        return str(options["path"])
    return f"{options.get('host') or 'localhost'}:{options.get('port') or DEFAULT_PORT}"


class RedisGuard:
    """Runs one component's Redis commands and rests Redis after a failure.

    Args:
        client: The asyncio Redis client (give it short socket timeouts: one timeout is what
            an outage costs per back-off period).
        role: What the component keeps in Redis, for the log, e.g. ``"shared cache"``.
        backoff_s: Seconds Redis is left alone after a failure.
        clock: Time source of the back-off (its monotonic reading).

    Attributes:
        server: ``host:port`` of the server (never its password).
        commands: Commands sent (none are sent while resting).
        failures: Commands that failed.

    Raises:
        ValueError: ``backoff_s`` is negative.
    """

    def __init__(
        self, client: Redis, *, role: str, backoff_s: float, clock: Clock = SYSTEM_CLOCK
    ) -> None:
        if backoff_s < 0:
            raise ValueError("backoff_s must not be negative")
        self.client = client
        self.server = server_address(client)
        self.backoff_s = backoff_s
        self.commands = 0
        self.failures = 0
        self._role = role
        self._clock = clock
        self._password = client.connection_pool.connection_kwargs.get("password")
        self._resting_until = float("-inf")
        self._last_failure = ""

    async def run(self, command: Callable[[], Awaitable[T]]) -> T:
        """Send one command (``command`` makes it) and return Redis's answer.

        Raises:
            StoreUnavailableError: The command failed, or a command failed less than
                ``backoff_s`` seconds ago (nothing is sent then); ``retry_after`` says when
                Redis is asked again.
        """
        wait = self._resting_until - self._clock.monotonic()
        if wait > 0:
            raise StoreUnavailableError(
                f"{self._last_failure}; Redis is asked again in {wait:.1f} s", retry_after=wait
            )
        self.commands += 1
        try:
            return await command()
        # A refused connection and a socket timeout are OSErrors; redis-py wraps most others.
        except (RedisError, OSError) as error:
            self.failures += 1
            self._resting_until = self._clock.monotonic() + self.backoff_s
            self._last_failure = (
                f"Redis at {self.server} is unavailable: {self._describe(error)}; "
                "check that the server runs and that REDIS_URL names it"
            )
            logger.warning(
                "%s: %s (resting %.1f s)", self._role, self._last_failure, self.backoff_s
            )
            raise StoreUnavailableError(self._last_failure, retry_after=self.backoff_s) from error

    def _describe(self, error: Exception) -> str:
        """The error's class and message, the password masked and the message cut short."""
        message = str(error)
        if self._password:
            message = message.replace(str(self._password), "***")
        return f"{type(error).__name__}: {message[:200]}" if message else type(error).__name__
