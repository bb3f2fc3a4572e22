"""The AeroAPI rendering matches FlightAware's official OpenAPI spec (v4.28) and its quirks."""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

import httpx
import pytest
import yaml
from openapi_schema_validator import OAS30Validator

from flight_agent.clock import FakeClock
from flight_agent.providers import MockFlightDataProvider
from flight_agent.testing import FakeUpstream
from tests.conftest import FIXTURES
from tests.testing.conftest import KEY

SPEC = FIXTURES / "spec" / "aeroapi-openapi.yml"
JSON = "application/json; charset=UTF-8"
HEADERS = {"x-apikey": KEY}
SCENARIOS = {
    "BA117": "diverted",
    "BA178": "cancelled",
    "LH400": "unknown",
    "AA100": "late_inbound",
    "UA901": "gate_change",
}


@cache
def _spec() -> dict[str, Any]:
    spec: dict[str, Any] = yaml.load(SPEC.read_text("utf-8"), Loader=yaml.CSafeLoader)
    return spec


def schema(path: str, status: str = "200") -> dict[str, Any]:
    found: dict[str, Any] = _spec()["paths"][path]["get"]["responses"][status]["content"][JSON][
        "schema"
    ]
    return found


def violations(body: Any, path: str, status: str = "200") -> list[str]:
    validator = OAS30Validator(schema(path, status), format_checker=OAS30Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(body), key=str)
    return [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]


@pytest.fixture
def upstream(clock: FakeClock) -> FakeUpstream:
    return FakeUpstream(seed=0, clock=clock, scenarios=SCENARIOS, api_key=KEY)


async def get(upstream: FakeUpstream, path: str, headers: dict[str, str] = HEADERS) -> Any:
    base_url = upstream.base_url("flightaware")
    async with httpx.AsyncClient(transport=upstream.transport(), base_url=base_url) as client:
        response = await client.get(path, headers=headers)
    assert response.headers["content-type"] == JSON
    return response.json()


@pytest.mark.parametrize(
    "ident",
    [
        pytest.param("BAW117", id="diverted"),
        pytest.param("BAW178", id="cancelled"),
        pytest.param("DLH400", id="unknown"),
        pytest.param("AAL100", id="late-inbound"),
        pytest.param("UAL901", id="gate-change"),
        pytest.param("QFA1", id="multi-leg"),
        pytest.param("EK7", id="generated-route"),
    ],
)
async def test_flights_match_the_official_spec(upstream: FakeUpstream, ident: str) -> None:
    """Every flight object over the default window validates against GET /flights/{ident}."""
    body = await get(upstream, f"/flights/{ident}")
    assert body["flights"]
    assert not violations(body, "/flights/{ident}")


async def test_flight_by_id_matches_the_official_spec(upstream: FakeUpstream) -> None:
    """The fa_flight_id lookup returns one spec-valid flight with that id."""
    body = await get(upstream, "/flights/AA100-20261128-MOCK-INBOUND?ident_type=fa_flight_id")
    assert [f["fa_flight_id"] for f in body["flights"]] == ["AA100-20261128-MOCK-INBOUND"]
    assert not violations(body, "/flights/{ident}")


async def test_schedules_usage_and_errors_match_the_official_spec(upstream: FakeUpstream) -> None:
    """Schedules, account usage and the 400/401 error bodies validate too."""
    schedules = await get(
        upstream, "/schedules/2026-11-28/2026-11-30?origin=EGLL&destination=JFK&max_pages=1"
    )
    assert schedules["scheduled"]
    assert not violations(schedules, "/schedules/{date_start}/{date_end}")
    assert not violations(await get(upstream, "/account/usage"), "/account/usage")
    bad = await get(upstream, "/flights/BAW117?start=2026-01-01")
    refused = await get(upstream, "/flights/BAW117", headers={"x-apikey": "wrong"})
    for body in (bad, refused):
        assert not violations(body, "/flights/{ident}", "400")
    assert (bad["status"], bad["reason"]) == (400, "INVALID_ARGUMENT")
    assert (refused["status"], refused["reason"]) == (401, "INVALID_API_KEY")


async def test_the_validator_catches_a_broken_rendering(upstream: FakeUpstream) -> None:
    """A flight missing fa_flight_id or with a text delay does not validate (the check works)."""
    body = await get(upstream, "/flights/BAW178")
    del body["flights"][0]["fa_flight_id"]
    body["flights"][0]["departure_delay"] = "90 minutes"
    messages = "\n".join(violations(body, "/flights/{ident}"))
    assert "fa_flight_id" in messages
    assert "90 minutes" in messages


async def test_a_diversion_is_two_flights_with_one_id(upstream: FakeUpstream) -> None:
    """The alternate's leg comes first without a schedule; the original is flagged diverted."""
    body = await get(upstream, "/flights/BAW117?start=2026-11-27&end=2026-11-28")
    diversion, original = body["flights"]
    assert diversion["fa_flight_id"] == original["fa_flight_id"] == "BA117-20261127-MOCK"
    assert (diversion["destination"]["code_iata"], original["destination"]["code_iata"]) == (
        "EWR",
        "JFK",
    )
    assert diversion["scheduled_in"] is None
    assert diversion["actual_in"] is not None
    assert original["actual_in"] is None
    assert original["diverted"] is diversion["diverted"] is True


async def test_flights_are_listed_newest_first_inside_the_window(upstream: FakeUpstream) -> None:
    """start is inclusive, end exclusive, and the list is in descending scheduled_out."""
    body = await get(upstream, "/flights/AAL100?start=2026-11-25&end=2026-11-28T00:00:00Z")
    departures = [f["scheduled_out"] for f in body["flights"]]
    assert len(departures) == 3
    assert departures == sorted(departures, reverse=True)
    assert all("2026-11-25" <= d < "2026-11-28" for d in departures)


async def test_delays_are_in_seconds_and_codeshares_in_both_forms(clock: FakeClock) -> None:
    """AeroAPI counts delays in seconds and lists marketing idents as ICAO and IATA."""
    upstream = FakeUpstream(seed=0, clock=clock, scenarios={"LH400": "minor_delay"}, api_key=KEY)
    mock = MockFlightDataProvider(seed=0, clock=clock, scenarios={"LH400": "minor_delay"})
    expected = await mock.get_flight_status("LH400", date(2026, 11, 29))
    (flight,) = (await get(upstream, "/flights/DLH400?start=2026-11-29&end=2026-11-30"))["flights"]
    assert expected is not None
    assert expected.departure_delay_minutes is not None
    assert flight["departure_delay"] == 60 * expected.departure_delay_minutes
    assert flight["codeshares_iata"] == ["SN3741"]
    assert flight["codeshares"] == ["BEL3741"]
