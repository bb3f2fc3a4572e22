"""The console's page and its live sections, as HTML built with ``markup.html``.

The page has five sections, each an element whose id the live stream names when it sends the
section's new content (``SECTIONS``): the banner, the desk's clock, the cases
(``case_views``), the trips with their flights, the providers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from flight_agent.apps.console.board import Board, LegView, ProviderView, TripView
from flight_agent.apps.console.case_views import cases_section, clock
from flight_agent.apps.console.history import WINDOW, Sample
from flight_agent.apps.console.markup import Markup, html, join

Section = Callable[[Board, str], Markup]


def age(delta: dt.timedelta) -> str:
    """``7 min``, ``2 h 05 min``."""
    minutes = int(delta.total_seconds() // 60)
    return f"{minutes} min" if minutes < 60 else f"{minutes // 60} h {minutes % 60:02d} min"


# ----- trips ----------------------------------------------------------------------------------


def _data_cell(leg: LegView) -> Markup:
    record = leg.record
    if record is None or leg.age is None:
        return html('<span class="none">no data yet</span>')
    fresh = html(
        '<strong class="stale-mark">STALE: {age} old</strong>' if leg.stale else "{age} old",
        age=age(leg.age),
    )
    failover = html(
        '<br><span class="failover">failover: {failed}</span>' if leg.failovers else "",
        failed=", ".join(leg.failovers),
    )
    return html(
        "{fresh}, from {source}{failover}", fresh=fresh, source=record.source, failover=failover
    )


def _leg_row(leg: LegView) -> Markup:
    record = leg.record
    status = route = delay = gate = ""
    if record is not None:
        status = record.status.value.replace("_", " ")
        if record.status_text:
            status += f" ({record.status_text})"
        route = record.route
        delay = f"{record.departure_delay_minutes or 0} / {record.arrival_delay_minutes or 0} min"
        gate = " / ".join(filter(None, (record.gate_origin, record.gate_destination))) or "-"
    return html(
        '<tr class="{cls}"><th scope="row">{flight} <span class="date">{date}</span></th>'
        '<td data-label="Route">{route}</td><td data-label="Status">{status}</td>'
        '<td data-label="Delay out / in">{delay}</td><td data-label="Gates">{gate}</td>'
        '<td data-label="Data">{data}</td></tr>',
        cls="stale" if leg.stale else ("disrupted" if record and record.is_disrupted else "ok"),
        flight=leg.ref.flight_number,
        date=leg.ref.date,
        route=route,
        status=status,
        delay=delay,
        gate=gate,
        data=_data_cell(leg),
    )


def _trip(view: TripView) -> Markup:
    trip = view.trip
    return html(
        '<div class="scroll"><table class="trip stack" id="trip-{id}"><caption>{label} '
        '<span class="case-id">{id}</span>, {pax} pax</caption><thead><tr>'
        "<th scope='col'>Flight</th><th scope='col'>Route</th><th scope='col'>Status</th>"
        "<th scope='col'>Delay out / in</th><th scope='col'>Gates</th>"
        "<th scope='col'>Data</th></tr></thead><tbody>{rows}</tbody></table></div>",
        id=trip.id,
        label=trip.label or trip.id,
        pax=trip.passengers,
        rows=join(_leg_row(leg) for leg in view.legs),
    )


def trips_section(board: Board, csrf: str) -> Markup:
    """Every trip and the live status of its flights."""
    return html(
        '<h2 id="trips-title">Trips and flights <span class="count">{n}</span></h2>{trips}',
        n=len(board.trips),
        trips=join(_trip(view) for view in board.trips)
        or html(
            '<p class="none">No trip yet: add one with <code>flight-agent trips add</code>.</p>'
        ),
    )


# ----- providers ------------------------------------------------------------------------------


def latency_chart(samples: Sequence[Sample], now: dt.datetime) -> Markup:
    """A small SVG line of the median latency over the last hour."""
    timed = [(s.at, s.latency_ms) for s in samples if s.latency_ms is not None]
    if not timed:
        return html('<span class="none">no samples yet</span>')
    top = max(latency for _, latency in timed) or 1.0
    span = WINDOW.total_seconds()
    points = " ".join(
        f"{120 - 120 * min(span, (now - at).total_seconds()) / span:.1f},"
        f"{30 - 28 * latency / top:.1f}"
        for at, latency in timed
    )
    latest = timed[-1][1]
    x, y = points.rsplit(" ", 1)[-1].split(",")
    return html(
        '<svg class="chart" viewBox="0 0 120 32" width="120" height="32" role="img" '
        'aria-label="Median latency over the last hour: {n}, highest {top} ms, latest '
        '{latest} ms"><polyline fill="none" stroke="currentColor" stroke-width="1.5" '
        'points="{points}"/><circle cx="{x}" cy="{y}" r="2" fill="currentColor"/></svg>',
        n="1 sample" if len(timed) == 1 else f"{len(timed)} samples",
        top=round(top),
        latest=round(latest),
        points=points,
        x=x,
        y=y,
    )


def _provider_row(view: ProviderView, now: dt.datetime) -> Markup:
    s = view.stats
    rate = "-" if s.success_rate is None else f"{s.success_rate:.0%}"
    p50, p95 = s.latency_ms.p50, s.latency_ms.p95
    latency = "-" if p50 is None else f"{p50:.0f} / {p95 or 0:.0f} ms"
    error = html(
        "{error} <span class='at'>({at})</span>" if s.last_error else "-",
        error=s.last_error,
        at=clock(s.last_error_at),
    )
    return html(
        '<tr class="{cls}" id="provider-{name}"><th scope="row">{name}</th>'
        '<td data-label="Breaker">{state}{failing}</td><td data-label="Success">{rate}</td>'
        '<td data-label="Latency p50 / p95">{latency}</td><td data-label="Last hour">{chart}</td>'
        '<td data-label="Last error">{error}</td></tr>',
        cls="failing" if view.failing else "healthy",
        name=view.name,
        state=str(s.state).replace("_", " "),
        failing=html(' <strong class="failing-mark">failing</strong>') if view.failing else "",
        rate=rate,
        latency=latency,
        chart=latency_chart(view.samples, now),
        error=error,
    )


def providers_section(board: Board, csrf: str) -> Markup:
    """Each provider's breaker, success rate, latency, last hour and last error."""
    return html(
        '<h2 id="providers-title">Providers</h2><div class="scroll"><table class="providers stack">'
        "<caption>Flight-data providers, highest priority first</caption><thead><tr>"
        "<th scope='col'>Provider</th><th scope='col'>Breaker</th><th scope='col'>Success</th>"
        "<th scope='col'>Latency p50 / p95</th><th scope='col'>Last hour</th>"
        "<th scope='col'>Last error</th></tr></thead><tbody>{rows}</tbody></table></div>",
        rows=join(_provider_row(view, board.now) for view in board.providers),
    )


