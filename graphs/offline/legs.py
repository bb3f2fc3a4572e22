"""The legs of a trip in the order they are flown, whatever order the traveller named them in.

Travellers often name the flight they worry about first: 'Need to catch SQ 231 at Changi, I'm
coming in on SQ 319', 'My second flight is EY 17, the first one is EY 451', 'QR 17 was
cancelled; I'd flown in on QR 833 before that', 'Can I make BA 1511 after my EI 154 lands?'.
Words before or right after a flight say
whether it is the one flown in on (inbound) or the one flown on to (onward).
"""

from __future__ import annotations

import re
from typing import TypeVar

T = TypeVar("T")

_INBOUND_BEFORE = re.compile(
    r"(?:\b(?:coming|came|flown|flying|fly|get|getting|got|arriv\w*|land\w*) in\b[^.?!;]{0,30}"
    r"|\barriv\w*|\bland\w*|\bfirst (?:one|flight|leg|sector)(?: is)?|\binbound(?: flight)?"
    r"(?: is)?|\bafter (?:my|our|the))\s+(?:on\s+)?(?:the\s+)?$",
    re.I,
)
_INBOUND_AFTER = re.compile(r"[^.?!;,]{0,35}\bbefore that\b", re.I)
_ONWARD_BEFORE = re.compile(
    r"(?:\bcatch|\bsecond (?:one|flight|leg|sector)(?: is)?|\bonward(?: flight)?(?: is)?"
    r"|\bconnecting (?:flight )?is)\s+(?:the\s+)?$",
    re.I,
)
_CLAUSE = re.compile(r"[.?!;,]")
INBOUND, UNSAID, ONWARD = range(3)


def in_travel_order(legs: list[T], starts: list[int], text: str) -> list[T]:
    """``legs`` (named at ``starts`` in ``text``) with inbound ones first, onward ones last.

    Legs nothing is said about keep their order among themselves.
    """
    ranks = [_rank(text, start) for start in starts]
    if all(rank == UNSAID for rank in ranks):
        return legs
    order = sorted(range(len(legs)), key=lambda index: ranks[index])
    return [legs[index] for index in order]


def _rank(text: str, start: int) -> int:
    clause_start = max((m.end() for m in _CLAUSE.finditer(text, 0, start)), default=0)
    before = text[max(clause_start, start - 60) : start]
    if _ONWARD_BEFORE.search(before):
        return ONWARD
    if _INBOUND_BEFORE.search(before) or _INBOUND_AFTER.match(text, start):
        return INBOUND
    return UNSAID
