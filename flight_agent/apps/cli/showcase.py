"""``flight-agent scenarios``: the simulated world's showcase flights, as a table or JSON."""

from __future__ import annotations

from pydantic import BaseModel, Field
from rich import box
from rich.table import Table
from rich.text import Text

from flight_agent.flight_query import FlightDesignator
from flight_agent.providers.simulation import SHOWCASE, ShowcaseFlight
from flight_agent.providers.simulation.routes import route_for


class ShowcaseEntry(BaseModel):
    """One showcase flight, as ``scenarios --json`` prints it."""

    flight: str = Field(description="Designator, e.g. BA117")
    route: str | None = Field(description="Airports flown, e.g. LHR-JFK; None if it never exists")
    scenario: str = Field(description="What happens every day, e.g. major_delay, or not_found")
    delay_minutes: int | None = Field(description="The pinned delay; None when not pinned")
    diverted_to: str | None = Field(description="The pinned alternate of a diversion")
    story: str = Field(description="One line: what to expect and how to see it")


def entry(flight: ShowcaseFlight, seed: int) -> ShowcaseEntry:
    """The entry of one showcase flight in the world of ``seed``."""
    route = route_for(seed, FlightDesignator.parse(flight.designator))
    pin = flight.pin
    return ShowcaseEntry(
        flight=flight.designator,
        route="-".join([route[0].origin, *(leg.destination for leg in route)]) if route else None,
        scenario=pin.scenario.value if pin else "not_found",
        delay_minutes=pin.delay_minutes if pin else None,
        diverted_to=pin.diverted_to if pin else None,
        story=flight.story,
    )


def showcase(seed: int) -> list[ShowcaseEntry]:
    """Every showcase flight, in the documented order."""
    return [entry(flight, seed) for flight in SHOWCASE]


def showcase_table(entries: list[ShowcaseEntry]) -> Table:
    """Flight, route, scenario and story; fits an 80-column terminal (stories wrap)."""
    table = Table(
        title="Simulated flights disrupted the same way every day",
        caption="Simulated data only: with a provider key set, answers come from live data.",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        collapse_padding=True,
    )
    for column in ("flight", "route", "scenario"):
        table.add_column(column, no_wrap=True)
    table.add_column("what happens")
    for item in entries:
        table.add_row(
            Text(item.flight),
            Text(item.route or "-"),
            Text(item.scenario.replace("_", " ")),
            Text(item.story),
        )
    return table
