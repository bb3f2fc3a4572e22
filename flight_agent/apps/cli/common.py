"""What the ``flight-agent`` commands share: consoles, flight input, one-line errors, exit codes.

Data goes to stdout (``console``, ``print_json``); messages and errors go to stderr
(``stderr``), one line each, Click's usage errors included (``OneLineUsageErrors``). ``fail``
ends a command with an exit code (see ``flight_agent.apps.cli.commands``). Input files are read
up to ``MAX_FILE_BYTES``, and a run takes at most ``MAX_BATCH`` flights, as the batch tool does.
"""

from __future__ import annotations

import json
import socket
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.text import Text
from typer.core import TyperGroup

from flight_agent.errors import AllProvidersFailedError, FlightDataError
from flight_agent.outcomes import gather_outcomes
from flight_agent.services import EnhancedFlightMonitoringService, default_service
from flight_agent.settings import Settings
from tools import operations
from tools.errors import explain_invalid, sentence
from tools.payloads import ErrorKind, FlightStatusResult
from tools.schemas import MAX_BATCH, FlightRef
from tools.specs import GET_FLIGHT_STATUS

service_factory: Callable[[], EnhancedFlightMonitoringService] = default_service
"""Builds each command's service, inside the command's event loop (tests replace it)."""

console = Console()
stderr = Console(stderr=True)

EXIT_CODES: dict[ErrorKind, int] = {
    "invalid_query": 2,
    "date_out_of_range": 2,
    "providers_down": 3,
    "not_found": 1,
}

STORE_DOWN = 4
"""The exit code when Redis (``REDIS_URL``), which keeps watched flights, is unavailable."""

MAX_FILE_BYTES = 64 * 1024
"""Input files larger than this are refused after reading this much: a batch of ``MAX_BATCH``
flights or an itinerary takes a few kilobytes."""

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
DateOption = Annotated[
    str | None,
    typer.Option("--date", help="Local departure date: YYYY-MM-DD, today, tomorrow or yesterday."),
]
OriginOption = Annotated[
    str | None, typer.Option(help="Departure airport (IATA/ICAO) for multi-leg flights.")
]


def complain(message: str) -> None:
    """Print ``message`` as one line on stderr (line breaks in it become spaces)."""
    one_line = " ".join(part.strip() for part in message.splitlines())
    stderr.print(Text(one_line, style="red"), soft_wrap=True)


def fail(message: str, code: int) -> NoReturn:
    """Print ``message`` as one line on stderr and exit with ``code``."""
    complain(message)
    raise typer.Exit(code)


class OneLineUsageErrors(TyperGroup):
    """The command group, with Click's usage errors (a missing argument, an unknown option or
    command, a value out of range) as one line on stderr and their exit code (2), instead of
    the usage and a box around the error."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        """Run the command line; as a script (``standalone_mode``), exit with its code."""
        run = (args, prog_name, complete_var, False, windows_expand_args)
        if not standalone_mode:
            return super().main(*run, **extra)
        try:
            code = super().main(*run, **extra)
        except typer.TyperException as error:  # Click's errors: usage (exit 2) and others
            context = getattr(error, "ctx", None)
            hint = f" Try '{context.command_path} --help' for help." if context else ""
            complain(sentence(error.format_message()) + hint)
            code = error.exit_code
        except typer.Abort:
            complain("Aborted.")
            code = 1
        sys.exit(code)


def check_settings() -> None:
    """Exit 2 with one line if the environment (or ``.env``) holds a setting that is not valid."""
    try:
        Settings()
    except ValidationError as error:
        fail(f"Invalid setting (environment or .env): {explain_invalid(Settings, error)}", 2)
    except UnicodeDecodeError:
        fail("Invalid setting: .env is not UTF-8 text", 2)


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
    """A UTF-8 file's text, or exit 2 saying why it cannot be read (one larger than
    ``MAX_FILE_BYTES``, such as ``/dev/zero``, is read no further)."""
    try:
        with path.open("rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        fail(f"{path}: cannot read the file: {error.strerror or error}", 2)
    if len(data) > MAX_FILE_BYTES:
        fail(f"{path}: cannot read the file: larger than {MAX_FILE_BYTES // 1024} KiB", 2)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        fail(f"{path}: cannot read the file: it is not UTF-8 text", 2)


def check_count(count: int, source: Path | None = None) -> None:
    """Exit 2 if ``count`` flights (read from the file ``source``, if any) are more than a run
    takes (``MAX_BATCH``), saying how to split them."""
    if count <= MAX_BATCH:
        return
    too_many = f"{count} flights, more than {MAX_BATCH} a run"
    if source is None:
        fail(f"{too_many}: give them in parts", 2)
    split = f"split -l {MAX_BATCH} {source} part-"
    fail(f"{source}: {too_many}: split the file ({split}) and run batch on each part", 2)


def read_flights(path: Path, on: str | None) -> list[FlightRef | str]:
    """Flights from a file: one designator a line, optional ``,date,origin`` columns.

    ``#`` starts a comment, on a line of its own or after a flight; blank lines are skipped;
    ``on`` is the date of lines without one. A line that names no flight is kept as what is
    wrong with it, e.g. "line 3: expected FLIGHT[,DATE[,ORIGIN]], got 'BA117,,,LHR'"; a file
    that cannot be read, has no flight line or more than ``MAX_BATCH`` ends the command (exit 2).
    """
    entries: list[FlightRef | str] = []
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        columns = [column.strip() or None for column in text.split(",")]
        if len(columns) > 3 or columns[0] is None:
            entries.append(f"line {number}: expected FLIGHT[,DATE[,ORIGIN]], got {text!r}")
            continue
        flight, day, origin = [*columns, None, None][:3]
        ref = check_ref(flight or "", day or on, origin)
        entries.append(f"line {number}: {ref}" if isinstance(ref, str) else ref)
    if not entries:
        fail(f"{path}: no flights in the file", 2)
    check_count(len(entries), path)
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


def check_listen(host: str, port: int) -> None:
    """Exit 2 with one line if nothing can listen on ``host:port`` (the port is taken, or the
    host is no address of this machine), before the server starts."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
            probe.bind(address)
    except OSError as error:
        fail(f"Cannot serve MCP on {host}:{port}: {error.strerror or error}", 2)
