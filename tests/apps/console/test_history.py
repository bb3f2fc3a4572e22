"""The providers' last hour: one sample per provider per clock minute, none older than an hour."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import itertools
from collections.abc import Mapping

from flight_agent.apps.console.history import ProviderHistory, keep_history
from flight_agent.apps.mcp_desk import DeskSlot
from flight_agent.clock import FakeClock
from flight_agent.providers.failover.slot import ProviderStats
from flight_agent.services import EnhancedFlightMonitoringService
from flight_agent.services.provider_factory import simulated_provider
from flight_agent.settings import Settings
from tests.graphs.desk.conftest import MORNING, desks_on, simulated_day

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


class Watched(ProviderHistory):
    """A history that says when it was given figures."""

    def __init__(self) -> None:
        super().__init__()
        self.recorded = asyncio.Event()

    def record(self, now: dt.datetime, stats: Mapping[str, ProviderStats]) -> None:
        super().record(now, stats)
        self.recorded.set()


async def test_the_open_desks_providers_are_sampled_with_no_page_open() -> None:
    """A page opened after a quiet hour still charts it: the server samples the desk's
    providers in the background, once a minute of the desk's clock."""
    with simulated_day() as day, desks_on(day, None) as (desk,):
        history = Watched()
        sampler = asyncio.create_task(keep_history(DeskSlot(desk), history, every_s=0.001))
        try:
            for _ in range(5):
                history.recorded.clear()
                await asyncio.wait_for(history.recorded.wait(), 10)
                day.clock.advance(60)
        finally:
            sampler.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sampler
        samples = history.of("Simulated", day.clock.now())
        assert [s.at for s in samples] == [MORNING + dt.timedelta(minutes=m) for m in range(5)]


async def test_a_desk_not_yet_opened_is_not_opened_to_be_sampled() -> None:
    slot = DeskSlot(database=":memory:")
    history = ProviderHistory()
    sampler = asyncio.create_task(keep_history(slot, history, every_s=0.001))
    await asyncio.sleep(0.05)
    sampler.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await sampler
    assert slot.opened() is None
