"""The ``flight-agent`` command line: flight status from the simulated or a real provider."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from flight_agent.errors import FlightDataError
from flight_agent.flight_query import FlightQuery
from flight_agent.models import FlightStatusData, format_local
from flight_agent.providers.aerodatabox_provider import AeroDataBoxProvider
from flight_agent.providers.aviationstack_provider import AviationStackProvider
from flight_agent.providers.flightaware_provider import FlightAwareProvider
from flight_agent.providers.interfaces import FlightDataProvider, QueryOutcome
from flight_agent.providers.mock_provider import MockFlightDataProvider

app = typer.Typer(help="Airline IROPS toolkit: flight status with failover-ready providers.")
console = Console()

SAMPLE_FLIGHTS: dict[str, str] = {
    "BA117": "on_time",
    "AA100": "major_delay",
    "LH400": "cancelled",
    "UA901": "diverted",
    "QF1": "late_inbound",
    "U2 8001": "gate_change",
    "AF6": "minor_delay",
}
"""The demo's flights and the scenario the simulated provider plays for each."""

PROVIDERS = {
    "mock": MockFlightDataProvider,
    "flightaware": FlightAwareProvider,
    "aerodatabox": AeroDataBoxProvider,
    "aviationstack": AviationStackProvider,
}


def _delay(minutes: int | None) -> str:
    if minutes is None:
        return "-"
    return f"{minutes:+d} min"


def _row(flight: FlightStatusData) -> tuple[str, ...]:
    departure = flight.actual_out or flight.estimated_out
    diverted = f" -> {flight.diverted_to.code}" if flight.diverted_to else ""
    return (
        flight.flight_id,
        flight.route + diverted,
        format_local(flight.scheduled_out, flight.origin),
        format_local(departure, flight.origin) if departure else "-",
        flight.status.value + (" (disrupted)" if flight.is_disrupted else ""),
        _delay(flight.departure_delay_minutes),
        flight.gate_origin or "-",
        flight.source,
    )


def _table(outcomes: list[QueryOutcome]) -> Table:
    table = Table(title="Flight status", show_lines=False)
    for column in ("flight", "route", "scheduled out", "out (est/actual)", "status", "delay"):
        table.add_column(column)
    table.add_column("gate")
    table.add_column("source")
    for outcome in outcomes:
        if outcome.result is not None:
            table.add_row(*_row(outcome.result))
        else:
            reason = str(outcome.error) if outcome.error else "not found"
            table.add_row(outcome.query.flight_id, "-", "-", "-", reason, "-", "-", "-")
    return table


async def _statuses(provider: FlightDataProvider, queries: list[FlightQuery]) -> list[QueryOutcome]:
    async with provider:
        return await provider.get_flight_statuses(queries)


@app.command()
def run() -> None:
    """Show sample flights, including disrupted ones, from the simulated provider."""
    today = datetime.now(UTC).date()
    provider = MockFlightDataProvider("Simulated", scenarios=SAMPLE_FLIGHTS)
    queries = [FlightQuery.parse(ident, today) for ident in SAMPLE_FLIGHTS]
    outcomes = asyncio.run(_statuses(provider, queries))
    console.print(_table(outcomes))
    console.print(
        "[dim]Simulated data: no API keys are needed. Set FLIGHTAWARE_API_KEY and use "
        "`flight-agent status FLIGHT --provider flightaware` for live data.[/dim]"
    )


@app.command()
def status(
    flights: Annotated[list[str], typer.Argument(help="Designators, e.g. BA117 'U2 1234'.")],
    on: Annotated[
        str | None, typer.Option("--date", help="Local departure date YYYY-MM-DD (default today).")
    ] = None,
    origin: Annotated[
        str | None, typer.Option(help="Departure airport (IATA/ICAO) for multi-leg flights.")
    ] = None,
    provider: Annotated[str, typer.Option(help=f"One of: {', '.join(PROVIDERS)}.")] = "mock",
) -> None:
    """Show the status of one or more flights."""
    try:
        day = date.fromisoformat(on) if on else datetime.now(UTC).date()
    except ValueError:
        console.print(f"[red]--date {on!r} is not a date; use YYYY-MM-DD, e.g. 2026-11-29.[/red]")
        raise typer.Exit(2) from None
    if provider not in PROVIDERS:
        console.print(
            f"[red]Unknown provider {provider!r}; use one of {', '.join(PROVIDERS)}.[/red]"
        )
        raise typer.Exit(2)
    try:
        queries = [FlightQuery.parse(flight, day, origin=origin) for flight in flights]
    except FlightDataError as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from None
    outcomes = asyncio.run(_statuses(PROVIDERS[provider](), queries))
    console.print(_table(outcomes))
    if any(not outcome.ok for outcome in outcomes):
        raise typer.Exit(1)
