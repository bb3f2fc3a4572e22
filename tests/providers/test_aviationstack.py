"""AviationStackProvider: query-key requests, local-time repair, codeshares, and body errors."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest
import respx

from flight_agent.clock import FakeClock
from flight_agent.errors import (
    AuthenticationError,
    FlightDataError,
    FlightDateOutOfRangeError,
    InvalidFlightQueryError,
    InvalidResponseError,
    ProviderError,
    ProviderTimeoutError,
    ProviderUnavailableError,
    QuotaExhaustedError,
    RateLimitedError,
)
from flight_agent.models import FlightStatus, FlightStatusData
from flight_agent.providers.aviationstack_provider import (
    AVIATIONSTACK_BASE_URL,
    AviationStackProvider,
)
from tests.conftest import load_fixture

KEY = "as-test-key-0123456789"
DAY = date(2020, 2, 4)
EXAMPLE = "aviationstack/aviationstack-flights-TR428-2020-02-04.json"


def utc(day: int, hour: int, minute: int) -> datetime:
    return datetime(2020, 2, day, hour, minute, tzinfo=UTC)


def error_body(code: str) -> dict[str, Any]:
    body: dict[str, Any] = load_fixture("aviationstack/errors.json")[code]
    return body


@pytest.fixture(autouse=True)
def _no_historical_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AVIATIONSTACK_HISTORICAL", raising=False)


@pytest.fixture
def as_clock() -> FakeClock:
    return FakeClock(utc(4, 14, 0))


@pytest.fixture
def api() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=AVIATIONSTACK_BASE_URL, assert_all_called=False) as router:
        yield router


@pytest.fixture
def provider(as_clock: FakeClock) -> AviationStackProvider:
    return AviationStackProvider(api_key=KEY, clock=as_clock)


def respond(api: respx.MockRouter, body: Any) -> respx.Route:
    return api.get("/flights").respond(json=body)


async def status_of(
    api: respx.MockRouter,
    provider: AviationStackProvider,
    body: Any,
    ident: str = "TR428",
    day: date = DAY,
) -> FlightStatusData:
    respond(api, body)
    result = await provider.get_flight_status(ident, day)
    assert result is not None
    return result


async def test_request_sends_key_designator_and_limit_but_no_date(
    api: respx.MockRouter, provider: AviationStackProvider
) -> None:
    """The real-time call sends access_key, flight_iata and limit=100, and no flight_date."""
    route = respond(api, load_fixture(EXAMPLE))
    await provider.get_flight_status("TGW428", DAY)
    request = route.calls.last.request
    assert request.url.path == "/v1/flights"
    assert dict(request.url.params) == {"access_key": KEY, "flight_iata": "TR428", "limit": "100"}
    assert not {"x-apikey", "authorization"} & set(request.headers)


async def test_icao_designator_is_sent_as_flight_icao(
    api: respx.MockRouter, provider: AviationStackProvider
) -> None:
    """A carrier known only by its ICAO code is asked for with flight_icao."""
    route = respond(api, load_fixture("aviationstack/flights_empty.json"))
    await provider.get_flight_status("ZZX123", DAY)
    params = route.calls.last.request.url.params
    assert (params["flight_icao"], "flight_iata" in params) == ("ZZX123", False)


async def test_historical_plan_sends_the_flight_date(
    api: respx.MockRouter, as_clock: FakeClock
) -> None:
    """With historical=True the date is sent as flight_date and 90 days back are answerable."""
    provider = AviationStackProvider(api_key=KEY, historical=True, clock=as_clock)
    route = respond(api, load_fixture("aviationstack/flights_empty.json"))
    await provider.get_flight_status("TR428", date(2019, 11, 6))
    assert route.calls.last.request.url.params["flight_date"] == "2019-11-06"
    assert provider.supported_dates(DAY) == (date(2019, 11, 6), date(2020, 2, 5))


@pytest.mark.parametrize(
    ("env", "argument", "expected"),
    [
        pytest.param("1", None, True, id="env-1"),
        pytest.param("true", None, True, id="env-true"),
        pytest.param("0", None, False, id="env-0"),
        pytest.param(None, None, False, id="no-env"),
        pytest.param("1", False, False, id="argument-wins"),
    ],
)
def test_historical_is_read_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, env: str | None, argument: bool | None, expected: bool
) -> None:
    """AVIATIONSTACK_HISTORICAL=1 enables historical when the argument is not given."""
    if env is not None:
        monkeypatch.setenv("AVIATIONSTACK_HISTORICAL", env)
    assert AviationStackProvider(api_key=KEY, historical=argument).historical is expected


async def test_timezone_bug_local_times_are_placed_in_the_airport_zone(
    api: respx.MockRouter, provider: AviationStackProvider
) -> None:
    """TR428's '20:25+00:00' is 20:25 in Singapore (12:25Z); arrival times use Penang's zone."""
    result = await status_of(api, provider, load_fixture(EXAMPLE))
    assert result.scheduled_out == utc(4, 12, 25)
    assert result.actual_out == utc(4, 12, 38)
    assert result.scheduled_in == utc(4, 13, 50)  # 21:50 in Kuala Lumpur's zone (UTC+8)
    assert result.departure_local(result.scheduled_out) == datetime(
        2020, 2, 4, 20, 25, tzinfo=result.origin.zone
    )


async def test_tr428_example_maps_every_field(
    api: respx.MockRouter, provider: AviationStackProvider
) -> None:
    """The real TR428 response maps to ARRIVED with runway and gate times, delays and provenance."""
    result = await status_of(api, provider, load_fixture(EXAMPLE))
    assert (result.flight_id, result.ident_iata, result.ident_icao) == ("TR428", "TR428", "TGW428")
    assert (result.carrier_iata, result.carrier_icao, result.flight_number) == ("TR", "TGW", "428")
    assert (result.route, result.flight_date) == ("SIN-PEN", DAY)
    assert (result.status, result.status_text) == (FlightStatus.ARRIVED, "landed")
    assert (result.estimated_out, result.actual_out) == (utc(4, 12, 25), utc(4, 12, 38))
    assert (result.estimated_off, result.actual_off) == (utc(4, 12, 38), utc(4, 12, 38))
    assert (result.estimated_on, result.actual_on) == (utc(4, 13, 33), utc(4, 13, 33))
    assert (result.estimated_in, result.actual_in) == (utc(4, 13, 50), utc(4, 13, 33))
    assert (result.scheduled_off, result.scheduled_on) == (None, None)
    # departure.delay is given; arrival.delay is null, so it is computed (17 minutes early).
    assert (result.departure_delay_minutes, result.arrival_delay_minutes) == (13, -17)
    assert (result.terminal_origin, result.gate_origin, result.terminal_destination) == (
        "1",
        "D35",
        "I",
    )
    assert (result.gate_destination, result.baggage_claim) == (None, None)
    assert (result.registration, result.aircraft_type) == ("9V-TAU", "A320")
    assert (result.codeshares, result.legs) == ((), ("SIN-PEN",))
    assert result.provider_flight_id == "TR428-2020-02-04"
    assert (result.source, result.fetched_at) == ("AviationStack", utc(4, 14, 0))
    assert result.is_disrupted is False


async def test_on_time_scheduled_flight(
    api: respx.MockRouter, provider: AviationStackProvider
) -> None:
    """A scheduled flight with estimates equal to the schedule is SCHEDULED with zero delay."""
    body = load_fixture("aviationstack/flights_TR428_scheduled.json")
    result = await status_of(api, provider, body)
    assert result.status is FlightStatus.SCHEDULED
    assert (result.estimated_out, result.actual_out, result.actual_off) == (
        utc(4, 12, 25),
        None,
        None,
    )
    assert (result.departure_delay_minutes, result.arrival_delay_minutes) == (0, 0)
    assert result.is_disrupted is False


async def test_delayed_flight_takes_the_delay_minutes_from_the_feed(
    api: respx.MockRouter, provider: AviationStackProvider
) -> None:
    """departure.delay 95 is a 95-minute delay; the estimate moves to 22:00 local (14:00Z)."""
    body = load_fixture("aviationstack/flights_TR428_delayed.json")
    result = await status_of(api, provider, body)
    assert result.status is FlightStatus.SCHEDULED
    assert (result.estimated_out, result.estimated_in) == (utc(4, 14, 0), utc(4, 15, 25))
    assert (result.departure_delay_minutes, result.arrival_delay_minutes) == (95, 95)
    assert result.is_disrupted is True


@pytest.mark.parametrize(
    ("drop", "expected"),
    [
        pytest.param((), FlightStatus.EN_ROUTE, id="off-the-runway"),
        pytest.param(("actual_runway",), FlightStatus.DEPARTED, id="left-gate-no-takeoff"),
        pytest.param(("actual", "actual_runway"), FlightStatus.EN_ROUTE, id="no-actual-times"),
    ],
)
async def test_active_flight_is_en_route_or_departed(
    api: respx.MockRouter,
    provider: AviationStackProvider,
    drop: tuple[str, ...],
    expected: FlightStatus,
) -> None:
    """'active' is EN_ROUTE, or DEPARTED when it has a gate departure but no take-off time."""
    body = load_fixture("aviationstack/flights_TR428_active.json")
    for field in drop:
        body["data"][0]["departure"][field] = None
    result = await status_of(api, provider, body)
    assert (result.status, result.status_text) == (expected, "active")


async def test_active_flight_maps_runway_times_into_off_and_on(
    api: respx.MockRouter, provider: AviationStackProvider
) -> None:
    """Runway times go to the off/on slots, gate times to out/in; none crosses over."""
    body = load_fixture("aviationstack/flights_TR428_active.json")
    result = await status_of(api, provider, body)
    assert (result.actual_out, result.actual_off) == (utc(4, 12, 38), utc(4, 12, 45))
    assert (result.estimated_on, result.estimated_in, result.actual_in) == (
        utc(4, 13, 41),
        utc(4, 13, 50),
        None,
    )


async def test_landed_without_gate_arrival_is_landed(
    api: respx.MockRouter, provider: AviationStackProvider
) -> None:
    """'landed' with no arrival.actual is LANDED, not ARRIVED."""
    body = load_fixture(EXAMPLE)
    body["data"][0]["arrival"]["actual"] = None
    result = await status_of(api, provider, body)
    assert (result.status, result.actual_on, result.actual_in) == (
        FlightStatus.LANDED,
        utc(4, 13, 33),
        None,
    )


@pytest.mark.parametrize(
    ("fixture", "raw", "expected"),
    [
        pytest.param(
            "flights_TR428_cancelled.json", "cancelled", FlightStatus.CANCELLED, id="cancelled"
        ),
        pytest.param(
            "flights_TR428_diverted.json", "diverted", FlightStatus.DIVERTED, id="diverted"
        ),
    ],
)
async def test_cancelled_and_diverted_flights_are_disruptions(
    api: respx.MockRouter,
    provider: AviationStackProvider,
    fixture: str,
    raw: str,
    expected: FlightStatus,
) -> None:
    """'cancelled' and 'diverted' map to their states and count as disrupted."""
    result = await status_of(api, provider, load_fixture(f"aviationstack/{fixture}"))
    assert (result.status, result.status_text) == (expected, raw)
    assert result.is_disrupted is True


async def test_diverted_flight_keeps_its_departure_actuals(
    api: respx.MockRouter, provider: AviationStackProvider
) -> None:
    """A diverted flight did leave: its departure actuals are kept, no arrival actual is made up."""
    body = load_fixture("aviationstack/flights_TR428_diverted.json")
    result = await status_of(api, provider, body)
    assert (result.actual_out, result.actual_off) == (utc(4, 12, 38), utc(4, 12, 38))
    assert (result.actual_on, result.diverted_to) == (None, None)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("incident", FlightStatus.UNKNOWN, id="incident"),
        pytest.param("boarding-soon", FlightStatus.UNKNOWN, id="unknown-new-value"),
        pytest.param(None, FlightStatus.UNKNOWN, id="missing"),
    ],
)
async def test_incident_and_unknown_statuses_are_unknown(
    api: respx.MockRouter, provider: AviationStackProvider, raw: str | None, expected: FlightStatus
) -> None:
    """'incident', unknown words and a missing status map to UNKNOWN; the raw word is kept."""
    body = load_fixture("aviationstack/flights_TR428_scheduled.json")
    body["data"][0]["flight_status"] = raw
    result = await status_of(api, provider, body)
    assert (result.status, result.status_text) == (expected, raw)


@pytest.mark.parametrize(
    ("origin", "expected_route", "status"),
    [
        pytest.param(None, "SYD-SIN", FlightStatus.ARRIVED, id="first-leg-without-origin"),
        pytest.param("SIN", "SIN-LHR", FlightStatus.SCHEDULED, id="origin-picks-second-leg"),
        pytest.param("WSSS", "SIN-LHR", FlightStatus.SCHEDULED, id="origin-as-icao"),
    ],
)
async def test_multi_leg_flight_number(
    api: respx.MockRouter,
    provider: AviationStackProvider,
    origin: str | None,
    expected_route: str,
    status: FlightStatus,
) -> None:
    """QF1 flies SYD-SIN-LHR: the origin picks the leg, else the first; legs lists both."""
    respond(api, load_fixture("aviationstack/flights_QF1_multi_leg.json"))
    result = await provider.get_flight_status("QF1", DAY, origin=origin)
    assert result is not None
    assert (result.route, result.status) == (expected_route, status)
    assert result.legs == ("SYD-SIN", "SIN-LHR")


async def test_origin_that_no_leg_departs_from_is_not_found(
    api: respx.MockRouter, provider: AviationStackProvider
) -> None:
    """Asking for QF1 from Melbourne when it departs Sydney and Singapore gives None."""
    respond(api, load_fixture("aviationstack/flights_QF1_multi_leg.json"))
    assert await provider.get_flight_status("QF1", DAY, origin="MEL") is None


async def test_overnight_arrival_lands_on_the_next_local_date(
    api: respx.MockRouter, provider: AviationStackProvider
) -> None:
    """SQ322 leaves Singapore 23:25 on 4 February local and reaches London 05:35 on 5 February."""
    body = load_fixture("aviationstack/flights_SQ322_overnight.json")
    result = await status_of(api, provider, body, ident="SQ322")
    assert result.flight_date == DAY
    assert (result.scheduled_out, result.scheduled_in) == (utc(4, 15, 25), utc(5, 5, 35))
    assert result.arrival_local(result.scheduled_in) == datetime(
        2020, 2, 5, 5, 35, tzinfo=result.destination.zone
    )
    assert (result.status, result.estimated_in, result.arrival_delay_minutes) == (
        FlightStatus.EN_ROUTE,
        utc(5, 5, 20),
        -15,
    )


async def test_codeshare_copies_fold_onto_the_operating_flight(
    api: respx.MockRouter, provider: AviationStackProvider
) -> None:
    """Two marketing copies listed first collapse onto TR428, which lists them as codeshares."""
    body = load_fixture("aviationstack/flights_TR428_codeshares.json")
    result = await status_of(api, provider, body)
    assert (result.ident_iata, result.carrier_iata, result.flight_number) == ("TR428", "TR", "428")
    assert result.codeshares == ("SQ8428", "NZ3428")
    assert result.legs == ("SIN-PEN",)


async def test_marketing_copy_alone_answers_as_the_operating_flight(
    api: respx.MockRouter, provider: AviationStackProvider
) -> None:
    """Asked for SQ8428, a lone marketing copy is described as TR428 (codeshared is lower case)."""
    body = load_fixture("aviationstack/flights_TR428_codeshares.json")
    body["data"] = body["data"][:1]
    result = await status_of(api, provider, body, ident="SQ8428")
    assert (result.flight_id, result.ident_iata, result.ident_icao) == (
        "SQ8428",
        "TR428",
        "TGW428",
    )
    assert (result.carrier_iata, result.carrier_icao, result.flight_number) == ("TR", "TGW", "428")
    assert result.codeshares == ("SQ8428",)
    assert result.provider_flight_id == "TR428-2020-02-04"


async def test_real_time_feed_returning_yesterdays_flight_is_not_taken_for_today(
    api: respx.MockRouter,
) -> None:
    """On 5 February the feed still returns the 4 February TR428: it answers only for the 4th."""
    provider = AviationStackProvider(api_key=KEY, clock=FakeClock(utc(5, 3, 0)))
    respond(api, load_fixture(EXAMPLE))
    assert await provider.get_flight_status("TR428", date(2020, 2, 5)) is None
    yesterday = await provider.get_flight_status("TR428", DAY)
    assert yesterday is not None
    assert yesterday.flight_date == DAY


async def test_missing_optional_fields_are_tolerated(
    api: respx.MockRouter, provider: AviationStackProvider
) -> None:
    """Null airline and aircraft and absent gates, delays and actuals map cleanly."""
    body = load_fixture("aviationstack/tolerant_TR428_minimal.json")
    result = await status_of(api, provider, body)
    assert (result.ident_iata, result.ident_icao, result.flight_number) == ("TR428", None, None)
    assert (result.carrier_iata, result.carrier_icao) == (None, None)
    assert (result.origin.icao, result.destination.icao) == ("WSSS", "WMKP")
    assert (result.scheduled_out, result.scheduled_in) == (utc(4, 12, 25), utc(4, 13, 50))
    assert (result.estimated_out, result.actual_out, result.actual_off) == (None, None, None)
    assert (result.departure_delay_minutes, result.arrival_delay_minutes) == (None, None)
    assert (result.registration, result.aircraft_type, result.gate_origin) == (None, None, None)
    assert result.status is FlightStatus.SCHEDULED


async def test_unknown_extra_fields_are_ignored(
    api: respx.MockRouter, provider: AviationStackProvider
) -> None:
    """New keys at every level change nothing: the record equals the plain example's."""
    expected = await status_of(api, provider, load_fixture(EXAMPLE))
    body = load_fixture("aviationstack/tolerant_TR428_extra_fields.json")
    assert await status_of(api, provider, body) == expected


