"""Dates in a traveller's words, for the offline model.

``find_dates`` finds date phrases ("tomorrow morning", "tmrw", "tonight", "on Friday", "next
Tuesday", "this coming Sunday", "next week Monday", "2 days ago", "in a week", "a week today",
"a fortnight from today", "Dec 5", "the 5th of December", "the day after tomorrow") and
resolves them with ``dateparser``, a maintained parser of relative and absolute dates, counted
from the local time at the origin airport. Rules here only find where a phrase is and decide
what the traveller means where the parser reads it otherwise (each such fast path says why).

"today", "tomorrow" and "yesterday" (and "tonight", "this morning" ...) may pass through as
words: the tools read them in the origin's zone themselves. Vague phrases ("next week", "in
the spring") and impossible dates ("2026-02-30") are reported, for a question; dates before
``EARLIEST_YEAR`` too, for a refusal. Whether a weekday or a day of the month lies behind or
ahead is read from the tense (``graphs.offline.tense``); 'the day after' counts from the day of
the flight talked about. Departure windows ("after 14:00") are read by
``graphs.offline.windows``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from graphs.offline.tense import day_in_past, in_past

Problem = Literal["vague", "invalid", "historic"]
EARLIEST_YEAR = 2000
"""Flight data goes back a few days at most; a date before this year is no real request."""

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_ORDINAL = r"[0-3]?[0-9](?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+[0-9]{4}\b)?"
COUNTS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
COUNTS["seven"] = 7
"""Counts travellers write in words ('two weeks', 'a week today')."""
_COUNT = rf"(?:[0-9]{{1,2}}|a couple of|{'|'.join(COUNTS)})"
_WEEKDAY = "|".join(WEEKDAYS)
SHORT_WEEKDAYS = {
    "mon": "monday",
    "tue": "tuesday",
    "tues": "tuesday",
    "wed": "wednesday",
    "weds": "wednesday",
    "thu": "thursday",
    "thur": "thursday",
    "thurs": "thursday",
    "fri": "friday",
    "sat": "saturday",
    "sun": "sunday",
}
"""Weekdays as travellers shorten them; 'sat', 'sun' and 'wed' only after 'on', 'next' ..."""
_SHORT_WEEKDAY = "mon|tues?|weds|thu(?:rs?)?|fri"
_BASE = r"(?:today|tomorrow)"
UNIT_DAYS = {"day": 1, "week": 7, "fortnight": 14}
ABBREVIATIONS = {"tmrw": "tomorrow", "tmr": "tomorrow", "tmw": "tomorrow"}
"""How travellers shorten day words in chat."""

NUMERIC = re.compile(
    r"\b(?P<a>[0-3]?[0-9])/(?P<b>[0-3]?[0-9])(?:/(?P<y>(?:20)?[0-9]{2}))?\b(?!/)"
    r"|\b(?P<c>[0-3]?[0-9])\.(?P<d>[01]?[0-9])\.(?:(?P<z>(?:20)?[0-9]{2})\b)?"
)
"""Dates in figures: '24/12', '12/24/26', '15.12.' (a dot after the month: '13.40' is a time)."""
PHRASES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("iso", re.compile(r"\b[0-9]{4}-[0-9]{2}-[0-9]{2}\b")),
    ("same", re.compile(r"\bthat (?:same )?(?:day|morning|afternoon|evening|night)\b", re.I)),
    (
        "next",
        re.compile(
            r"\bthe (?:next|following) (?:day|morning|afternoon|evening|night)\b"
            r"|\bthe day after\b(?=\s*(?:[?.!,;]|$|too\b|as well\b|instead\b))",
            re.I,
        ),
    ),
    ("week_on", re.compile(r"\b(?:this time|same time) next week\b", re.I)),
    (
        "weekday_week",
        re.compile(rf"\ba week (?:on|from|this) (?:{_WEEKDAY})\b|\b(?:{_WEEKDAY}) week\b", re.I),
    ),
    (
        "next_week",
        re.compile(rf"\bnext week(?: on)? (?:{_WEEKDAY})\b|\b(?:{_WEEKDAY}) next week\b", re.I),
    ),
    ("span", re.compile(rf"\b{_COUNT} (?:weeks?|fortnights?|days?) (?:from )?{_BASE}\b", re.I)),
    ("span", re.compile(r"\bin a fortnight\b", re.I)),
    (
        "vague",
        re.compile(
            r"\b(?:next|last|later this|earlier this|this coming) (?:week|month)\b"
            r"|\b(?:at )?the (?:end|start|beginning|middle) of (?:the|this|next|last)"
            r" (?:week|month)\b"
            r"|\bthe other (?:day|night|week)\b|\ba few (?:days|weeks) ago\b"
            r"|\b(?:in|during|this|next) (?:the )?(?:spring|summer|autumn|fall|winter)\b"
            r"|\b(?:this|next|the|over the|at the) weekend\b"
            r"|\bover (?:christmas|xmas|the holidays)\b"
            rf"|\b(?:(?:some ?time|at some point|early|late|mid-?) ?)?(?:in|during) {MONTH}"
            r"(?![a-z])(?![\s/.-]*[0-3]?[0-9](?:st|nd|rd|th)?\b)"
            r"|\b(?:on )?the (?:day|date|morning|night) (?:i|we|he|she|they) (?:fly|flies|leave"
            r"|leaves|travel|travels|go|depart|departs)\b"
            r"|\bwhenever (?:i|we) (?:fly|leave|travel)\b",
            re.I,
        ),
    ),
    (
        "holiday",
        re.compile(
            r"\b(?:new year'?s (?:eve|day)|(?:christmas|xmas) (?:eve|day)|boxing day)\b", re.I
        ),
    ),
    (
        "word",
        re.compile(
            r"\b(?:(?:the )?day (?:after tomorrow|before yesterday)"
            r"|(?:today|tonight|tomorrow|yesterday|tmrw|tmr|tmw)"
            r"(?: (?:morning|afternoon|evening|night))?"
            r"|this (?:morning|afternoon|evening)|last night|(?:the )?night before last)\b",
            re.I,
        ),
    ),
    ("coming", re.compile(rf"\b(?:this )?coming (?:{_WEEKDAY})\b", re.I)),
    (
        "weekday",
        re.compile(
            rf"\b(?:(?:next|last|this) )?(?:{_WEEKDAY}|{_SHORT_WEEKDAY})\b"
            r"|\b(?:on|next|last|this) (?:sat|sun|wed)\b",
            re.I,
        ),
    ),
    (
        "count",
        re.compile(
            rf"\b(?:in {_COUNT} (?:days?|weeks?)|{_COUNT} (?:days?|weeks?) (?:ago|from now))\b",
            re.I,
        ),
    ),
    ("date", re.compile(rf"\b(?:the )?{_ORDINAL}(?: of)? {MONTH}{_YEAR}", re.I)),
    ("date", re.compile(rf"\b{MONTH} (?:the )?{_ORDINAL}\b{_YEAR}", re.I)),
    ("ordinal", re.compile(r"\bthe ([0-3]?[0-9])(?:st|nd|rd|th)\b", re.I)),
    ("compact", re.compile(rf"\b[0-3]?[0-9]{MONTH}(?:[0-9]{{2}})?(?![a-z0-9])", re.I)),
    ("numeric", NUMERIC),
)
"""Date phrases by kind, most specific first; a phrase inside an earlier one is skipped."""

DAY_WORDS = {"today": 0, "tomorrow": 1, "yesterday": -1}
"""The relative words the tools read themselves, in the origin's zone."""


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


