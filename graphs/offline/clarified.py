"""An answer to the assistant's question completes the request that prompted it.

When the assistant asked for what was missing ('Which flight do you mean?', 'Which departure
airport should I search from?', 'Which airport do you mean by Birmingham ...?'), the
traveller's next turn often gives only that: 'LH 400 yesterday', 'from JFK', 'BHX'. It is read
as the earlier request with the new facts in place: what was asked before (the intent) and the
route, date, window and rights facts given then carry over, unless the new turn asks something
of its own or gives nothing new. A statement ('TP 1351, it was cancelled because of a
snowstorm') answers the question though its words alone would read as a status. A 'yes' to
the assistant's offer ('Would you like me to check what you're owed?') asks what was offered.
An unclear place is settled by the airport code chosen or by its country or region ('the UK
one', 'Alabama').
"""

from __future__ import annotations

import re
from dataclasses import replace

from flight_agent.airports import find_airport
from graphs.offline.codes import airports
from graphs.offline.intents import Request
from graphs.offline.keywords import Intent
from graphs.offline.places import Place, fold

_BARE_CODE = re.compile(r"\b[A-Z]{3}\b")
_ASKS = re.compile(
    r"\?|^\W*(?:why|what|when|where|which|who|how|is|are|was|were|will|can|could|do|does|did"
    r"|has|have|should|would)\b",
    re.I,
)
"""A turn that asks something itself, rather than answering the assistant's question."""
_DESCRIBING = frozenset({Intent.STATUS, Intent.DISRUPTION})
"""Intents whose words ('cancelled', 'because of') also describe what happened."""
AFFIRMED = re.compile(
    r"^\W*(?:yes|yeah|yep|yup|sure|ok(?:ay)?|please(?: do)?|go ahead|do it|definitely)\b", re.I
)
"""A 'yes' to the assistant's offer."""
COUNTRY_WORDS = {
    "uk": "GB",
    "britain": "GB",
    "british": "GB",
    "us": "US",
    "usa": "US",
    "america": "US",
    "american": "US",
    "states": "US",
}
"""Everyday names of countries whose ISO code differs from them; other countries and regions
are matched by their ISO code and ``airportsdata``'s region names ('England', 'Alabama')."""
_WORD = re.compile(r"[a-z]+")


def completed(request: Request, pending: Request | None, offered: Intent | None = None) -> Request:
    """``request`` completed by ``pending``, the request the assistant last answered with a
    question (``offered``: what that question offered to do); ``request`` as it is when there
    is none, or when it stands on its own."""
    accepted = offered is not None and AFFIRMED.match(request.text) is not None
    if accepted and request.intent in (None, *_DESCRIBING):
        return _merged(replace(request, intent=None), replace(pending or Request(), intent=offered))
    if pending is not None and pending.intent is None and _route_asked(pending):
        pending = replace(pending, intent=Intent.ALTERNATIVES)
    if pending is None or pending.intent is None:
        return request
    if request.intent is not None and (
        request.intent not in _DESCRIBING or _ASKS.search(request.text) or not request.flights
    ):
        return request
    origin, destination = _route(request, pending)
    new_facts = (
        request.flights
        or origin != pending.origin
        or destination != pending.destination
        or request.date
        or request.window != (None, None)
        or request.cause != "unknown"
        or request.notice_days is not None
    )
    if not new_facts:
        return request
    return _merged(request, pending)


def _route_asked(pending: Request) -> bool:
    """Whether a request without keywords was a search the assistant asked about: a route
    with a place that may be more than one airport ('Birmingham to Newark')."""
    ends = pending.origin or pending.destination
    return not pending.flights and bool(pending.unclear_places) and ends is not None


def _merged(request: Request, pending: Request) -> Request:
    """The pending request with what the new turn adds."""
    origin, destination = _route(request, pending)
    return replace(
        request,
        intent=pending.intent,
        origin=origin,
        destination=destination,
        hub=request.hub or pending.hub,
        date=request.date or pending.date,
        window=request.window if request.window != (None, None) else pending.window,
        cause=request.cause if request.cause != "unknown" else pending.cause,
        notice_days=request.notice_days if request.notice_days is not None else pending.notice_days,
        max_results=request.max_results or pending.max_results,
        metro=request.metro or pending.metro,
    )


def _route(request: Request, pending: Request) -> tuple[str | None, str | None]:
    """The origin and destination: the new turn's, else an airport it names that answers the
    question ('BHX' of 'Birmingham', 'JFK' for a missing origin), else the earlier ones."""
    origin = request.origin or pending.origin
    destination = request.destination or pending.destination
    bare = [code for code in _BARE_CODE.findall(request.text) if find_airport(code)]
    for place in pending.unclear_places:
        chosen = next((code for code in bare if code in place.choices), None)
        chosen = chosen or _by_region(request.text, place.choices)
        if chosen is not None:
            origin, destination = _placed(place, chosen, origin, destination)
    if origin is None and destination is not None and len(bare) == 1:
        origin = bare[0]  # 'Which departure airport ...?' 'JFK'
    return origin, destination


def _placed(
    place: Place, code: str, origin: str | None, destination: str | None
) -> tuple[str | None, str | None]:
    if place.role == "from":
        return code, destination
    if place.role in ("to", "into"):
        return origin, code
    return origin, destination


def _by_region(text: str, choices: tuple[str, ...]) -> str | None:
    """The first (main) airport of ``choices`` in the country or region the text names ('the UK
    one', 'Oregon')."""
    words = set(_WORD.findall(fold(text)))
    countries = {COUNTRY_WORDS[word] for word in words if word in COUNTRY_WORDS}
    matching = []
    for code in choices:
        airport = airports("IATA").get(code)
        if airport is None:
            continue
        region = set(_WORD.findall(fold(airport["subd"] or "")))
        if (
            airport["country"] in countries
            or airport["country"].lower() in words
            or (region and region <= words)
        ):
            matching.append(code)
    return matching[0] if matching else None
