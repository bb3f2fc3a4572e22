"""What the ``flight-agent`` commands print: rich tables and lines for people.

Tables fit an 80-column terminal: no outer border, short headers, and times as local
wall-clock at the departure airport ('12-05 08:25'; a later day spelt out when the
flight slips past midnight). Cells hold provider text, so they are ``Text`` objects (never
parsed as rich markup).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from rich import box
from rich.table import Table
from rich.text import Text

from flight_agent.irops.formatting import delay_text
from flight_agent.models import FlightStatusData
from flight_agent.monitoring import FlightChange
from flight_agent.providers.interfaces import ProviderHealth
from tools.payloads import BatchStatusResult, FlightStatusResult, ProviderHealthResult

FLIGHT_COLUMNS = {
    "flight": True,
    "route": False,
    "sched": True,
    "now": True,
    "status": False,
    "delay": True,
    "gate": True,
    "source": False,
}
"""Each column and whether it stays on one line. ``sched`` and ``now`` (the actual departure,
else the estimate) are gate departure times, local at the origin."""


def _table(title: str) -> Table:
    return Table(
        title=title, box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, collapse_padding=True
    )


def _local(flight: FlightStatusData, value: datetime | None, day: date | None = None) -> str:
    """Local at the origin: '12-06 00:10', or '08:32' when on ``day``; '-' when unknown."""
    local = flight.departure_local(value)
    if local is None:
        return "-"
    return f"{local:%H:%M}" if local.date() == day else f"{local:%m-%d %H:%M}"


def flight_row(flight: FlightStatusData) -> tuple[Text, ...]:
    """One flight as table cells: a disrupted one's status in red, a stale copy's marked STALE."""
    departure = flight.actual_out or flight.estimated_out
    status = Text(flight.status.value, style="red" if flight.is_disrupted else "")
    if flight.diverted_to:
        status.append(f" {flight.diverted_to.code}", style="red")  # 'diverted STN'
    if flight.stale:
        status.append(" STALE", style="bold yellow")
    scheduled = _local(flight, flight.scheduled_out)
    cells = (flight.route, scheduled, _local(flight, departure, flight.flight_date))
    tail = (
        delay_text(flight.departure_delay_minutes, signed=True),
        flight.gate_origin or "-",
        flight.source,
    )
    return (Text(flight.flight_id), *map(Text, cells), status, *map(Text, tail))


def _flight_table(title: str, *, numbered: bool = False) -> Table:
    """Ids, times and numbers stay on one line; a text cell too narrow for a word folds it
    rather than cut it short."""
    table = _table(title)
    if numbered:
        table.add_column("#", justify="right", no_wrap=True)
    for column, one_line in FLIGHT_COLUMNS.items():
        table.add_column(column, no_wrap=one_line, overflow="fold")
    return table


def status_table(results: Iterable[FlightStatusResult]) -> Table:
    """One row per flight that answered."""
    table = _flight_table("Flight status (local times at the departure airport)")
    for result in results:
        table.add_row(*flight_row(result.flight))
    return table


def disruption_lines(results: Iterable[FlightStatusResult]) -> list[Text]:
    """One line per disruption the records show, e.g. 'AA100: Departure delayed 3 h ...'."""
    return [
        Text(f"{result.flight.flight_id}: {disruption.explanation}")
        for result in results
        for disruption in result.disruptions
    ]


def batch_table(result: BatchStatusResult) -> Table:
    """One row per item, in the order asked; one without an answer shows why in a word or two.

    ``failure_lines`` say in full what went wrong.
    """
    table = _flight_table("Batch status (local times at the departure airport)", numbered=True)
    for item in result.items:
        number = Text(str(item.index + 1))
        if item.flight is not None:
            table.add_row(number, *flight_row(item.flight))
            continue
        name = item.query.flight_number if item.query else "-"
        kind = Text((item.error_kind or "error").replace("_", " "), style="red")
        table.add_row(number, Text(name), Text("-"), Text("-"), Text("-"), kind)
    table.caption = f"{result.found} found, {result.failed} without an answer, {result.stale} stale"
    return table


def failure_lines(result: BatchStatusResult) -> list[Text]:
    """Why each item has no answer, by its number, e.g. '#2 ZZ9999: No provider knows ...'."""
    lines = []
    for item in result.items:
        if item.flight is None:
            name = f" {item.query.flight_number}" if item.query else ""
            lines.append(Text(f"#{item.index + 1}{name}: {item.error}", style="red"))
    return lines


def _ms(value: float | None) -> str:
    return f"{value:.0f}" if value is not None else "-"


def _probe(probe: ProviderHealth | None) -> Text:
    """'ok 12 ms' or 'failed: <what the probe met>'."""
    if probe is None:
        return Text("-")
    if probe.healthy:
        latency = f" {probe.latency_ms:.0f} ms" if probe.latency_ms is not None else ""
        return Text(f"ok{latency}", style="green")
    detail = (probe.detail or "").removeprefix(f"[{probe.provider}] ")
    return Text(f"failed: {detail}" if detail else "failed", style="red")


def health_table(result: ProviderHealthResult, probes: Iterable[ProviderHealth]) -> Table:
    """Per provider, in priority order: the probe just made, then the failover manager's view.

    Columns: provider, probe ('ok 12 ms' or 'failed: <detail>'), state, success rate,
    p50/p95 latency, last error, cool-down.
    """
    by_provider = {probe.provider: probe for probe in probes}
    table = _table("Provider health")
    for column in ("provider", "probe", "state", "success", "p50/p95", "last error"):
        table.add_column(column)
    table.add_column("cool-down", justify="right")
    for entry in result.providers:
        rate = "-"
        if entry.success_rate is not None:
            rate = f"{entry.success_rate:.0%} of {entry.requests}"
        latency = "-"
        if entry.latency_p50_ms is not None:
            latency = f"{_ms(entry.latency_p50_ms)}/{_ms(entry.latency_p95_ms)} ms"
        state = entry.state if entry.enabled else f"{entry.state} (disabled)"
        style = "green" if entry.state == "closed" else "yellow"
        cooldown = f"{entry.cooldown_left_s:.0f} s" if entry.cooldown_left_s else "-"
        table.add_row(
            Text(entry.name),
            _probe(by_provider.get(entry.name)),
            Text(state, style=style),
            Text(rate),
            Text(latency),
            Text(entry.last_error or "-"),
            Text(cooldown),
        )
    return table


def change_line(change: FlightChange) -> Text:
    """'07:38:00Z BA117 2026-11-28: gate B12 (was A10)', marked when provisional."""
    line = Text(f"{change.detected_at:%H:%M:%SZ} ", style="dim")
    line.append(change.message)
    if change.provisional:
        line.append(" (provisional)", style="yellow")
    return line
