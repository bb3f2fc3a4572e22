"""Human wording shared by explanations, tool texts and answers: durations, delays, clock times.

Every face words these the same way through this module: ``duration_text`` for a duration,
``delay_text`` for a delay in minutes and ``local_clock`` for a time at an airport.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

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


def delay_text(minutes: int | None, *, signed: bool = False) -> str:
    """A delay in words: ``"12 min late"``, ``"5 min early"``, ``"on time"``, ``"delay unknown"``.

    Args:
        minutes: The delay (negative when early), None when unknown.
        signed: The short form of a table cell instead: ``"+12 min"``, ``"-5 min"``, ``"-"``.
    """
    if signed:
        return "-" if minutes is None else f"{minutes:+d} min"
    if minutes is None:
        return "delay unknown"
    if minutes == 0:
        return "on time"
    return f"{minutes} min late" if minutes > 0 else f"{-minutes} min early"


def local_clock(
    value: datetime | None,
    airport: Airport,
    *,
    day: date | None = None,
    dated: bool = False,
    unknown: str = "-",
) -> str:
    """A time as the airport's wall clock with its zone and UTC: ``"20:00 EDT (00:00Z)"``.

    Args:
        value: An aware time; None shows ``unknown``.
        airport: The airport whose zone to use (UTC when it has none).
        day: The date the reader has in mind: a time on another local date shows it,
            ``"29 Nov 01:00 EST (06:00Z)"``.
        dated: Always show the full local date: ``"2026-11-29 09:40 GMT (09:40Z)"``.
        unknown: What an unknown time shows.
    """
    if value is None:
        return unknown
    local = to_local(value, airport) or value
    if dated:
        prefix = f"{local:%Y-%m-%d} "
    elif day is not None and local.date() != day:
        prefix = f"{local:%d %b} "
    else:
        prefix = ""
    return f"{prefix}{local:%H:%M} {local.tzname()} ({value.astimezone(UTC):%H:%MZ})"
