"""``flight-agent trips``, ``flight-agent cases`` and ``flight-agent desk``: the disruption desk.

Trips and cases live in the desk's database (``DATABASE_URL``, else the SQLite file
``FLIGHT_AGENT_DESK_DB``, ``.flight-agent/desk.sqlite``; ``--db`` overrides both). ``desk``
runs desk workers (and this process's flight monitor) until interrupted, printing each case as
it opens, waits for approval or is decided; ``desk --demo`` registers a few trips on today's
simulated flights in a fresh SQLite file (those disrupted already open their cases at once)
and replays the day fast.

Exit codes, as the other commands: 0 done, 1 no such trip or case, 2 bad input (or a decision
that cannot be applied), 4 the desk's database is unavailable, 5 the case was already decided.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import tempfile
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from flight_agent.apps.cli.agent import print_findings
from flight_agent.apps.cli.common import STORE_DOWN, JsonOption, console, fail
from flight_agent.apps.cli.replay import replay_service
from flight_agent.errors import FlightDataError, InvalidFlightQueryError
from flight_agent.services import EnhancedFlightMonitoringService
from flight_agent.settings import Settings
from graphs.desk import (
    Case,
    CaseAlreadyDecidedError,
    CaseNotFoundError,
    CaseStatus,
    Desk,
    DeskStorageError,
    DeskWorker,
    Trip,
    TripNotFoundError,
    add_demo_trips,
)
from graphs.desk.session import open_desk

T = TypeVar("T")

ALREADY_DECIDED = 5
"""The exit code of a decision on a case that no longer awaits one."""

trips_app = typer.Typer(help="Trips the desk watches: add, list, show, remove.")
cases_app = typer.Typer(help="IROPS cases opened by the desk: list, show, approve, reject.")

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="The desk's database: a postgresql:// URL or a SQLite file."),
]

DEMO_START = dt.time(4)
DEMO_LENGTH = dt.timedelta(hours=16)
"""The demo replays the simulated day from 04:00 to 20:00 UTC."""


@contextlib.contextmanager
def _desk(db: str | None, service: EnhancedFlightMonitoringService | None = None) -> Iterator[Desk]:
    try:
        with open_desk(db, service=service) as desk:
            yield desk
    except DeskStorageError as error:
        fail(str(error), STORE_DOWN)


def _run(action: Callable[[], T]) -> T:
    """Run a desk call; its errors end the command with their exit code."""
    try:
        return action()
    except (TripNotFoundError, CaseNotFoundError) as error:
        fail(str(error), 1)
    except CaseAlreadyDecidedError as error:
        fail(str(error), ALREADY_DECIDED)
    except InvalidFlightQueryError as error:
        fail(str(error), 2)
    except DeskStorageError as error:
        fail(str(error), STORE_DOWN)
    except FlightDataError as error:
        fail(str(error), 3)


def parse_leg(text: str) -> dict[str, str]:
    """``BA117/2026-11-29`` or ``BA117/2026-11-29/LHR`` as a leg.

    Raises:
        typer.BadParameter: Not in that form.
    """
    parts = text.split("/")
    if len(parts) not in (2, 3) or not all(parts):
        raise typer.BadParameter(
            f"{text!r}: write a leg as FLIGHT/DATE or FLIGHT/DATE/ORIGIN, e.g. BA117/2026-11-29/LHR"
        )
    leg = {"flight_number": parts[0], "date": parts[1]}
    if len(parts) == 3:
        leg["origin"] = parts[2]
    return leg


def _print_json(value: Any) -> None:
    typer.echo(json.dumps(value, indent=2, default=str))


def case_line(case: Case) -> str:
    """One line for a case: id, status, trip, what opened it or what waits."""
    what = case.summary[0] if case.summary else ""
    if case.status is CaseStatus.AWAITING_APPROVAL:
        ids = ", ".join(str(a.get("args", {}).get("id")) for a in case.actions)
        count = len(case.actions)
        what = f"{count} action{'s' if count != 1 else ''} to approve ({ids}); {what}"
    return f"{case.id}  {case.status.value:<17}  {what}"


# ----- trips ----------------------------------------------------------------------------------


@trips_app.command("add")
def trips_add(
    legs: Annotated[
        list[str], typer.Argument(help="1 to 6 legs, each FLIGHT/DATE or FLIGHT/DATE/ORIGIN.")
    ],
    trip_id: Annotated[str | None, typer.Option("--id", help="The trip's id.")] = None,
    passengers: Annotated[int, typer.Option(help="Passengers on the booking.")] = 1,
    label: Annotated[str, typer.Option(help="For people, e.g. the traveller's name.")] = "",
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Register a trip and watch its legs."""
    request = {
        "id": trip_id,
        "legs": [parse_leg(leg) for leg in legs],
        "passengers": passengers,
        "label": label,
    }
    with _desk(db) as desk:
        trip = _run(lambda: desk.add_trip(request))
        cases = _run(lambda: desk.cases(trip_id=trip.id))  # disrupted already: its case
    if as_json:
        typer.echo(json.dumps(trip.model_dump(mode="json")))
        return
    typer.echo(f"Added {trip.describe()}")
    for case in cases:
        console.print("  " + case_line(case), soft_wrap=True, markup=False)