@pytest.mark.parametrize(
    "response",
    [
        pytest.param(
            httpx.Response(200, json=load_fixture("aviationstack/flights_empty.json")),
            id="empty-data",
        ),
        pytest.param(httpx.Response(204), id="204-no-content"),
    ],
)
async def test_no_flight_is_not_found(
    api: respx.MockRouter, provider: AviationStackProvider, response: httpx.Response
) -> None:
    """An empty data list (or no body) answers None and counts as not found."""
    api.get("/flights").mock(return_value=response)
    assert await provider.get_flight_status("TR428", DAY) is None
    assert provider.metrics.outcomes["not_found"] == 1


ERROR_CODES = [
    pytest.param("invalid_access_key", AuthenticationError, False, id="invalid_access_key"),
    pytest.param("missing_access_key", AuthenticationError, False, id="missing_access_key"),
    pytest.param("inactive_user", AuthenticationError, False, id="inactive_user"),
    pytest.param("https_access_restricted", AuthenticationError, False, id="https_restricted"),
    pytest.param(
        "function_access_restricted", AuthenticationError, False, id="function_restricted"
    ),
    pytest.param("usage_limit_reached", QuotaExhaustedError, False, id="usage_limit_reached"),
    pytest.param("rate_limit_reached", RateLimitedError, True, id="rate_limit_reached"),
    pytest.param("validation_error", InvalidFlightQueryError, None, id="validation_error"),
    pytest.param("internal_error", ProviderUnavailableError, True, id="internal_error"),
    pytest.param("404_not_found", ProviderError, True, id="404_not_found"),
    pytest.param("invalid_api_function", ProviderError, True, id="invalid_api_function"),
]


