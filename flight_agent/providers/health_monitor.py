"""Health monitoring: periodic, jittered, non-overlapping probes that re-admit recovered providers.

Each enabled provider is probed every ``health_check_interval`` seconds +/- 15 % (so providers
are not probed in lock-step), through its rate limiter and within the attempt timeout. A probe
never runs twice at once for one provider: a second request shares the running one. A passing
probe closes an open breaker (recovery detection, Envoy's "uneject on healthy check").
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable

from flight_agent.clock import Clock
from flight_agent.providers.interfaces import ProviderHealth
from flight_agent.providers.provider_slot import ProviderSlot
from flight_agent.resilience.breaker import BreakerState

logger = logging.getLogger(__name__)

HEALTH_JITTER = 0.15
"""Probe intervals vary by +/- 15 %."""


class HealthMonitor:
    """Probes providers on demand and in the background.

    Args:
        slots: Returns the enabled providers' slots at the moment of probing.
        interval: Seconds between background rounds (before jitter).
        probe_timeout: Seconds a probe may take.
        clock: Time source for timed-out probe reports.
    """

    def __init__(
        self,
        slots: Callable[[], list[ProviderSlot]],
        *,
        interval: float,
        probe_timeout: float,
        clock: Clock,
    ) -> None:
        self._slots = slots
        self._interval = interval
        self._probe_timeout = probe_timeout
        self._clock = clock
        self._task: asyncio.Task[None] | None = None
        self._probes: dict[str, asyncio.Task[ProviderHealth]] = {}

    async def check_all(self) -> dict[str, ProviderHealth]:
        """Probe every enabled provider now."""
        slots = self._slots()
        results = await asyncio.gather(*(self.probe(slot) for slot in slots))
        return {slot.name: health for slot, health in zip(slots, results, strict=True)}

    async def probe(self, slot: ProviderSlot) -> ProviderHealth:
        """Probe one provider, sharing a probe that is already running."""
        running = self._probes.get(slot.name)
        if running is None or running.done():
            running = asyncio.create_task(self._run_probe(slot))
            self._probes[slot.name] = running
        return await asyncio.shield(running)

    async def _run_probe(self, slot: ProviderSlot) -> ProviderHealth:
        if slot.limiter is not None:
            await slot.limiter.acquire()
        try:
            async with asyncio.timeout(self._probe_timeout):
                health = await slot.provider.health_check()
        except TimeoutError:
            health = ProviderHealth(slot.name, False, self._clock.now(), detail="probe timed out")
        if health.healthy and slot.breaker.state is BreakerState.OPEN:
            logger.info("%s passed its health probe; half-opening its breaker", slot.name)
            slot.breaker.end_open_period()
        return health

    def start(self) -> None:
        """Start background probing (idempotent)."""
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._loop())

    async def _loop(self) -> None:
        while True:
            jitter = random.uniform(1 - HEALTH_JITTER, 1 + HEALTH_JITTER)
            await asyncio.sleep(self._interval * jitter)
            await self.check_all()

    async def stop(self) -> None:
        """Stop background probing and cancel probes in flight."""
        tasks = [*self._probes.values(), *([self._task] if self._task else [])]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._task = None
        self._probes.clear()
