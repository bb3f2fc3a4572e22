"""Delay severity bands anchored on regulatory thresholds.

"On time" means less than 15 minutes late (DOT/BTS; OAG "up to 14 min 59 s"), so bands compare
exact durations: 14 min 59 s is on time, 15 min 00 s is delayed.
"""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum


class DelayBand(StrEnum):
    """How late a flight is, named after the rule each boundary comes from."""

    ON_TIME = "on-time"
    DELAYED = "delayed"
    MAJOR = "major"
    CARE_2H = "care-2h"
    SEVERE = "severe"
    LONG_HAUL_4H = "long-haul-4h"
    REFUND_5H = "refund-5h"
    INTL_6H = "intl-6h"
    EXTREME = "extreme"


# (lower bound in minutes, band, whether the band exists for departures only), longest first.
_BANDS: tuple[tuple[int, DelayBand, bool], ...] = (
    (540, DelayBand.EXTREME, False),
    (360, DelayBand.INTL_6H, False),
    (300, DelayBand.REFUND_5H, True),
    (240, DelayBand.LONG_HAUL_4H, False),
    (180, DelayBand.SEVERE, False),
    (120, DelayBand.CARE_2H, True),
    (60, DelayBand.MAJOR, False),
    (15, DelayBand.DELAYED, False),
)


def delay_band(delay: timedelta, *, departure: bool) -> DelayBand:
    """Classify a delay.

    Args:
        delay: How late the flight is (negative when early).
        departure: True for a departure delay; the care-2h and refund-5h bands are departure
            thresholds (EU261 Art. 6) and do not exist for arrivals.

    Returns:
        The band the delay falls in.
    """
    for minutes, band, departure_only in _BANDS:
        if delay >= timedelta(minutes=minutes) and (departure or not departure_only):
            return band
    return DelayBand.ON_TIME