@pytest.mark.parametrize(("code", "error_type", "retryable"), ERROR_CODES)
async def test_errors_inside_http_200_bodies_are_raised(
    api: respx.MockRouter,
    provider: AviationStackProvider,
    code: str,
    error_type: type[FlightDataError],
    retryable: bool | None,
) -> None:
    """An error envelope with HTTP 200 raises its error class, naming AviationStack's code."""
    api.get("/flights").respond(200, json=error_body(code))
    with pytest.raises(error_type) as caught:
        await provider.get_flight_status("TR428", DAY)
    assert type(caught.value) is error_type
    assert code in str(caught.value)
    assert (caught.value.provider, caught.value.status_code) == ("AviationStack", 200)
    assert getattr(caught.value, "retryable", None) is retryable
    assert provider.metrics.last_error is not None


async def test_validation_error_names_the_rejected_parameter(
    api: respx.MockRouter, provider: AviationStackProvider
) -> None:
    """A validation_error quotes its message and the rejected parameter's name."""
    api.get("/flights").respond(200, json=error_body("validation_error"))
    with pytest.raises(InvalidFlightQueryError) as caught:
        await provider.get_flight_status("TR428", DAY)
    assert str(caught.value) == (
        "[AviationStack] API error validation_error (HTTP 200): "
        "Request failed with validation error (parameters: flight_iata)"
    )