def banner_section(board: Board, csrf: str) -> Markup:
    """A warning when every provider is failing; nothing otherwise."""
    if not board.all_failing:
        return Markup("")
    return html(
        '<p class="banner"><strong>Every flight-data provider is failing.</strong> The flights '
        "below show their last known data, marked stale with its age.</p>"
    )


def clock_section(board: Board, csrf: str) -> Markup:
    """The desk's present (the simulated clock's, on a simulated day)."""
    return html(
        'Desk time <time datetime="{iso}">{date} {time}</time>',
        iso=board.now.isoformat(),
        date=f"{board.now:%Y-%m-%d}",
        time=clock(board.now),
    )


SECTIONS: dict[str, Section] = {
    "banner": banner_section,
    "clock": clock_section,
    "cases": cases_section,
    "trips": trips_section,
    "providers": providers_section,
}
"""The page's live sections by element id, in page order."""


def page(board: Board, csrf: str) -> Markup:
    """The whole console page."""
    parts = {name: render(board, csrf) for name, render in SECTIONS.items()}
    return html(
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>flight-agent: disruption desk</title>"
        '<link rel="stylesheet" href="/static/console.css">'
        '<script src="/static/console.js" defer></script></head>'
        '<body data-csrf="{csrf}"><a class="skip" href="#cases">Skip to the cases</a>'
        '<header><h1>Disruption desk</h1><p id="clock" class="clock">{clock}</p>'
        '<p id="connection" class="connection" role="status">Live updates connecting</p>'
        '</header><div id="banner" role="alert">{banner}</div>'
        '<p id="announce" class="visually-hidden" aria-live="polite"></p><main>'
        '<section id="cases" aria-labelledby="cases-title">{cases}</section>'
        '<section id="trips" aria-labelledby="trips-title">{trips}</section>'
        '<section id="providers" aria-labelledby="providers-title">{providers}</section>'
        "</main></body></html>",
        csrf=csrf,
        **parts,
    )
