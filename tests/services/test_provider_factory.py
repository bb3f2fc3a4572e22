"""The provider registry: one line per live provider, each built from its key in Settings."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from flight_agent.clock import FakeClock
from flight_agent.providers.aerodatabox_provider import AeroDataBoxProvider
from flight_agent.providers.aviationstack_provider import AviationStackProvider
from flight_agent.providers.http_provider import HttpFlightDataProvider
from flight_agent.services.provider_factory import (
    LIVE_PROVIDERS,
    build_providers,
    configured_keys,
)
from flight_agent.settings import Settings

KEYS = {live.key_setting: SecretStr(f"{live.display_name}-secret") for live in LIVE_PROVIDERS}


def offline(**fields: object) -> Settings:
    return Settings.model_validate({"redis_url": None, **fields})


@pytest.mark.parametrize("live", LIVE_PROVIDERS, ids=lambda live: live.display_name)
def test_each_provider_names_a_key_setting_of_its_own(live: type[HttpFlightDataProvider]) -> None:
    """The key a provider reads is a secret setting, whose variable is its upper-cased name."""
    field = Settings.model_fields[live.key_setting]
    assert field.annotation == SecretStr | None
    assert live.key_variable() == live.key_setting.upper()


def test_the_registry_is_in_priority_order_with_distinct_names() -> None:
    """Higher priority first, as the failover manager tries them."""
    priorities = [live.default_priority for live in LIVE_PROVIDERS]
    assert priorities == sorted(priorities, reverse=True)
    assert len({live.display_name for live in LIVE_PROVIDERS}) == len(LIVE_PROVIDERS)


def test_a_provider_is_built_only_when_its_key_is_set(clock: FakeClock) -> None:
    """Each key set gives its provider, keyed and on the service's clock; the others stay out."""
    for live in LIVE_PROVIDERS:
        settings = offline(**{live.key_setting: KEYS[live.key_setting]})
        providers = build_providers(settings, enable_mock=False, clock=clock)
        assert [type(p) for p in providers] == [live]
        assert providers[0].has_key
        assert providers[0].clock is clock
        assert configured_keys(settings) == [live.key_variable()]


def test_options_come_from_the_same_settings(clock: FakeClock) -> None:
    """The marketplace and the historical plan are read from the settings given, not the
    environment."""
    settings = offline(**KEYS, aerodatabox_marketplace="apimarket", aviationstack_historical=True)
    _, aerodatabox, aviationstack = build_providers(settings, enable_mock=False, clock=clock)
    assert isinstance(aerodatabox, AeroDataBoxProvider)
    assert isinstance(aviationstack, AviationStackProvider)
    assert (aerodatabox.marketplace, aviationstack.historical) == ("apimarket", True)