async def test_unknown_error_code_is_a_generic_provider_error(
    api: respx.MockRouter, provider: AviationStackProvider
) -> None:
    """A code this adapter does not know still raises, as a retryable ProviderError."""
    api.get("/flights").respond(200, json={"error": {"code": "new_code", "message": "Hm."}})
    with pytest.raises(ProviderError, match="new_code") as caught:
        await provider.get_flight_status("TR428", DAY)
    assert type(caught.value) is ProviderError
    assert caught.value.retryable is True


@pytest.mark.parametrize(
    ("status", "code", "error_type"),
    [
        pytest.param(401, "invalid_access_key", AuthenticationError, id="401"),
        pytest.param(403, "function_access_restricted", AuthenticationError, id="403"),
        pytest.param(404, "404_not_found", ProviderError, id="404"),
        pytest.param(400, "validation_error", InvalidFlightQueryError, id="400"),
        pytest.param(500, "internal_error", ProviderUnavailableError, id="500"),
    ],
)
async def test_error_envelopes_with_an_http_status_are_read_by_code(
    api: respx.MockRouter,
    provider: AviationStackProvider,
    status: int,
    code: str,
    error_type: type[FlightDataError],
) -> None:
    """With an error status the body's code decides the class; 404 is not read as not found."""
    api.get("/flights").respond(status, json=error_body(code))
    with pytest.raises(error_type) as caught:
        await provider.get_flight_status("TR428", DAY)
    assert type(caught.value) is error_type
    assert code in str(caught.value)
    assert caught.value.status_code == status


