"""What the ``flight-agent`` commands share: consoles, flight input, one-line errors, exit codes.

Data goes to stdout (``console``, ``print_json``); messages and errors go to stderr
(``stderr``), one line each. ``fail`` ends a command with an exit code (see
``flight_agent.apps.cli.commands``).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.text import Text

from flight_agent.errors import AllProvidersFailedError, FlightDataError
from flight_agent.outcomes import gather_outcomes
from flight_agent.services import EnhancedFlightMonitoringService
from flight_agent.settings import Settings
from tools import operations
from tools.errors import explain_invalid
from tools.payloads import ErrorKind, FlightStatusResult
from tools.schemas import FlightRef
from tools.specs import GET_FLIGHT_STATUS

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


def check_settings() -> None:
    """Exit 2 with one line if the environment (or ``.env``) holds a setting that is not valid."""
    try:
        Settings()
    except ValidationError as error:
        fail(f"Invalid setting (environment or .env): {explain_invalid(Settings, error)}", 2)


def exit_code(kinds: Iterable[ErrorKind]) -> int:
    """The exit code for these failures: 2, 3 or 1, whichever comes first; 0 for none."""
    codes = {EXIT_CODES[kind] for kind in kinds}
    return next((code for code in (2, 3, 1) if code in codes), 0)


def error_text(error: FlightDataError) -> str:
    """An error as one line; a total outage names each provider once with what it did.

    E.g. "every provider failed (AeroAPI: timeout x3; Simulated: unavailable) and nothing is
    cached".
    """
    if isinstance(error, AllProvidersFailedError):
        outcomes: dict[str, Counter[str]] = {}
        for attempt in error.attempts:
            outcomes.setdefault(attempt.provider, Counter())[attempt.outcome] += 1
        attempts = "; ".join(
            f"{provider}: " + ", ".join(f"{o} x{n}" if n > 1 else o for o, n in counts.items())
            for provider, counts in outcomes.items()
        )
        return f"every provider failed ({attempts or error.message}) and nothing is cached"
    return str(error)


def print_json(data: Any) -> None:
    """Print ``data`` as JSON on stdout."""
    typer.echo(json.dumps(data, indent=2))


def check_ref(flight: str, on: str | None, origin: str | None) -> FlightRef | str:
    """The reference for one flight, or what is wrong with it."""
    try:
        return FlightRef(flight_number=flight.strip(), date=on, origin=origin)
    except ValidationError as error:
        return f"Invalid input: {explain_invalid(FlightRef, error)}"


def flight_ref(flight: str, on: str | None, origin: str | None) -> FlightRef:
    """The reference for one flight, or exit 2 saying what is wrong with it."""
    ref = check_ref(flight, on, origin)
    if isinstance(ref, str):
        fail(ref, 2)
    return ref


def read_text(path: Path) -> str:
    """A UTF-8 file's text, or exit 2 saying why it cannot be read."""
    try:
        return path.read_text("utf-8")
    except OSError as error:
        fail(f"{path}: cannot read the file: {error.strerror or error}", 2)
    except UnicodeDecodeError:
        fail(f"{path}: cannot read the file: it is not UTF-8 text", 2)


def read_flights(path: Path, on: str | None) -> list[FlightRef | str]:
    """Flights from a file: one designator a line, optional ``,date,origin`` columns.

    Blank lines and lines starting with ``#`` are skipped; ``on`` is the date of lines
    without one. A line that names no flight is kept as what is wrong with it, e.g.
    "line 3: expected FLIGHT[,DATE[,ORIGIN]], got 'BA117,,,LHR'"; a file that cannot be read
    or has no flight line ends the command (exit 2).
    """
    entries: list[FlightRef | str] = []
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        columns = [column.strip() or None for column in line.split(",")]
        if len(columns) > 3 or columns[0] is None:
            entries.append(f"line {number}: expected FLIGHT[,DATE[,ORIGIN]], got {line.strip()!r}")
            continue
        flight, day, origin = [*columns, None, None][:3]
        ref = check_ref(flight or "", day or on, origin)
        entries.append(f"line {number}: {ref}" if isinstance(ref, str) else ref)
    if not entries:
        fail(f"{path}: no flights in the file", 2)
    return entries


async def lookup_all(
    service: EnhancedFlightMonitoringService, refs: list[FlightRef]
) -> list[FlightStatusResult | FlightDataError]:
    """Every flight's status, or the error it gave, in order."""
    return await gather_outcomes(refs, lambda ref: GET_FLIGHT_STATUS.run(service, ref))


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
