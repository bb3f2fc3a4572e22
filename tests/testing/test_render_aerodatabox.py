"""The AeroDataBox rendering matches the spec's contracts, time format and date roles."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from typing import Any

import httpx
import pytest
import yaml
from openapi_schema_validator import OAS30Validator

from flight_agent.clock import FakeClock
from flight_agent.testing import FakeUpstream
from tests.conftest import FIXTURES
from tests.testing.conftest import KEY

SPEC = FIXTURES / "spec" / "aerodatabox-openapi.yml"
HEADERS = {"x-rapidapi-key": KEY}
SCENARIOS = {"BA117": "diverted", "BA178": "cancelled", "LH400": "unknown"}


@cache
def _components() -> dict[str, Any]:
    spec: dict[str, Any] = yaml.load(SPEC.read_text("utf-8"), Loader=yaml.CSafeLoader)
    components: dict[str, Any] = spec["components"]
    return components


def violations(body: Any, name: str, *, is_list: bool = False) -> list[str]:
    # No format checker: real AeroDataBox times ('2025-01-16 13:40Z') are not RFC 3339.
    item: dict[str, Any] = {"$ref": f"#/components/schemas/{name}"}
    schema = {"type": "array", "items": item} if is_list else item
    validator = OAS30Validator({**schema, "components": _components()})
    errors = sorted(validator.iter_errors(body), key=str)
    return [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]


@pytest.fixture
def upstream(clock: FakeClock) -> FakeUpstream:
    return FakeUpstream(seed=0, clock=clock, scenarios=SCENARIOS, api_key=KEY)


async def get(
    upstream: FakeUpstream, path: str, headers: dict[str, str] = HEADERS
) -> httpx.Response:
    base_url = upstream.base_url("aerodatabox")
    async with httpx.AsyncClient(transport=upstream.transport(), base_url=base_url) as client:
        return await client.get(path, headers=headers)


@pytest.mark.parametrize(
    ("ident", "day"),
    [
        pytest.param("BA117", "2026-11-27", id="diverted"),
        pytest.param("BA117", "2026-11-28", id="en-route"),
        pytest.param("BA178", "2026-11-28", id="cancelled"),
        pytest.param("LH400", "2026-11-28", id="unknown"),
        pytest.param("QF1", "2026-11-28", id="multi-leg"),
        pytest.param("AA100", "2026-11-26", id="arrived"),
    ],
)
async def test_flight_contracts_match_the_spec(
    upstream: FakeUpstream, ident: str, day: str
) -> None:
    """Every FlightContract validates against the spec, whatever the flight's state."""
    response = await get(upstream, f"/flights/number/{ident}/{day}")
    assert response.status_code == 200
    assert not violations(response.json(), "FlightContract", is_list=True)


async def test_feeds_and_errors_match_the_spec(upstream: FakeUpstream) -> None:
    """The probe endpoint and the 400/401/403 bodies follow their contracts."""
    feeds = await get(upstream, "/health/services/airports/EGLL/feeds")
    assert not violations(feeds.json(), "AirportFeedServiceStatusContract")
    for response in (
        await get(upstream, "/flights/number/BA117/tomorrow"),
        await get(upstream, "/flights/number/BA117/2026-11-28", headers={}),
        await get(upstream, "/flights/number/BA117/2026-11-28", headers={"x-rapidapi-key": "x"}),
    ):
        assert not violations(response.json(), "ErrorContract")


async def test_times_use_aerodatabox_loose_format(upstream: FakeUpstream) -> None:
    """Times are '2026-11-28 08:25Z' plus local time with its offset, no seconds."""
    flight = (await get(upstream, "/flights/number/QF1/2026-11-28?dateLocalRole=Departure")).json()[
        0
    ]
    scheduled = flight["departure"]["scheduledTime"]
    assert datetime.fromisoformat(scheduled["utc"]) == datetime.fromisoformat(scheduled["local"])
    assert scheduled["utc"].endswith("Z")
    assert len(scheduled["utc"]) == len("2026-11-28 08:25Z")
    assert scheduled["local"][-6] in "+-"
    assert flight["number"] == "QF 1"


@pytest.mark.parametrize(
    ("role", "routes"),
    [
        pytest.param("Departure", ["SYD-SIN", "SIN-LHR"], id="departure"),
        pytest.param("Arrival", ["SIN-LHR", "SYD-SIN"], id="arrival"),
        pytest.param("Both", ["SIN-LHR", "SYD-SIN", "SIN-LHR"], id="both"),
    ],
)
async def test_date_local_role_picks_departures_arrivals_or_both(
    upstream: FakeUpstream, role: str, routes: list[str]
) -> None:
    """QF1's overnight second leg arrives the next day: the role decides which legs count."""
    body = (await get(upstream, f"/flights/number/QF1/2026-11-28?dateLocalRole={role}")).json()
    got = [f"{f['departure']['airport']['iata']}-{f['arrival']['airport']['iata']}" for f in body]
    dates = {f["departure"]["scheduledTime"]["local"][:10] for f in body}
    assert got == routes
    assert dates == ({"2026-11-28"} if role == "Departure" else {"2026-11-27", "2026-11-28"})


async def test_revised_time_is_actual_once_departed_and_estimate_before(
    upstream: FakeUpstream, clock: FakeClock
) -> None:
    """A scheduled late flight says 'Delayed' and its revised time is the new estimate."""
    late = FakeUpstream(seed=0, clock=clock, scenarios={"BA178": "major_delay"}, api_key=KEY)
    (flight,) = (await get(late, "/flights/number/BA178/2026-11-28")).json()
    departure = flight["departure"]
    assert flight["status"] == "Delayed"
    assert departure["revisedTime"]["utc"] > departure["scheduledTime"]["utc"]
    assert "runwayTime" not in departure
    (airborne,) = (await get(upstream, f"/flights/number/BA117/{date(2026, 11, 28)}")).json()
    assert airborne["status"] == "EnRoute"
    assert "runwayTime" in airborne["departure"]