async def test_usage_limit_is_quota_exhausted_but_rate_limit_is_retryable(
    api: respx.MockRouter, provider: AviationStackProvider
) -> None:
    """Both are 429: usage_limit_reached is final quota, rate_limit_reached a retryable limit."""
    api.get("/flights").mock(
        side_effect=[
            httpx.Response(429, json=error_body("usage_limit_reached")),
            httpx.Response(
                429, json=error_body("rate_limit_reached"), headers={"Retry-After": "30"}
            ),
        ]
    )
    with pytest.raises(QuotaExhaustedError) as quota:
        await provider.get_flight_status("TR428", DAY)
    with pytest.raises(RateLimitedError) as rate:
        await provider.get_flight_status("TR428", DAY)
    assert (quota.value.retryable, quota.value.status_code) == (False, 429)
    assert "usage_limit_reached" in str(quota.value)
    assert type(rate.value) is RateLimitedError
    assert (rate.value.retryable, rate.value.retry_after) == (True, 30.0)
    assert "rate_limit_reached" in str(rate.value)


@pytest.mark.parametrize(
    ("response", "error_type", "retry_after"),
    [
        pytest.param(httpx.Response(400, text="bad"), InvalidFlightQueryError, None, id="400"),
        pytest.param(httpx.Response(401, json={}), AuthenticationError, None, id="401"),
        pytest.param(httpx.Response(403), AuthenticationError, None, id="403"),
        pytest.param(httpx.Response(429), RateLimitedError, None, id="429-without-retry-after"),
        pytest.param(
            httpx.Response(429, headers={"Retry-After": "7"}),
            RateLimitedError,
            7.0,
            id="429-with-retry-after",
        ),
        pytest.param(httpx.Response(500, text="oops"), ProviderUnavailableError, None, id="500"),
        pytest.param(httpx.Response(503), ProviderUnavailableError, None, id="503"),
        pytest.param(
            httpx.Response(200, text="<html>gateway</html>"),
            InvalidResponseError,
            None,
            id="bad-json",
        ),
        pytest.param(
            httpx.Response(200, json={"data": "nope"}), InvalidResponseError, None, id="wrong-shape"
        ),
        pytest.param(
            httpx.Response(200, json=[{"flight_date": "2020-02-04"}]),
            InvalidResponseError,
            None,
            id="list-without-envelope",
        ),
    ],
)
async def test_http_failures_without_an_envelope_map_by_status(
    api: respx.MockRouter,
    provider: AviationStackProvider,
    response: httpx.Response,
    error_type: type[Exception],
    retry_after: float | None,
) -> None:
    """Without an error code in the body the shared status mapping applies."""
    api.get("/flights").mock(return_value=response)
    with pytest.raises(error_type) as caught:
        await provider.get_flight_status("TR428", DAY)
    assert type(caught.value) is error_type
    assert caught.value.provider == "AviationStack"  # type: ignore[attr-defined]
    assert getattr(caught.value, "retry_after", None) == retry_after


