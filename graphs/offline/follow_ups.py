"""Which of the flights talked about a follow-up means, and what it asks again.

After a turn about several flights, a follow-up names one by its place in the list ('the
second one'), by its airline ('the AF one') or by what the last results said of it ('the
delayed one'); 'refresh both', 'check again' repeat the last lookup; and a rights question
takes the cause the airline gave from the last results when the traveller gives none ('Reason
given: crew shortage'). Tool results are read only for these facts, never for what to do.
"""

from __future__ import annotations

import re

from graphs.offline.airline_names import airlines_named
from graphs.offline.flights import find_flights
from graphs.offline.intents import FlightMention
from graphs.offline.keywords import Cause, Intent, cause_of
from graphs.offline.memory import Memory

ORDINAL = re.compile(
    r"\bthe (?P<which>first|1st|second|2nd|third|3rd|last|latter|former) (?:one|flight|leg)?",
    re.I,
)
"""A flight of the earlier turn named by its place in the list ('the second one')."""
_ORDINALS = {"first": 0, "1st": 0, "former": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2}
BY_STATE = re.compile(
    r"\bthe (?P<state>delayed|late|cancell?ed|diverted|on-?time) (?:one|flight|leg)s?\b", re.I
)
"""A flight of the earlier turn named by what its status was ('the delayed one')."""
_STATES = {
    "delayed": r"\bdelay|\blate\b",
    "late": r"\bdelay|\blate\b",
    "cancelled": r"\bcancell?ed\b",
    "canceled": r"\bcancell?ed\b",
    "diverted": r"\bdivert",
    "on-time": r"\bon time\b",
    "ontime": r"\bon time\b",
}
AGAIN = re.compile(r"\b(?:refresh|re-?check|re-?run|again|once more|(?:any )?updates?)\b", re.I)
"""A turn that asks for the last lookup again ('can you refresh both', 'check again')."""


def named_again(text: str, memory: Memory) -> tuple[FlightMention, ...]:
    """The flights of the earlier turn that ``text`` names without their numbers; none when it
    names none of them that way."""
    if len(memory.flights) < 2:
        return ()
    if ordinal := ORDINAL.search(text):
        # 'and the second one tomorrow?'
        index = _ORDINALS.get(ordinal["which"].lower(), len(memory.flights) - 1)
        return (memory.flights[index],) if index < len(memory.flights) else ()
    if by_state := BY_STATE.search(text):
        # 'what's going on with the delayed one?': the one the last results said was delayed.
        state = _STATES[by_state["state"].lower()]
        return tuple(f for f in memory.flights if re.search(state, _reported(f, memory), re.I))
    # 'what am I owed for the AF one?': the one flight of that airline asked about before.
    named = airlines_named(text)
    of_airline = tuple(f for f in memory.flights if f.flight_number[:2] in named)
    return of_airline if len(of_airline) == 1 else ()


def reported_cause(flights: tuple[FlightMention, ...], memory: Memory) -> Cause:
    """The cause of the disruption the last status or assessment gave for ``flights`` (a rights
    answer's explanations name causes too, but none of them is the airline's)."""
    if memory.intent not in (Intent.STATUS, Intent.DISRUPTION):
        return "unknown"
    return cause_of(" ".join(_reported(f, memory) for f in flights).lower())


def _reported(flight: FlightMention, memory: Memory) -> str:
    """What the last results say about ``flight``: the lines naming it."""
    lines = (line for result in memory.results for line in result.text.splitlines())
    return "\n".join(
        line for line in lines if flight.flight_number in (name for name, _ in find_flights(line))
    )
