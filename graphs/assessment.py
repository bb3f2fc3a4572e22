"""The deterministic half of the IROPS graph: from leg statuses to verdicts and actions.

No model is involved: the rules engine finds disruptions, connection risks and passenger
rights; a cancelled leg or a connection at risk earns a rebooking recommendation naming the
first alternative ``find_alternative_flights`` offers (the others stay on it as ``options`` a
human may choose instead), and any disruption earns a notification.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from langchain_core.messages import AIMessage, AnyMessage, ToolMessage

from flight_agent.irops import (
    ConnectionAssessment,
    ConnectionRisk,
    FlightDisruption,
    RightsResult,
    Severity,
    assess_trip,
)
from flight_agent.models import FlightStatus, FlightStatusData, ScheduledFlight
from graphs.report import LegReport, Recommendation
from tools.payloads import AlternativesResult, BatchItem

ToolCaller = Callable[[dict[str, Any], str], tuple[AIMessage, ToolMessage]]
"""Calls a tool with (args, call id) and returns the request and the tool's answer."""

NOTIFY_FROM = (Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL)
"""Disruptions worth telling the traveller about."""

REBOOK_RISKS = (ConnectionRisk.MISSED, ConnectionRisk.AT_RISK)


@dataclass
class Assessment:
    """What ``assess`` found, ready for the graph state."""

    legs: list[LegReport]
    disruptions: list[FlightDisruption]
    connections: list[ConnectionAssessment]
    rights: list[RightsResult]
    recommendations: list[Recommendation]
    briefing: str
    messages: list[AnyMessage] = field(default_factory=list)


def assess(
    items: list[BatchItem], now: dt.datetime, *, find_alternatives: ToolCaller
) -> Assessment:
    """Judge an itinerary from its legs' batch answers (in travel order)."""
    records = [item.flight for item in items if item.flight is not None]
    complete = len(records) == len(items)
    legs = [
        LegReport.from_record(item.flight, now)
        if item.flight is not None
        else LegReport(
            flight_number=item.query.flight_number if item.query else f"leg {item.index + 1}",
            error=item.error,
        )
        for item in items
    ]
    trip = assess_trip(records, now=now, complete=complete)
    disruptions, connections, rights = (
        list(trip.disruptions),
        list(trip.connections),
        list(trip.rights),
    )
    found = Assessment(legs, disruptions, connections, rights, [], "")
    found.recommendations = _recommend(records, found, find_alternatives)
    if found.rights and any(r.alternative for r in found.recommendations):
        found.rights = journey_rights(items, now, found.recommendations)
    found.briefing = _briefing(found)
    return found


def journey_rights(
    items: list[BatchItem], now: dt.datetime, recommendations: list[Recommendation]
) -> list[RightsResult]:
    """The rights for the journey the traveller will fly: to the arrival of the first rebooking
    not rejected (the proposed one, or the one a human chose instead)."""
    records = [item.flight for item in items if item.flight is not None]
    rebooked = next(
        (r.alternative for r in recommendations if r.alternative and r.approved is not False),
        None,
    )
    trip = assess_trip(
        records,
        now=now,
        complete=len(records) == len(items),
        rebooked_arrival=rebooked.scheduled_in if rebooked else None,
    )
    return list(trip.rights)


def _recommend(
    records: list[FlightStatusData], found: Assessment, find_alternatives: ToolCaller
) -> list[Recommendation]:
    actions: list[Recommendation] = []
    for target, after in _to_rebook(records, found.connections):
        options = _alternatives(target, after, find_alternatives, found, len(actions))
        route = f"{target.origin.code}-{target.destination.code}"
        rebooking = Recommendation(
            id=f"rebook-{len(actions) + 1}",
            action="rebook",
            description=f"Rebook {target.flight_id} ({route}): no alternative found that day, "
            "ask the airline",
            flight=target.flight_id,
            options=options,
        )
        actions.append(rebooking.rebooked_onto(options[0]) if options else rebooking)
    serious = [d for d in found.disruptions if d.disruption.severity in NOTIFY_FROM]
    if serious or actions:
        what = "; ".join(d.disruption.explanation.rstrip(".") for d in serious[:3])
        notification = Recommendation(
            id="notify-1", action="notify_traveller", description="Notify the traveller"
        )
        actions.insert(0, notification.notifying(what or "the connection is at risk"))
    return actions


def _to_rebook(
    records: list[FlightStatusData], connections: list[ConnectionAssessment]
) -> list[tuple[FlightStatusData, dt.datetime | None]]:
    """Legs needing a new flight, with the earliest time a replacement may leave."""
    targets: list[tuple[FlightStatusData, dt.datetime | None]] = [
        (record, record.scheduled_out)
        for record in records
        if record.status is FlightStatus.CANCELLED
    ]
    for check, onward in zip(connections, records[1:], strict=False):
        if check.risk in REBOOK_RISKS and onward.status is not FlightStatus.CANCELLED:
            earliest = check.inbound_arrival
            if earliest is not None and check.mct_minutes is not None:
                earliest += dt.timedelta(minutes=check.mct_minutes)
            targets.append((onward, earliest))
    return targets


def _alternatives(
    target: FlightStatusData,
    after: dt.datetime | None,
    find_alternatives: ToolCaller,
    found: Assessment,
    index: int,
) -> list[ScheduledFlight]:
    """The flights the tool offers in place of ``target``, earliest first (none on an error)."""
    local = target.departure_local(after) if after is not None else None
    args: dict[str, Any] = {
        "origin": target.origin.code,
        "destination": target.destination.code,
        "date": (local.date() if local else target.flight_date).isoformat(),
        "earliest": f"{local:%H:%M}" if local else "00:00",
        "max_results": 5,
    }
    request, answer = find_alternatives(args, f"alternatives-{index + 1}")
    found.messages += [request, answer]
    result = answer.artifact
    if not isinstance(result, AlternativesResult):
        return []
    return [f for f in result.flights if f.ident != target.flight_id]


def _briefing(found: Assessment) -> str:
    """The facts for the model, one line each."""
    lines = ["Assessment of the itinerary (rules engine):"]
    for leg in found.legs:
        if leg.error:
            lines.append(f"- {leg.flight_number}: no data ({leg.error})")
            continue
        stale = ", STALE" if leg.stale else ""
        failover = f", after {leg.failover}" if leg.failover else ""
        lines.append(
            f"- {leg.flight_number} {leg.route} {leg.date}: {leg.status}, departure delay "
            f"{leg.departure_delay_minutes} min, source {leg.source}{failover}{stale}"
        )
    lines += [f"- disruption: {d.disruption.explanation}" for d in found.disruptions]
    lines += [f"- connection: {c.explanation}" for c in found.connections]
    lines += [f"- rights: {r.summary}" for r in found.rights]
    lines += [f"- proposed: {r.description}" for r in found.recommendations]
    return "\n".join(lines)
