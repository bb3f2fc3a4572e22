"""Grounding the model's explanation in the rules engine's facts.

The IROPS report keeps the model's explanation only when every figure it states is one the
engine or a tool the model consulted established. ``collect_facts`` gathers those facts,
``check_explanation`` lists the claims they do not support, and ``engine_summary`` is the
engine's own explanation, used instead when the model's fails.

Checked claims: amounts with a currency (``EUR 600``, ``€600``, ``600 EUR``, ``£520.00``; a bare
``$`` is USD), upper-case flight numbers of a known airline (``BA117``, ``BAW117``, ``BA 117``)
or of two upper-case letters and three or four digits (``XX999``), upper-case airport codes
(IATA, or ICAO read as IATA) and clock readings (``14:30``, ``2:30 pm``, ``9pm``). Not
checked: numbers without a currency, durations and delays (``3 h 30``, ``3:30 hours late``,
``delayed by 3:30``, ``210 min``), dates, regime names (``UK261``), gates, terminals and
aircraft types.

Facts are every such token in the engine's report (not the explanation), the legs' records,
the answers of the tools the model consulted (not their errors) and the engine's other texts,
plus the rights' amounts and every flight time on the wall clock of each of its airports and
in UTC.

Precision matters more than recall: a false mismatch throws away a faithful explanation. So
whatever may be ordinary text (lower-case words, ``by 3``, time zones, currency and airline
codes) is not read as a claim, and every token the engine's own texts contain counts as a
fact, read with the same extractors as the explanation.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from flight_agent.airlines import find_airline
from flight_agent.airports import Airport, find_airport
from flight_agent.errors import InvalidFlightQueryError
from flight_agent.flight_query import FlightDesignator
from flight_agent.irops import Applicability, Regime, RightsResult
from flight_agent.models import FlightStatusData, ScheduledFlight, local_clock
from graphs.report import Evidence, IropsReport

CURRENCY_SIGNS = {"US$": "USD", "CA$": "CAD", "C$": "CAD", "€": "EUR", "£": "GBP", "$": "USD"}

NOT_AIRPORTS = frozenset(
    word
    for words in (
        "EUR GBP USD CAD CHF",
        "UTC GMT BST IST CET CEST EET EEST WET WEST EST EDT CST CDT MST MDT PST PDT HST AKST AKDT",
        "JST KST HKT SGT AEST AEDT NZST NZDT MSK",
        "DOT APPR IATA ICAO FAA CAA ATC ETA ETD STD STA MCT PNR API SMS MIN MAX",
        "AND THE YOU FOR NOT ARE BUT ALL CAN HAS NEW OUT OFF YES ANY OUR MAY DAY WAY GET WHO SEE",
        "LOW USA KIND FLY TSA TBC ESTA VISA",
    )
    for word in words.split()
)
"""Currencies, time zones, abbreviations and shouted words that are airport codes too."""

REGIME_NAMES = frozenset(regime.value.replace(" ", "") for regime in Regime)
"""``EU261``, ``UK261``: shaped like flight numbers (UK is Vistara's code)."""

CAVEAT = "Compensation figures are estimates under the rules stated, not legal advice."

_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_AMOUNT = re.compile(
    rf"(?:(?P<sign>US\$|CA\$|C\$|[€£$]|\b(?:EUR|GBP|USD|CAD))\s?(?P<number>{_NUMBER})"
    rf"|(?<![\d.,])(?P<amount>{_NUMBER})\s?(?P<code>EUR|GBP|USD|CAD|€|£))(?![A-Za-z\d])"
)
_FLIGHT = re.compile(
    r"(?<![\w$])(?P<code>[A-Za-z]{3}|[A-Za-z][A-Za-z\d]|\d[A-Za-z])(?P<gap> ?)"
    r"(?P<number>\d{1,4})(?P<suffix>[A-Z]?)(?!\w|[:.,]\d)"
)
_AIRPORT = re.compile(r"(?<![A-Za-z\d])(?:[A-Z]{3}|[A-Z]{4})(?![A-Za-z\d])")
_CLOCK = re.compile(
    r"(?<![\d:.-])(?P<hour>[01]?\d|2[0-3])(?::(?P<minute>[0-5]\d)(?::\d\d)?)?(?![\d:])"
    r"(?:\s?(?P<half>[aApP])(?:\.[mM]\.|[mM])(?![A-Za-z]))?"
)
_DURATION_AFTER = re.compile(r"\s*(?:h|hrs?|hours?|mins?|minutes?|late|delay)\b", re.I)
_DURATION_BEFORE = re.compile(r"\b(?:by|of|for|delayed)\s+$", re.I)


@dataclass(frozen=True)
class Facts:
    """What the engine and the consulted tools established, normalised."""

    flight_numbers: frozenset[str]
    airports: frozenset[str]
    amounts: frozenset[tuple[str, Decimal]]
    times: frozenset[str]


def _amount(match: re.Match[str], text: str) -> tuple[str, Decimal]:
    sign = match["sign"] or match["code"]
    value = Decimal((match["number"] or match["amount"]).replace(",", ""))
    return CURRENCY_SIGNS.get(sign, sign), value


def _flight_number(match: re.Match[str], text: str) -> str | None:
    """The IATA form of the flight number a match states; None when it is something else."""
    code, gap, number = match["code"], match["gap"], match["number"]
    if not code.isupper() or f"{code}{number}".upper() in REGIME_NAMES:
        return None  # "by 3", "ba117" (with every airline known, lower case is prose), "UK261"
    if find_airline(code) is not None:
        # A letter-digit code needs 3+ digits: "A320" is an aircraft, "B62" a gate.
        shortest = 1 if code.isalpha() else 3
    elif len(code) == 2 and code.isalpha() and code.isupper() and not gap:
        shortest = 3  # an airline the table does not know: only the unmistakable "XX999"
    else:
        return None
    if len(number) < shortest:
        return None
    try:
        return FlightDesignator.parse(match[0]).flight_id
    except InvalidFlightQueryError:
        return None  # flight number 0


def _airport(match: re.Match[str], text: str) -> str | None:
    """The IATA code of an airport code; None for other words and airline codes ("BAW")."""
    if match[0] in NOT_AIRPORTS or find_airline(match[0]) is not None:
        return None
    airport = find_airport(match[0])
    return airport.code if airport else None


def _clock(match: re.Match[str], text: str) -> str | None:
    """The 24-hour "HH:MM" a match reads; None for a duration or a bare number."""
    hour, minute, half = int(match["hour"]), match["minute"], match["half"]
    if minute is None and half is None:
        return None
    if _DURATION_AFTER.match(text, match.end()) or _DURATION_BEFORE.search(text, 0, match.start()):
        return None
    if half is not None and 1 <= hour <= 12:
        hour = hour % 12 + (12 if half in "pP" else 0)
    return f"{hour:02d}:{minute or '00'}"


@dataclass(frozen=True)
class _Kind:
    """A kind of claim: how it is written, how to read its value, what a mismatch says."""

    pattern: re.Pattern[str]
    read: Callable[[re.Match[str], str], Any]
    missing: str

    def claims(self, text: str) -> Iterator[tuple[str, Any]]:
        """Each claim in ``text``: as written, and its normalised value."""
        for match in self.pattern.finditer(text):
            value = self.read(match, text)
            if value is not None:
                yield match[0].strip(), value

    def values(self, texts: Iterable[str]) -> frozenset[Any]:
        return frozenset(value for text in texts for _, value in self.claims(text))


_KINDS = {
    "amounts": _Kind(_AMOUNT, _amount, "no such amount in the engine's rights or the tool results"),
    "flight_numbers": _Kind(
        _FLIGHT,
        _flight_number,
        "not a flight in the itinerary, the alternatives or the tool results",
    ),
    "airports": _Kind(
        _AIRPORT, _airport, "not an airport of the trip, the alternatives or the tool results"
    ),
    "times": _Kind(_CLOCK, _clock, "no such time in the flight data, local or UTC"),
}


def collect_facts(
    report: IropsReport,
    records: Sequence[FlightStatusData],
    evidence: Sequence[Evidence],
    texts: Sequence[str] = (),
) -> Facts:
    """Every flight number, airport, amount and time the engine and the tools established.

    Args:
        report: The engine's report; its explanation and evidence fields are not read.
        records: Each leg's record.
        evidence: The tool results the model consulted; an error establishes nothing.
        texts: The engine's other texts: the briefing, the fetch and alternatives answers.
    """
    # Not facts: what the model wrote, and what a human wrote when deciding.
    not_engine: dict[str, Any] = dict.fromkeys(
        ("explanation", "explanation_source", "explanation_mismatches", "evidence"), True
    )
    not_engine["recommendations"] = {"__all__": {"message", "decision_note"}}
    said = [
        *_strings(report.model_dump(mode="json", exclude=not_engine)),
        *(result.summary for result in report.rights),
        *(text for record in records for text in _strings(record.model_dump(mode="json"))),
        *(item.result for item in evidence if not item.error),
        *texts,
    ]
    found = {name: kind.values(said) for name, kind in _KINDS.items()}
    found["amounts"] |= _rights_amounts(report.rights)
    found["times"] |= _clock_readings(report, records)
    return Facts(**found)


def _strings(dumped: object) -> Iterator[str]:
    """Every text of a JSON-mode dump: designators, codes, verdicts, times in UTC."""
    if isinstance(dumped, str):
        yield dumped
    elif isinstance(dumped, dict | list):
        for item in dumped.values() if isinstance(dumped, dict) else dumped:
            yield from _strings(item)


def _rights_amounts(rights: Iterable[RightsResult]) -> frozenset[tuple[str, Decimal]]:
    return frozenset(
        (result.currency, Decimal(amount))
        for result in rights
        for amount in (result.amount, result.reduced_amount)
        if amount is not None
    )


def _clock_readings(report: IropsReport, records: Sequence[FlightStatusData]) -> frozenset[str]:
    """Every flight time on the wall clock of each airport of its flight, and in UTC."""
    moments: list[tuple[datetime, list[Airport]]] = []
    for record in records:
        places = [record.origin, record.destination, *filter(None, [record.diverted_to])]
        moments += [(value, places) for _, value in record if isinstance(value, datetime)]
    for item in report.recommendations:
        for flight in (item.alternative, *getattr(item, "options", ())):
            if isinstance(flight, ScheduledFlight):
                places = [flight.origin, flight.destination]
                moments += [(flight.scheduled_out, places), (flight.scheduled_in, places)]
    # Rendered as the tools show times: "20:00 EDT (00:00Z)".
    shown = [local_clock(at, place) for at, places in moments for place in places]
    return _KINDS["times"].values(shown)


def check_explanation(text: str, facts: Facts) -> list[str]:
    """One line per claim in ``text`` the facts do not support, e.g. "EUR 9999: no such
    amount in the engine's rights or the tool results (it found GBP 260, GBP 520)"."""
    lines: dict[str, None] = {}
    for name, kind in _KINDS.items():
        known = getattr(facts, name)
        for written, value in kind.claims(text):
            if value not in known:
                found = f" (it found {_amounts_found(facts)})" if name == "amounts" else ""
                lines[f"{written}: {kind.missing}{found}"] = None
    return list(lines)


def _amounts_found(facts: Facts) -> str:
    owed = sorted((currency, value) for currency, value in facts.amounts if value)
    return ", ".join(f"{currency} {value.normalize():f}" for currency, value in owed) or "none"


def engine_summary(report: IropsReport) -> str:
    """The engine's own explanation for the traveller, in a few plain sentences.

    What happened on each disrupted leg, the connection verdicts, what each regime that applies
    (or may) owes, the actions and their decisions, and the caveat that compensation figures
    are estimates. Every figure comes from the report, so it passes ``check_explanation``.
    """
    sentences = [
        *_what_happened(report),
        *(check.explanation for check in report.connections),
        *_owed(report.rights),
        *_actions(report),
        CAVEAT,
    ]
    return " ".join(s if s.endswith(".") else f"{s}." for s in sentences)


def _what_happened(report: IropsReport) -> Iterator[str]:
    """Each disrupted leg: its disruptions, or why there is no data."""
    found: dict[str, list[str]] = {}
    for item in report.disruptions:
        found.setdefault(item.flight_number, []).append(item.disruption.explanation.rstrip("."))
    yield from (f"{flight}: " + "; ".join(texts) for flight, texts in found.items())
    yield from (f"{leg.flight_number}: no data ({leg.error})" for leg in report.legs if leg.error)
    if not report.disrupted:
        yield "No disruption was found on " + " or ".join(leg.flight_number for leg in report.legs)


def _owed(rights: Sequence[RightsResult]) -> Iterator[str]:
    """What each regime that applies, or may apply, gives the traveller."""
    for result in rights:
        money = f"{result.currency} {result.amount}"
        if result.applicability is Applicability.UNKNOWN:
            yield f"Whether {result.regime} applies is not yet known ({result.reasons[0]})"
        elif result.applicability is not Applicability.APPLIES:
            continue
        elif not result.amount:
            owed = "amount not yet known" if result.amount is None else "no compensation owed"
            yield f"Under {result.regime}: {owed} ({result.reasons[-1]})"
        elif result.reduced_amount is None:
            yield f"Under {result.regime} you are owed {money}"
        else:
            reduced = f"the carrier may reduce it to {result.currency} {result.reduced_amount}"
            yield f"Under {result.regime} you are owed {money} ({reduced})"


def _actions(report: IropsReport) -> Iterator[str]:
    """The proposed actions and what the human decided."""
    verdicts = {True: "approved", False: "not approved", None: "awaiting approval"}
    actions = []
    for item in report.recommendations:
        what = "notify the traveller" if item.action == "notify_traveller" else item.description
        actions.append(f"{what[:1].lower()}{what[1:]} ({verdicts[item.approved]})")
    if actions:
        yield "Actions: " + "; ".join(actions)
