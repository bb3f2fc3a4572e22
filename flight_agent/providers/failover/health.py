"""Health monitoring: periodic, jittered, non-overlapping probes that re-admit recovered providers.

Each enabled provider is probed every ``health_check_interval`` seconds +/- 15 % (so providers
are not probed in lock-step). A probe is an attempt like any other call (a cool-down skips it;
it waits for a rate-limit slot and gets the attempt timeout) except that no breaker refuses
it. A probe never runs twice at once for one provider: a second request shares the running
one. A passing probe half-opens an open breaker (recovery detection, Envoy's "uneject on
healthy check"); real calls then close it.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable

from flight_agent.clock import Clock
from flight_agent.providers.failover.attempt import ProviderAttempt
from flight_agent.providers.failover.config import FailoverConfig
from flight_agent.providers.failover.operations import PROBE
from flight_agent.providers.failover.slot import ProviderSlot
from flight_agent.providers.interfaces import ProviderHealth
from flight_agent.resilience.breaker import BreakerState

logger = logging.getLogger(__name__)

HEALTH_JITTER = 0.15
"""Probe intervals vary by +/- 15 %."""


class HealthMonitor:
    """Probes providers on demand and in the background.

    Args:
        slots: Returns the enabled providers' slots at the moment of probing.
        config: The probe interval, and the attempt's timeouts and waits.
        clock: Time source for the reports of probes that were not answered.
    """

    def __init__(
        self, slots: Callable[[], list[ProviderSlot]], config: FailoverConfig, clock: Clock
    ) -> None:
        self._slots = slots
        self._config = config
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
        result = await ProviderAttempt(slot, PROBE, self._config).run(
            lambda: self._config.attempt_timeout
        )
        if result.answer is None:
            attempt = result.attempt
            detail = attempt.outcome + (f": {attempt.detail}" if attempt.detail else "")
            return ProviderHealth(slot.name, False, self._clock.now(), detail=detail)
        health = result.answer.value
        if health.healthy and slot.breaker.state is BreakerState.OPEN:
            logger.info("%s passed its health probe; half-opening its breaker", slot.name)
            slot.breaker.end_open_period()
        return health

    def start(self) -> None:
        """Start background probing (idempotent)."""
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._loop())

    async def _loop(self) -> None:
        interval = self._config.health_check_interval
        while True:
            await asyncio.sleep(interval * random.uniform(1 - HEALTH_JITTER, 1 + HEALTH_JITTER))
            await self.check_all()

    async def stop(self) -> None:
        """Stop background probing and cancel probes in flight."""
        tasks = [*self._probes.values(), *([self._task] if self._task else [])]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._task = None
        self._probes.clear()