@trips_app.command("list")
def trips_list(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Every trip."""
    with _desk(db) as desk:
        trips = _run(desk.trips)
    if as_json:
        _print_json([trip.model_dump(mode="json") for trip in trips])
        return
    for trip in trips:
        console.print(trip.describe(), soft_wrap=True, markup=False)
    if not trips:
        typer.echo("No trips: add one with `flight-agent trips add BA117/2026-11-29/LHR`.")


@trips_app.command("show")
def trips_show(trip_id: str, db: DbOption = None, as_json: JsonOption = False) -> None:
    """One trip and its cases."""
    with _desk(db) as desk:
        trip: Trip = _run(lambda: desk.trip(trip_id))
        cases = _run(lambda: desk.cases(trip_id=trip_id))
    if as_json:
        _print_json({"trip": trip.model_dump(mode="json"), "cases": [c.id for c in cases]})
        return
    console.print(trip.describe(), soft_wrap=True, markup=False)
    for case in cases:
        console.print("  " + case_line(case), soft_wrap=True, markup=False)


@trips_app.command("remove")
def trips_remove(trip_id: str, db: DbOption = None) -> None:
    """Remove a trip: its live case closes; legs no other trip flies are unwatched."""
    with _desk(db) as desk:
        trip = _run(lambda: desk.remove_trip(trip_id))
    typer.echo(f"Removed {trip.id}")


# ----- cases ----------------------------------------------------------------------------------


@cases_app.command("list")
def cases_list(
    status: Annotated[CaseStatus | None, typer.Option(help="Only cases in this status.")] = None,
    trip: Annotated[str | None, typer.Option(help="Only this trip's cases.")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """The cases, oldest first."""
    with _desk(db) as desk:
        cases = _run(lambda: desk.cases(status=status, trip_id=trip))
    if as_json:
        _print_json([case.model_dump(mode="json") for case in cases])
        return
    for case in cases:
        console.print(case_line(case), soft_wrap=True, markup=False)
    if not cases:
        typer.echo("No cases.")


@cases_app.command("show")
def cases_show(case_id: str, db: DbOption = None, as_json: JsonOption = False) -> None:
    """One case: what the graph found, its actions, report and history."""
    with _desk(db) as desk:
        case = _run(lambda: desk.case(case_id))
        findings = _run(lambda: desk.case_findings(case_id))
        history = _run(lambda: desk.history(case_id))
    if as_json:
        _print_json(
            {
                "case": case.model_dump(mode="json"),
                "findings": findings.as_json(),
                "history": [h.model_dump(mode="json") for h in history],
            }
        )
        return
    console.print(case_line(case), soft_wrap=True, markup=False)
    for line in case.summary:
        console.print(f"  why: {line}", soft_wrap=True, markup=False)
    print_findings(findings.disruptions, findings.connections, findings.rights)
    for action in case.actions:
        args = action.get("args", {})
        console.print(f"  action {args.get('id')}: {action.get('description')}", markup=False)
    if case.report:
        console.print(case.report.get("explanation", ""), soft_wrap=True, markup=False)
    for entry in history:
        console.print(f"  {entry.at:%H:%MZ} {entry.kind}: {entry.text}", markup=False)


@cases_app.command("approve")
def cases_approve(
    case_id: str,
    action: Annotated[
        list[str] | None,
        typer.Option("--action", help="Approve only this action id (repeat); all by default."),
    ] = None,
    db: DbOption = None,
) -> None:
    """Approve the case's actions (all, or those named), resuming its graph."""
    with _desk(db) as desk:
        case = _run(lambda: desk.approve(case_id, action))
    typer.echo(case_line(case))


@cases_app.command("reject")
def cases_reject(
    case_id: str,
    reason: Annotated[str | None, typer.Option(help="Why, for the record.")] = None,
    db: DbOption = None,
) -> None:
    """Reject every action of the case, resuming its graph."""
    with _desk(db) as desk:
        case = _run(lambda: desk.reject(case_id, reason))
    typer.echo(case_line(case))


# ----- the worker -----------------------------------------------------------------------------


def _printer(desk: Desk) -> Callable[[Case], None]:
    def show(case: Case) -> None:
        console.print(f"{desk.now():%H:%MZ}  {case_line(case)}", soft_wrap=True, markup=False)

    return show


def serve(desk: Desk, workers: int, seconds: float | None = None) -> None:
    """Run the monitor and ``workers`` desk workers on the service's loop, until interrupted
    (or for ``seconds``)."""
    desk.watch_all()

    async def main(service: EnhancedFlightMonitoringService) -> None:
        await service.start()
        stream = service.monitor.store.events
        tasks = [asyncio.create_task(DeskWorker(desk, stream).run()) for _ in range(workers)]
        try:
            if seconds is None:
                await asyncio.Event().wait()
            else:
                await asyncio.sleep(seconds)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    with contextlib.suppress(KeyboardInterrupt):
        desk.toolkit.runner.call_sync(main)


def desk_command(
    demo: Annotated[
        bool, typer.Option("--demo", help="Replay today's simulated flights with demo trips.")
    ] = False,
    workers: Annotated[int, typer.Option(min=1, max=16, help="Desk workers in this process.")] = 2,
    speed: Annotated[
        float, typer.Option(min=1, help="--demo: simulated seconds per real second.")
    ] = 1200,
    db: DbOption = None,
) -> None:
    """Run desk workers: watched trips open IROPS cases that wait for approval."""
    if demo:
        run_demo(speed, workers)
        return
    with _desk(db) as desk:
        desk.listen(_printer(desk))
        typer.echo(f"Desk on {desk.storage.where}; Ctrl-C to stop.", err=True)
        serve(desk, workers)


def run_demo(speed: float, workers: int) -> None:
    """The demo: today's simulated day from 04:00 to 20:00 UTC, ``speed`` times faster."""
    day = dt.datetime.now(dt.UTC).date()
    start = dt.datetime.combine(day, DEMO_START, dt.UTC)
    service = replay_service(Settings(), speed, start)
    with (
        tempfile.TemporaryDirectory() as folder,
        _desk(str(Path(folder) / "demo.sqlite"), service) as desk,
    ):
        desk.listen(_printer(desk))
        for trip in _run(partial(add_demo_trips, desk, day)):
            typer.echo(f"trip {trip.describe()}")
        typer.echo(f"Replaying {day} from 04:00Z to 20:00Z at {speed:g}x; cases as they open:")
        serve(desk, workers, seconds=DEMO_LENGTH.total_seconds() / speed)
        typer.echo("Cases at the end of the day:")
        for case in desk.cases():
            console.print(case_line(case), soft_wrap=True, markup=False)
