"""When a disrupted trip finally reached its destination, read from the traveller's words.

A long delay or a rerouting is measured by the final arrival: 'we only got to Kinshasa on
2 December at 15:10', 'I got into Boston 8 Dec 01:15', 'now due into JFK at 21:30 tonight'.
The day written there is the arrival's, not the day any flight of the trip left.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from graphs.offline.dates import DateMention

_FINALLY = re.compile(
    r"\b(?:(?:only|finally|eventually) )?(?:got (?:to|in|into|there|home)|arrived|reached"
    r"|made it (?:to|home)|landed)\b"
    r"|\bnow (?:due (?:in(?:to)?|to (?:arrive|land))|arriving|landing|getting in)\b",
    re.I,
)
"""Words before the day and time a disrupted trip finally reached its destination, or now
will after a rerouting ('now due into JFK at 21:30 tonight')."""
_CLOCK = re.compile(r"\b(?P<h>[01]?[0-9]|2[0-3])[:.h](?P<m>[0-5][0-9])\b(?!\s*(?:[ap]\.?m))")


@dataclass(frozen=True, slots=True)
class FinalArrival:
    """The final arrival as 'YYYY-MM-DD HH:MM', with the date mention that gave its day."""

    value: str
    day: DateMention


def final_arrival(text: str, dates: list[DateMention], today: dt.date) -> FinalArrival | None:
    """When the traveller finally got there ('only got to Kinshasa on 2 December at 15:10');
    None unless both the day and the clock time are written."""
    for verb in _FINALLY.finditer(text):
        day = next((d for d in dates if d.value and verb.end() <= d.start <= verb.end() + 40), None)
        if day is None or day.value is None:
            continue
        clock = _CLOCK.search(text, verb.end(), min(len(text), day.start + 40))
        date = _day_value(day.value, today)
        if clock is not None and date is not None:
            return FinalArrival(f"{date} {int(clock['h']):02d}:{clock['m']}", day)
    return None


def _day_value(value: str, today: dt.date) -> str | None:
    offsets = {"today": 0, "yesterday": -1, "tomorrow": 1}
    if value in offsets:
        return (today + dt.timedelta(days=offsets[value])).isoformat()
    return value if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value) else None
