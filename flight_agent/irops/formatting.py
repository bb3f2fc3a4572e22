"""Human wording shared by explanations, tool texts and answers: durations, delays, clock times.

Every face words these the same way through this module: ``duration_text`` for a duration,
``delay_text`` for a delay in minutes and ``local_clock`` for a time at an airport.
"""

from __future__ import annotations

from datetime import timedelta

from flight_agent.models import local_clock

__all__ = ["delay_text", "duration_text", "local_clock", "whole_minutes"]


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
