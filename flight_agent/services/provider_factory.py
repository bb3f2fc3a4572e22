"""Which providers a service runs with, decided from settings.

``LIVE_PROVIDERS`` is the registry: a live provider is built for every key that is set, in its
order, AeroAPI > AeroDataBox > AviationStack (their default priorities). A new provider is its
module (an ``HttpFlightDataProvider`` naming its ``key_setting``), that key in ``Settings``, and
one line here. The simulated provider joins when asked for, or on its own when no key is set, so
the toolkit always answers; the log says which data is simulated. Its world includes the
showcase flights (``flight-agent scenarios``), so the tools, the CLI, the MCP server and the
graphs on the embedded defaults show them.
"""

from __future__ import annotations

import logging

from flight_agent.clock import SYSTEM_CLOCK, Clock
from flight_agent.providers.aerodatabox_provider import AeroDataBoxProvider
from flight_agent.providers.aviationstack_provider import AviationStackProvider
from flight_agent.providers.flightaware_provider import FlightAwareProvider
from flight_agent.providers.http_provider import HttpFlightDataProvider
from flight_agent.providers.interfaces import FlightDataProvider
from flight_agent.providers.mock_provider import MockFlightDataProvider
from flight_agent.settings import Settings

logger = logging.getLogger(__name__)

SIMULATED_PROVIDER_NAME = "Simulated"

LIVE_PROVIDERS: tuple[type[HttpFlightDataProvider], ...] = (
    FlightAwareProvider,
    AeroDataBoxProvider,
    AviationStackProvider,
)
"""Every live provider, highest priority first; each is used when its key is set."""


def configured_keys(settings: Settings) -> list[str]:
    """The variables of the provider keys that are set (never their values)."""
    return [p.key_variable() for p in LIVE_PROVIDERS if settings.key(p.key_setting)]


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
    providers: list[FlightDataProvider] = [
        live(settings=settings, clock=clock)
        for live in LIVE_PROVIDERS
        if settings.key(live.key_setting)
    ]
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
                ", ".join(live.key_variable() for live in LIVE_PROVIDERS),
            )
        providers.append(simulated_provider(settings, clock))
    return providers
