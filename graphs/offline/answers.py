"""The offline model's answers: short, factual summaries of tool results.

Facts come from each tool's typed payload (the ToolMessage's artifact). A result without one
(a tool of someone else's, or a conversation replayed from text) is quoted from its content,
leaving out passages that address the assistant: tool output is data, never instructions.
Tool errors are explained with what the traveller can do next. ``explain_briefing`` turns the
IROPS graph's rules-engine briefing into an explanation for the traveller.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime

from langchain_core.messages import ToolMessage

from flight_agent.airports import Airport
from flight_agent.irops import ConnectionRisk
from flight_agent.irops.formatting import delay_text
from flight_agent.models import FlightStatus, FlightStatusData
from graphs.offline.scope import strip_instructions
from tools.errors import HINTS
from tools.formatting import clock_time, flight_line
from tools.payloads import (
    AlternativesResult,
    BatchStatusResult,
    ConnectionResult,
    DisruptionReport,
    FlightStatusResult,
    ProviderHealthResult,
    RightsReport,
)

NOT_LEGAL_ADVICE = "This is an estimate under the published rules, not legal advice."
BRIEFING_HEADER = "Assessment of the itinerary"
"""How the IROPS graph's briefing for the model begins (``graphs.assessment``)."""
MAX_QUOTED_LINES = 12
MAX_ERROR_CHARS = 300

STATUS_WORDS = {
    FlightStatus.SCHEDULED: "is scheduled",
    FlightStatus.BOARDING: "is boarding",
    FlightStatus.DEPARTED: "has left the gate",
    FlightStatus.EN_ROUTE: "is in the air",
    FlightStatus.LANDED: "has landed",
    FlightStatus.ARRIVED: "has arrived at the gate",
    FlightStatus.CANCELLED: "is CANCELLED",
    FlightStatus.DIVERTED: "was DIVERTED",
    FlightStatus.UNKNOWN: "has no known status",
}
STATE_WORDS = {"closed": "up", "open": "down (skipped)", "half_open": "recovering"}
VERDICTS = {
    ConnectionRisk.OK: "You should make this connection.",
    ConnectionRisk.TIGHT: "This connection is tight.",
    ConnectionRisk.AT_RISK: "This connection is at risk.",
    ConnectionRisk.MISSED: "You will miss this connection as things stand.",
    ConnectionRisk.UNKNOWN: "I can't tell yet whether you will make this connection.",
}
ERROR_ADVICE = {
    "invalid_query": "Could you check the flight number, airport codes and date?",
    "not_found": "Could you double-check the flight number and the date?",
    "date_out_of_range": "Please pick a date inside that range.",
    "providers_down": "Live data is unavailable right now; please try again in a minute.",
}


def answer(results: Sequence[ToolMessage]) -> str:
    """One paragraph per tool result, in the order the calls were made."""
    return "\n\n".join(_one(message) for message in results)


def _one(message: ToolMessage) -> str:
    if message.status == "error":
        return _error(message.text)
    result = message.artifact
    if isinstance(result, FlightStatusResult):
        return _status(result)
    if isinstance(result, BatchStatusResult):
        return _batch(result)
    if isinstance(result, ProviderHealthResult):
        return _health(result)
    if isinstance(result, ConnectionResult):
        return _connection(result)
    if isinstance(result, DisruptionReport):
        return _disruption(result)
    if isinstance(result, RightsReport):
        return _rights(result)
    if isinstance(result, AlternativesResult):
        return _alternatives(result)
    return _quoted(message)


def _end(
    label: str,
    airport: Airport,
    times: tuple[datetime | None, datetime | None, datetime | None],
    place: tuple[str | None, str | None],
    day: date,
) -> str:
    scheduled, actual, best = times
    text = f"{label} {airport.code}: scheduled {clock_time(scheduled, airport, day)}"
    if best is not None and best != scheduled:
        text += f", {'actual' if actual else 'expected'} {clock_time(best, airport, day)}"
    terminal, gate = place
    text += f", terminal {terminal}" if terminal else ""
    text += f", gate {gate}" if gate else ""
    return text + "."


