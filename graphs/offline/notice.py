"""How much notice a traveller had of a cancellation, read from their words.

Notice decides compensation under EU261/UK261 (14 days or more: none). Travellers give it as a
span ('two weeks notice', '3 days before'), as when they were told ('emailed me 10 days ago',
'got an email on Monday') counted to the flight's day, or as a moment ('told at the gate',
'cancelled at the gate', 'cxl same day': 0 days; 'the evening before': 1 day).
"""

from __future__ import annotations

import datetime as dt
import re

from graphs.offline.dates import COUNTS, DAY_WORDS, DateMention

_NUMBER = rf"[0-9]{{1,3}}|{'|'.join(COUNTS)}"
_SPAN = re.compile(
    rf"\b(?P<count>{_NUMBER}) (?P<unit>days?|weeks?)'?\s+(?:notice|before|in advance|ahead"
    r"|earlier|prior)"
    rf"|\bnotice:?\s*(?P<ops_count>[0-9]{{1,3}}) ?(?P<ops_unit>d|days?|w|wks?|weeks?)\b",
    re.I,
)
"""A span of notice: 'two weeks notice', '3 days before', or as ops write it, 'notice 3d'."""
_CANCELLED = r"\b(?:cancell?ed|cxl|cxld|canx|cnx)\b"
TOLD = r"\b(?:told|emailed|notified|informed|warned|email|message|letter|text|notice)\b"
_AGO = re.compile(rf"{TOLD}[^.?!]{{0,20}}?\b(?P<count>{_NUMBER}) (?P<unit>days?|weeks?) ago", re.I)
_TOLD_BEFORE = re.compile(rf"{TOLD}[^.?!]{{0,12}}$", re.I)
"""Words right before a date that is the day the traveller was told, not a flight's day."""
_SAME_DAY = re.compile(
    rf"{TOLD}[^.?!]{{0,25}}\b(?:at the (?:gate|airport|desk|counter)|at check-?in|on the day"
    r"|the same day|when we (?:got|arrived))|\b(?:no|zero) notice\b"
    rf"|{_CANCELLED}[^.?!]{{0,40}}\b(?:already|were|was) (?:at|in) the (?:airport|gate|terminal"
    rf"|lounge)\b|{_CANCELLED}[^.?!]{{0,40}}\b(?:already )?(?:checked in|boarded)\b"
    rf"|{_CANCELLED},? (?:at the (?:gate|airport|desk|counter)|at check-?in|on the day"
    r"|(?:the )?same day)\b",
    re.I,
)
_DAY_BEFORE = re.compile(
    r"\b(?:the )?(?:evening|night|day|afternoon|morning) before\b(?! (?:yesterday|the flight))"
    r"|\b(?:24|twenty-four) hours'? (?:notice|before)\b",
    re.I,
)


def is_notice_date(text: str, mention: DateMention) -> bool:
    """Whether a date is the day the traveller heard of the cancellation ('email on Monday')."""
    return _TOLD_BEFORE.search(text, max(0, mention.start - 30), mention.start) is not None


def notice_days(
    text: str, told: DateMention | None, flight_day: str | None, today: dt.date
) -> int | None:
    """Days between hearing of the cancellation and the flight, as far as the text tells.

    Args:
        text: The message.
        told: The date the traveller was told, when the text names one.
        flight_day: The flight's date as the tools take it ('today' or YYYY-MM-DD), if known.
        today: The local date at the origin.
    """
    flight = _day(flight_day, today)
    if (span := _SPAN.search(text)) is not None:
        return _days(span["count"] or span["ops_count"], span["unit"] or span["ops_unit"])
    if (ago := _AGO.search(text)) is not None:
        heard = today - dt.timedelta(days=_days(ago["count"], ago["unit"]))
        return max((flight - heard).days, 0) if flight else (today - heard).days
    if told is not None and told.value is not None and flight is not None:
        heard_on = _day(told.value, today)
        return max((flight - heard_on).days, 0) if heard_on else None
    if _SAME_DAY.search(text):
        return 0
    if _DAY_BEFORE.search(text):
        return 1
    return None


def _days(count: str, unit: str) -> int:
    number = int(count) if count.isdigit() else COUNTS[count.lower()]
    return number * (7 if unit.lower().startswith("w") else 1)


def _day(value: str | None, today: dt.date) -> dt.date | None:
    if value is None:
        return None
    if value in DAY_WORDS:
        return today + dt.timedelta(days=DAY_WORDS[value])
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None
