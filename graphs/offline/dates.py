"""Dates and clock times in a traveller's words, for the offline model.

``find_dates`` finds date phrases ("tomorrow morning", "tmrw", "tonight", "on Friday", "next
Tuesday", "this coming Sunday", "next week Monday", "2 days ago", "in a week", "a week today",
"a fortnight from today", "Dec 5", "the 5th of December", "the day after tomorrow") and
resolves them with ``dateparser``, a maintained parser of relative and absolute dates, counted
from the local time at the origin airport. Rules here only find where a phrase is and decide
what the traveller means where the parser reads it otherwise (each such fast path says why).

"today", "tomorrow" and "yesterday" (and "tonight", "this morning" ...) may pass through as
words: the tools read them in the origin's zone themselves. Vague phrases ("next week", "in
the spring") and impossible dates ("2026-02-30") are reported, for a question; dates before
``EARLIEST_YEAR`` too, for a refusal. ``find_window`` reads a departure window such as "after
14:00", "before noon" or "in the evening".
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

Problem = Literal["vague", "invalid", "historic"]
EARLIEST_YEAR = 2000
"""Flight data goes back a few days at most; a date before this year is no real request."""

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_ORDINAL = r"[0-3]?[0-9](?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+[0-9]{4}\b)?"
COUNTS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
COUNTS["seven"] = 7
"""Counts travellers write in words ('two weeks', 'a week today')."""
_COUNT = rf"(?:[0-9]{{1,2}}|{'|'.join(COUNTS)})"
_WEEKDAY = "|".join(WEEKDAYS)
_BASE = r"(?:today|tomorrow)"
UNIT_DAYS = {"day": 1, "week": 7, "fortnight": 14}
ABBREVIATIONS = {"tmrw": "tomorrow", "tmr": "tomorrow", "tmw": "tomorrow"}
"""How travellers shorten day words in chat."""

PHRASES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("iso", re.compile(r"\b[0-9]{4}-[0-9]{2}-[0-9]{2}\b")),
    ("same", re.compile(r"\bthat (?:same )?(?:day|morning|afternoon|evening|night)\b", re.I)),
    (
        "next",
        re.compile(r"\bthe (?:next|following) (?:day|morning|afternoon|evening|night)\b", re.I),
    ),
    ("week_on", re.compile(r"\b(?:this time|same time) next week\b", re.I)),
    (
        "next_week",
        re.compile(rf"\bnext week(?: on)? (?:{_WEEKDAY})\b|\b(?:{_WEEKDAY}) next week\b", re.I),
    ),
    ("span", re.compile(rf"\b{_COUNT} (?:weeks?|fortnights?|days?) (?:from )?{_BASE}\b", re.I)),
    ("span", re.compile(r"\bin a fortnight\b", re.I)),
    (
        "vague",
        re.compile(
            r"\b(?:next|later this|this coming) (?:week|month)\b"
            r"|\b(?:in|during|this|next) (?:the )?(?:spring|summer|autumn|fall|winter)\b",
            re.I,
        ),
    ),
    (
        "holiday",
        re.compile(r"\b(?:new year'?s (?:eve|day)|christmas (?:eve|day)|boxing day)\b", re.I),
    ),
    (
        "word",
        re.compile(
            r"\b(?:(?:the )?day (?:after tomorrow|before yesterday)"
            r"|(?:today|tonight|tomorrow|yesterday|tmrw|tmr|tmw)"
            r"(?: (?:morning|afternoon|evening|night))?"
            r"|this (?:morning|afternoon|evening)|last night)\b",
            re.I,
        ),
    ),
    ("coming", re.compile(rf"\b(?:this )?coming (?:{_WEEKDAY})\b", re.I)),
    ("weekday", re.compile(rf"\b(?:(?:next|last|this) )?(?:{_WEEKDAY})\b", re.I)),
    (
        "count",
        re.compile(
            rf"\b(?:in {_COUNT} (?:days?|weeks?)|{_COUNT} (?:days?|weeks?) (?:ago|from now))\b",
            re.I,
        ),
    ),
    ("date", re.compile(rf"\b(?:the )?{_ORDINAL}(?: of)? {_MONTH}{_YEAR}", re.I)),
    ("date", re.compile(rf"\b{_MONTH} (?:the )?{_ORDINAL}\b{_YEAR}", re.I)),
    ("ordinal", re.compile(r"\bthe ([0-3]?[0-9])(?:st|nd|rd|th)\b", re.I)),
)
"""Date phrases by kind, most specific first; a phrase inside an earlier one is skipped."""

DAY_WORDS = {"today": 0, "tomorrow": 1, "yesterday": -1}
"""The relative words the tools read themselves, in the origin's zone."""
_PAST_TENSE = re.compile(r"\b(?:was|were|did|had|went|got|left|landed|ago|last)\b", re.I)


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date found in text.

    Attributes:
        value: What the tools accept: 'today', 'tomorrow', 'yesterday' or YYYY-MM-DD; None
            when the phrase names no single day (see ``problem``).
        start: Where the phrase starts in the text.
        problem: Why there is no value: 'vague' ("next week"), 'invalid' ("2026-02-30") or
            'historic' (before ``EARLIEST_YEAR``).
    """

    value: str | None
    start: int
    problem: Problem | None = None


def find_dates(text: str, now: dt.datetime, *, words: bool = True) -> list[DateMention]:
    """Every date phrase in ``text``, in reading order.

    Args:
        text: The message.
        now: The local time at the origin airport (naive or aware), the base of relative dates.
        words: Whether 'today', 'tomorrow' and 'yesterday' stay words (when the tool call names
            the origin or no zone is known); else they become dates counted from ``now``.
    """
    spans: list[tuple[int, int, str]] = []
    for kind, pattern in PHRASES:
        for match in pattern.finditer(text):
            if not any(start <= match.start() < end for start, end, _ in spans):
                spans.append((match.start(), match.end(), kind))
    found: list[DateMention] = []
    for start, end, kind in sorted(spans):
        previous = next((m.value for m in reversed(found) if m.value), None)
        found.append(_resolve(kind, text[start:end], start, now, text, previous, words))
    return found


def _resolve(
    kind: str,
    phrase: str,
    start: int,
    now: dt.datetime,
    text: str,
    previous: str | None,
    words: bool,
) -> DateMention:
    today = now.date()
    lowered = phrase.lower()
    if kind == "iso":
        try:
            day = dt.date.fromisoformat(phrase)
        except ValueError:
            return DateMention(None, start, "invalid")
        return _dated(day, start)
    if kind == "vague":
        return DateMention(None, start, "vague")
    if kind in ("same", "next"):
        # "that same morning", "the next day": the day of the date before, which the parser
        # cannot know; with none before, the phrase counts from today.
        base = _as_date(previous, today)
        return DateMention((base + dt.timedelta(days=kind == "next")).isoformat(), start)
    if kind == "week_on":
        # The parser reads "this time next week" as next week's Monday.
        return DateMention((today + dt.timedelta(days=7)).isoformat(), start)
    if kind == "next_week":
        # The parser reads "next week Monday" as vague: that weekday in the coming week.
        weekday = WEEKDAYS.index(next(w for w in WEEKDAYS if w in lowered))
        monday = today - dt.timedelta(days=today.weekday() - 7)
        return DateMention((monday + dt.timedelta(days=weekday)).isoformat(), start)
    if kind == "coming":
        # "this coming Sunday": the next one after today, never today itself.
        weekday = WEEKDAYS.index(lowered.split()[-1])
        ahead = (weekday - today.weekday() - 1) % 7 + 1
        return DateMention((today + dt.timedelta(days=ahead)).isoformat(), start)
    if kind == "span":
        # "a week today", "a fortnight from today": counted from today or tomorrow.
        return DateMention(_span(lowered, today).isoformat(), start)
    if kind == "holiday":
        # The parser knows no holidays: the next one on or after today.
        month, day_of_month = _HOLIDAYS[re.sub(r"'", "", lowered)]
        later = dt.date(today.year, month, day_of_month) < today
        return DateMention(dt.date(today.year + later, month, day_of_month).isoformat(), start)
    if kind == "ordinal":
        # The parser reads "the 5th" alone as May: the next 5th on or after today.
        return _next_day_of_month(int(re.sub(r"\D", "", phrase)), today, start)
    if kind == "word":
        head = lowered.split()[0]
        head = ABBREVIATIONS.get(head, head)
        if words and head in DAY_WORDS:
            return DateMention(head, start)
        if head in ("this", "tonight"):
            return DateMention("today" if words else today.isoformat(), start)
        if lowered == "last night":
            return DateMention("yesterday" if words else _shift(today, -1), start)
    if kind == "weekday" and lowered in WEEKDAYS and WEEKDAYS[today.weekday()] == lowered:
        # A bare weekday that is today's means today; the parser counts a week ahead.
        return DateMention("today" if words else today.isoformat(), start)
    past = kind in ("weekday", "date") and _PAST_TENSE.search(text) is not None
    parsed = _parse(phrase, now, "past" if past else "future")
    if parsed is None:
        return DateMention(None, start, "invalid")
    if kind == "date" and not re.search(r"[0-9]{4}", phrase):
        # A day and month without a year: the nearer of its readings before and after today.
        other = _parse(phrase, now, "future" if past else "past")
        if other is not None and abs((other - today).days) < abs((parsed - today).days):
            parsed = other
    return _dated(parsed, start)


def _span(phrase: str, today: dt.date) -> dt.date:
    words = phrase.split()
    count = words[0] if words[0] != "in" else "a"
    unit = next(u for u in UNIT_DAYS if any(w.startswith(u) for w in words))
    days = (int(count) if count.isdigit() else COUNTS.get(count, 1)) * UNIT_DAYS[unit]
    return today + dt.timedelta(days=days + ("tomorrow" in words))


_HOLIDAYS = {
    "new years eve": (12, 31),
    "new years day": (1, 1),
    "christmas eve": (12, 24),
    "christmas day": (12, 25),
    "boxing day": (12, 26),
}


def _parse(phrase: str, now: dt.datetime, prefer: str) -> dt.date | None:
    """The day ``dateparser`` reads in ``phrase`` from ``now``, preferring past or future."""
    import dateparser

    settings = {
        "RELATIVE_BASE": now.replace(tzinfo=None),
        "PREFER_DATES_FROM": prefer,
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    parsed = dateparser.parse(phrase, languages=["en"], settings=settings)
    return parsed.date() if parsed is not None else None


def _dated(day: dt.date, start: int) -> DateMention:
    if day.year < EARLIEST_YEAR:
        return DateMention(None, start, "historic")
    return DateMention(day.isoformat(), start)


def _as_date(value: str | None, today: dt.date) -> dt.date:
    if value is None or (value not in DAY_WORDS and not re.fullmatch(r"[0-9-]{10}", value)):
        return today
    if value in DAY_WORDS:
        return today + dt.timedelta(days=DAY_WORDS[value])
    return dt.date.fromisoformat(value)


def next_day(value: str, today: dt.date) -> str:
    """The day after a date as the tools take it ('today' or YYYY-MM-DD), as YYYY-MM-DD."""
    return (_as_date(value, today) + dt.timedelta(days=1)).isoformat()


def _shift(today: dt.date, days: int) -> str:
    return (today + dt.timedelta(days=days)).isoformat()


def _next_day_of_month(day_of_month: int, today: dt.date, start: int) -> DateMention:
    year, month = today.year, today.month
    for _ in range(3):
        try:
            day = dt.date(year, month, day_of_month)
        except ValueError:
            day = None
        if day is not None and day >= today:
            return DateMention(day.isoformat(), start)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return DateMention(None, start, "invalid")


TIME = (
    r"(?P<{0}>[0-2]?[0-9])"
    r"(?::(?P<{0}_min>[0-5][0-9])\s*(?P<{0}_ampm>[ap]\.?m\.?)?|\s*(?P<{0}_pm>[ap]\.?m\.?))"
)
_BARE_HOUR = r"(?P<{0}>[0-9]|1[0-2])(?P<{0}_min>)(?P<{0}_ampm>)(?P<{0}_pm>)(?![0-9:.])"
_LOOSE = (
    r"(?P<{0}>[0-2]?[0-9])(?::(?P<{0}_min>[0-5][0-9]))?(?P<{0}_ampm>)\s*(?P<{0}_pm>[ap]\.?m\.?)?"
)
_BETWEEN = re.compile(rf"\bbetween\s+{_LOOSE.format('a')}\s+and\s+{_LOOSE.format('b')}", re.I)
_AFTER = re.compile(rf"\b(?:after|from|later than|not before)\s+{TIME.format('a')}", re.I)
_BEFORE = re.compile(
    rf"\b(?:before|by|until|no later than|earlier than)\s+{TIME.format('b')}", re.I
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
    after = _AFTER.search(text) or _AFTER_HOUR.search(text)
    before = _BEFORE.search(text) or _BEFORE_HOUR.search(text)
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
