"""Whether a date in a traveller's message lies behind or ahead, read from its tense.

A weekday or a day of the month without a year could be the last one or the next one: 'was BA 1
on time on Friday?' means last Friday, 'need Toronto to Vancouver on Friday' the coming one.
The clause the date is in decides first, then the whole message; a day of the month is read
by the verb after it first ('on the 8th was 3 hours late').
"""

from __future__ import annotations

import re

_PAST_TENSE = re.compile(
    r"\b(?:was|were|did|had|went|got|left|landed|ago|last|blamed|arrived|diverted|happened)\b"
    r"|\bdelayed (?:by )?[0-9]|\b[0-9]+ ?(?:h|hrs?|hours?|mins?|minutes?) (?:late|delay)",
    re.I,
)
"""Words of what has happened; a delay's length ('delayed 4 hours', '6hr delay') too, known
only once it is under way."""
_AHEAD = re.compile(
    r"\b(?:need|needs|want|wants|will|going to|gonna|flying|leaving|rebook|options?|find)\b|'ll\b",
    re.I,
)
"""Words of a trip still to come: 'got cancelled, need Toronto to Vancouver on Friday'."""
_PRESENT = re.compile(r"\b(?:is|are|isn't|aren't)\b", re.I)
_CLAUSE = re.compile(r"[.?!;,\n]|\bbut\b", re.I)


def in_past(text: str, start: int) -> bool:
    """Whether a weekday or date at ``start`` lies behind: read in its own clause first
    ('cancelled, need one on Friday' looks ahead), else in the whole message."""
    clause_start = max((m.end() for m in _CLAUSE.finditer(text, 0, start)), default=0)
    end = _CLAUSE.search(text, start)
    clause = text[clause_start : end.start() if end else len(text)]
    if _PAST_TENSE.search(clause):
        return True
    if _AHEAD.search(clause):
        return False
    return _PAST_TENSE.search(text) is not None


def day_in_past(text: str, start: int) -> bool:
    """Whether a day of the month at ``start`` lies behind: by the verb after it in its clause
    ('LX 1612 on the 8th was late' lies behind; 'emailed me 10 days ago that LX 1612 on the
    27th is cancelled', ahead), else as a weekday is read."""
    end = _CLAUSE.search(text, start)
    after = text[start : end.start() if end else len(text)]
    if _PAST_TENSE.search(after):
        return True
    if _PRESENT.search(after) or _AHEAD.search(after):
        return False
    return in_past(text, start)
