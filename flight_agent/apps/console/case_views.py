"""The cases section: each case as a person deciding it needs it, awaiting ones first.

A case awaiting approval shows its trip, what happened (each disruption with its evidence), the
connection verdicts, what the traveller is owed per regime (legal basis, reduction, care) and
a form with its recommended actions: approve all, approve the ticked ones, or reject. A decided
case shows the decision and the report's explanation. Every case is an ``<article>`` carrying a
digest of its content, so the browser keeps a case that did not change (and the boxes ticked in
it) when the section is sent again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from typing import Any

from flight_agent.apps.console.board import Board, CaseView
from flight_agent.apps.console.markup import Markup, html, join, text
from flight_agent.irops import ConnectionAssessment, FlightDisruption, RightsResult


def clock(at: dt.datetime | None) -> str:
    """``14:05Z``, or a dash."""
    return f"{at.astimezone(dt.UTC):%H:%MZ}" if at is not None else "-"


def _bulleted(values: Sequence[Any], render: Callable[[Any], Markup], empty: str) -> Markup:
    if not values:
        return html('<p class="none">{empty}</p>', empty=empty)
    return html("<ul>{items}</ul>", items=join(html("<li>{i}</li>", i=render(v)) for v in values))


def _disruption(found: FlightDisruption) -> Markup:
    d = found.disruption
    evidence = join(
        html("<dt>{k}</dt><dd>{v}</dd>", k=key, v=value) for key, value in d.evidence.items()
    )
    return html(
        '<strong>{flight}</strong> {kind} <span class="severity severity-{severity}">{severity}'
        "</span>{provisional}: {explanation}"
        "<details><summary>Evidence</summary><dl>{evidence}</dl></details>",
        flight=found.flight_number,
        kind=d.kind.value.replace("_", " "),
        severity=d.severity.value,
        provisional=" (provisional)" if d.provisional else "",
        explanation=d.explanation,
        evidence=evidence,
    )


def _connection(c: ConnectionAssessment) -> Markup:
    return html(
        '<strong>{inbound} to {onward}</strong> at {airport}: <span class="risk risk-{level}">'
        "{risk}</span> (slack {slack} min, minimum {mct} min). {explanation}",
        inbound=c.inbound_flight,
        onward=c.onward_flight,
        airport=c.airport,
        level=c.risk.value,
        risk=c.risk.value.replace("_", " "),
        slack="-" if c.slack_minutes is None else c.slack_minutes,
        mct="-" if c.mct_minutes is None else c.mct_minutes,
        explanation=c.explanation,
    )


def _owed(r: RightsResult) -> str:
    if r.amount is None:
        return "unknown"
    return f"{r.amount} {r.currency}" if r.amount else "no compensation"


def _rights(rights: Sequence[RightsResult]) -> Markup:
    if not rights:
        return html('<p class="none">No regime judged yet.</p>')
    rows = join(
        html(
            "<tr><th scope='row'>{regime}</th><td data-label='Applies'>{applies}</td>"
            "<td data-label='Compensation'>{owed}</td><td data-label='Reduced to'>{reduced}</td>"
            "<td data-label='Legal basis'>{basis}</td><td data-label='Care and refund'>{care}</td>"
            "</tr>",
            regime=r.rules,
            applies=r.applicability.value.replace("_", " ")
            + (" (provisional)" if r.provisional else ""),
            owed=_owed(r),
            reduced="-" if r.reduced_amount is None else f"{r.reduced_amount} {r.currency}",
            basis="; ".join(r.legal_basis) or "-",
            care="; ".join((*r.care, *r.refund)) or "-",
        )
        for r in rights
    )
    return html(
        '<div class="scroll"><table class="rights stack"><caption>What the traveller is owed, per '
        "regime</caption><thead><tr><th scope='col'>Regime</th><th scope='col'>Applies</th>"
        "<th scope='col'>Compensation</th><th scope='col'>Reduced to</th>"
        "<th scope='col'>Legal basis</th><th scope='col'>Care and refund</th></tr></thead>"
        "<tbody>{rows}</tbody></table></div>",
        rows=rows,
    )


def _trip_line(view: CaseView) -> Markup:
    trip = view.trip
    if trip is None:
        return html('<p class="meta">Trip {id} (removed)</p>', id=view.case.trip_id)
    legs = ", ".join(f"{leg.flight_number} {leg.date}" for leg in trip.legs)
    return html(
        '<p class="meta">Trip {id}: {legs}; {pax} passenger{s}. Opened {opened}.</p>',
        id=trip.id,
        legs=legs,
        pax=trip.passengers,
        s="" if trip.passengers == 1 else "s",
        opened=clock(view.case.opened_at),
    )


def _decision_form(view: CaseView, csrf: str) -> Markup:
    case_id = view.case.id
    actions = join(
        html(
            '<li><label><input type="checkbox" name="approve" value="{value}" checked> {what}'
            "</label></li>",
            value=action.get("args", {}).get("id", ""),
            what=action.get("description", ""),
        )
        for action in view.case.actions
    )
    return html(
        '<form class="decision" method="post" action="/cases/{id}/decision">'
        '<input type="hidden" name="csrf" value="{csrf}">'
        "<fieldset><legend>Recommended actions</legend><ul>{actions}</ul></fieldset>"
        '<p><label for="reason-{id}">Reason, if you reject</label> '
        '<input type="text" id="reason-{id}" name="reason" maxlength="200"></p>'
        '<p class="buttons"><button type="submit" name="decision" value="approve_all">'
        "Approve all</button> "
        '<button type="submit" name="decision" value="approve_selected">Approve selected'
        "</button> "
        '<button type="submit" name="decision" value="reject" class="reject">Reject</button>'
        '</p><p class="error" role="status"></p></form>',
        id=case_id,
        csrf=csrf,
        actions=actions,
    )


def _report(view: CaseView) -> Markup:
    report = view.case.report or {}
    recommendations = join(
        html(
            '<li class="{cls}">{verdict}: {what}</li>',
            cls="approved" if r.get("approved") else "rejected",
            verdict="Approved" if r.get("approved") else "Rejected",
            what=r.get("description", ""),
        )
        for r in report.get("recommendations", [])
    )
    return html(
        '<p class="decision-line">Decision: <strong>{decision}</strong></p>'
        '<ul class="decided">{recommendations}</ul><p class="explanation">{explanation}</p>',
        decision=str(report.get("decision", view.case.status.value)).replace("_", " "),
        recommendations=recommendations,
        explanation=report.get("explanation", ""),
    )


def case_article(view: CaseView, csrf: str) -> Markup:
    """One case: the trip, what happened, the connections, the rights, and the decision."""
    case = view.case
    title = view.trip.label if view.trip is not None and view.trip.label else case.trip_id
    why = _bulleted(case.summary, text, "No reason recorded.")
    if view.awaiting:
        body = html(
            "<h4>What happened</h4>{disruptions}<h4>Connections</h4>{connections}"
            "<h4>Owed to the traveller</h4>{rights}{form}",
            disruptions=_bulleted(
                view.findings.disruptions, _disruption, "No disruption recorded."
            ),
            connections=_bulleted(
                view.findings.connections, _connection, "No connection on this trip."
            ),
            rights=_rights(view.findings.rights),
            form=_decision_form(view, csrf),
        )
    else:
        body = _report(view)
    inner = html(
        '<h3 id="title-{id}">{title} <span class="case-id">{id}</span> '
        '<span class="status status-{status}">{label}</span></h3>{trip}'
        '<details class="why"><summary>Why it opened</summary>{why}</details>{body}',
        id=case.id,
        title=title,
        status=case.status.value,
        label=case.status.value.replace("_", " "),
        trip=_trip_line(view),
        why=why,
        body=body,
    )
    digest = hashlib.sha256(inner.encode()).hexdigest()[:16]
    return html(
        '<article class="case status-{status}" id="case-{id}" data-digest="{digest}" '
        'aria-labelledby="title-{id}">{inner}</article>',
        status=case.status.value,
        id=case.id,
        digest=digest,
        inner=inner,
    )


def cases_section(board: Board, csrf: str) -> Markup:
    """Cases awaiting approval, then the others, most recent first."""
    awaiting, others = board.awaiting, board.others
    return html(
        '<h2 id="cases-title">Awaiting approval <span class="count">{n}</span></h2>'
        '<div class="case-list" id="awaiting-list">{awaiting}</div>'
        '<h2 id="decided-title">Decided and resolved <span class="count">{m}</span></h2>'
        '<div class="case-list" id="decided-list">{others}</div>',
        n=len(awaiting),
        awaiting=join(case_article(v, csrf) for v in awaiting)
        or html('<p class="none">No case waits for a decision.</p>'),
        m=len(others),
        others=join(case_article(v, csrf) for v in others)
        or html('<p class="none">No case decided yet.</p>'),
    )
