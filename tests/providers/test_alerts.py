"""Push alerts behind the provider interface: AeroAPI's alert endpoints, mapped both ways.

Requests are checked against the official spec's request bodies, answers are read from
fixtures that validate against its response schemas.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from flight_agent.clock import FakeClock
from flight_agent.errors import (
    AlertNotFoundError,
    AuthenticationError,
    InvalidFlightQueryError,
    InvalidResponseError,
    UnsupportedCapabilityError,
)
from flight_agent.providers import (
    AeroDataBoxProvider,
    AviationStackProvider,
    FlightAwareProvider,
    MockFlightDataProvider,
)
from flight_agent.providers.alerts import FLIGHT_EVENTS, AlertSpec
from flight_agent.providers.interfaces import FlightDataProvider
from tests.conftest import FIXTURES, load_fixture
from tests.providers.alert_spec import callback_schema, problems, request_schema, response_schema

KEY = "alert-test-key-5f2b9c"
ROOT = "https://aeroapi.test/aeroapi"
SPEC_OF_FIXTURE = {
    "alerts_page": lambda: response_schema("/alerts"),
    "alerts_endpoint": lambda: response_schema("/alerts/endpoint"),
    "callback_departure": callback_schema,
    "callback_cancelled": callback_schema,
}

Answer = Callable[[httpx.Request], httpx.Response]


class Recorder:
    """An httpx transport answering with ``answer`` and keeping every request."""

    def __init__(self, answer: Answer) -> None:
        self.requests: list[httpx.Request] = []
        self._answer = answer

    def transport(self) -> httpx.MockTransport:
        def handle(request: httpx.Request) -> httpx.Response:
            self.requests.append(request)
            return self._answer(request)

        return httpx.MockTransport(handle)


def aeroapi(recorder: Recorder, clock: FakeClock, api_key: str = KEY) -> FlightAwareProvider:
    return FlightAwareProvider(
        api_key=api_key, base_url=ROOT, transport=recorder.transport(), clock=clock
    )


def sent(request: httpx.Request) -> Any:
    return json.loads(request.content)


SPEC = AlertSpec("BAW117", origin="EGLL", start=date(2026, 11, 28), end=date(2026, 11, 28))


@pytest.mark.parametrize("path", sorted((FIXTURES / "aeroapi_alerts").glob("*.json")), ids=str)
def test_every_alert_fixture_matches_the_official_spec(path: Path) -> None:
    schema = SPEC_OF_FIXTURE[path.stem]()
    assert problems(schema, load_fixture(f"aeroapi_alerts/{path.name}")) == []


def test_the_spec_check_catches_a_callback_that_breaks_it() -> None:
    body = load_fixture("aeroapi_alerts/callback_departure.json")
    body["alert_id"] = "2215601"
    del body["flight"]["fa_flight_id"]
    found = problems(callback_schema(), body)
    assert any("fa_flight_id" in problem for problem in found)
    assert any("'2215601' is not of type 'integer'" in problem for problem in found)


async def test_create_sends_the_specs_body_and_reads_the_new_id(clock: FakeClock) -> None:
    recorder = Recorder(lambda _: httpx.Response(201, headers={"Location": "/alerts/2215601"}))
    async with aeroapi(recorder, clock) as provider:
        alert_id = await provider.alerts().create(SPEC)
    assert alert_id == 2215601
    request = recorder.requests[0]
    assert (request.method, request.url.path) == ("POST", "/aeroapi/alerts")
    assert request.headers["x-apikey"] == KEY
    assert request.headers["content-type"] == "application/json; charset=UTF-8"
    body = sent(request)
    assert problems(request_schema("/alerts", "post"), body) == []
    assert body["ident"] == "BAW117"
    assert body["origin"] == "EGLL"
    assert (body["start"], body["end"]) == ("2026-11-28", "2026-11-28")
    assert {name for name, on in body["events"].items() if on} == FLIGHT_EVENTS


async def test_a_created_alert_without_a_location_is_an_invalid_response(
    clock: FakeClock,
) -> None:
    recorder = Recorder(lambda _: httpx.Response(201))
    async with aeroapi(recorder, clock) as provider:
        with pytest.raises(InvalidResponseError, match="Location header names no alert id"):
            await provider.alerts().create(SPEC)


async def test_update_sends_the_whole_configuration_enabled(clock: FakeClock) -> None:
    recorder = Recorder(lambda _: httpx.Response(204))
    async with aeroapi(recorder, clock) as provider:
        await provider.alerts().update(7, SPEC)
    request = recorder.requests[0]
    assert (request.method, request.url.path) == ("PUT", "/aeroapi/alerts/7")
    assert problems(request_schema("/alerts/{id}", "put"), sent(request)) == []
    assert sent(request)["enabled"] is True


async def test_updating_an_alert_that_does_not_exist_says_so(clock: FakeClock) -> None:
    recorder = Recorder(lambda _: httpx.Response(404, json={"detail": "no such alert"}))
    async with aeroapi(recorder, clock) as provider:
        with pytest.raises(AlertNotFoundError, match="no alert 7") as raised:
            await provider.alerts().update(7, SPEC)
    assert raised.value.alert_id == 7


async def test_list_maps_each_alert_and_follows_the_next_page(clock: FakeClock) -> None:
    page = load_fixture("aeroapi_alerts/alerts_page.json")
    last = {"links": None, "num_pages": 1, "alerts": []}

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=last if "cursor" in request.url.params else page)

    recorder = Recorder(answer)
    async with aeroapi(recorder, clock) as provider:
        alerts = await provider.alerts().list()
    assert recorder.requests[1].url.params["cursor"] == "eyJvZmZzZXQiOjJ9"
    first, second = alerts
    assert first.id == 2215601
    assert first.enabled
    assert first.spec == AlertSpec(
        "BAW117",
        origin="EGLL",
        start=date(2026, 11, 28),
        end=date(2026, 11, 28),
        events=FLIGHT_EVENTS,
        target_url="https://ops.example.com/alerts/4f1c0c8e5b7a4d2f9e3a",
    )
    assert second.spec.ident == "UAL1"
    assert second.spec.events == {"arrival"}
    assert not second.enabled
    assert second.spec.start is None


async def test_a_list_of_the_wrong_shape_is_an_invalid_response(clock: FakeClock) -> None:
    recorder = Recorder(lambda _: httpx.Response(200, json={"alerts": [{"id": "x"}]}))
    async with aeroapi(recorder, clock) as provider:
        with pytest.raises(InvalidResponseError, match="alert of the wrong shape"):
            await provider.alerts().list()


async def test_delete_says_whether_the_alert_was_still_there(clock: FakeClock) -> None:
    statuses = iter([204, 404])
    recorder = Recorder(lambda _: httpx.Response(next(statuses)))
    async with aeroapi(recorder, clock) as provider:
        assert await provider.alerts().delete(9) is True
        assert await provider.alerts().delete(9) is False
    assert [(r.method, r.url.path) for r in recorder.requests] == [
        ("DELETE", "/aeroapi/alerts/9")
    ] * 2


async def test_the_endpoint_is_read_set_and_removed(clock: FakeClock) -> None:
    endpoint = load_fixture("aeroapi_alerts/alerts_endpoint.json")
    recorder = Recorder(
        lambda r: httpx.Response(200, json=endpoint) if r.method == "GET" else httpx.Response(204)
    )
    async with aeroapi(recorder, clock) as provider:
        api = provider.alerts()
        assert await api.endpoint() == endpoint["url"]
        await api.set_endpoint("https://ops.example.com/alerts/secret-secret-1234")
        await api.set_endpoint(None)
    get, put, delete = recorder.requests
    assert get.method == "GET"
    assert (put.method, delete.method) == ("PUT", "DELETE")
    assert problems(request_schema("/alerts/endpoint", "put"), sent(put)) == []


async def test_an_endpoint_that_is_not_http_is_refused_before_sending(clock: FakeClock) -> None:
    recorder = Recorder(lambda _: httpx.Response(204))
    async with aeroapi(recorder, clock) as provider:
        with pytest.raises(InvalidFlightQueryError, match="http"):
            await provider.alerts().set_endpoint("ftp://example.com/x")
    assert recorder.requests == []


async def test_without_a_key_nothing_is_sent(clock: FakeClock) -> None:
    recorder = Recorder(lambda _: httpx.Response(204))
    async with aeroapi(recorder, clock, api_key="") as provider:
        with pytest.raises(AuthenticationError, match="FLIGHTAWARE_API_KEY"):
            await provider.alerts().create(SPEC)
    assert recorder.requests == []


async def test_the_key_never_shows_in_errors_or_logs(
    clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    echo = {"title": "Invalid argument", "reason": "INVALID_ARGUMENT", "status": 400}
    recorder = Recorder(
        lambda _: httpx.Response(400, json={**echo, "detail": f"key {KEY.upper()} may not alert"})
    )
    async with aeroapi(recorder, clock) as provider:
        with pytest.raises(InvalidFlightQueryError) as raised:
            await provider.alerts().create(SPEC)
    assert "***" in str(raised.value)
    assert KEY.lower() not in str(raised.value).lower()
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "POST" in logged
    assert KEY.lower() not in logged.lower()


@pytest.mark.parametrize(
    "make",
    [
        lambda clock: AeroDataBoxProvider(api_key=KEY, clock=clock),
        lambda clock: AviationStackProvider(api_key=KEY, clock=clock),
        lambda clock: MockFlightDataProvider(clock=clock),
    ],
    ids=["aerodatabox", "aviationstack", "simulated"],
)
def test_other_providers_say_they_cannot_push_alerts(
    make: Callable[[FakeClock], FlightDataProvider], clock: FakeClock
) -> None:
    provider = make(clock)
    assert not provider.supports_alerts
    with pytest.raises(UnsupportedCapabilityError, match="only FlightAware AeroAPI") as raised:
        provider.alerts()
    assert raised.value.capability == "alerts"
    assert raised.value.provider == provider.name


def test_flightaware_can_push_alerts() -> None:
    assert FlightAwareProvider.supports_alerts


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"ident": "BA 117"}, "not a flight designator"),
        ({"ident": "BAW117", "events": frozenset({"landing"})}, "landing is not one"),
        ({"ident": "BAW117", "events": frozenset()}, "one or more events"),
        (
            {"ident": "BAW117", "start": date(2026, 11, 29), "end": date(2026, 11, 28)},
            "comes before its start",
        ),
        ({"ident": "BAW117", "target_url": "javascript:alert(1)"}, "http"),
    ],
)
def test_an_alert_spec_refuses_what_aeroapi_would(arguments: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidFlightQueryError, match=message):
        AlertSpec(**arguments)
