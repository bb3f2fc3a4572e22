"""What the ``flight-agent`` commands share: consoles, flight input, one-line errors, exit codes.

Data goes to stdout (``console``, ``print_json``); messages and errors go to stderr
(``stderr``), one line each. ``fail`` ends a command with an exit code (see ``flight_agent.cli``).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.text import Text

from flight_agent.errors import AllProvidersFailedError, FlightDataError
from flight_agent.services import EnhancedFlightMonitoringService
from tools import operations
from tools.errors import explain_invalid
from tools.payloads import ErrorKind, FlightStatusResult
from tools.schemas import FlightRef

console = Console()
stderr = Console(stderr=True)

EXIT_CODES: dict[ErrorKind, int] = {
    "invalid_query": 2,
    "date_out_of_range": 2,
    "providers_down": 3,
    "not_found": 1,
}

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
DateOption = Annotated[
    str | None,
    typer.Option("--date", help="Local departure date: YYYY-MM-DD, today, tomorrow or yesterday."),
]
OriginOption = Annotated[
    str | None, typer.Option(help="Departure airport (IATA/ICAO) for multi-leg flights.")
]


def complain(message: str) -> None:
    """Print ``message`` as one line on stderr."""
    stderr.print(Text(message, style="red"), soft_wrap=True)


def fail(message: str, code: int) -> NoReturn:
    """Print ``message`` as one line on stderr and exit with ``code``."""
    complain(message)
    raise typer.Exit(code)


def exit_code(kinds: Iterable[ErrorKind]) -> int:
    """The exit code for these failures: 2, 3 or 1, whichever comes first; 0 for none."""
    codes = {EXIT_CODES[kind] for kind in kinds}
    return next((code for code in (2, 3, 1) if code in codes), 0)


def error_text(error: FlightDataError) -> str:
    """An error as one line; a total outage lists what each provider did."""
    if isinstance(error, AllProvidersFailedError):
        attempts = "; ".join(f"{a.provider} {a.outcome}" for a in error.attempts)
        return f"every provider failed ({attempts or error.message}) and nothing is cached"
    return str(error)


def print_json(data: Any) -> None:
    """Print ``data`` as JSON on stdout."""
    typer.echo(json.dumps(data, indent=2))


def flight_ref(flight: str, on: str | None, origin: str | None, where: str = "") -> FlightRef:
    """The reference for one flight, or exit 2 saying what is wrong with it."""
    try:
        return FlightRef(flight_number=flight.strip(), date=on, origin=origin)
    except ValidationError as error:
        fail(f"{where}Invalid input: {explain_invalid(FlightRef, error)}", 2)


def read_flights(path: Path, on: str | None) -> list[FlightRef]:
    """Flights from a file: one designator a line, optional ``,date,origin`` columns.

    Blank lines and lines starting with ``#`` are skipped; ``on`` is the date of lines
    without one.
    """
    refs = []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        columns = [column.strip() or None for column in line.split(",")]
        where = f"{path}:{number}: "
        if len(columns) > 3 or columns[0] is None:
            fail(f"{where}expected FLIGHT[,DATE[,ORIGIN]], got {line.strip()!r}", 2)
        flight, day, origin = [*columns, None, None][:3]
        refs.append(flight_ref(flight or "", day or on, origin, where))
    if not refs:
        fail(f"{path}: no flights in the file", 2)
    return refs


async def lookup_all(
    service: EnhancedFlightMonitoringService, refs: list[FlightRef]
) -> list[FlightStatusResult | FlightDataError]:
    """Every flight's status, or the error it gave, in order."""

    async def one(ref: FlightRef) -> FlightStatusResult | FlightDataError:
        try:
            return await operations.flight_status(service, ref)
        except FlightDataError as error:
            return error

    return list(await asyncio.gather(*(one(ref) for ref in refs)))


def sort_out(
    refs: list[FlightRef], outcomes: list[FlightStatusResult | FlightDataError]
) -> tuple[list[FlightStatusResult], list[ErrorKind]]:
    """The answers, and the kinds of the failures (each complained about on stderr)."""
    results, kinds = [], []
    for ref, outcome in zip(refs, outcomes, strict=True):
        if isinstance(outcome, FlightDataError):
            complain(f"{ref.flight_number}: {error_text(outcome)}")
            kinds.append(operations.error_kind(outcome))
        else:
            results.append(outcome)
    return results, kinds
