"""``flight-agent watch --speed``: replay simulated flights faster than real time.

Watching a flight in real time shows a change every few minutes at best, and none at all once
it has landed. On simulated data the watch can instead replay the flights' day on an
``AcceleratedClock``: from an hour before the first departure, ``speed`` times faster, so gate
changes, boarding, departure and arrival arrive within seconds. The replay runs on its own
service: the simulated provider only, an in-memory cache and watch list (a sped-up clock must not
share Redis with processes on real time), and a monitor that looks for due flights every
simulated minute.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from flight_agent.clock import AcceleratedClock
from flight_agent.models import FlightStatusData
from flight_agent.services import EnhancedFlightMonitoringService
from flight_agent.services.provider_factory import configured_keys, simulated_provider
from flight_agent.settings import Settings

REPLAY_LEAD = timedelta(hours=1)
"""The replay starts this long before the first departure: gates change, boarding opens."""


def refusal(settings: Settings) -> str | None:
    """Why ``--speed`` cannot run with these settings (a provider key is set), or None."""
    keys = configured_keys(settings)
    if not keys:
        return None
    return (
        "--speed replays simulated flights and cannot speed up live data: "
        f"unset {', '.join(keys)} or leave out --speed."
    )


def replay_start(flights: Iterable[FlightStatusData], now: datetime) -> datetime:
    """An hour before the earliest departure of the flights; ``now`` when none has one."""
    departures = [flight.best_departure for flight in flights]
    known = [departure for departure in departures if departure is not None]
    return min(known) - REPLAY_LEAD if known else now


def replay_service(
    settings: Settings, speed: float, start: datetime
) -> EnhancedFlightMonitoringService:
    """The simulated world on a clock reading ``start`` now and running ``speed`` times faster."""
    clock = AcceleratedClock(speed, start)
    return EnhancedFlightMonitoringService(
        check_interval_seconds=60 / speed,
        providers=[simulated_provider(settings, clock)],
        settings=settings.model_copy(update={"redis_url": None}),
        clock=clock,
    )


def replay_note(speed: float, start: datetime) -> str:
    """What the replay does, for stderr."""
    return (
        f"Replaying simulated time {speed:g}x faster from {start:%Y-%m-%d %H:%MZ}, "
        f"{REPLAY_LEAD.seconds // 60} min before the first departure."
    )
