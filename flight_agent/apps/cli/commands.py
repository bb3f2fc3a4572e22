"""The ``flight-agent`` command line: flight status, batches, provider health, watching, MCP.

Every command but the ``run`` demo works on the service (``EnhancedFlightMonitoringService``),
which ``common.service_factory`` builds from settings (provider keys, ``REDIS_URL``; the
simulated provider without keys); tests replace it. Read commands take ``--json`` and
then print the tools' payloads (``model_dump(mode="json")``) on stdout; messages and errors go
to stderr, one line each, never a traceback.

Exit codes:
    0: every flight answered; a stale copy served during an outage is flagged and still 0.
    1: some flight is unknown to the providers.
    2: bad input (designator, date, airport, file, option, setting, chat model).
    3: some flight had no answer at all: every provider failed and nothing was cached
       (``health``: no provider passed its probe).
    4: Redis (``REDIS_URL``), which keeps watched flights, is unavailable (``watch``).

When several apply, the first of 2, 3, 1 wins. Usage errors (a missing argument, an unknown
option) are Click's: one line, exit 2.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from pydantic import TypeAdapter
from rich.progress import Progress
from rich.text import Text

import flight_agent
from flight_agent.apps.cli import agent, common, render, replay, serving, showcase, watching
from flight_agent.apps.cli import desk as desk_cli
from flight_agent.apps.cli.common import (
    STORE_DOWN,
    DateOption,
    JsonOption,
    OneLineUsageErrors,
    OriginOption,
    check_count,
    check_ref,
    check_settings,
    console,
    error_text,
    exit_code,
    fail,
    flight_ref,
    lookup_all,
    print_json,
    read_flights,
    sort_out,
    stderr,
)
from flight_agent.apps.mcp_server import InsecureBindError, build_mcp_server
from flight_agent.errors import FlightDataError, StoreUnavailableError
from flight_agent.monitoring import FlightChange
from flight_agent.providers.interfaces import ProviderHealth
from flight_agent.services import EnhancedFlightMonitoringService
from flight_agent.settings import Settings
from tools import formatting, operations
from tools.payloads import (
    BatchItem,
    BatchStatusResult,
    ErrorKind,
    FlightStatusResult,
    ProviderHealthResult,
)
from tools.schemas import FlightRef, ProviderHealthInput
from tools.specs import PROVIDER_HEALTH

T = TypeVar("T")

app = typer.Typer(
    cls=OneLineUsageErrors, help="Airline IROPS toolkit: flight status with provider failover."
)

PROGRESS_THRESHOLD = 20
"""Batches larger than this show a progress bar (on stderr)."""

PROBES = TypeAdapter(list[ProviderHealth])
"""``health --json``'s ``probes``."""


