"""Which providers a service runs with, decided from settings.

Real providers are built for every key that is set, in the order AeroAPI > AeroDataBox >
AviationStack (their default priorities). The simulated provider joins when asked for, or on its
own when no key is set, so the toolkit always answers; the log says which data is simulated. Its
world includes the showcase flights (``flight-agent scenarios``), so the tools, the CLI, the MCP
server and the graphs on the embedded defaults show them.
"""

from __future__ import annotations

import logging

from flight_agent.clock import SYSTEM_CLOCK, Clock
from flight_agent.providers.aerodatabox_provider import AeroDataBoxProvider
from flight_agent.providers.aviationstack_provider import AviationStackProvider
from flight_agent.providers.flightaware_provider import FlightAwareProvider
from flight_agent.providers.interfaces import FlightDataProvider
from flight_agent.providers.mock_provider import MockFlightDataProvider
from flight_agent.settings import Settings

logger = logging.getLogger(__name__)

SIMULATED_PROVIDER_NAME = "Simulated"

KEY_VARIABLES = ("FLIGHTAWARE_API_KEY", "AERODATABOX_API_KEY", "AVIATIONSTACK_API_KEY")
"""The environment variables that hold provider keys, in priority order."""


def configured_keys(settings: Settings) -> list[str]:
    """The names of the provider keys that are set (never their values)."""
    keys = (
        settings.flightaware_api_key,
        settings.aerodatabox_api_key,
        settings.aviationstack_api_key,
    )
    return [name for name, key in zip(KEY_VARIABLES, keys, strict=True) if Settings.secret(key)]


def simulated_provider(settings: Settings, clock: Clock = SYSTEM_CLOCK) -> MockFlightDataProvider:
    """The simulated provider: the seed's world with the showcase flights, lowest priority."""
    return MockFlightDataProvider(
        SIMULATED_PROVIDER_NAME, 0, seed=settings.flight_agent_mock_seed, clock=clock
    )


def build_providers(
    settings: Settings, *, enable_mock: bool, clock: Clock = SYSTEM_CLOCK
) -> list[FlightDataProvider]:
    """The providers the settings ask for, highest priority first.

    Args:
        settings: Keys and options (keys are read from here only, never logged).
        enable_mock: Add the simulated provider at the lowest priority even when keys exist.
        clock: Time source for every provider.

    Returns:
        At least one provider: the simulated one when no key is configured.
    """
    providers: list[FlightDataProvider] = []
    if key := Settings.secret(settings.flightaware_api_key):
        providers.append(FlightAwareProvider(api_key=key, clock=clock))
    if key := Settings.secret(settings.aerodatabox_api_key):
        providers.append(
            AeroDataBoxProvider(
                api_key=key, marketplace=settings.aerodatabox_marketplace, clock=clock
            )
        )
    if key := Settings.secret(settings.aviationstack_api_key):
        providers.append(
            AviationStackProvider(
                api_key=key, historical=settings.aviationstack_historical, clock=clock
            )
        )
    if providers:
        logger.info("live providers: %s", ", ".join(p.name for p in providers))
    if not providers or enable_mock:
        if providers:
            logger.warning(
                "the simulated provider is enabled as the last fallback: "
                "answers with source=%r are simulated, not live",
                SIMULATED_PROVIDER_NAME,
            )
        else:
            logger.warning(
                "no provider key is set (%s): every answer comes from the simulated provider",
                ", ".join(KEY_VARIABLES),
            )
        providers.append(simulated_provider(settings, clock))
    return providers
