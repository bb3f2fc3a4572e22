"""Settings read from the environment (and an optional ``.env``), typed and immutable.

This is one of the few places that reads environment variables; everything below it takes its
configuration as arguments. Keys are ``SecretStr`` so they never show in a repr or a log.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """flight-agent's configuration; each field is the environment variable of the same name."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", frozen=True)

    flightaware_api_key: SecretStr | None = Field(default=None, description="AeroAPI key")
    aerodatabox_api_key: SecretStr | None = Field(default=None, description="AeroDataBox key")
    aerodatabox_marketplace: Literal["rapidapi", "apimarket"] = "rapidapi"
    aviationstack_api_key: SecretStr | None = Field(default=None, description="AviationStack key")
    aviationstack_historical: bool = Field(
        default=False, description="The AviationStack plan allows flight_date (past dates)"
    )
    redis_url: str | None = Field(
        default=None,
        repr=False,  # a Redis URL may carry a password
        description="Redis for the shared cache and monitor state; memory if unset",
    )
    flight_agent_mock_seed: int = Field(default=0, description="Seed of the simulated provider")
    flight_agent_model: str | None = Field(
        default=None, description="LangChain chat model, e.g. openai:gpt-4.1-mini; offline if unset"
    )
    flight_agent_mcp_token: SecretStr | None = Field(
        default=None,
        description="Bearer token the MCP HTTP server requires; needed to bind off loopback",
    )

    @staticmethod
    def secret(value: SecretStr | None) -> str | None:
        """The plain key, or None when unset or blank."""
        if value is None:
            return None
        plain = value.get_secret_value().strip()
        return plain or None
