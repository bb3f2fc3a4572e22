"""A desk worker process for the crash tests: ``python -m tests.graphs.desk.desk_process``.

Arguments: the PostgreSQL URL, the Redis URL, the simulated "now" (ISO 8601), the claim idle
time in milliseconds, and ``die-on-open`` to SIGKILL itself the moment it opens a case (after
the case is stored, before its graph runs and its event is acknowledged), or ``work``. Its
simulated world has the test's injected disruptions. It handles events until killed.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import sys

from flight_agent.clock import FakeClock
from flight_agent.services import EnhancedFlightMonitoringService
from flight_agent.services.provider_factory import simulated_provider
from flight_agent.settings import Settings
from graphs.desk import Case, CaseStatus, DeskWorker
from graphs.desk.session import open_desk
from tests.graphs.desk.conftest import inject


def main(pg_url: str, redis_url: str, now: str, claim_idle_ms: str, mode: str) -> None:
    clock = FakeClock(dt.datetime.fromisoformat(now))
    settings = Settings(redis_url=redis_url)
    service = EnhancedFlightMonitoringService(
        providers=[simulated_provider(settings, clock)], settings=settings, clock=clock
    )
    inject(service)
    with open_desk(pg_url, service=service, clock=clock) as desk:

        def opened(case: Case) -> None:
            if mode == "die-on-open" and case.status is CaseStatus.OPEN:
                os.kill(os.getpid(), signal.SIGKILL)

        desk.listen(opened)
        idle = dt.timedelta(milliseconds=int(claim_idle_ms))

        async def work(live: EnhancedFlightMonitoringService) -> None:
            worker = DeskWorker(desk, live.monitor.store.events, claim_idle=idle)
            await worker.run(idle_s=0.05)

        desk.toolkit.runner.call_sync(work)


if __name__ == "__main__":
    main(*sys.argv[1:6])