def find_dates(
    text: str, now: dt.datetime, *, words: bool = True, base: str | None = None
) -> list[DateMention]:
    """Every date phrase in ``text``, in reading order.

    Args:
        text: The message.
        now: The local time at the origin airport (naive or aware), the base of relative dates.
        words: Whether 'today', 'tomorrow' and 'yesterday' stay words (when the tool call names
            the origin or no zone is known); else they become dates counted from ``now``.
        base: The day of the flight talked about in earlier turns ('today' or YYYY-MM-DD): what
            'the day after' or 'that same day' counts from when the text names no day before.
    """
    spans: list[tuple[int, int, str]] = []
    for kind, pattern in PHRASES:
        for match in pattern.finditer(text):
            if not any(start <= match.start() < end for start, end, _ in spans):
                spans.append((match.start(), match.end(), kind))
    found: list[DateMention] = []
    for start, end, kind in sorted(spans):
        previous = next((m.value for m in reversed(found) if m.value), base)
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
        # "that same morning", "the next day", "the day after": the day of the date before,
        # which the parser cannot know; with none before, the phrase counts from today.
        base = _as_date(previous, today)
        return DateMention((base + dt.timedelta(days=kind == "next")).isoformat(), start)
    if kind == "week_on":
        # The parser reads "this time next week" as next week's Monday.
        return DateMention((today + dt.timedelta(days=7)).isoformat(), start)
    if kind == "weekday_week":
        # British 'a week on Friday', 'Friday week': the Friday after the coming one.
        weekday = WEEKDAYS.index(next(w for w in WEEKDAYS if w in lowered))
        ahead = (weekday - today.weekday()) % 7 + 7
        return DateMention((today + dt.timedelta(days=ahead)).isoformat(), start)
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
        month, day_of_month = _HOLIDAYS[re.sub(r"'", "", lowered).replace("xmas", "christmas")]
        later = dt.date(today.year, month, day_of_month) < today
        return DateMention(dt.date(today.year + later, month, day_of_month).isoformat(), start)
    if kind == "numeric":
        return _numeric(NUMERIC.fullmatch(phrase), today, start)
    if kind == "ordinal":
        # The parser reads "the 5th" alone as May: the next 5th on or after today, or, told in
        # the past tense ('on the 8th was 3 hours late'), the nearer of that and the last one.
        day_of_month = int(re.sub(r"\D", "", phrase))
        return _day_of_month(day_of_month, today, start, day_in_past(text, start))
    if kind == "word":
        head = lowered.split()[0]
        head = ABBREVIATIONS.get(head, head)
        if head in DAY_WORDS:
            return DateMention(head if words else _shift(today, DAY_WORDS[head]), start)
        if head in ("this", "tonight"):
            return DateMention("today" if words else today.isoformat(), start)
        if lowered == "last night":
            return DateMention("yesterday" if words else _shift(today, -1), start)
        if lowered.endswith("night before last"):
            return DateMention(_shift(today, -2), start)
    if kind == "compact":
        # Ops write a day, month and year run together ('09DEC', '09DEC26'), which the parser
        # cannot split.
        kind, phrase = "date", re.sub(r"^([0-9]+)([a-z.]+)", r"\1 \2 ", phrase, flags=re.I).strip()
        lowered = phrase.lower()
    if kind == "weekday":
        # 'Fri', 'on Sat', 'next weds': the weekday written out, which the parser reads surely.
        words_in = [SHORT_WEEKDAYS.get(word, word) for word in lowered.split() if word != "on"]
        lowered = phrase = " ".join(words_in)
    if kind == "weekday" and lowered in WEEKDAYS and WEEKDAYS[today.weekday()] == lowered:
        # A bare weekday that is today's means today; the parser counts a week ahead.
        return DateMention("today" if words else today.isoformat(), start)
    past = kind in ("weekday", "date") and in_past(text, start)
    phrase = re.sub(r"\ba couple of\b", "2", phrase, flags=re.I)  # the parser knows no couple
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
    count = "2" if "couple" in words else words[0] if words[0] != "in" else "a"
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


