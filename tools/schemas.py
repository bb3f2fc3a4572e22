"""The tools' argument schemas: what a model may send, with formats, examples and bounds.

Field descriptions are prompts: each says the format and gives an example. Patterns reject
malformed input before any service call; the flight-query parser then checks meaning (known
airline and airport codes, dates a provider can answer).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal, NotRequired, Self

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
    with_config,
)
from pydantic_core import PydanticCustomError
from typing_extensions import TypedDict  # pydantic reads typing's TypedDict on 3.12+ only

from flight_agent.airports import find_airport

DESIGNATOR_PATTERN = r"^[A-Za-z0-9]{2,3} ?[0-9]{1,4}[A-Za-z]?$"
AIRPORT_PATTERN = r"^[A-Za-z]{3,4}$"
DATE_PATTERN = r"^(today|tomorrow|yesterday|[0-9]{4}-[0-9]{2}-[0-9]{2})$"
RELATIVE_DAYS = {"yesterday": -1, "today": 0, "tomorrow": 1}
MAX_BATCH = 100

FLIGHT_NUMBER_DESCRIPTION = (
    "Flight designator: airline code (IATA 2 characters or ICAO 3 letters) and a 1-4 digit "
    "number with an optional letter, e.g. 'BA117', 'BAW117', 'U2 1234'."
)
DATE_DESCRIPTION = (
    "Local departure date at the origin as YYYY-MM-DD (e.g. '2026-11-29'), or 'today', "
    "'tomorrow', 'yesterday'. Omit for today at the origin."
)
ORIGIN_DESCRIPTION = (
    "Departure airport code, IATA 'LHR' or ICAO 'EGLL'. Only needed to pick one leg of a "
    "multi-leg flight number, or to read 'today' in the origin's time zone."
)


def _not_a_flag(value: object) -> object:
    """JSON ``true`` is not 1: pydantic would read it as one in a number field."""
    if isinstance(value, bool):
        raise PydanticCustomError("int_type", "Input should be a valid integer")
    return value


Count = Annotated[int, BeforeValidator(_not_a_flag)]
"""A whole number that refuses true and false."""


def check_date(value: str | None) -> str | None:
    """Reject dates that match the pattern but do not exist (e.g. 2026-02-30)."""
    if value is None or value in RELATIVE_DAYS:
        return value
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError("not a calendar date; use YYYY-MM-DD such as '2026-11-29'") from None
    return value


class FlightRef(BaseModel):
    """One flight: designator, optional date and origin."""

    model_config = ConfigDict(extra="forbid")

    flight_number: str = Field(
        description=FLIGHT_NUMBER_DESCRIPTION, pattern=DESIGNATOR_PATTERN, max_length=9
    )
    date: str | None = Field(
        default=None, description=DATE_DESCRIPTION, pattern=DATE_PATTERN, max_length=10
    )
    origin: str | None = Field(
        default=None, description=ORIGIN_DESCRIPTION, pattern=AIRPORT_PATTERN, max_length=4
    )

    _check_date = field_validator("date")(check_date)


@with_config(ConfigDict(extra="forbid"))
class FlightRefDict(TypedDict):
    """One flight as a JSON object: designator, optional date and origin, as in FlightRef."""

    flight_number: Annotated[
        str, Field(description=FLIGHT_NUMBER_DESCRIPTION, pattern=DESIGNATOR_PATTERN, max_length=9)
    ]
    date: NotRequired[
        Annotated[str, Field(description=DATE_DESCRIPTION, pattern=DATE_PATTERN, max_length=10)]
    ]
    origin: NotRequired[
        Annotated[str, Field(description=ORIGIN_DESCRIPTION, pattern=AIRPORT_PATTERN, max_length=4)]
    ]


class GetFlightStatusInput(FlightRef):
    """Arguments of ``get_flight_status``."""


class BatchStatusInput(BaseModel):
    """Arguments of ``batch_status``."""

    model_config = ConfigDict(extra="forbid")

    flights: list[FlightRef] = Field(
        description=(
            f"1 to {MAX_BATCH} flights, each {{flight_number, date?, origin?}}, e.g. "
            '[{"flight_number": "BA117", "date": "2026-11-29"}, {"flight_number": "AA100"}].'
        ),
        min_length=1,
        max_length=MAX_BATCH,
    )


class ProviderHealthInput(BaseModel):
    """Arguments of ``provider_health``."""

    model_config = ConfigDict(extra="forbid")

    provider: str | None = Field(
        default=None,
        description="One provider's name, e.g. 'FlightAware' or 'Simulated'; omit for all.",
        max_length=64,
    )


CLOCK_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"
LOCAL_TIME_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[ T]([01][0-9]|2[0-3]):[0-5][0-9]$"
MAX_LEGS = 6


class CheckConnectionInput(BaseModel):
    """Arguments of ``check_connection``."""

    model_config = ConfigDict(extra="forbid")

    inbound: FlightRef = Field(description="The arriving flight, e.g. {'flight_number': 'BA117'}.")
    onward: FlightRef = Field(
        description="The departing flight the traveller connects to, e.g. {'flight_number': "
        "'AA100', 'origin': 'JFK'}. Its origin should be the inbound flight's destination."
    )


class AssessDisruptionInput(FlightRef):
    """Arguments of ``assess_disruption``."""


class PassengerRightsInput(BaseModel):
    """Arguments of ``passenger_rights``."""

    model_config = ConfigDict(extra="forbid")

    flights: list[FlightRef] = Field(
        description=(
            f"Every leg of ONE booking in travel order (1 to {MAX_LEGS}), e.g. "
            '[{"flight_number": "BA117", "date": "2026-11-29"}].'
        ),
        min_length=1,
        max_length=MAX_LEGS,
    )
    cause: Literal["unknown", "carrier", "carrier_safety", "extraordinary"] = Field(
        default="unknown",
        description=(
            "Why it happened, if the airline said: 'carrier' (technical, crew), "
            "'carrier_safety' (required for safety), 'extraordinary' (weather, ATC, strikes "
            "outside the airline), else 'unknown'."
        ),
    )
    cancellation_notice_days: Count | None = Field(
        default=None,
        ge=0,
        le=365,
        description=(
            "For a cancellation the airline told the traveller about: how many days before "
            "departure (0 on the day). Omit when the airline has not confirmed it."
        ),
    )
    final_arrival: str | None = Field(
        default=None,
        pattern=LOCAL_TIME_PATTERN,
        description=(
            "After a diversion, a missed connection or a re-routing: when the traveller reached "
            "(or is due to reach) the booked final destination, local time there as "
            "'YYYY-MM-DD HH:MM', e.g. '2026-11-29 17:40'. Omit if not known."
        ),
    )
    ticket_refunded: bool = Field(
        default=False,
        description="True if the ticket was refunded instead of the journey being flown.",
    )

    @field_validator("final_arrival")
    @classmethod
    def _check_final_arrival(cls, value: str | None) -> str | None:
        if value is not None:
            check_date(value[:10])
        return value


class FindAlternativeFlightsInput(BaseModel):
    """Arguments of ``find_alternative_flights``."""

    model_config = ConfigDict(extra="forbid")

    origin: str = Field(
        description="Departure airport, IATA 'LHR' or ICAO 'EGLL'.", pattern=AIRPORT_PATTERN
    )
    destination: str = Field(
        description="Arrival airport, IATA 'JFK' or ICAO 'KJFK'.", pattern=AIRPORT_PATTERN
    )
    date: str | None = Field(default=None, description=DATE_DESCRIPTION, pattern=DATE_PATTERN)
    earliest: str = Field(
        default="00:00",
        description="Earliest local departure time at the origin, HH:MM, e.g. '14:00'.",
        pattern=CLOCK_PATTERN,
    )
    latest: str = Field(
        default="23:59",
        description="Latest local departure time at the origin, HH:MM, e.g. '22:00'.",
        pattern=CLOCK_PATTERN,
    )
    max_results: Count = Field(default=5, ge=1, le=20, description="At most this many flights.")

    _check_date = field_validator("date")(check_date)

    @model_validator(mode="after")
    def _two_airports(self) -> Self:
        same = find_airport(self.origin) or self.origin.upper()
        if same == (find_airport(self.destination) or self.destination.upper()):
            raise ValueError("origin and destination are the same airport; name two airports")
        return self