@pytest.mark.parametrize(
    ("side_effect", "error_type"),
    [
        pytest.param(httpx.ReadTimeout("slow"), ProviderTimeoutError, id="read-timeout"),
        pytest.param(httpx.ConnectError("refused"), ProviderUnavailableError, id="connect-error"),
    ],
)
async def test_transport_failures_map_onto_the_exception_tree(
    api: respx.MockRouter,
    provider: AviationStackProvider,
    side_effect: Exception,
    error_type: type[Exception],
) -> None:
    """Timeouts and connection errors are retryable provider errors chained to httpx's."""
    api.get("/flights").mock(side_effect=side_effect)
    with pytest.raises(error_type) as caught:
        await provider.get_flight_status("TR428", DAY)
    assert isinstance(caught.value.__cause__, httpx.TransportError)
    assert caught.value.retryable is True  # type: ignore[attr-defined]


async def test_huge_body_is_refused(api: respx.MockRouter, as_clock: FakeClock) -> None:
    """A body larger than max_body_bytes raises InvalidResponseError instead of being parsed."""
    provider = AviationStackProvider(api_key=KEY, clock=as_clock, max_body_bytes=1000)
    body = load_fixture(EXAMPLE)
    body["data"] *= 10
    respond(api, body)
    with pytest.raises(InvalidResponseError, match="exceeds 1000 bytes"):
        await provider.get_flight_status("TR428", DAY)