def _numeric(match: re.Match[str] | None, today: dt.date, start: int) -> DateMention:
    """A date in figures. Day and month are told apart only when one of them is over 12
    ('24/12' is 24 December, '12/24' too); '5/12' may be 5 December or 12 May, so it is vague,
    for a question. Without a year, the reading nearest today."""
    if match is None:
        return DateMention(None, start, "invalid")
    first, second = int(match["a"] or match["c"]), int(match["b"] or match["d"])
    if first > 12 >= second or first == second:
        day, month = first, second
    elif second > 12 >= first:
        day, month = second, first
    else:
        return DateMention(None, start, "vague" if max(first, second) <= 12 else "invalid")
    written = match["y"] or match["z"]
    years = [2000 + int(written) % 100] if written else [today.year - 1, today.year, today.year + 1]
    readings = []
    for year in years:
        try:
            readings.append(dt.date(year, month, day))
        except ValueError:
            continue
    if not readings:
        return DateMention(None, start, "invalid")
    return _dated(min(readings, key=lambda day: abs((day - today).days)), start)


def _day_of_month(day_of_month: int, today: dt.date, start: int, past: bool) -> DateMention:
    """That day of the month: the next on or after today, or when ``past`` the nearer of it
    and the last one before today."""
    days = []
    for offset in range(-3, 3):
        year, month = divmod(today.year * 12 + today.month - 1 + offset, 12)
        try:
            days.append(dt.date(year, month + 1, day_of_month))
        except ValueError:
            continue
    ahead = [day for day in days if day >= today]
    behind = [day for day in days if day < today] if past else []
    if not ahead and not behind:
        return DateMention(None, start, "invalid")
    nearest = min([*ahead[:1], *behind[-1:]], key=lambda day: abs((day - today).days))
    return DateMention(nearest.isoformat(), start)