def _show_version(asked: bool) -> None:
    if asked:
        typer.echo(f"flight-agent {flight_agent.__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_show_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Options given before the command, such as ``--version``; then the settings are checked."""
    check_settings()


@asynccontextmanager
async def open_service() -> AsyncIterator[EnhancedFlightMonitoringService]:
    """A service from ``common.service_factory``, closed on the way out; exit 2 if it cannot
    start."""
    try:
        service = common.service_factory()
    except ValueError as error:  # configuration it refuses, e.g. a REDIS_URL that is not Redis
        fail(f"Cannot start the flight service: {error}", 2)
    try:
        yield service
    finally:
        await service.aclose()


def run_async(main: Coroutine[Any, Any, T]) -> T:
    """Run a command's coroutine; a flight error that escapes it ends the command."""
    try:
        return asyncio.run(main)
    except StoreUnavailableError as error:
        fail(str(error), STORE_DOWN)
    except FlightDataError as error:
        fail(error_text(error), exit_code([operations.error_kind(error)]))


@app.command()
def run(
    reject: Annotated[
        bool, typer.Option("--reject", help="Answer the approval request with a rejection.")
    ] = False,
) -> None:
    """The IROPS agent over a disrupted itinerary on simulated data (the primary provider down)."""
    agent.run_demo_command(approve=not reject)


@app.command()
def chat(
    thread: Annotated[str, typer.Option(help="Conversation id; one memory per id.")] = "cli",
) -> None:
    """Talk to the IROPS chat agent (offline model unless FLIGHT_AGENT_MODEL is set)."""
    agent.chat_loop(thread)


@app.command()
def assess(
    path: Annotated[Path, typer.Argument(help="Itinerary YAML: itinerary: [{flight_number, ...}]")],
    as_json: JsonOption = False,
) -> None:
    """Disruptions, connections and passenger rights of a booking (no model involved)."""
    trip = agent.read_itinerary(path)

    async def main() -> agent.AssessResult:
        async with open_service() as service:
            return await agent.assess_itinerary(service, trip)

    raise typer.Exit(agent.show_assessment(run_async(main()), as_json))


async def _statuses_of(refs: list[FlightRef]) -> list[FlightStatusResult | FlightDataError]:
    async with open_service() as service:
        return await lookup_all(service, refs)


@app.command()
def status(
    flights: Annotated[list[str], typer.Argument(help="Designators, e.g. BA117 'U2 1234'.")],
    on: DateOption = None,
    origin: OriginOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show the status of one or more flights (JSON: a list of flight results)."""
    check_count(len(flights))
    refs = [flight_ref(flight, on, origin) for flight in flights]
    results, kinds = sort_out(refs, run_async(_statuses_of(refs)))
    if as_json:
        print_json([result.model_dump(mode="json") for result in results])
    elif results:
        console.print(render.status_table(results))
        for line in render.disruption_lines(results):
            console.print(line)
        if any(result.stale for result in results):
            console.print(Text("STALE: every provider failed; showing the last copy.", "yellow"))
    raise typer.Exit(exit_code(kinds))


async def _batch(
    entries: list[FlightRef | str], advance: Callable[[], None] = lambda: None
) -> BatchStatusResult:
    """The ``batch_status`` result of every entry, calling ``advance`` as each one answers.

    An entry that is what is wrong with an input (not a flight) is an ``invalid_query`` item.
    """
    refs = [entry for entry in entries if isinstance(entry, FlightRef)]
    for _ in range(len(entries) - len(refs)):
        advance()
    async with open_service() as service:
        answers = iter(await operations.batch_items(service, refs, advance))
    items = [
        BatchItem(index=index, error_kind="invalid_query", error=entry)
        if isinstance(entry, str)
        else next(answers).model_copy(update={"index": index})
        for index, entry in enumerate(entries)
    ]
    return BatchStatusResult.of(items)


@app.command()
def batch(
    flights: Annotated[
        list[str] | None, typer.Argument(help="Designators, e.g. BA117 AA100.")
    ] = None,
    file: Annotated[
        Path | None,
        typer.Option(
            "--file", help="One designator a line, optional ',date,origin' columns; '#' comments."
        ),
    ] = None,
    on: DateOption = None,
    as_json: JsonOption = False,
) -> None:
    """Status of many flights: one row each; one failure spoils no other.

    A bad designator or file line is a failed row (invalid_query) and the others are still
    answered; a file that cannot be read, has no flight in it or more than a run takes ends the
    command (exit 2).
    """
    if bool(flights) == (file is not None):
        fail("Give flight designators or --file PATH (one of them).", 2)
    check_count(len(flights or []))
    entries = read_flights(file, on) if file else [check_ref(f, on, None) for f in flights or []]
    if len(entries) > PROGRESS_THRESHOLD:
        with Progress(console=stderr, transient=True) as progress:
            task = progress.add_task("Fetching", total=len(entries))
            result = run_async(_batch(entries, lambda: progress.advance(task)))
    else:
        result = run_async(_batch(entries))
    if as_json:
        print_json(result.model_dump(mode="json"))
    else:
        console.print(render.batch_table(result))
        for line in render.failure_lines(result):
            console.print(line, soft_wrap=True)  # one line a script can grep, at any width
    raise typer.Exit(exit_code(item.error_kind for item in result.items if item.error_kind))


async def _health() -> tuple[ProviderHealthResult, list[ProviderHealth]]:
    async with open_service() as service:
        probes = await service.force_health_check()
        return await PROVIDER_HEALTH.run(service, ProviderHealthInput()), list(probes.values())


@app.command()
def health(as_json: JsonOption = False) -> None:
    """Probe every provider, then show the probe, circuit state, success rate, latency, errors.

    JSON: the provider_health payload ("providers") and the probes' results ("probes").
    """
    result, probes = run_async(_health())
    if as_json:
        print_json(
            {**result.model_dump(mode="json"), "probes": PROBES.dump_python(probes, mode="json")}
        )
    else:
        console.print(render.health_table(result, probes))
    if not any(probe.healthy for probe in probes):
        failures = "; ".join(f"{p.provider}: {p.detail or 'failed'}" for p in probes)
        fail(f"No provider passed its health probe ({failures}).", 3)


@app.command()
def scenarios(as_json: JsonOption = False) -> None:
    """The simulated flights disrupted the same way every day, to try the other commands on."""
    entries = showcase.showcase(Settings().flight_agent_mock_seed)
    if as_json:
        print_json([entry.model_dump(mode="json") for entry in entries])
    else:
        console.print(showcase.showcase_table(entries))


def print_change(change: FlightChange, as_json: bool) -> None:
    """One change: a line for people, or a JSON line."""
    if as_json:
        typer.echo(change.model_dump_json())
    else:
        console.print(render.change_line(change))


async def _follow(
    service: EnhancedFlightMonitoringService,
    results: list[FlightStatusResult],
    max_events: int | None,
    seconds: float | None,
    as_json: bool,
) -> None:
    """Name the flights, then print their changes until ``max_events`` or ``seconds``."""
    for result in results:
        stderr.print(Text(f"Watching {formatting.flight_line(result.flight)}", style="dim"))
    seen: list[FlightChange] = []

    def emit(change: FlightChange) -> None:
        seen.append(change)
        print_change(change, as_json)

    await service.start()
    flights = [result.query for result in results]
    try:
        await watching.follow(service, flights, emit, max_events=max_events, seconds=seconds)
    except TimeoutError:
        note = f"Stopped after {seconds:g} s, {len(seen)} change(s)."
        stderr.print(Text(note, style="dim"))


async def _watch(
    refs: list[FlightRef],
    max_events: int | None,
    seconds: float | None,
    as_json: bool,
    speed: float | None = None,
) -> list[ErrorKind]:
    """Check the flights, then print their changes, replayed ``speed`` times faster when
    given; the kinds of failure if any cannot be watched."""
    async with open_service() as service:
        results, kinds = sort_out(refs, await lookup_all(service, refs))
        if kinds:
            return kinds
        if speed is None:
            await _follow(service, results, max_events, seconds, as_json)
            return []
        start = replay.replay_start((result.flight for result in results), service.now())
    stderr.print(Text(replay.replay_note(speed, start), style="dim"))
    async with replay.replay_service(Settings(), speed, start) as replayed:
        results, kinds = sort_out(refs, await lookup_all(replayed, refs))
        if not kinds:
            await _follow(replayed, results, max_events, seconds, as_json)
        return kinds


@app.command()
def watch(
    flights: Annotated[list[str], typer.Argument(help="Designators, e.g. BA117 AA100.")],
    on: DateOption = None,
    origin: OriginOption = None,
    max_events: Annotated[
        int | None, typer.Option(min=1, help="Stop after this many change events.")
    ] = None,
    timeout: Annotated[
        float | None, typer.Option(min=0, help="Stop after this many seconds.")
    ] = None,
    speed: Annotated[
        float | None,
        typer.Option(
            min=1,
            max=3600,
            help="Simulated data only: replay the flights N times faster (60: a minute a "
            "second), from an hour before the first departure.",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Watch flights and print each change as it is detected, until Ctrl-C (--json: JSON lines)."""
    if speed is not None and (refused := replay.refusal(Settings())):
        fail(refused, 2)
    check_count(len(flights))
    refs = [flight_ref(flight, on, origin) for flight in flights]
    try:
        kinds = run_async(_watch(refs, max_events, timeout, as_json, speed))
    except KeyboardInterrupt:
        kinds = []
    raise typer.Exit(exit_code(kinds))


class McpTransport(StrEnum):
    """The MCP transports the server speaks."""

    STDIO = "stdio"
    HTTP = "http"


@app.command()
def mcp(
    transport: Annotated[McpTransport, typer.Option(help="stdio or streamable HTTP.")] = (
        McpTransport.STDIO
    ),
    host: Annotated[
        str, typer.Option(help="HTTP interface; off loopback FLIGHT_AGENT_MCP_TOKEN is required.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="HTTP port.")] = 8000,
    desk: Annotated[
        bool, typer.Option("--desk", help="Also serve the desk's trip and case tools.")
    ] = False,
) -> None:
    """Serve the flight tools over MCP (stdio, or streamable HTTP at /mcp)."""
    if transport is McpTransport.HTTP:
        common.check_listen(host, port)
    server = build_mcp_server(host=host, port=port, factory=common.service_factory, desk=desk)
    try:
        asyncio.run(server.serve(transport.value))
    except InsecureBindError as error:
        fail(str(error), 2)
    except KeyboardInterrupt:
        pass


app.add_typer(desk_cli.trips_app, name="trips")
app.add_typer(desk_cli.cases_app, name="cases")
app.command("desk")(desk_cli.desk_command)
app.command()(serving.serve)