async def test_missing_key_fails_before_any_request(
    api: respx.MockRouter, as_clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Constructing without a key works; calling raises AuthenticationError naming the variable."""
    monkeypatch.delenv("AVIATIONSTACK_API_KEY", raising=False)
    route = respond(api, load_fixture(EXAMPLE))
    provider = AviationStackProvider(clock=as_clock)
    with pytest.raises(AuthenticationError, match="AVIATIONSTACK_API_KEY"):
        await provider.get_flight_status("TR428", DAY)
    assert (await provider.health_check()).healthy is False
    assert not route.called


async def test_key_is_read_from_the_environment(
    api: respx.MockRouter, as_clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """AviationStackProvider() with no key sends AVIATIONSTACK_API_KEY as access_key."""
    monkeypatch.setenv("AVIATIONSTACK_API_KEY", "env-key-42")
    route = respond(api, load_fixture("aviationstack/flights_empty.json"))
    await AviationStackProvider(clock=as_clock).get_flight_status("TR428", DAY)
    assert route.calls.last.request.url.params["access_key"] == "env-key-42"


@pytest.mark.parametrize(
    ("historical", "day", "earliest"),
    [
        pytest.param(False, date(2020, 2, 2), date(2020, 2, 3), id="real-time-two-days-back"),
        pytest.param(False, date(2020, 2, 6), date(2020, 2, 3), id="real-time-two-days-ahead"),
        pytest.param(True, date(2019, 11, 5), date(2019, 11, 6), id="historical-91-days-back"),
    ],
)
async def test_dates_outside_the_plan_fail_before_any_request(
    api: respx.MockRouter, as_clock: FakeClock, historical: bool, day: date, earliest: date
) -> None:
    """The real-time feed answers yesterday to tomorrow; historical reaches 90 days back."""
    provider = AviationStackProvider(api_key=KEY, historical=historical, clock=as_clock)
    with pytest.raises(FlightDateOutOfRangeError) as caught:
        await provider.get_flight_status("TR428", day)
    assert (caught.value.earliest, caught.value.latest) == (earliest, date(2020, 2, 5))
    assert not api.calls


async def test_health_check_asks_for_one_row_and_reads_body_errors(
    api: respx.MockRouter, provider: AviationStackProvider
) -> None:
    """The probe asks /flights for one row; an error inside a 200 body reports unhealthy."""
    route = api.get("/flights").mock(
        side_effect=[
            httpx.Response(200, json=load_fixture(EXAMPLE)),
            httpx.Response(200, json=error_body("usage_limit_reached")),
        ]
    )
    healthy = await provider.health_check()
    unhealthy = await provider.health_check()
    assert (healthy.healthy, unhealthy.healthy) == (True, False)
    assert dict(route.calls.last.request.url.params) == {"access_key": KEY, "limit": "1"}
    assert unhealthy.detail is not None
    assert "usage_limit_reached" in unhealthy.detail
    assert KEY not in unhealthy.detail


async def test_key_never_appears_in_repr_errors_or_logs(
    api: respx.MockRouter, provider: AviationStackProvider, caplog: pytest.LogCaptureFixture
) -> None:
    """The key rides in every URL, yet stays out of the repr, every error text and every log."""
    caplog.set_level(logging.DEBUG)
    echoed = error_body("invalid_access_key")
    echoed["error"]["message"] = f"The access key {KEY} is not valid."
    api.get("/flights").mock(
        side_effect=[
            httpx.Response(401, json=echoed),
            httpx.Response(200, json=echoed),
            httpx.Response(429, json=error_body("rate_limit_reached")),
            httpx.Response(500, text="oops"),
            httpx.ConnectError("x"),
            httpx.ReadTimeout("slow"),
        ]
    )
    texts = [repr(provider), str(provider)]
    for _ in range(6):
        with pytest.raises(ProviderError) as caught:
            await provider.get_flight_status("TR428", DAY)
        texts += [str(caught.value), repr(caught.value)]
    texts += [record.getMessage() for record in caplog.records]
    assert any("access_key=***" in t for t in texts), "the requests should have been logged"
    assert "The access key *** is not valid." in texts[2]
    assert not [t for t in texts if KEY in t]
