"""Dates and clock times in a traveller's words, for the offline model.

``find_dates`` turns "today", "tomorrow", "on 3 December", "Dec 3rd", "2026-12-03", "on Friday"
or "in 2 days" into what the tools accept: the relative words pass through as they are (the
tools read them in the origin's time zone), everything else becomes ``YYYY-MM-DD`` counted from
``today``. ``find_window`` reads a departure window such as "after 14:00" or "in the evening".
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

_MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?P<day>[0-3]?[0-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+(?P<year>20[0-9]{2}))?"
_DATE_PATTERNS = (
    re.compile(r"\b(?P<iso>[0-9]{4}-[0-9]{2}-[0-9]{2})\b"),
    re.compile(r"\b(?P<relative>the day after tomorrow|today|tonight|tomorrow|yesterday)\b", re.I),
    re.compile(rf"\b{_DAY}(?:\s+of)?\s+{_MONTH}{_YEAR}\b", re.I),
    re.compile(rf"\b{_MONTH}\s+{_DAY}\b{_YEAR}", re.I),
    re.compile(rf"\b(?P<next>next\s+)?(?P<weekday>{'|'.join(WEEKDAYS)})\b", re.I),
    re.compile(r"\bin (?P<in_days>[1-9]|1[0-4]) days\b", re.I),
)

_TIME = (
    r"(?P<{0}>[0-2]?[0-9])"
    r"(?::(?P<{0}_min>[0-5][0-9])\s*(?P<{0}_ampm>[ap]\.?m\.?)?|\s*(?P<{0}_pm>[ap]\.?m\.?))"
)
_BETWEEN = re.compile(rf"\bbetween\s+{_TIME.format('a')}\s+and\s+{_TIME.format('b')}", re.I)
_AFTER = re.compile(rf"\b(?:after|from|later than|not before)\s+{_TIME.format('a')}", re.I)
_BEFORE = re.compile(rf"\b(?:before|by|until|no later than)\s+{_TIME.format('b')}", re.I)
PARTS_OF_DAY = {
    "morning": ("05:00", "11:59"),
    "afternoon": ("12:00", "17:59"),
    "evening": ("17:00", "23:59"),
}
_PART_OF_DAY = re.compile(r"\b(morning|afternoon|evening)\b", re.I)


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date found in text: the value for the tools and where it stands."""

    value: str
    start: int


def find_dates(text: str, today: dt.date) -> list[DateMention]:
    """Every date phrase in ``text``, in reading order, resolved against ``today``."""
    found: list[DateMention] = []
    taken: list[range] = []
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            if any(match.start() in span for span in taken):
                continue
            value = _resolve(match, today)
            if value is not None:
                found.append(DateMention(value, match.start()))
                taken.append(range(match.start(), match.end()))
    return sorted(found, key=lambda mention: mention.start)


def _resolve(match: re.Match[str], today: dt.date) -> str | None:
    groups = match.groupdict()
    if groups.get("iso"):
        return match["iso"]
    if groups.get("relative"):
        word = match["relative"].lower()
        if word == "the day after tomorrow":
            return (today + dt.timedelta(days=2)).isoformat()
        return "today" if word == "tonight" else word
    if groups.get("weekday"):
        ahead = (WEEKDAYS.index(match["weekday"].lower()) - today.weekday()) % 7
        if groups.get("next") and ahead == 0:
            ahead = 7
        return (today + dt.timedelta(days=ahead)).isoformat()
    if groups.get("in_days"):
        return (today + dt.timedelta(days=int(match["in_days"]))).isoformat()
    return _day_and_month(match, today)


def _day_and_month(match: re.Match[str], today: dt.date) -> str | None:
    """A day and month, in the given year or else the year that puts it nearest ``today``."""
    month = MONTHS[match["month"][:3].lower()]
    day = int(match["day"])
    years = [int(match["year"])] if match["year"] else [today.year - 1, today.year, today.year + 1]
    candidates = []
    for year in years:
        try:
            candidates.append(dt.date(year, month, day))
        except ValueError:
            continue
    if not candidates:
        return None
    return min(candidates, key=lambda day: abs((day - today).days)).isoformat()


def find_window(text: str) -> tuple[str | None, str | None]:
    """The local departure window asked for, as (earliest, latest) ``HH:MM`` or None."""
    between = _BETWEEN.search(text)
    if between:
        return _clock(between, "a"), _clock(between, "b")
    part = _PART_OF_DAY.search(text)
    earliest, latest = PARTS_OF_DAY[part[1].lower()] if part else (None, None)
    after = _AFTER.search(text)
    before = _BEFORE.search(text)
    return (_clock(after, "a") if after else earliest), (_clock(before, "b") if before else latest)


def _clock(match: re.Match[str], name: str) -> str | None:
    hour = int(match[name])
    minute = int(match[f"{name}_min"] or 0)
    ampm = (match[f"{name}_ampm"] or match[f"{name}_pm"] or "").lower()
    if ampm.startswith("p") and hour < 12:
        hour += 12
    elif ampm.startswith("a") and hour == 12:
        hour = 0
    if hour > 23 or (ampm and int(match[name]) > 12):
        return None
    return f"{hour:02d}:{minute:02d}"
