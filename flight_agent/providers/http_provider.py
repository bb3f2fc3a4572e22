"""Base for providers that speak HTTP with an API key: key handling and client lifetime."""

from __future__ import annotations

import os
from typing import ClassVar

import httpx

from flight_agent.clock import SYSTEM_CLOCK, Clock
from flight_agent.errors import AuthenticationError
from flight_agent.providers.http import (
    DEFAULT_MAX_BODY_BYTES,
    BodyErrorHook,
    ProviderHttp,
    register_secret,
)
from flight_agent.providers.interfaces import FlightDataProvider


class HttpFlightDataProvider(FlightDataProvider):
    """A provider with an API key and one HTTP client.

    The key comes from ``api_key`` or, when omitted, from the environment variable
    ``key_env``. Constructing without a key works (so a failover list can be built before
    keys are set); the first call then raises ``AuthenticationError``. The key never appears
    in ``repr``, errors or logs.
    """

    key_env: str = ""
    not_found_on_404: ClassVar[bool] = True
    """Whether this API answers 404 for an unknown flight (see ``ProviderHttp``)."""

    def __init__(
        self,
        name: str,
        priority: int,
        *,
        base_url: str,
        api_key: str | None = None,
        timeout: float = 10.0,
        max_concurrency: int = 8,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Clock = SYSTEM_CLOCK,
        body_error: BodyErrorHook | None = None,
    ) -> None:
        super().__init__(name, priority, max_concurrency=max_concurrency, clock=clock)
        key = api_key if api_key is not None else os.environ.get(self.key_env, "")
        self._api_key = key.strip()
        register_secret(self._api_key)
        self.base_url = base_url
        self.http = ProviderHttp(
            name,
            base_url,
            headers=self.auth_headers(self._api_key) if self._api_key else None,
            timeout=timeout,
            max_body_bytes=max_body_bytes,
            max_connections=max_concurrency,
            transport=transport,
            not_found_on_404=self.not_found_on_404,
            clock=clock,
            body_error=body_error,
        )

    @property
    def has_key(self) -> bool:
        """Whether an API key is configured."""
        return bool(self._api_key)

    def auth_headers(self, api_key: str) -> dict[str, str]:
        """Headers that carry the key (none for query-parameter authentication)."""
        return {}

    def require_key(self) -> str:
        """The API key, or ``AuthenticationError`` saying how to provide one."""
        if not self._api_key:
            raise AuthenticationError(
                f"no API key configured; set {self.key_env} or pass api_key=...",
                provider=self.name,
            )
        return self._api_key

    async def aclose(self) -> None:
        """Close the HTTP client."""
        await self.http.aclose()
