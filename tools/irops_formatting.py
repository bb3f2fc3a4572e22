"""Compact texts for the IROPS tools: the verdict first, then the facts it rests on."""

from __future__ import annotations

from flight_agent.irops import PROVISIONAL_CAVEAT
from flight_agent.models import local_clock
from tools.formatting import clock_time, flight_line
from tools.payloads import AlternativesResult, ConnectionResult, DisruptionReport, RightsReport


def connection_summary(result: ConnectionResult) -> str:
    """Risk, slack against the MCT, and both flights."""
    check = result.assessment
    return "\n".join(
        [
            f"{check.risk.value.upper().replace('_', ' ')}: {check.explanation}",
            "Inbound: " + flight_line(result.inbound),
            "Onward: " + flight_line(result.onward),
        ]
    )


def disruption_summary(report: DisruptionReport) -> str:
    """The flight, each disruption's explanation, the inbound prediction and programmes."""
    lines = [flight_line(report.flight) + "."]
    if report.disruptions:
        lines += [f"- {d.severity.value}: {d.explanation}" for d in report.disruptions]
    else:
        lines.append("No disruption in the data.")
    if report.inbound is not None:
        lines.append("Inbound aircraft: " + report.inbound.explanation)
    lines += [f"Airport programme: {effect.programme.kind.value}" for effect in report.programmes]
    if report.stale:
        lines.append("STALE copy: every provider is failing.")
    return "\n".join(lines)


def rights_summary(report: RightsReport) -> str:
    """The journey (and where a diversion took it), one line per regime, whether the verdicts
    wait for a cancellation to be confirmed, then the care owed under those that apply."""
    facts = report.facts
    lines = [f"Journey {facts.origin.code}->{facts.destination.code}:"]
    if facts.diverted:
        unknown, where = "not yet known", facts.diverted_to
        landed = (
            f" to {where.code}: at the gate there "
            f"{local_clock(facts.diversion_in, where, unknown=unknown)};"
            if where is not None
            else " (the data does not say where);"
        )
        lines.append(
            f"Diverted{landed} at {facts.destination.code}, the booked destination, "
            f"{local_clock(facts.actual_in, facts.destination, unknown=unknown)}."
        )
    lines += [f"- {result.summary}" for result in report.results]
    if any(result.provisional for result in report.results):
        lines.append(PROVISIONAL_CAVEAT)
    care = {item for result in report.results if result.amount is not None for item in result.care}
    if care:
        lines.append("Care: " + "; ".join(sorted(care)))
    caveats = {caveat for result in report.results for caveat in result.caveats}
    caveats.discard(PROVISIONAL_CAVEAT)
    if caveats:
        lines.append("Caveat: " + sorted(caveats)[0])
    return "\n".join(lines)


def alternatives_summary(result: AlternativesResult) -> str:
    """One line per scheduled flight, local departure and arrival times."""
    head = (
        f"{len(result.flights)} flights {result.origin}->{result.destination} on "
        f"{result.date.isoformat()} departing {result.window}"
    )
    lines = [head + (":" if result.flights else ".")]
    lines += [
        f"- {f.ident}: dep {clock_time(f.scheduled_out, f.origin, result.date)}, "
        f"arr {clock_time(f.scheduled_in, f.destination, result.date)}"
        for f in result.flights
    ]
    return "\n".join(lines)
