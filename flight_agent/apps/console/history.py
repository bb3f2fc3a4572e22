"""The providers' last hour: one sample of each provider's figures per minute of the clock.

``ProviderMetrics`` keeps counts and a window of recent calls, not their times, so the chart of
the last hour needs samples taken along the way. The console takes one each time it reads the
board, and ``keep_history`` takes them while no page is open (so a page opened after a quiet
night still shows the hour before it): at most one per provider per minute of the desk's
clock, forgetting those older than an hour. A desk not yet opened has made no calls, so
nothing is sampled until it is.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass

from flight_agent.apps.mcp_desk import DeskSlot
from flight_agent.providers.failover.slot import ProviderStats
from flight_agent.services import EnhancedFlightMonitoringService

logger = logging.getLogger(__name__)

WINDOW = dt.timedelta(hours=1)
STEP = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class Sample:
    """One provider's figures at one moment."""

    at: dt.datetime
    latency_ms: float | None
    success_rate: float | None


class ProviderHistory:
    """Samples of every provider over the last ``WINDOW`` of the clock."""

    def __init__(self) -> None:
        self._samples: dict[str, deque[Sample]] = {}

    def record(self, now: dt.datetime, stats: Mapping[str, ProviderStats]) -> None:
        """Take a sample of each provider, unless one was taken less than ``STEP`` ago."""
        for name, entry in stats.items():
            samples = self._samples.setdefault(name, deque())
            if samples and now - samples[-1].at < STEP:
                continue
            samples.append(Sample(now, entry.latency_ms.p50, entry.success_rate))
            while samples and now - samples[0].at > WINDOW:
                samples.popleft()

    def of(self, name: str, now: dt.datetime) -> list[Sample]:
        """The provider's samples of the hour before ``now``, oldest first."""
        return [s for s in self._samples.get(name, ()) if now - s.at <= WINDOW]


async def keep_history(desks: DeskSlot, history: ProviderHistory, every_s: float) -> None:
    """Sample the open desk's providers into ``history`` every ``every_s`` seconds, until
    cancelled (``record`` keeps one sample a clock minute, so a fast demo clock is charted
    too); a failed sample is logged and the next one taken."""
    while True:
        desk = desks.opened()
        if desk is not None:
            try:
                now, stats = await desk.toolkit.runner.call(_provider_part)
                history.record(now, stats)
            except Exception:
                logger.exception("sampling the providers for the console failed")
        await asyncio.sleep(every_s)


async def _provider_part(
    service: EnhancedFlightMonitoringService,
) -> tuple[dt.datetime, dict[str, ProviderStats]]:
    return service.clock.now(), service.get_provider_stats()
