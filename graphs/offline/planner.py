"""The offline model's next move on a user turn: tool calls, or a reply that needs none.

``plan`` combines what the earlier turns established (``graphs.offline.memory``) with the new
``Request``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from flight_agent.airports import find_airport
from graphs.offline.answers import answer
from graphs.offline.clarified import completed
from graphs.offline.follow_ups import AGAIN, named_again, reported_cause
from graphs.offline.intents import FlightMention, Request
from graphs.offline.keywords import Intent
from graphs.offline.memory import Memory, asked_flights
from graphs.offline.places import Place
from graphs.offline.scope import ALWAYS_DECLINED
from graphs.offline.small_talk import small_talk
from tools.specs import (
    ASSESS_DISRUPTION,
    BATCH_STATUS,
    CHECK_CONNECTION,
    FIND_ALTERNATIVE_FLIGHTS,
    GET_FLIGHT_STATUS,
    PASSENGER_RIGHTS,
    PROVIDER_HEALTH,
)

CAPABILITIES = (
    "I can check a flight's status (e.g. 'status of BA117 tomorrow'), several flights at once, "
    "whether the flight-data providers are up, whether you will make a connection, what is "
    "going wrong with a flight, what you are owed (EU261, UK261, US DOT, Canada APPR) and "
    "alternative flights between two airports."
)
ASK_FLIGHT = (
    "Which flight do you mean? Please give the flight number (e.g. BA117 or 'United 901') and "
    "the date if it is not today."
)
ASK_RETURN = "What is the flight number of your return flight, and its date?"
ASK_CONNECTION = (
    "Which two flights do you connect between? Please give the inbound flight you arrive on "
    "and the onward flight you connect to, e.g. 'BA117 to AA100 at JFK'."
)
ASK_ROUTE = (
    "Where are you flying from, and where to? Please give the departure airport and the "
    "destination (a city or a code, e.g. 'from London to New York' or 'LHR to JFK'), and the date."
)
ASK_ORIGIN = (
    "Which departure airport should I search from? Please say where you are flying from "
    "(e.g. 'from Frankfurt to {destination}')."
)
ASK_DESTINATION = (
    "Where do you need to get to from {origin}? Please give the destination (a city or a code, "
    "e.g. 'to New York' or 'JFK'), and the date if it is not today."
)
ASK_DATE = (
    "Which day do you mean? Please give the date (e.g. 'tomorrow', 'on Friday', '5 December' "
    "or 2026-12-05)."
)
NEEDS_FLIGHTS = frozenset({Intent.STATUS, Intent.CONNECTION, Intent.DISRUPTION})
"""Intents that act on a named flight: without one, an off-topic request beside them is the
question."""
DECLINE = "Sorry, I can only help with flight questions. "
IGNORED = "I only answer flight questions and do not follow instructions inside messages. "
HISTORIC = "I can't look up flights that long ago: flight data covers recent and coming days. "
RANGE = (
    "I can't check a range of flight numbers: please name the flights you are booked on, "
    "e.g. 'BA117 and AA100 tomorrow'. "
)

LEG = re.compile(r"\b(?:part|leg|sector|segment|meant)\b", re.I)
"""Words saying a route names a leg of the flight talked about, not a new search."""
ADDED = re.compile(r"\bsame (?:ticket|booking|reservation)\b|\bcontinuing\b|\bas well\b", re.I)
"""Words saying a flight joins the trip talked about, not replaces it."""
ASKED_BEFORE = re.compile(r"\b(?:terminal|which airport|what aircraft)\b", re.I)
"""What a status result already says and seldom changes (a gate does), so a follow-up about
it needs no new lookup."""
GATE_ASKED = re.compile(r"\b(?:which|what)(?:'s| is)? (?:the )?gate\b", re.I)
FRESH = re.compile(r"\b(?:confirm\w*|chang\w*|still|now|updated?|latest|yet|new)\b", re.I)
"""A gate the last status gave answers 'which gate?', unless the traveller asks whether it
still holds ('is the gate confirmed?', 'has the gate changed?')."""
SAME_AGAIN = re.compile(
    r"\bsame (?:check|thing|question|again|for)\b|\bditto\b|\bthe same (?:for|with)\b"
    r"|\b(?:do|check|run) (?:the same|that|it) (?:again )?for\b",
    re.I,
)
"""A follow-up asking what was asked before about another flight: the earlier intent."""
ONWARD = re.compile(
    r"\bafter (?:that|it|this)\b|\bonward\b|\bconnecting\b"
    r"|\b(?:i|we)(?:'ll| will| can| could)? (?:still )?make (?:it|the connection|that)\b",
    re.I,
)
"""With one new flight, words that make it the next leg of the flight talked about."""


@dataclass(frozen=True)
class Plan:
    """Tool calls ``(name, args)`` to make, or a reply when there are none.

    With tool calls, ``reply`` is a note that goes with them ('London has several airports:
    searching LHR ...').
    """

    tool_calls: tuple[tuple[str, dict[str, Any]], ...] = ()
    reply: str = ""


def plan(request: Request, memory: Memory, tools: frozenset[str]) -> Plan:
    """The next move for ``request`` given ``memory``, calling only ``tools``; a request asked
    aside that is always declined is declined in a note beside the calls."""
    move = _plan(request, memory, tools)
    if request.declined and move.tool_calls:
        return replace(move, reply=f"Sorry, I can't help with {request.declined}. {move.reply}")
    return move


def _plan(request: Request, memory: Memory, tools: frozenset[str]) -> Plan:
    request = _rights_follow_up(completed(request, memory.pending, memory.offered), memory)
    explicit = request.intent is not None
    if request.off_topic and (not explicit or request.off_topic in ALWAYS_DECLINED):
        return Plan(reply=f"Sorry, I can't help with {request.off_topic}. {CAPABILITIES}")
    if request.flight_range:
        return Plan(reply=RANGE + CAPABILITIES)
    if request.date_problem == "historic":
        return Plan(reply=HISTORIC + CAPABILITIES)
    if request.intent in NEEDS_FLIGHTS and request.off_topic and not request.flights:
        # 'How many bags can I check on Ryanair?', 'do I need a visa for a layover in
        # Frankfurt?': no flight, and the topic is not one of mine.
        return Plan(reply=f"Sorry, I can't help with {request.off_topic}. {CAPABILITIES}")
    if (
        request.ignored_instructions
        and request.intent in NEEDS_FLIGHTS
        and not request.flights
        and not memory.flights
    ):
        # "<script>...</script> is my flight number, check it": once the instructions and the
        # code are cut out, no flight is left to ask about, only the attempt.
        return Plan(reply=IGNORED + CAPABILITIES)
    flights = request.flights if request.intent is Intent.STATUS else asked_flights(request.flights)
    if not flights and request.wants_return and request.intent is not Intent.HEALTH:
        if not memory.return_flights:
            return Plan(reply=ASK_RETURN)
        flights = memory.return_flights
    intent = request.intent
    if memory.intent and memory.flights and flights and SAME_AGAIN.search(request.text):
        intent = memory.intent  # 'same check for EI 155': what was asked before, for another
    if (
        len(flights) == 1
        and memory.flights
        and flights[0].flight_number not in {f.flight_number for f in memory.flights}
        and (
            intent is Intent.CONNECTION
            or (intent in (None, Intent.STATUS) and ONWARD.search(request.text))
            or (intent is None and memory.intent is Intent.CONNECTION)
        )
    ):
        # 'I've got LH 1410 out of Frankfurt after that, will I make it?', 'I connect to
        # B6 518 at JFK', after a connection check 'what if I take the later AA 102?': the
        # next leg after the flight talked about (the one flown in on).
        intent = Intent.CONNECTION
        onward = flights[0]
        if memory.intent is Intent.CONNECTION and len(memory.flights) >= 2 and not onward.origin:
            # 'and if I take AA 102 instead?': another onward flight from the same airport.
            onward = replace(onward, origin=memory.flights[1].origin)
        flights = (memory.flights[0], onward)
    if not flights:
        # 'the second one', 'the delayed one', 'the AF one': of the flights asked about before.
        flights = named_again(request.text, memory)
    if (
        memory.flights
        and (request.origin or request.leg_stop)
        and not flights
        and LEG.search(request.text)
    ):
        # 'I meant the Singapore to London part', 'is the Singapore leg on time?': the same
        # flight, another leg.
        flights = tuple(
            replace(f, origin=request.origin or _leg_from(request.leg_stop, f, memory))
            for f in memory.flights
        )
        intent = intent or memory.intent or Intent.STATUS
    if intent is None:
        if (request.origin or request.unclear_places) and request.destination and not flights:
            intent = Intent.ALTERNATIVES
        elif (request.origin or request.destination) and not flights and memory.search:
            intent = Intent.ALTERNATIVES  # 'and to Newark instead?': the last search, changed
        elif flights or request.date or request.window != (None, None) or _rights_facts(request):
            intent = memory.intent or Intent.STATUS
        elif (social := small_talk(request.text)) and not request.ignored_instructions:
            return Plan(reply=social + CAPABILITIES)
        elif memory.intent and memory.flights and AGAIN.search(request.text):
            intent = memory.intent  # 'can you refresh both again': the last lookup, again
        else:
            return Plan(reply=(IGNORED if request.ignored_instructions else DECLINE) + CAPABILITIES)
    if request.date_problem is not None:
        return Plan(reply=ASK_DATE)
    if flights and not explicit and memory.flights:
        # A follow-up such as "and AA100?" keeps the date of the flight asked about before.
        flights = tuple(replace(f, date=f.date or memory.flights[0].date) for f in flights)
        if ADDED.search(request.text):
            # "I was continuing on AY 1711 on the same ticket": one more leg of the same trip.
            flights = memory.flights + flights
    elif (
        not flights
        and intent is Intent.STATUS
        and memory.results
        and (ASKED_BEFORE.search(request.text) or _gate_known(request.text, memory))
    ):
        # "Which terminal does it land at?": the status just looked up says so already.
        return Plan(reply=answer(list(memory.results)))
    if not flights and intent is not Intent.HEALTH:
        flights = memory.flights
    if request.date is not None:
        flights = tuple(replace(f, date=request.date) for f in flights)
    return _calls(intent, flights, request, memory, tools)


def _leg_from(stop: str | None, flight: FlightMention, memory: Memory) -> str | None:
    """Where the leg of ``flight`` named by a stop on it leaves from: the stop, when it begins or
    ends the leg last seen (after SYD-SIN, 'the Singapore leg' is the one from SIN); else the
    next leg, from where the one seen lands."""
    route = memory.routes.get(flight.flight_number)
    if route is None or stop in (route.origin, route.destination):
        return stop
    return route.destination


def _gate_known(text: str, memory: Memory) -> bool:
    """Whether 'which gate?' is answered by the last status, which names a gate."""
    if not GATE_ASKED.search(text) or FRESH.search(text):
        return False
    return any("gate" in str(result.content).lower() for result in memory.results)


def _rights_facts(request: Request) -> bool:
    """Whether a turn adds facts to a rights question: a cause or the cancellation notice."""
    return request.cause != "unknown" or request.notice_days is not None


def _rights_follow_up(request: Request, memory: Memory) -> Request:
    """After a rights answer, a turn that only adds facts ('it was cancelled 5 days before',
    'what if it was the weather?', 'I finally got in at 23:40 on 10 December') asks again with
    them, though its words alone read as a status or as small talk about the weather."""
    facts = _rights_facts(request) or request.refunded or request.final_arrival is not None
    if (
        memory.intent is not Intent.RIGHTS
        or request.flights
        or not facts
        or request.intent not in (None, Intent.STATUS)
        or request.off_topic in ALWAYS_DECLINED
    ):
        return request
    # The day of a final arrival is the arrival's, not the flight's.
    date = None if request.final_arrival is not None else request.date
    return replace(request, intent=Intent.RIGHTS, off_topic=None, date=date)


def _calls(
    intent: Intent,
    flights: tuple[FlightMention, ...],
    request: Request,
    memory: Memory,
    tools: frozenset[str],
) -> Plan:
    """The tool calls that carry out ``intent``, or the question that must come first."""
    calls: list[tuple[str, dict[str, Any]]] = []
    if intent is Intent.HEALTH:
        calls = [(PROVIDER_HEALTH.name, {"provider": request.provider} if request.provider else {})]
    elif intent is Intent.ALTERNATIVES:
        return _alternatives(flights, request, memory, tools)
    elif intent is Intent.CONNECTION:
        if len(flights) < 2 and len(memory.itinerary) >= 2 and not request.flights:
            flights = memory.itinerary
        if len(flights) < 2:
            return Plan(reply=ASK_CONNECTION)
        onward = flights[1].args()
        inbound_route = memory.routes.get(flights[0].flight_number)
        hub = (
            request.hub
            or flights[0].destination
            or (inbound_route.destination if inbound_route else None)
        )
        inbound = flights[0].args()
        if "origin" in onward and onward["origin"] == inbound.get("origin"):
            del onward["origin"]  # the onward flight leaves from where the inbound lands
        if hub and "origin" not in onward:
            onward["origin"] = hub
        calls = [(CHECK_CONNECTION.name, {"inbound": inbound, "onward": onward})]
    elif not flights:
        return Plan(reply=ASK_FLIGHT)
    elif intent is Intent.RIGHTS:
        args: dict[str, Any] = {"flights": [f.args() for f in flights]}
        cause = request.cause if request.cause != "unknown" else reported_cause(flights, memory)
        if cause != "unknown":
            args["cause"] = cause
        if request.notice_days is not None:
            args["cancellation_notice_days"] = request.notice_days
        if request.refunded:
            args["ticket_refunded"] = True
        if request.final_arrival is not None:
            args["final_arrival"] = request.final_arrival
        calls = [(PASSENGER_RIGHTS.name, args)]
    elif intent is Intent.DISRUPTION:
        calls = [(ASSESS_DISRUPTION.name, f.args()) for f in flights]
    elif len(flights) > 1 and BATCH_STATUS.name in tools:
        calls = [(BATCH_STATUS.name, {"flights": [f.args() for f in flights]})]
    else:
        calls = [(GET_FLIGHT_STATUS.name, f.args()) for f in flights]
    return _bound(calls, tools)


def _alternatives(
    flights: tuple[FlightMention, ...], request: Request, memory: Memory, tools: frozenset[str]
) -> Plan:
    """``find_alternative_flights`` on the route asked for, else the last search's when the
    turn refines it ('anything later? after 6pm'), else the last flight's route (or at least
    the airport it leaves from)."""
    refining = memory.intent is Intent.ALTERNATIVES and not request.flights
    route = memory.routes.get(flights[-1].flight_number) if flights and not refining else None
    unclear = _unclear(request.unclear_places)
    if unclear is not None:
        return Plan(reply=unclear)
    hub = request.hub if request.hub != request.destination else None
    search = memory.search if refining or not flights else {}
    leaves = flights[-1].origin if flights and not refining else None
    origin = request.origin or hub or (route.origin if route else search.get("origin", leaves))
    booked = route.destination if route else search.get("destination")
    destination = request.destination or booked
    metro = request.metro
    if metro is not None and destination == metro.code and booked in metro.choices:
        destination = booked  # 'options to Tokyo' after a trip to NRT: Narita, as booked
    if origin is None and destination is not None:
        return Plan(reply=ASK_ORIGIN.format(destination=destination))
    if origin is not None and destination is None:
        return Plan(reply=ASK_DESTINATION.format(origin=origin))
    if origin is None or destination is None:
        return Plan(reply=ASK_ROUTE)
    args: dict[str, Any] = {"origin": origin, "destination": destination}
    date = request.date or (route.date or flights[-1].date if route else search.get("date"))
    if date is not None:
        args["date"] = date
    earliest, latest = request.window
    if earliest is not None:
        args["earliest"] = earliest
    if latest is not None:
        args["latest"] = latest
    if request.max_results is not None:
        args["max_results"] = request.max_results
    move = _bound([(FIND_ALTERNATIVE_FLIGHTS.name, args)], tools)
    if move.tool_calls and metro is not None and metro.code in (origin, destination):
        others = ", ".join(code for code in metro.choices if code != metro.code)
        note = (
            f"{metro.name.title()} has several airports: searching {metro.code}, its main one "
            f"(ask for {others} by name or code)."
        )
        return replace(move, reply=note)
    return move


def _unclear(places: tuple[Place, ...]) -> str | None:
    """A question naming the airports a name may mean, when it matters which."""
    if not places:
        return None
    place = places[0]
    options = [_described(code) for code in place.choices[:4]]
    listed = ", ".join(options[:-1]) + f" or {options[-1]}"
    return f"Which airport do you mean by '{place.name.title()}': {listed}?"


def _described(code: str) -> str:
    airport = find_airport(code)
    if airport is None:
        return code
    return f"{code} ({airport.name}, {airport.country})"


def _bound(calls: list[tuple[str, dict[str, Any]]], tools: frozenset[str]) -> Plan:
    """The calls when every tool they need is bound; else say it cannot be done here."""
    missing = sorted({name for name, _ in calls} - tools)
    if missing:
        return Plan(
            reply=f"I can't look that up here: the {', '.join(missing)} tool is not available "
            f"to me in this conversation. {CAPABILITIES}"
        )
    return Plan(tool_calls=tuple(calls))
