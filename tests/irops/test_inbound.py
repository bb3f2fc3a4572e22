"""Late inbound aircraft: turn times by class, confidence, and rotation chains."""

from __future__ import annotations

from datetime import timedelta

import pytest

from flight_agent.irops import (
    AircraftClass,
    Confidence,
    aircraft_class,
    predict_departure,
    predict_rotation,
)
from flight_agent.models import FlightStatusData
from tests.irops.factories import flight, utc

OUT = utc("2025-07-15 18:00")


def onward(**fields: object) -> FlightStatusData:
    """DL88 JFK-LHR at 18:00Z."""
    values: dict[str, object] = {
        "scheduled_out": OUT,
        "aircraft_type": "A321",
        "registration": "N1",
    }
    return flight("DL88", "JFK-LHR", "2025-07-15", **(values | fields))


def inbound(**fields: object) -> FlightStatusData:
    """DL87 into JFK."""
    values: dict[str, object] = {"registration": "N1"}
    return flight("DL87", "LAX-JFK", "2025-07-15", **(values | fields))


@pytest.mark.parametrize(
    ("aircraft_type", "body"),
    [
        pytest.param("A321", AircraftClass.NARROWBODY, id="a321"),
        pytest.param("77W", AircraftClass.WIDEBODY, id="iata-77w"),
        pytest.param("b789", AircraftClass.WIDEBODY, id="lower-case"),
        pytest.param("ZZZZ", None, id="unknown"),
        pytest.param(None, None, id="missing"),
    ],
)
def test_aircraft_types_map_to_body_classes(
    aircraft_type: str | None, body: AircraftClass | None
) -> None:
    """Types in data/aircraft_types.csv map to a class; others are unknown."""
    assert aircraft_class(aircraft_type) == body


def test_widebody_needs_a_sixty_minute_turn() -> None:
    """A B789 inbound at 17:30 cannot leave before 18:30: +30 min."""
    prediction = predict_departure(
        onward(aircraft_type="B789"), inbound(estimated_in=OUT - timedelta(minutes=30))
    )
    assert (prediction.min_turn_minutes, prediction.predicted_delay_minutes) == (60, 30)


def test_early_inbound_keeps_the_scheduled_departure() -> None:
    """An inbound at the gate well before the turn time predicts an on-time departure."""
    prediction = predict_departure(onward(), inbound(actual_in=OUT - timedelta(hours=2)))
    assert prediction.predicted_out == OUT
    assert prediction.predicted_delay_minutes == 0
    assert prediction.confidence is Confidence.HIGH


def test_unknown_type_assumes_narrowbody_with_low_confidence() -> None:
    """An unknown type uses the 30 min turn and says so."""
    prediction = predict_departure(
        onward(aircraft_type="ZZZZ"), inbound(estimated_in=OUT, aircraft_type=None)
    )
    assert prediction.min_turn_minutes == 30
    assert prediction.confidence is Confidence.LOW
    assert "narrowbody turn assumed" in prediction.explanation


def test_tail_swap_makes_the_prediction_low_confidence() -> None:
    """A different registration on the inbound means the link must be re-resolved."""
    prediction = predict_departure(onward(registration="N2"), inbound(estimated_in=OUT))
    assert prediction.confidence is Confidence.LOW
    assert "re-resolve" in prediction.explanation


def test_inbound_landing_elsewhere_is_flagged() -> None:
    """An inbound that does not arrive at this flight's origin is the wrong link."""
    wrong = flight("DL5", "LAX-BOS", "2025-07-15", estimated_in=OUT, registration="N1")
    prediction = predict_departure(onward(), wrong)
    assert prediction.confidence is Confidence.LOW
    assert "not JFK" in prediction.explanation


def test_missing_times_give_no_prediction() -> None:
    """Without the inbound arrival or the scheduled departure there is no prediction."""
    prediction = predict_departure(onward(), inbound())
    assert prediction.predicted_out is None
    assert prediction.confidence is Confidence.LOW
    assert prediction.explanation.startswith("cannot predict")


def test_rotation_propagates_a_delay_down_the_day() -> None:
    """First leg 90 min late: each later leg inherits what its turn time cannot absorb."""
    legs = [
        flight(
            "DL1",
            "ATL-JFK",
            "2025-07-15",
            scheduled_out=utc("2025-07-15 10:00"),
            estimated_out=utc("2025-07-15 11:30"),
            scheduled_in=utc("2025-07-15 12:00"),
            aircraft_type="A321",
        ),
        flight(
            "DL2",
            "JFK-BOS",
            "2025-07-15",
            scheduled_out=utc("2025-07-15 12:45"),
            scheduled_in=utc("2025-07-15 14:00"),
            aircraft_type="A321",
        ),
        flight(
            "DL3",
            "BOS-ATL",
            "2025-07-15",
            scheduled_out=utc("2025-07-15 15:00"),
            aircraft_type="A321",
        ),
    ]
    second, third = predict_rotation(legs)
    assert second.inbound_arrival == utc("2025-07-15 13:30")
    assert second.predicted_out == utc("2025-07-15 14:00")
    assert third.inbound_arrival == utc("2025-07-15 15:15")
    assert (third.predicted_out, third.predicted_delay_minutes) == (utc("2025-07-15 15:45"), 45)


def test_rotation_of_one_leg_predicts_nothing() -> None:
    """A first flight of the day has no inbound to predict from."""
    assert predict_rotation([onward()]) == ()