def _age(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    return f"{seconds / 60:.0f} min" if seconds < 5400 else f"{seconds / 3600:.1f} h"


def _source(flight: FlightStatusData, age_seconds: float, stale: bool) -> str:
    text = f"Source: {flight.source}, data {_age(age_seconds)} old."
    if stale:
        text += " STALE: every provider is failing, so this is the last known copy."
    return text


def _headline(flight: FlightStatusData) -> str:
    diverted = f" to {flight.diverted_to.code}" if flight.diverted_to else ""
    return (
        f"{flight.flight_id} {flight.origin.code}->{flight.destination.code} on "
        f"{flight.flight_date:%a %d %b %Y} {STATUS_WORDS[flight.status]}{diverted}: departure "
        f"{delay_text(flight.departure_delay_minutes)}, arrival "
        f"{delay_text(flight.arrival_delay_minutes)}."
    )


def _status(result: FlightStatusResult) -> str:
    flight = result.flight
    day = flight.flight_date
    lines = [
        _headline(flight),
        _end(
            "Departure",
            flight.origin,
            (flight.scheduled_out, flight.actual_out, flight.best_departure),
            (flight.terminal_origin, flight.gate_origin),
            day,
        ),
        _end(
            "Arrival",
            flight.destination,
            (flight.scheduled_in, flight.actual_in, flight.best_arrival),
            (flight.terminal_destination, flight.gate_destination),
            day,
        ),
    ]
    if flight.cancellation_uncertain:
        lines.append("The provider has not yet confirmed the cancellation.")
    lines.append(_source(flight, result.data_age_seconds, result.stale))
    return "\n".join(lines)


def _batch(result: BatchStatusResult) -> str:
    lines = [f"{result.found} of {len(result.items)} flights found:"]
    for item in result.items:
        if item.flight is not None:
            stale = " STALE copy." if item.flight.stale else ""
            lines.append(f"- {flight_line(item.flight)} (source {item.flight.source}).{stale}")
        else:
            name = item.query.flight_number if item.query else f"flight {item.index + 1}"
            lines.append(f"- {name}: no answer ({item.error_kind}: {item.error})")
    return "\n".join(lines)


def _health(result: ProviderHealthResult) -> str:
    up = [entry.name for entry in result.providers if entry.state == "closed" and entry.enabled]
    lines = [f"{len(up)} of {len(result.providers)} providers are up."]
    for entry in result.providers:
        rate = f"{entry.success_rate:.0%}" if entry.success_rate is not None else "n/a"
        p95 = f"{entry.latency_p95_ms:.0f} ms" if entry.latency_p95_ms is not None else "n/a"
        line = f"- {entry.name}: {STATE_WORDS.get(entry.state, entry.state)}"
        line += "" if entry.enabled else " (disabled)"
        line += f", {rate} success over {entry.requests} requests, p95 latency {p95}"
        if entry.last_error:
            line += f"; last error: {strip_instructions(entry.last_error)[0].strip()[:120]}"
        lines.append(line + ".")
    return "\n".join(lines)


def _connection(result: ConnectionResult) -> str:
    check = result.assessment
    return "\n".join(
        [
            VERDICTS[check.risk],
            check.explanation,
            f"Inbound: {flight_line(result.inbound)}.",
            f"Onward: {flight_line(result.onward)}.",
        ]
    )


def _disruption(report: DisruptionReport) -> str:
    lines = [_headline(report.flight)]
    lines += [f"- {d.severity.value}: {d.explanation}" for d in report.disruptions]
    if not report.disruptions:
        lines.append("No disruption shows in the data.")
    if report.inbound is not None:
        lines.append(f"Inbound aircraft: {report.inbound.explanation}")
    lines += [f"Airport programme: {effect.explanation}" for effect in report.programmes]
    lines.append(_source(report.flight, report.data_age_seconds, report.stale))
    return "\n".join(lines)


def _rights(report: RightsReport) -> str:
    facts = report.facts
    lines = [f"Your journey {facts.origin.code}->{facts.destination.code}:"]
    lines += [f"- {result.summary}" for result in report.results]
    owed = [result for result in report.results if result.amount]
    care = sorted({item for result in owed for item in result.care})
    if care:
        lines.append("Care owed: " + "; ".join(care) + ".")
    caveats = sorted({caveat for result in report.results for caveat in result.caveats})
    if caveats:
        lines.append("Caveat: " + caveats[0])
    lines.append(NOT_LEGAL_ADVICE)
    return "\n".join(lines)


def _alternatives(result: AlternativesResult) -> str:
    route = f"{result.origin}->{result.destination} on {result.date:%a %d %b %Y}"
    if not result.flights:
        return (
            f"No scheduled flights {route} departing {result.window}. "
            "Try another date or a wider time window."
        )
    count = f"{len(result.flights)} flight{'s' if len(result.flights) > 1 else ''}"
    lines = [f"{count} {route} departing {result.window}:"]
    lines += [
        f"- {f.ident}: departs {clock_time(f.scheduled_out, f.origin, result.date)}, arrives "
        f"{clock_time(f.scheduled_in, f.destination, result.date)}"
        for f in result.flights
    ]
    return "\n".join(lines)


def _error(text: str) -> str:
    kind, _, detail = text.partition(":")
    if kind not in ERROR_ADVICE:
        # ToolNode's own errors (bad arguments, unknown tool) end with advice for the model.
        said = " ".join(text.replace("Please fix your mistakes.", "").split())
        return f"The lookup failed: {_facts(said)[0][:MAX_ERROR_CHARS]}"
    detail = _facts(detail.replace(HINTS[kind], ""))[0].rstrip(".")
    return f"I couldn't get that: {detail}. {ERROR_ADVICE[kind]}"


ADDRESSED = re.compile(
    r"\b(?:must|should|tell (?:the )?(?:them|him|her|user|passenger|traveller|customer)s?"
    r"|assistants?|important|note to|urgent|attention|click|visit|contact|rebook at)\b"
    r"|www\.|https?://|\+[0-9][0-9 ()-]{6,}[0-9]|\b(?:call|phone|ring|text) (?:us|them|\+?[0-9])"
    r"|\b[\w-]+\.(?:com|net|org|example|io|info)\b",
    re.I,
)
"""Sentences of a tool's text that address the reader instead of reporting data."""
SHOUTED = re.compile(r"\b[A-Z]{3,}\s+[A-Z]{3,}\s+[A-Z]{3,}\b")
"""Three words in capitals in a row: a tool's data never shouts."""
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def _facts(text: str) -> tuple[str, bool]:
    """``text`` without sentences that instruct or address the reader, and whether any were."""
    clean, found = strip_instructions(text)
    kept = []
    for sentence in _SENTENCE.split(clean):
        if ADDRESSED.search(sentence) or SHOUTED.search(sentence):
            found = True
        elif sentence.strip():
            kept.append(sentence.strip())
    return " ".join(kept), found


def _quoted(message: ToolMessage) -> str:
    kept = []
    left_out = False
    for line in message.text.splitlines():
        clean, found = _facts(line)
        left_out = left_out or found
        if clean:
            kept.append(clean)
    name = message.name or "the tool"
    lines = [f"Here is what {name} returned:", *kept[:MAX_QUOTED_LINES]]
    if left_out:
        lines.append("(I left out text in the result that tried to give me instructions.)")
    return "\n".join(lines)


def is_briefing(text: str) -> bool:
    """Whether a user turn is the IROPS graph's rules-engine briefing."""
    return text.startswith(BRIEFING_HEADER)


def explain_briefing(text: str) -> str:
    """The briefing's facts regrouped for the traveller: legs, problems, rights, actions."""
    sections: dict[str, list[str]] = {
        "": [],
        "disruption": [],
        "connection": [],
        "rights": [],
        "proposed": [],
    }
    for line in text.splitlines()[1:]:
        item = line.removeprefix("- ").strip()
        kind, _, rest = item.partition(": ")
        if kind in sections and kind:
            sections[kind].append(rest)
        elif item:
            sections[""].append(item)
    titles = {
        "": "Your flights:",
        "disruption": "What is going wrong:",
        "connection": "Connections:",
        "rights": "What you may be owed:",
        "proposed": "What I propose (each needs approval):",
    }
    lines: list[str] = []
    for kind, items in sections.items():
        if items:
            lines += [titles[kind], *(f"- {item}" for item in items)]
    if not lines:
        return "The assessment found nothing to report."
    if sections["rights"]:
        lines.append(NOT_LEGAL_ADVICE)
    return "\n".join(lines)
