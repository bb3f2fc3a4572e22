"""The providers' last hour: one sample per provider per clock minute, none older than an hour."""

from __future__ import annotations

import datetime as dt
import itertools

from flight_agent.apps.console.history import ProviderHistory
from flight_agent.clock import FakeClock
from flight_agent.services import EnhancedFlightMonitoringService
from flight_agent.services.provider_factory import simulated_provider
from flight_agent.settings import Settings

START = dt.datetime(2026, 11, 29, 8, 0, tzinfo=dt.UTC)


async def test_samples_are_taken_once_a_minute_and_kept_for_an_hour() -> None:
    clock = FakeClock(START)
    settings = Settings(redis_url=None)
    provider = simulated_provider(settings, clock)
    service = EnhancedFlightMonitoringService(providers=[provider], settings=settings, clock=clock)
    history = ProviderHistory()
    try:
        for _ in range(180):  # an hour and a half, a look every 30 s of the clock
            history.record(clock.now(), service.get_provider_stats())
            clock.advance(30)
    finally:
        await service.aclose()

    samples = history.of(provider.name, clock.now())
    assert len(samples) == 60
    assert samples[0].at == clock.now() - dt.timedelta(minutes=60)
    assert all(b.at - a.at == dt.timedelta(minutes=1) for a, b in itertools.pairwise(samples))
    assert history.of("nobody", clock.now()) == []
