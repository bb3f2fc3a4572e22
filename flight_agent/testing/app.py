"""The fake upstream: one ASGI app speaking AeroAPI, AeroDataBox and AviationStack.

Point a real provider at it and it answers with the flights of the same deterministic
simulation ``MockFlightDataProvider`` uses (same seed, scenarios and clock, same flight),
rendered in that provider's JSON shape. Use it in process through ``transport()`` or on a
loopback socket through ``serve()``.

==============  ========================  =========================
provider        path prefix               provider class
==============  ========================  =========================
flightaware     ``/aeroapi``              ``FlightAwareProvider``
aerodatabox     ``/aerodatabox``          ``AeroDataBoxProvider``
aviationstack   ``/aviationstack/v1``     ``AviationStackProvider``
==============  ========================  =========================

Every request to a provider goes through the faults in this order: it is counted in
``requests``, waits the injected latency, then a provider that is down answers 503 (on the
loopback socket its connection is reset instead), a queued ``fail_next`` fault fires, the
``error_rate`` draw may answer 503, a provider over its ``set_quota`` answers 429 with
``Retry-After``, and only then is the request itself answered (a non-GET method is a 405; the
endpoint checks the key).

Example:
    >>> upstream = FakeUpstream(seed=0, clock=clock)
    >>> provider = FlightAwareProvider(
    ...     api_key=upstream.api_key,
    ...     base_url=upstream.base_url("flightaware"),
    ...     transport=upstream.transport(),
    ... )
    >>> upstream.fail_next(1, status=429, retry_after=5)  # the next call is rate limited
"""

from __future__ import annotations

import asyncio
import math
from collections import Counter, defaultdict, deque
from collections.abc import Mapping
from contextlib import AbstractAsyncContextManager
from http import HTTPStatus
from typing import Literal

import httpx

from flight_agent.clock import SYSTEM_CLOCK, Clock
from flight_agent.providers.simulation import FlightSimulator, LatencySpec, Scenario
from flight_agent.providers.simulation.seeding import stable_rng
from flight_agent.testing.alerts import FakeAlerts
from flight_agent.testing.asgi import (
    DROP_EXTENSION,
    ASGIApp,
    ConnectionDropped,
    Receive,
    Request,
    Response,
    Scope,
    Send,
)
from flight_agent.testing.endpoints import ERRORS, HANDLERS, World
from flight_agent.testing.server import serve_asgi

PREFIXES = {
    "flightaware": "/aeroapi",
    "aerodatabox": "/aerodatabox",
    "aviationstack": "/aviationstack/v1",
}
"""Where each provider's API lives below the root URL."""

Fault = int | Literal["hang", "reset"]
"""An HTTP status from 400 to 599, 'hang' (never answer) or 'reset' (drop the connection)."""

_ERROR_STATUSES = frozenset(status.value for status in HTTPStatus if status >= 400)
_NOT_FOUND = Response(404, b"no provider lives at this path")


class _Quota:
    """``requests`` answers per fixed window of ``period`` seconds."""

    def __init__(self, requests: int, period: float) -> None:
        self.requests, self.period = requests, period
        self.window, self.used = -1, 0

    def spend(self, now: float) -> int | None:
        """Count one request at ``now``; None when within the quota, else the whole seconds
        until the window ends (the ``Retry-After`` to send)."""
        window = math.floor(now / self.period)
        if window != self.window:
            self.window, self.used = window, 0
        if self.used < self.requests:
            self.used += 1
            return None
        return max(1, math.ceil((window + 1) * self.period - now))


def _provider(name: str) -> str:
    key = name.strip().lower()
    if key not in PREFIXES:
        raise ValueError(f"unknown provider {name!r}; use one of {', '.join(PREFIXES)}")
    return key


def _check_latency(latency: LatencySpec) -> LatencySpec:
    if not callable(latency) and latency < 0:
        raise ValueError("latency must be zero or more seconds")
    return latency


