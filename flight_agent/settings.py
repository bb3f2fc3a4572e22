"""Settings read from the environment (and an optional ``.env``), typed and immutable.

This is the one place flight-agent reads its configuration; everything below it takes its
configuration as arguments (a provider built without a key reads it from ``Settings()``). Values
are spelled as pydantic reads them: booleans as ``1``/``0``, ``true``/``false``, ``yes``/``no``
or ``on``/``off``. Keys are ``SecretStr`` so they never show in a repr or a log. (The standard
proxy variables, ``HTTPS_PROXY`` and friends, are httpx's: see ``providers.proxies``.)
"""

from __future__ import annotations

from ipaddress import ip_network
from typing import Literal, get_args

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

SafetyNet = Literal["lean", "strict"]
"""How flights with a push alert are still polled (``monitoring.schedule.SAFETY_NETS``)."""

Marketplace = Literal["rapidapi", "apimarket"]
"""An API marketplace that sells AeroDataBox keys."""

MARKETPLACES: tuple[Marketplace, ...] = get_args(Marketplace)
DEFAULT_MARKETPLACE: Marketplace = "rapidapi"


def marketplace_name(value: str) -> Marketplace:
    """The marketplace ``value`` names, in any case and with blanks around it (blank: the default).

    Raises:
        ValueError: Not a marketplace; the message lists the known ones.
    """
    name = value.strip().lower() or DEFAULT_MARKETPLACE
    for known in MARKETPLACES:
        if name == known:
            return known
    raise ValueError(
        f"unknown AeroDataBox marketplace {name!r}; use one of "
        + ", ".join(repr(known) for known in MARKETPLACES)
    )


class Settings(BaseSettings):
    """flight-agent's configuration; each field is the environment variable of the same name."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_ignore_empty=True,
        extra="ignore",
        frozen=True,
        hide_input_in_errors=True,  # a refused REDIS_URL may carry a password
    )

    flightaware_api_key: SecretStr | None = Field(default=None, description="AeroAPI key")
    aerodatabox_api_key: SecretStr | None = Field(default=None, description="AeroDataBox key")
    aerodatabox_marketplace: Marketplace = Field(
        default=DEFAULT_MARKETPLACE, description="Which marketplace issued the AeroDataBox key"
    )
    aviationstack_api_key: SecretStr | None = Field(default=None, description="AviationStack key")
    aviationstack_historical: bool = Field(
        default=False, description="The AviationStack plan allows flight_date (past dates)"
    )
    redis_url: str | None = Field(
        default=None,
        repr=False,  # a Redis URL may carry a password
        description="Redis for the shared cache and monitor state; memory if unset",
    )
    flight_agent_monitor_lease_seconds: float = Field(
        default=120.0,
        gt=0,
        description="How long a monitor's claim on a flight holds; a dead worker's flights "
        "are polled by another after it",
    )
    flight_agent_mock_seed: int = Field(default=0, description="Seed of the simulated provider")
    flight_agent_model: str | None = Field(
        default=None, description="LangChain chat model, e.g. openai:gpt-4.1-mini; offline if unset"
    )
    flight_agent_mcp_token: SecretStr | None = Field(
        default=None,
        description="Bearer token the MCP HTTP server requires; needed to bind off loopback",
    )

    flight_agent_alert_secret: SecretStr | None = Field(
        default=None,
        min_length=16,
        description="Secret path segment of the alert webhook (POST /alerts/<secret>); at "
        "least 16 characters; without it `serve` receives no alerts",
    )
    flight_agent_public_url: str | None = Field(
        default=None,
        description="Where AeroAPI reaches `flight-agent serve`, e.g. https://ops.example.com; "
        "alerts are delivered to <url>/alerts/<secret>",
    )
    flight_agent_alert_safety_net: SafetyNet = Field(
        default="lean",
        description="How flights with a push alert are still polled: 'lean' every 2 h and "
        "after each expected milestone (a lost delay or gate-change push may wait 2 h); "
        "'strict' on the 30- and 5-minute bounds held without alerts, at nearly polling's cost",
    )
    flight_agent_alert_networks: str | None = Field(
        default=None,
        description="Comma-separated networks (CIDR) allowed to deliver alerts, e.g. "
        "FlightAware's published ranges; any source if unset",
    )

    @field_validator("flight_agent_public_url")
    @classmethod
    def _public_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("https://", "http://")):
            raise ValueError("use the http(s) URL AeroAPI can reach, e.g. https://ops.example.com")
        return value

    @field_validator("flight_agent_alert_networks")
    @classmethod
    def _alert_networks(cls, value: str | None) -> str | None:
        if value is not None:
            for part in value.split(","):
                try:
                    ip_network(part.strip(), strict=False)
                except ValueError:
                    raise ValueError(
                        f"{part.strip()!r} is not a network; use CIDR such as 203.0.113.0/24"
                    ) from None
        return value

    @field_validator("aerodatabox_marketplace", mode="before")
    @classmethod
    def _marketplace(cls, value: object) -> object:
        return marketplace_name(value) if isinstance(value, str) else value

    @field_validator("redis_url")
    @classmethod
    def _redis_url(cls, value: str | None) -> str | None:
        """A URL whose scheme, host, port and database the Redis client reads (credentials and
        query left out, as ``redact_url`` shows it); the message never repeats the URL."""
        if value is not None:
            # Imported here: only a process given a REDIS_URL loads the Redis client.
            from redis.asyncio.connection import parse_url

            from flight_agent.cache.redis_cache import redact_url

            try:
                parse_url(redact_url(value))
            except ValueError:
                raise ValueError(
                    "not a Redis URL; use redis://[[user]:password@]host[:port][/db], "
                    "rediss://... for TLS, or unix:///path/to/redis.sock"
                ) from None
        return value

    def key(self, field: str) -> str | None:
        """The plain value of the key setting named ``field`` (e.g. ``flightaware_api_key``), or
        None when it is unset or blank."""
        return self.secret(getattr(self, field))

    @staticmethod
    def secret(value: SecretStr | None) -> str | None:
        """The plain key, or None when unset or blank."""
        if value is None:
            return None
        plain = value.get_secret_value().strip()
        return plain or None
