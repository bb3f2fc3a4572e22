"""Departure windows in a traveller's words, for the offline model's flight searches.

``find_window`` reads the local window a traveller asks for: "after 14:00", "before noon",
"between 7 and 11", "after 1800" (a 24-hour time as schedules write it), "earliest departure
08:00" or a part of the day ("in the evening").
"""

from __future__ import annotations

import re

TIME = (
    r"(?P<{0}>[0-2]?[0-9])"
    r"(?::(?P<{0}_min>[0-5][0-9])\s*(?P<{0}_ampm>[ap]\.?m\.?)?|\s*(?P<{0}_pm>[ap]\.?m\.?))"
)
_BARE_HOUR = r"(?P<{0}>[0-9]|1[0-2])(?P<{0}_min>)(?P<{0}_ampm>)(?P<{0}_pm>)(?![0-9:.])"
_LOOSE = (
    r"(?P<{0}>[0-2]?[0-9])(?::(?P<{0}_min>[0-5][0-9]))?(?P<{0}_ampm>)\s*(?P<{0}_pm>[ap]\.?m\.?)?"
)
_BETWEEN = re.compile(rf"\bbetween\s+{_LOOSE.format('a')}\s+and\s+{_LOOSE.format('b')}", re.I)
_EARLIEST = r"|earliest(?: departure| dep(?:arting)?)?:?"
_LATEST = r"|latest(?: departure| dep(?:arting)?)?:?"
"""A search's bounds as booking screens and ops desks write them: 'earliest departure 08:00'."""
_AFTER = re.compile(
    rf"\b(?:after|from|later than|not before{_EARLIEST})\s+{TIME.format('a')}", re.I
)
_BEFORE = re.compile(
    rf"\b(?:before|by|until|no later than|earlier than{_LATEST})\s+{TIME.format('b')}", re.I
)
_HHMM = (
    r"(?P<{0}>[01][0-9]|2[0-3])(?P<{0}_min>[0-5][0-9])(?P<{0}_ampm>)(?P<{0}_pm>)"
    r"(?:\s*(?:hrs|h|z))?\b"
)
"""A 24-hour time without a colon, as schedules and ops desks write it: '1800', '0730hrs'."""
_AFTER_HHMM = re.compile(
    rf"\b(?:after|later than|not before{_EARLIEST})\s+{_HHMM.format('a')}", re.I
)
_BEFORE_HHMM = re.compile(
    rf"\b(?:before|by|until|no later than|earlier than{_LATEST})\s+{_HHMM.format('b')}", re.I
)
_AFTER_HOUR = re.compile(rf"\b(?:after|later than|not before)\s+{_BARE_HOUR.format('a')}", re.I)
_BEFORE_HOUR = re.compile(
    rf"\b(?:before|until|no later than|earlier than)\s+{_BARE_HOUR.format('b')}", re.I
)
NAMED_TIMES = re.compile(r"\b(?:noon|midday|mid-day)\b", re.I)
"""Clock times said as words, read as 12:00."""
PARTS_OF_DAY = {
    "morning": ("05:00", "11:59"),
    "afternoon": ("12:00", "17:59"),
    "evening": ("17:00", "23:59"),
    "tonight": ("17:00", "23:59"),
}
_PART_OF_DAY = re.compile(r"\b(morning|afternoon|evening|tonight)\b", re.I)


def find_window(text: str) -> tuple[str | None, str | None]:
    """The local departure window asked for, as (earliest, latest) ``HH:MM`` or None.

    A bare hour ('after 6', 'between 7 and 11') is read in the part of the day named
    ('evening': 18:00; 'morning': 07:00), else as the afternoon hour when it is before 7
    (nobody asks for flights after 6 in the morning that way); 'between 2 and 5pm' reads both
    hours as afternoon ones.
    """
    text = NAMED_TIMES.sub("12:00", text)
    part = _PART_OF_DAY.search(text)
    afternoon = part is not None and part[1].lower() in ("evening", "tonight", "afternoon")
    between = _BETWEEN.search(text)
    if between:
        if between["b_pm"] and not between["a_pm"]:
            afternoon = between["b_pm"].lower().startswith("p")
        morning = part is not None and part[1].lower() == "morning"
        return (
            _clock(between, "a", afternoon=afternoon, morning=morning),
            _clock(between, "b", afternoon=afternoon, morning=morning),
        )
    earliest, latest = PARTS_OF_DAY[part[1].lower()] if part else (None, None)
    after = _AFTER.search(text) or _AFTER_HHMM.search(text) or _AFTER_HOUR.search(text)
    before = _BEFORE.search(text) or _BEFORE_HHMM.search(text) or _BEFORE_HOUR.search(text)
    if after:
        earliest = _clock(after, "a", afternoon=afternoon)
        latest = None if not before else latest
    if before:
        latest = _clock(before, "b", afternoon=afternoon)
    return earliest, latest


def _clock(
    match: re.Match[str], name: str, *, afternoon: bool = False, morning: bool = False
) -> str | None:
    hour = int(match[name])
    minute = int(match[f"{name}_min"] or 0)
    ampm = (match[f"{name}_ampm"] or match[f"{name}_pm"] or "").lower()
    bare = not ampm and not match[f"{name}_min"] and hour < 12 and not morning
    if bare and (afternoon or hour < 7):
        ampm = "pm"  # a bare hour: "after 6" in the evening
    if ampm.startswith("p") and hour < 12:
        hour += 12
    elif ampm.startswith("a") and hour == 12:
        hour = 0
    if hour > 23 or (ampm and int(match[name]) > 12):
        return None
    return f"{hour:02d}:{minute:02d}"