class FakeUpstream:
    """An ASGI app serving AeroAPI, AeroDataBox and AviationStack from the simulated world.

    Args:
        seed: Selects the simulated world, as ``MockFlightDataProvider(seed=...)`` does; it
            also seeds the latency and error draws.
        clock: Time source: flight progress and the dates AeroAPI accepts.
        scenarios: Designator to ``Scenario`` (or its value), for every date.
        latency: Seconds every request waits, or a callable ``(random.Random) -> float``
            such as ``lognormal_latency(0.1, 0.35)``.
        error_rate: Probability that a request answers 503.
        api_key: The key every provider must present.

    Attributes:
        seed: The seed of the simulated world.
        clock: The time source.
        simulator: The simulated world (``set_scenario`` changes it on the fly).
        requests: Requests received, by provider name, whatever their fate.

    Raises:
        ValueError: A negative latency or an error rate outside [0, 1].
    """

    def __init__(
        self,
        seed: int = 0,
        *,
        clock: Clock = SYSTEM_CLOCK,
        scenarios: Mapping[str, Scenario | str] | None = None,
        latency: LatencySpec = 0.0,
        error_rate: float = 0.0,
        api_key: str = "test-key",
    ) -> None:
        self.seed = seed
        self.clock = clock
        self.simulator = FlightSimulator(seed, scenarios)
        self.requests: Counter[str] = Counter()
        self.error_rate = error_rate
        self._latency: dict[str | None, LatencySpec] = {None: _check_latency(latency)}
        self._faults: defaultdict[str | None, deque[tuple[Fault, int | None]]] = defaultdict(deque)
        self._down: set[str] = set()
        self._quotas: dict[str, _Quota] = {}
        self._latency_rng = stable_rng(seed, "fake-upstream", "latency")
        self._error_rng = stable_rng(seed, "fake-upstream", "errors")
        self._world = World(self.simulator, clock, api_key, self.requests)
        self.alerts = FakeAlerts(self._world, seed)
        """AeroAPI's alert endpoints and the callbacks of the simulated day (``testing.alerts``)."""

    @property
    def api_key(self) -> str:
        """The key every provider must present."""
        return self._world.api_key

    @property
    def error_rate(self) -> float:
        """Probability that a request answers 503."""
        return self._error_rate

    @error_rate.setter
    def error_rate(self, value: float) -> None:
        if not 0.0 <= value <= 1.0:
            raise ValueError("error_rate must lie between 0 and 1")
        self._error_rate = value

    @staticmethod
    def base_url(provider: str, root: str = "http://fake") -> str:
        """The ``base_url`` to give that provider's class, below ``root``.

        Args:
            provider: 'flightaware', 'aerodatabox' or 'aviationstack' (any case).
            root: The server's root URL: any host for ``transport()``, the URL ``serve()``
                yields for the loopback socket.

        Raises:
            ValueError: An unknown provider.
        """
        return root.rstrip("/") + PREFIXES[_provider(provider)]

    def transport(self) -> httpx.ASGITransport:
        """An httpx transport that calls this app in process (no socket, no timeouts)."""
        return httpx.ASGITransport(app=self.app)

    def serve(self) -> AbstractAsyncContextManager[str]:
        """Serve this app on 127.0.0.1 on a free port; yields the root URL.

        Example:
            >>> async with upstream.serve() as root:
            ...     base_url = upstream.base_url("aerodatabox", root)
        """
        return serve_asgi(self.app)

    def set_latency(self, latency: LatencySpec, *, provider: str | None = None) -> None:
        """Set the latency of every provider, or of one (which then ignores the shared one).

        Raises:
            ValueError: A negative latency or an unknown provider.
        """
        key = _provider(provider) if provider is not None else None
        self._latency[key] = _check_latency(latency)

    def fail_next(
        self,
        n: int = 1,
        status: Fault = 500,
        *,
        provider: str | None = None,
        retry_after: int | None = 1,
    ) -> None:
        """Make the next ``n`` requests (to any provider, or to one) fail.

        Args:
            n: How many requests fail.
            status: An HTTP status answered in the provider's error style (429 carries
                ``Retry-After``), 'hang' to never answer (the caller's timeout must fire;
                ``ASGITransport`` has none of its own), or 'reset' to drop the connection.
            provider: Only requests to this provider fail; their own queue is used first.
            retry_after: Seconds sent in ``Retry-After`` with a 429; None sends none.

        Raises:
            ValueError: A negative ``n``, a status that is not an HTTP error, or an unknown
                provider.
        """
        if n < 0:
            raise ValueError("fail_next needs n >= 0")
        if status not in _ERROR_STATUSES and status not in ("hang", "reset"):
            raise ValueError(f"status must be an HTTP error status, 'hang' or 'reset': {status!r}")
        key = _provider(provider) if provider is not None else None
        self._faults[key].extend([(status, retry_after)] * n)

    def set_down(self, provider: str, down: bool = True) -> None:
        """Take a provider down (503 in process, a reset connection on the socket) or up.

        Raises:
            ValueError: An unknown provider.
        """
        key = _provider(provider)
        if down:
            self._down.add(key)
        else:
            self._down.discard(key)

    def set_quota(self, provider: str, requests: int | None, period: float = 1.0) -> None:
        """Answer at most ``requests`` of a provider's requests per ``period`` seconds (fixed
        windows on the clock's monotonic time); the others get 429 with ``Retry-After``, the
        whole seconds until the window ends. ``None`` lifts the quota.

        Raises:
            ValueError: An unknown provider, fewer than 1 request or a period not above 0.
        """
        key = _provider(provider)
        if requests is None:
            self._quotas.pop(key, None)
            return
        if requests < 1 or period <= 0:
            raise ValueError("a quota needs at least 1 request per period of more than 0 s")
        self._quotas[key] = _Quota(requests, period)

    def clear_faults(self) -> None:
        """Drop queued failures and bring every provider up (latency and error rate stay)."""
        self._faults.clear()
        self._down.clear()

    @property
    def app(self) -> ASGIApp:
        """The ASGI application: the upstream itself, for servers that take an app."""
        return self

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer one ASGI request.

        Raises:
            ConnectionDropped: A 'reset' fault, or a down provider on a server that resets
                connections.
            ValueError: A non-HTTP scope (lifespan, websocket).
        """
        if scope["type"] != "http":
            raise ValueError(f"the fake upstream speaks HTTP only, not {scope['type']!r}")
        path: str = scope["path"]
        for provider, prefix in PREFIXES.items():
            if path == prefix or path.startswith(prefix + "/"):
                request = Request.from_scope(scope, path[len(prefix) :])
                can_drop = DROP_EXTENSION in scope.get("extensions", {})
                response = await self._answer(provider, request, can_drop=can_drop, receive=receive)
                break
        else:
            response = _NOT_FOUND
        await response.send(send)

    async def _answer(
        self, provider: str, request: Request, *, can_drop: bool, receive: Receive
    ) -> Response:
        self.requests[provider] += 1
        latency = self._latency.get(provider, self._latency[None])
        wait = latency(self._latency_rng) if callable(latency) else latency
        random_error = self._error_rng.random() < self.error_rate
        if wait > 0:
            await asyncio.sleep(wait)
        error = ERRORS[provider]
        if provider in self._down:
            if can_drop:
                raise ConnectionDropped(f"{provider} is down")
            return error(503, f"{provider} is down (set_down)", ())
        queue = self._faults[provider] or self._faults[None]
        if queue:
            fault, retry_after = queue.popleft()
            if isinstance(fault, str):
                if fault == "hang":
                    await asyncio.get_running_loop().create_future()  # never completes
                raise ConnectionDropped("connection reset by the fake upstream (fail_next)")
            headers = (("retry-after", str(retry_after)),) if fault == 429 and retry_after else ()
            return error(fault, "injected failure (fail_next)", headers)
        if random_error:
            return error(503, "injected failure (error_rate)", ())
        quota = self._quotas.get(provider)
        retry_after = quota.spend(self.clock.monotonic()) if quota is not None else None
        if retry_after is not None:
            headers = (("retry-after", str(retry_after)),)
            return error(429, "over the quota (set_quota)", headers)
        if provider == "flightaware" and self.alerts.serves(request):
            return await self.alerts.answer(request, receive)
        if request.method != "GET":
            return error(405, f"{request.method} is not supported", ())
        return HANDLERS[provider](request, self._world)
