"""The providers' last hour: one sample of each provider's figures per minute of the clock.

``ProviderMetrics`` keeps counts and a window of recent calls, not their times, so the chart of
the last hour needs samples taken along the way. The console takes one each time it reads the
board (every refresh while a page is open), at most one per provider per clock minute, and
forgets those older than an hour: with no page open there is nothing to chart, and nothing is
kept.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass

from flight_agent.providers.failover.slot import ProviderStats

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
