"""Base for providers that speak HTTP with an API key: options, key handling and client lifetime.

Every HTTP provider takes the same keywords (``HttpOptions``), declared and handled once here; a
provider adds only its own options. What a caller leaves out comes from the provider's class
(name, priority, API root) or from ``Settings`` (the key): configuration is read in one place.
"""

from __future__ import annotations

from typing import Any, ClassVar, TypedDict

import httpx

from flight_agent.clock import SYSTEM_CLOCK, Clock
from flight_agent.errors import AuthenticationError, FlightDataError
from flight_agent.providers.http import DEFAULT_MAX_BODY_BYTES, ProviderHttp
from flight_agent.providers.interfaces import FlightDataProvider
from flight_agent.providers.redaction import register_secret
from flight_agent.settings import Settings


class HttpOptions(TypedDict, total=False):
    """The keywords every HTTP provider takes; ``HttpFlightDataProvider`` says what each means."""

    name: str | None
    priority: int | None
    api_key: str | None
    base_url: str | None
    timeout: float
    max_concurrency: int
    max_body_bytes: int
    transport: httpx.AsyncBaseTransport | None
    clock: Clock
    settings: Settings | None


class HttpFlightDataProvider(FlightDataProvider):
    """A provider with an API key and one HTTP client.

    Constructing without a key works (so a failover list can be built before keys are set); the
    first call then raises ``AuthenticationError``. The key never appears in ``repr``, errors or
    logs. Every argument is a keyword.

    Args:
        name: Display name; the provider's ``display_name`` when omitted.
        priority: Higher is tried first; the provider's ``default_priority`` when omitted.
        api_key: The key; when omitted, the provider's ``key_setting`` of ``settings``.
        base_url: API root; the provider's ``api_root`` when omitted (tests and benchmarks point
            it at the fake upstream).
        timeout: Seconds per HTTP phase.
        max_concurrency: Concurrent requests for a batch (and connections kept open).
        max_body_bytes: Larger responses are refused.
        transport: A custom httpx transport; by default the provider's own pools, through the
            proxy the environment names for ``base_url`` (``HTTPS_PROXY``, ``NO_PROXY``...).
        clock: Time source.
        settings: Where options left out are read; ``Settings()`` (the environment and
            ``.env``) when omitted.
    """

    display_name: ClassVar[str]
    default_priority: ClassVar[int]
    key_setting: ClassVar[str]
    """The ``Settings`` field holding the key, e.g. ``flightaware_api_key``; upper-cased, it is
    the environment variable."""
    api_root: str
    """The API's base URL."""
    not_found_on_404: ClassVar[bool] = True
    """Whether this API answers 404 for an unknown flight (see ``ProviderHttp``)."""

    def __init__(
        self,
        *,
        name: str | None = None,
        priority: int | None = None,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: float = 10.0,
        max_concurrency: int = 8,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Clock = SYSTEM_CLOCK,
        settings: Settings | None = None,
    ) -> None:
        super().__init__(
            name or self.display_name,
            self.default_priority if priority is None else priority,
            max_concurrency=max_concurrency,
            clock=clock,
        )
        key = api_key if api_key is not None else (settings or Settings()).key(self.key_setting)
        self._api_key = (key or "").strip()
        register_secret(self._api_key)
        self.base_url = base_url or self.api_root
        self.http = ProviderHttp(
            self.name,
            self.base_url,
            headers=self.auth_headers(self._api_key) if self._api_key else None,
            timeout=timeout,
            max_body_bytes=max_body_bytes,
            max_connections=max_concurrency,
            transport=transport,
            not_found_on_404=self.not_found_on_404,
            clock=clock,
            body_error=self.error_in_body,
        )

    @classmethod
    def key_variable(cls) -> str:
        """The environment variable of the key, e.g. ``FLIGHTAWARE_API_KEY``."""
        return cls.key_setting.upper()

    @property
    def has_key(self) -> bool:
        """Whether an API key is configured."""
        return bool(self._api_key)

    def auth_headers(self, api_key: str) -> dict[str, str]:
        """Headers that carry the key (none for query-parameter authentication)."""
        return {}

    def error_in_body(
        self, status_code: int, body: Any, retry_after: float | None
    ) -> FlightDataError | None:
        """The error an answer reports in its body (see ``BodyErrorHook``); None lets the
        status decide, as for APIs whose errors are their status codes."""
        return None

    def require_key(self) -> str:
        """The API key, or ``AuthenticationError`` saying how to provide one."""
        if not self._api_key:
            raise AuthenticationError(
                f"no API key configured; set {self.key_variable()} or pass api_key=...",
                provider=self.name,
            )
        return self._api_key

    async def aclose(self) -> None:
        """Close the HTTP client."""
        await self.http.aclose()
