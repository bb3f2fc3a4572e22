"""Trips: a traveller's booking the desk watches, 1 to 6 legs with their dates.

A trip is registered once (``TripRequest``, validated with every problem named at once) and
stored as a ``Trip``: its id, its legs as ``FlightRef``s with calendar dates (a relative date such
as "tomorrow" is read when the trip is added, in the origin's zone), how many passengers it
carries and a label for people. ``leg_key`` names a leg the way change events name flights
(designator and local date), so an event finds the trips it touches.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from flight_agent.flight_query import FlightQuery
from graphs.desk.errors import InvalidTripError
from tools.errors import explain_invalid
from tools.operations import resolve_day
from tools.schemas import MAX_LEGS, FlightRef

TRIP_ID_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,39}$"
MAX_PASSENGERS = 9
"""The most passengers one booking (PNR) holds."""
MAX_LABEL = 120


class TripRequest(BaseModel):
    """A trip to register, as a caller sends it."""

    model_config = ConfigDict(extra="forbid")

    id: str | None = Field(
        default=None,
        pattern=TRIP_ID_PATTERN,
        description="Lower-case letters, digits, '-' or '_', up to 40; generated when omitted",
    )
    legs: list[FlightRef] = Field(
        min_length=1,
        max_length=MAX_LEGS,
        description=f"1 to {MAX_LEGS} legs in travel order, each with its date, e.g. "
        '[{"flight_number": "BA117", "date": "2026-11-29", "origin": "LHR"}]',
    )
    passengers: int = Field(default=1, ge=1, le=MAX_PASSENGERS)
    label: str = Field(default="", max_length=MAX_LABEL, description="For people, e.g. a name")


class Trip(BaseModel):
    """A registered trip: every leg has a calendar date."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    legs: tuple[FlightRef, ...]
    passengers: int
    label: str
    added_at: dt.datetime

    @property
    def leg_keys(self) -> list[str]:
        """The keys of the legs (``leg_key``), in travel order."""
        return [leg_key(leg.flight_number, leg_day(leg)) for leg in self.legs]

    def describe(self) -> str:
        """One line: id, label, legs."""
        legs = ", ".join(f"{leg.flight_number} {leg.date}" for leg in self.legs)
        label = f" ({self.label})" if self.label else ""
        return f"{self.id}{label}: {legs}, {self.passengers} pax"


def leg_day(leg: FlightRef) -> dt.date:
    """A registered leg's date."""
    return dt.date.fromisoformat(leg.date or "")


def leg_key(flight_number: str, day: dt.date) -> str:
    """A leg as events name it: the designator and local date, ``BA117@2026-11-29``."""
    return f"{FlightQuery.parse(flight_number, day).flight_id}@{day.isoformat()}"


def new_trip(request: object, *, now: dt.datetime) -> Trip:
    """The trip a request describes, relative dates read at ``now``.

    Raises:
        InvalidTripError: One message naming every problem, e.g. "Invalid trip: legs.0.date:
            ... ; passengers: ...".
    """
    try:
        parsed = TripRequest.model_validate(request)
    except ValidationError as error:
        raise InvalidTripError(f"Invalid trip: {explain_invalid(TripRequest, error)}") from None
    legs, problems = [], []
    for number, leg in enumerate(parsed.legs, start=1):
        if leg.date is None:
            problems.append(f"leg {number} ({leg.flight_number}) has no date: send YYYY-MM-DD")
            continue
        day, _ = resolve_day(leg.date, leg.origin, now)
        try:
            query = FlightQuery.parse(leg.flight_number, day, origin=leg.origin)
        except ValueError as error:
            problems.append(f"leg {number}: {error}")
            continue
        legs.append(leg.model_copy(update={"flight_number": query.flight_id, "date": str(day)}))
    keys = [leg_key(leg.flight_number, leg_day(leg)) for leg in legs]
    if len(set(keys)) != len(keys):
        problems.append("the same flight appears twice on one date")
    if problems:
        raise InvalidTripError(f"Invalid trip: {'; '.join(problems)}.")
    return Trip(
        id=parsed.id or f"trip-{uuid.uuid4().hex[:10]}",
        legs=tuple(legs),
        passengers=parsed.passengers,
        label=parsed.label.strip(),
        added_at=now,
    )


def check_trip_id(trip_id: str) -> str:
    """The id, if it can be a trip's.

    Raises:
        InvalidTripError: It cannot.
    """
    if not re.fullmatch(TRIP_ID_PATTERN, trip_id):
        raise InvalidTripError(
            f"{trip_id!r} is not a trip id: lower-case letters, digits, '-' or '_', up to 40"
        )
    return trip_id
