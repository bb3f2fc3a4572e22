"""Human wording shared by explanations: durations and local clock times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flight_agent.airports import Airport
from flight_agent.models import to_local


def whole_minutes(delta: timedelta) -> int:
    """Whole minutes in a duration, truncated toward zero (14 min 59 s is 14, -59 s is 0).

    Args:
        delta: The duration.
    """
    return int(delta.total_seconds() / 60)


def duration_text(delta: timedelta) -> str:
    """A duration as people read it: ``"47 min"``, ``"2 h 05"``, ``"-12 min"``.

    Args:
        delta: The duration (whole minutes are shown).
    """
    minutes = whole_minutes(delta)
    sign = "-" if minutes < 0 else ""
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours} h {rest:02d}" if hours else f"{sign}{rest} min"


def local_clock(value: datetime, airport: Airport) -> str:
    """A time as the airport's wall clock with its zone and UTC: ``"20:00 EDT (00:00Z)"``.

    Args:
        value: An aware time.
        airport: The airport whose zone to use (UTC when it has none).
    """
    local = to_local(value, airport) or value
    return f"{local:%H:%M} {local.tzname()} ({value.astimezone(UTC):%H:%MZ})"
