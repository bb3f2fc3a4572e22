"""The AviationStack rendering keeps the feed's quirks: false +00:00 offsets, sparse delays."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from flight_agent.clock import FakeClock
from flight_agent.providers import MockFlightDataProvider
from flight_agent.testing import FakeUpstream
from tests.conftest import load_fixture
from tests.testing.conftest import KEY

DAY = date(2026, 11, 28)


async def flights(upstream: FakeUpstream, query: str) -> Any:
    base_url = upstream.base_url("aviationstack")
    async with httpx.AsyncClient(transport=upstream.transport(), base_url=base_url) as client:
        response = await client.get(f"/flights?access_key={KEY}&{query}")
    assert response.status_code == 200
    return response.json()


async def test_records_have_the_keys_of_a_real_response(upstream: FakeUpstream) -> None:
    """Envelope, record and nested objects carry the same keys as a saved real response."""
    real = load_fixture("aviationstack/aviationstack-flights-TR428-2020-02-04.json")
    body = await flights(upstream, "flight_iata=BA117&flight_date=2026-11-28")
    (record,) = body["data"]
    (example,) = real["data"][:1]
    assert body.keys() == real.keys()
    assert body["pagination"].keys() == real["pagination"].keys()
    assert record.keys() == example.keys()
    for part in ("departure", "arrival", "airline", "flight", "aircraft"):
        assert record[part].keys() == example[part].keys(), part


async def test_times_are_local_wall_clock_labelled_utc(
    upstream: FakeUpstream, clock: FakeClock
) -> None:
    """The scheduled departure is London wall-clock time with a false +00:00 offset."""
    mock = await MockFlightDataProvider(clock=clock).get_flight_status("QF1", DAY)
    body = await flights(upstream, "flight_iata=QF1&flight_date=2026-11-28")
    departure = body["data"][0]["departure"]
    assert mock is not None
    assert mock.scheduled_out is not None
    local = mock.scheduled_out.astimezone(ZoneInfo("Australia/Sydney"))
    assert departure["timezone"] == "Australia/Sydney"
    assert departure["scheduled"] == local.strftime("%Y-%m-%dT%H:%M:%S+00:00")
    assert datetime.fromisoformat(departure["scheduled"]) != mock.scheduled_out


async def test_delay_is_only_filled_when_late(clock: FakeClock) -> None:
    """A late departure carries its minutes; an on-time or early one has delay null."""
    scenarios = {"BA117": "major_delay", "BA178": "early_departure"}
    upstream = FakeUpstream(seed=0, clock=clock, scenarios=scenarios, api_key=KEY)
    late = (await flights(upstream, "flight_iata=BA117&flight_date=2026-11-28"))["data"][0]
    early = (await flights(upstream, "flight_iata=BA178&flight_date=2026-11-28"))["data"][0]
    assert late["departure"]["delay"] >= 180
    assert early["departure"]["delay"] is None
    assert early["departure"]["estimated"] < early["departure"]["scheduled"]


async def test_the_real_time_feed_mixes_in_neighbouring_days(upstream: FakeUpstream) -> None:
    """Without flight_date the feed returns yesterday's, today's and tomorrow's flights."""
    body = await flights(upstream, "flight_iata=BA117")
    dates = [record["flight_date"] for record in body["data"]]
    assert dates == ["2026-11-27", "2026-11-28", "2026-11-29"]
    assert body["pagination"]["total"] == 3


async def test_limit_and_offset_page_through_the_records(upstream: FakeUpstream) -> None:
    """limit and offset cut the list; total still counts every record."""
    body = await flights(upstream, "flight_icao=BAW117&limit=1&offset=1")
    assert [record["flight_date"] for record in body["data"]] == ["2026-11-28"]
    assert body["pagination"] == {"limit": 1, "offset": 1, "count": 1, "total": 3}


@pytest.mark.parametrize(
    ("scenario", "status"),
    [
        pytest.param("cancelled", "cancelled", id="cancelled"),
        pytest.param("unknown", "incident", id="unknown-is-incident"),
        pytest.param("on_time", "active", id="airborne"),
    ],
)
async def test_flight_status_uses_the_feed_vocabulary(
    clock: FakeClock, scenario: str, status: str
) -> None:
    """Statuses come from AviationStack's own list."""
    upstream = FakeUpstream(seed=0, clock=clock, scenarios={"BA117": scenario}, api_key=KEY)
    body = await flights(upstream, "flight_iata=BA117&flight_date=2026-11-28")
    assert body["data"][0]["flight_status"] == status


@pytest.mark.parametrize(
    ("status", "code"),
    [
        pytest.param(429, "rate_limit_reached", id="429"),
        pytest.param(500, "internal_error", id="500"),
        pytest.param(403, "function_access_restricted", id="403"),
    ],
)
async def test_injected_errors_use_the_envelope_and_keep_their_status(
    upstream: FakeUpstream, status: int, code: str
) -> None:
    """A fail_next status answers AviationStack's error envelope with that HTTP status."""
    upstream.fail_next(1, status=status, retry_after=None)
    base_url = upstream.base_url("aviationstack")
    async with httpx.AsyncClient(transport=upstream.transport(), base_url=base_url) as client:
        response = await client.get(f"/flights?access_key={KEY}&flight_iata=BA117")
    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert "retry-after" not in response.headers
