"""FlightStatusData: aware UTC times, the disruption rule and local rendering."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from pydantic import ValidationError

from flight_agent.airports import get_airport
from flight_agent.models import FlightStatus, FlightStatusData, local_clock


def record(**overrides: Any) -> FlightStatusData:
    fields: dict[str, Any] = {
        "flight_id": "BA117",
        "flight_date": date(2026, 11, 28),
        "origin": get_airport("LHR"),
        "destination": get_airport("JFK"),
        "scheduled_out": datetime(2026, 11, 28, 8, 20, tzinfo=UTC),
        "scheduled_in": datetime(2026, 11, 28, 16, 35, tzinfo=UTC),
        "status": FlightStatus.SCHEDULED,
        "source": "Test",
        "fetched_at": datetime(2026, 11, 28, 7, 0, tzinfo=UTC),
    }
    return FlightStatusData(**(fields | overrides))


@pytest.mark.parametrize(
    ("overrides", "disrupted"),
    [
        pytest.param({}, False, id="on-time"),
        pytest.param({"departure_delay_minutes": 14}, False, id="delay-14"),
        pytest.param({"departure_delay_minutes": 15}, True, id="delay-15"),
        pytest.param({"arrival_delay_minutes": 200}, True, id="arrival-delay"),
        pytest.param({"departure_delay_minutes": -20}, False, id="early"),
        pytest.param({"status": FlightStatus.CANCELLED}, True, id="cancelled"),
        pytest.param({"status": FlightStatus.DIVERTED}, True, id="diverted"),
    ],
)
def test_disrupted_means_cancelled_diverted_or_late_by_15_minutes(
    overrides: dict[str, Any], disrupted: bool
) -> None:
    """is_disrupted follows the 15-minute rule and the cancelled/diverted states."""
    assert record(**overrides).is_disrupted is disrupted


def test_times_are_converted_to_utc() -> None:
    """A time given with another offset is stored as the same instant in UTC."""
    new_york = timezone(timedelta(hours=-5))
    value = record(estimated_in=datetime(2026, 11, 28, 11, 50, tzinfo=new_york))
    assert value.estimated_in == datetime(2026, 11, 28, 16, 50, tzinfo=UTC)
    assert value.estimated_in.tzinfo is UTC


def test_naive_times_are_rejected() -> None:
    """A naive datetime cannot be placed in time and is refused."""
    with pytest.raises(ValidationError, match="naive datetime"):
        record(actual_out=datetime(2026, 11, 28, 8, 25))  # noqa: DTZ001 - naive on purpose


def test_record_is_frozen_and_strict_about_field_names() -> None:
    """Records cannot be mutated and unknown fields are refused."""
    value = record()
    with pytest.raises(ValidationError):
        value.status = FlightStatus.CANCELLED  # type: ignore[misc]
    with pytest.raises(ValidationError):
        record(gate="A1")


def test_local_times_render_in_each_airports_zone() -> None:
    """Departure renders in London time, arrival in New York time, both with UTC."""
    value = record()
    assert (
        local_clock(value.scheduled_out, value.origin, dated=True)
        == "2026-11-28 08:20 GMT (08:20Z)"
    )
    assert (
        local_clock(value.scheduled_in, value.destination, dated=True)
        == "2026-11-28 11:35 EST (16:35Z)"
    )
    assert local_clock(None, value.origin, dated=True) == "-"
    arrival = value.arrival_local(value.scheduled_in)
    assert arrival is not None
    assert arrival.hour == 11


def test_best_times_prefer_actual_then_estimated_then_scheduled() -> None:
    """best_departure and best_arrival pick the most certain time available."""
    estimated = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
    actual = datetime(2026, 11, 28, 9, 5, tzinfo=UTC)
    assert record().best_departure == datetime(2026, 11, 28, 8, 20, tzinfo=UTC)
    assert record(estimated_out=estimated).best_departure == estimated
    assert record(estimated_out=estimated, actual_out=actual).best_departure == actual
    assert record().route == "LHR-JFK"


def test_a_record_reads_back_its_own_json() -> None:
    """The JSON of a record, derived is_disrupted included, validates into an equal record."""
    value = record(codeshares=("AA6126",), legs=("LHR-JFK",))
    assert value.model_dump(mode="json")["is_disrupted"] is False
    assert FlightStatusData.model_validate_json(value.model_dump_json()) == value
    assert FlightStatusData.model_validate(value.model_dump(mode="json")) == value
