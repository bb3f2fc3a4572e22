"""What the ``flight-agent`` commands print: rich tables and lines for people.

Cells hold provider text, so they are ``Text`` objects (never parsed as rich markup).
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.table import Table
from rich.text import Text

from flight_agent.models import FlightStatusData, format_local
from flight_agent.monitoring import FlightChange
from tools.payloads import BatchStatusResult, FlightStatusResult, ProviderHealthResult

FLIGHT_COLUMNS = (
    "flight",
    "route",
    "scheduled out",
    "out (est/actual)",
    "status",
    "delay",
    "gate",
    "source",
)


def _delay(minutes: int | None) -> str:
    if minutes is None:
        return "-"
    return f"{minutes:+d} min"


def flight_row(flight: FlightStatusData) -> tuple[Text, ...]:
    """One flight as table cells; a stale copy says so in its status and source."""
    departure = flight.actual_out or flight.estimated_out
    diverted = f" -> {flight.diverted_to.code}" if flight.diverted_to else ""
    status = Text(flight.status.value + (" (disrupted)" if flight.is_disrupted else ""))
    source = Text(flight.source)
    if flight.stale:
        status.append(" STALE", style="bold yellow")
        source.append(" (stale copy)", style="yellow")
    cells = (
        flight.flight_id,
        flight.route + diverted,
        format_local(flight.scheduled_out, flight.origin),
        format_local(departure, flight.origin) if departure else "-",
    )
    tail = (_delay(flight.departure_delay_minutes), flight.gate_origin or "-")
    return (*map(Text, cells), status, *map(Text, tail), source)


def _flight_table(title: str, *, numbered: bool = False) -> Table:
    table = Table(title=title)
    if numbered:
        table.add_column("#", justify="right")
    for column in FLIGHT_COLUMNS:
        table.add_column(column)
    return table


def status_table(results: Iterable[FlightStatusResult]) -> Table:
    """One row per flight that answered."""
    table = _flight_table("Flight status")
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
    """One row per item, in the order asked; items without an answer say why."""
    table = _flight_table("Batch status", numbered=True)
    for item in result.items:
        number = Text(str(item.index + 1))
        if item.flight is not None:
            table.add_row(number, *flight_row(item.flight))
            continue
        name = item.query.flight_number if item.query else "?"
        reason = Text(f"{item.error_kind}: {item.error}", style="red")
        table.add_row(number, Text(name), Text("-"), Text("-"), Text("-"), reason)
    table.caption = f"{result.found} found, {result.failed} without an answer, {result.stale} stale"
    return table


def _ms(value: float | None) -> str:
    return f"{value:.0f} ms" if value is not None else "-"


def health_table(result: ProviderHealthResult) -> Table:
    """Provider, priority, state, success rate, p50/p95 latency, last error, cool-down."""
    table = Table(title="Provider health")
    for column in ("provider", "priority", "state", "success", "p50", "p95", "last error"):
        table.add_column(column)
    table.add_column("cool-down", justify="right")
    for entry in result.providers:
        rate = "-"
        if entry.success_rate is not None:
            rate = f"{entry.success_rate:.0%} of {entry.requests}"
        state = entry.state if entry.enabled else f"{entry.state} (disabled)"
        style = "green" if entry.state == "closed" else "yellow"
        cooldown = f"{entry.cooldown_left_s:.0f} s" if entry.cooldown_left_s else "-"
        table.add_row(
            Text(entry.name),
            Text(str(entry.priority)),
            Text(state, style=style),
            Text(rate),
            Text(_ms(entry.latency_p50_ms)),
            Text(_ms(entry.latency_p95_ms)),
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
