"""AeroAPI's ``deliver_alert`` callback, read strictly: the event, its flight and its identity."""

from __future__ import annotations

import copy
import json
from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from flight_agent.flight_query import FlightQuery
from flight_agent.providers.alert_callback import AlertCallback
from tests.conftest import load_fixture


def callback(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = copy.deepcopy(load_fixture("aeroapi_alerts/callback_departure.json"))
    body.update(changes)
    return body


def parsed(body: dict[str, Any]) -> AlertCallback:
    return AlertCallback.model_validate_json(json.dumps(body))


def flight(**changes: Any) -> dict[str, Any]:
    return {**callback()["flight"], **changes}


def test_a_callback_names_the_flight_to_refresh() -> None:
    assert parsed(callback()).query() == FlightQuery.parse(
        "BA117", date(2026, 11, 28), origin="LHR"
    )


def test_a_flight_without_a_schedule_names_no_query() -> None:
    event = parsed(callback(flight=flight(scheduled_out=None, scheduled_off=None)))
    assert event.query() is None


def test_the_dedupe_key_tells_events_apart_and_replays_together() -> None:
    departure = parsed(callback())
    replay = parsed(callback())
    later = parsed(callback(flight=flight(actual_off="2026-11-28T12:30:00Z")))
    gate = parsed(callback(event_code="change"))
    moved = parsed(callback(event_code="change", flight=flight(gate_origin="C2")))
    keys = [event.dedupe_key() for event in (departure, replay, later, gate, moved)]
    assert keys[0] == keys[1]
    assert len(set(keys)) == 4
    assert keys[0] == "2215601:departure:BAW117-1764215400-schedule-0001:2026-11-28T12:21:00+00:00"


@pytest.mark.parametrize(
    "body",
    [
        callback(alert_id="2215601"),
        callback(alert_id=True),
        callback(event_code="landed"),
        callback(flight=flight(actual_off="2026-11-28T12:21:00")),
        callback(flight=flight(route_distance="3451")),
        callback(flight=flight(cancelled="false")),
    ],
    ids=["id-as-text", "id-as-bool", "unknown-code", "naive-time", "int-as-text", "bool-as-text"],
)
def test_types_are_read_as_strictly_as_the_spec_writes_them(body: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        parsed(body)


def test_keys_the_spec_does_not_list_are_ignored() -> None:
    event = parsed(callback(flight=flight(foresight="soon"), extra="x"))
    assert event.flight.fa_flight_id == "BAW117-1764215400-schedule-0001"
