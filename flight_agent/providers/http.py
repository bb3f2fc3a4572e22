"""The one place where HTTP meets the exception tree.

Every HTTP provider owns one ``ProviderHttp``: one httpx transport with connection limits,
explicit timeouts, no transport retries (retries live in the failover manager), the proxy the
environment names (``HTTPS_PROXY``, ``NO_PROXY``...) and a response size cap. Transport errors,
status codes and unreadable bodies become ``FlightDataError``s here and nowhere else. This is
where provider text enters: every error leaving ``get_json`` (whoever built it, a provider's
error-envelope reader included) and the request log pass through ``redaction.redact``, so no
registered API key shows in any of its forms.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, cast
from urllib.parse import urlencode

import httpx

from flight_agent import __version__
from flight_agent.clock import SYSTEM_CLOCK, Clock
from flight_agent.errors import (
    AuthenticationError,
    FlightDataError,
    InvalidFlightQueryError,
    InvalidResponseError,
    ProviderError,
    ProviderTimeoutError,
    ProviderUnavailableError,
    RateLimitedError,
)
from flight_agent.providers.proxies import environment_proxy
from flight_agent.providers.redaction import redact

DEFAULT_MAX_BODY_BYTES = 2_000_000
MAX_ERROR_MESSAGE = 300
"""Longest error message. Provider text quoted in one (an error detail, an envelope's message
and parameter names) is cut here, after keys are masked, so a cut never leaves part of a key."""

BodyErrorHook = Callable[[int, Any, float | None], FlightDataError | None]
"""Reads a provider's own error envelope: ``(status, parsed body or None, retry_after)``.

It returns the error to raise, or None to let the status decide. Providers that report errors
inside the body (AviationStack, even with HTTP 200) or that overload a status code (AviationStack
sends 429 both for "rate limited" and "quota used up") pass a ``body_error`` hook.
"""

_logger = logging.getLogger(__name__)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP-date).

    Returns None for a missing, negative or unparsable value (the caller's backoff applies).
    """
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            return None
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    return seconds if seconds >= 0 else None


def error_for_status(
    provider: str,
    status_code: int,
    detail: str | None = None,
    *,
    retry_after: float | None = None,
) -> FlightDataError:
    """The error for a failed HTTP status, with the provider's own explanation appended."""
    suffix = f": {detail}" if detail else ""
    if status_code == 400:
        return InvalidFlightQueryError(
            f"the provider rejected the request (HTTP 400){suffix}",
            provider=provider,
            status_code=status_code,
        )
    if status_code in (401, 403):
        return AuthenticationError(
            f"access refused (HTTP {status_code}); check the API key and the plan{suffix}",
            provider=provider,
            status_code=status_code,
        )
    if status_code == 408:
        return ProviderTimeoutError(
            f"the provider timed out (HTTP 408){suffix}", provider=provider, status_code=408
        )
    if status_code == 429:
        hint = f"; retry after {retry_after:g} s" if retry_after is not None else ""
        return RateLimitedError(
            f"rate limited (HTTP 429){hint}{suffix}",
            provider=provider,
            status_code=429,
            retry_after=retry_after,
        )
    if status_code >= 500:
        return ProviderUnavailableError(
            f"server error (HTTP {status_code}){suffix}", provider=provider, status_code=status_code
        )
    return ProviderError(
        f"unexpected HTTP {status_code}{suffix}", provider=provider, status_code=status_code
    )


@dataclass(frozen=True, slots=True)
class HttpResponse:
    """A successful response: status code, parsed JSON body (None when empty) and headers."""

    status_code: int
    body: Any
    headers: httpx.Headers


def _error_detail(body: bytes) -> str | None:
    """A short explanation from an error body (AeroAPI 'detail', ADB/AS 'message')."""
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if isinstance(data, dict):
        error = data.get("error")
        inner: dict[str, Any] = error if isinstance(error, dict) else data
        for key in ("detail", "message", "title", "reason"):
            if isinstance(inner.get(key), str):
                return str(inner[key])
    return None


def _json_or_none(content: bytes) -> Any:
    """The parsed body of an error response, or None when it is empty or not JSON."""
    try:
        return json.loads(content) if content.strip() else None
    except ValueError:
        return None


JSON_CONTENT_TYPE = "application/json; charset=UTF-8"
"""The media type of the JSON bodies ``send_json`` sends (AeroAPI's spelling)."""

USER_AGENT = f"flight-agent/{__version__}"
"""How the toolkit names itself to providers: its name and version only."""

POOL_SHARD_SIZE = 4
"""Most connections one httpcore pool holds; a larger limit is split over several pools."""


class _Released(httpx.AsyncByteStream):
    """A response body that calls ``release`` once when it is closed."""

    def __init__(self, stream: httpx.AsyncByteStream, release: Callable[[], None]) -> None:
        self._stream = stream
        self._release: Callable[[], None] | None = release

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._stream:
            yield chunk

    async def aclose(self) -> None:
        try:
            await self._stream.aclose()
        finally:
            if self._release is not None:
                self._release()
                self._release = None


class PoolShards(httpx.AsyncBaseTransport):
    """``max_connections`` keep-alive connections, split over pools of at most 4.

    httpcore's pool walks all its connections on every request and every response (polling
    each idle socket, and counting connections once per idle one), so its CPU cost per request
    grows with its size: at 64 connections it outweighs everything else a request does. Each
    request goes to the pool with the fewest requests in flight (until its body is closed),
    so together the pools still hold ``max_connections`` connections. (The limits must live
    in the transport: httpx ignores a client's ``limits`` when it is given a transport.)

    Args:
        max_connections: Connections across all pools (each kept alive when idle).
        proxy: Send every request through this proxy URL (None: straight to the server).
    """

    def __init__(self, max_connections: int, *, proxy: str | None = None) -> None:
        count = max(1, math.ceil(max_connections / POOL_SHARD_SIZE))
        size = math.ceil(max_connections / count)
        limits = httpx.Limits(max_connections=size, max_keepalive_connections=size)
        tls = httpx.create_ssl_context()  # loading the CA bundle takes ~40 ms: share it
        self._pools = [
            httpx.AsyncHTTPTransport(verify=tls, retries=0, limits=limits, proxy=proxy)
            for _ in range(count)
        ]
        self._in_flight = [0] * count

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send ``request`` through the least busy pool."""
        index = self._in_flight.index(min(self._in_flight))
        self._in_flight[index] += 1

        def release() -> None:
            self._in_flight[index] -= 1

        try:
            response = await self._pools[index].handle_async_request(request)
        except BaseException:
            release()
            raise
        response.stream = _Released(cast(httpx.AsyncByteStream, response.stream), release)
        return response

    async def aclose(self) -> None:
        """Close every pool."""
        for pool in self._pools:
            await pool.aclose()


class ProviderHttp:
    """One provider's HTTP client.

    Args:
        provider: Provider name for errors.
        base_url: Base URL of the API.
        headers: Default headers (the API key for header-authenticated APIs).
        timeout: Seconds for connect, read, write and pool waits.
        max_body_bytes: Larger bodies are refused with ``InvalidResponseError``.
        max_connections: Connection pool size.
        transport: A custom transport (tests use the fake upstream's ASGI app); by default
            ``PoolShards`` through the proxy the environment names for ``base_url``, read once
            here by httpx's rules (``environment_proxy``).
        body_error: Optional ``BodyErrorHook`` consulted for every response with a body, before
            the status code is mapped.
        not_found_on_404: Read a 404 as "no such flight" (AeroDataBox, AviationStack); when
            False a 404 is an error (AeroAPI declares it only on other endpoints, so there it
            means a wrong path or base URL).
        clock: Reads ``Retry-After`` dates against this clock.
    """

    def __init__(
        self,
        provider: str,
        base_url: str,
        *,
        headers: dict[str, str] | None = None,
        timeout: float = 10.0,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        max_connections: int = 20,
        transport: httpx.AsyncBaseTransport | None = None,
        body_error: BodyErrorHook | None = None,
        not_found_on_404: bool = True,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self.provider = provider
        self.clock = clock
        self.not_found_on_404 = not_found_on_404
        self.max_body_bytes = max_body_bytes
        self.body_error = body_error
        self._root = base_url.rstrip("/")
        self._headers = httpx.Headers(
            {
                "Accept": "application/json",
                "Accept-Encoding": "gzip, deflate",
                "User-Agent": USER_AGENT,
                **(headers or {}),
            }
        )
        self._timeout = {"timeout": httpx.Timeout(timeout).as_dict()}
        # Requests go straight to the transport: a client's cookies, auth flow, redirects and
        # URL merging are not used here and cost a third of the HTTP work; of its environment
        # handling only the proxy matters, and ``environment_proxy`` reads it as the client would.
        self._transport = transport or PoolShards(
            max_connections, proxy=environment_proxy(self._root)
        )

    async def get_json(self, path: str, params: dict[str, str] | None = None) -> HttpResponse:
        """GET ``path`` and return its JSON body, or raise the matching ``FlightDataError``.

        A 204 answers with ``body=None``; so does a 404 when ``not_found_on_404``, which the
        provider reads as "no such flight". The error's message has every registered key
        masked (it may quote the provider's answer, which may echo a key in any form) and is
        at most ``MAX_ERROR_MESSAGE`` characters long.
        """
        return await self.send_json("GET", path, params=params)

    async def send_json(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, str] | None = None,
        json_body: Any = None,
    ) -> HttpResponse:
        """Send ``method`` to ``path`` (with ``json_body`` as a JSON document when given) and
        return the JSON answer, or raise the matching ``FlightDataError``, as ``get_json`` does.

        Writes (AeroAPI's alert management: POST, PUT, DELETE) go through here, so their
        errors and log lines are redacted the same way.
        """
        try:
            return await self._exchange(method, path, params, json_body)
        except FlightDataError as error:
            message = redact(error.message)
            if len(message) > MAX_ERROR_MESSAGE:
                message = f"{message[: MAX_ERROR_MESSAGE - 3]}..."
            error.message, error.args = message, (message,)
            raise

    async def _exchange(
        self, method: str, path: str, params: dict[str, str] | None, json_body: Any
    ) -> HttpResponse:
        url = f"{self._root}/{path.lstrip('/')}"
        if params:
            url = f"{url}?{urlencode(params)}"
        headers, content = self._headers, None
        if json_body is not None:
            content = json.dumps(json_body, separators=(",", ":")).encode("utf-8")
            headers = httpx.Headers({**headers, "Content-Type": JSON_CONTENT_TYPE})
        request = httpx.Request(
            method, url, headers=headers, content=content, extensions=self._timeout
        )
        try:
            response = await self._transport.handle_async_request(request)
            try:
                content = await self._read_capped(response)
            finally:
                await response.aclose()
            if _logger.isEnabledFor(logging.DEBUG):
                _logger.debug(
                    "%s: %s %s -> HTTP %d", self.provider, method, redact(url), response.status_code
                )
        except httpx.DecodingError as exc:
            raise InvalidResponseError(
                f"the body could not be decoded ({type(exc).__name__})", provider=self.provider
            ) from exc
        except httpx.TimeoutException as exc:
            raise ProviderTimeoutError(
                f"no answer in time ({type(exc).__name__})", provider=self.provider
            ) from exc
        except httpx.TransportError as exc:
            raise ProviderUnavailableError(
                f"connection failed ({type(exc).__name__})", provider=self.provider
            ) from exc
        status = response.status_code
        if status >= 300:
            retry_after = parse_retry_after(response.headers.get("Retry-After"), self.clock.now())
            if self.body_error is not None:  # parse error bodies only for providers that ask
                self._check_body(status, _json_or_none(content), retry_after)
            if status == 404 and self.not_found_on_404:
                return HttpResponse(status, None, response.headers)
            raise error_for_status(
                self.provider, status, _error_detail(content), retry_after=retry_after
            )
        if status == 204 or not content.strip():
            return HttpResponse(status, None, response.headers)
        try:
            body = json.loads(content)
        except ValueError as exc:
            raise InvalidResponseError(
                f"the body is not JSON (HTTP {status}, {len(content)} bytes)",
                provider=self.provider,
                status_code=status,
            ) from exc
        self._check_body(status, body, None)
        return HttpResponse(status, body, response.headers)

    def _check_body(self, status: int, body: Any, retry_after: float | None) -> None:
        """Raise the error the ``body_error`` hook reads from the body, if there is one."""
        if self.body_error is None:
            return
        error = self.body_error(status, body, retry_after)
        if error is not None:
            raise error

    async def _read_capped(self, response: httpx.Response) -> bytes:
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > self.max_body_bytes:
            raise self._too_large(int(declared))
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > self.max_body_bytes:
                raise self._too_large(size)
            chunks.append(chunk)
        return b"".join(chunks)

    def _too_large(self, size: int) -> InvalidResponseError:
        return InvalidResponseError(
            f"the body exceeds {self.max_body_bytes} bytes ({size} seen); refused",
            provider=self.provider,
        )

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._transport.aclose()
