"""FlightAwareProvider: AeroAPI v4 requests, mapping onto FlightStatusData, departure boards,
and errors."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import httpx
import pytest
import respx

from flight_agent.airports import get_airport
from flight_agent.clock import FakeClock
from flight_agent.errors import (
    AuthenticationError,
    FlightDateOutOfRangeError,
    InvalidFlightQueryError,
    InvalidResponseError,
    ProviderError,
    ProviderTimeoutError,
    ProviderUnavailableError,
    RateLimitedError,
)
from flight_agent.models import FlightStatus
from flight_agent.providers.flightaware_provider import AEROAPI_BASE_URL, FlightAwareProvider
from tests.conftest import load_fixture

KEY = "fa-test-key-0123456789"


@pytest.fixture
def api() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=AEROAPI_BASE_URL, assert_all_called=False) as router:
        yield router


@pytest.fixture
def provider(clock: FakeClock) -> FlightAwareProvider:
    return FlightAwareProvider(api_key=KEY, clock=clock)


def respond(api: respx.MockRouter, ident: str, fixture: str) -> respx.Route:
    return api.get(f"/flights/{ident}").respond(json=load_fixture(f"aeroapi/{fixture}"))


async def test_request_uses_icao_designator_key_header_and_padded_window(
    api: respx.MockRouter, provider: FlightAwareProvider
) -> None:
    """The call asks for the ICAO ident as a designator, one page, with the key in x-apikey."""
    route = respond(api, "BAW117", "flights_BAW117_en_route.json")
    await provider.get_flight_status("BA117", date(2026, 11, 28))
    request = route.calls.last.request
    assert request.headers["x-apikey"] == KEY
    assert dict(request.url.params) == {
        "ident_type": "designator",
        "start": "2026-11-27T10:00:00Z",
        "end": "2026-11-29T14:00:00Z",
        "max_pages": "1",
    }


async def test_window_is_the_exact_local_day_when_the_origin_is_known(
    api: respx.MockRouter, provider: FlightAwareProvider
) -> None:
    """With an origin the window is that airport's local midnight to midnight, in UTC."""
    route = respond(api, "AAL100", "flights_AAL100_cancelled.json")
    await provider.get_flight_status("AA100", date(2026, 11, 28), origin="JFK")
    params = route.calls.last.request.url.params
    assert (params["start"], params["end"]) == ("2026-11-28T05:00:00Z", "2026-11-29T05:00:00Z")


async def test_window_is_clamped_to_what_aeroapi_accepts(
    api: respx.MockRouter, provider: FlightAwareProvider
) -> None:
    """Two days ahead, the window ends just before now + 2 days (AeroAPI's limit)."""
    route = api.get("/flights/BAW117").respond(json=load_fixture("aeroapi/flights_empty.json"))
    await provider.get_flight_status("BA117", date(2026, 11, 30))
    assert route.calls.last.request.url.params["end"] == "2026-11-30T11:59:00Z"


async def test_en_route_flight_maps_every_field(
    api: respx.MockRouter, provider: FlightAwareProvider
) -> None:
    """An airborne flight maps to EN_ROUTE with UTC times, minute delays, gates and provenance."""
    respond(api, "BAW117", "flights_BAW117_en_route.json")
    result = await provider.get_flight_status("BA117", date(2026, 11, 28))
    assert result is not None
    assert (result.flight_id, result.ident_iata, result.ident_icao) == ("BA117", "BA117", "BAW117")
    assert (result.carrier_iata, result.carrier_icao, result.flight_number) == ("BA", "BAW", "117")
    assert result.status is FlightStatus.EN_ROUTE
    assert result.status_text == "En Route / On Time"
    assert result.flight_date == date(2026, 11, 28)
    assert (result.origin.iata, result.destination.iata) == ("LHR", "JFK")
    assert result.destination.timezone == "America/New_York"
    assert result.scheduled_out == datetime(2026, 11, 28, 8, 20, tzinfo=UTC)
    assert result.actual_off == datetime(2026, 11, 28, 8, 40, tzinfo=UTC)
    assert result.actual_on is None
    assert (result.departure_delay_minutes, result.arrival_delay_minutes) == (2, -5)
    assert (result.gate_origin, result.terminal_origin, result.terminal_destination) == (
        "B42",
        "5",
        "8",
    )
    assert result.codeshares == ("AA6126", "IB4218")
    assert result.provider_flight_id == "BAW117-1764234000-schedule-0001"
    assert result.inbound_flight_id == "BAW116-1764180000-schedule-0007"
    assert (result.registration, result.aircraft_type) == ("G-XWBA", "A35K")
    assert result.source == "FlightAware"
    assert result.fetched_at == datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    assert result.is_disrupted is False


async def test_only_the_flight_of_the_requested_local_date_is_taken(
    api: respx.MockRouter, provider: FlightAwareProvider
) -> None:
    """The previous day's BA117 in the same response answers only for its own date."""
    respond(api, "BAW117", "flights_BAW117_en_route.json")
    result = await provider.get_flight_status("BA117", date(2026, 11, 27))
    assert result is not None
    assert result.status is FlightStatus.ARRIVED
    assert result.actual_in == datetime(2026, 11, 27, 16, 31, tzinfo=UTC)


async def test_delay_seconds_become_minutes_and_mark_the_flight_disrupted(
    api: respx.MockRouter, provider: FlightAwareProvider
) -> None:
    """departure_delay 5400 s is a 90-minute delay; the flight is still SCHEDULED."""
    respond(api, "BAW117", "flights_BAW117_delayed.json")
    result = await provider.get_flight_status("BA117", date(2026, 11, 28))
    assert result is not None
    assert result.status is FlightStatus.SCHEDULED
    assert (result.departure_delay_minutes, result.arrival_delay_minutes) == (90, 80)
    assert result.estimated_out == datetime(2026, 11, 28, 9, 50, tzinfo=UTC)
    assert result.is_disrupted is True


async def test_cancelled_flag_wins_over_times(
    api: respx.MockRouter, provider: FlightAwareProvider
) -> None:
    """cancelled=true maps to CANCELLED; the local date comes from the origin's zone."""
    respond(api, "AAL100", "flights_AAL100_cancelled.json")
    result = await provider.get_flight_status("AA100", date(2026, 11, 28))
    assert result is not None
    assert result.status is FlightStatus.CANCELLED
    assert result.flight_date == date(2026, 11, 28)  # 23:00Z is 18:00 in New York
    assert result.is_disrupted is True


async def test_diversion_legs_sharing_an_id_fold_into_one_record(
    api: respx.MockRouter, provider: FlightAwareProvider
) -> None:
    """Two records sharing an fa_flight_id fold into one DIVERTED record with diverted_to."""
    respond(api, "UAL901", "flights_UAL901_diverted.json")
    result = await provider.get_flight_status("UA901", date(2026, 11, 27))
    assert result is not None
    assert result.status is FlightStatus.DIVERTED
    assert result.destination.iata == "FRA"
    assert result.diverted_to is not None
    assert result.diverted_to.iata == "SNN"
    assert result.actual_in == datetime(2026, 11, 28, 6, 31, tzinfo=UTC)
    assert result.legs == ("SFO-FRA",)


@pytest.mark.parametrize(
    ("origin", "expected_route"),
    [
        pytest.param(None, "SYD-SIN", id="first-leg-of-the-day"),
        pytest.param("SIN", "SIN-LHR", id="origin-picks-second-leg"),
        pytest.param("WSSS", "SIN-LHR", id="origin-as-icao"),
    ],
)
async def test_multi_leg_flight_number(
    api: respx.MockRouter, provider: FlightAwareProvider, origin: str | None, expected_route: str
) -> None:
    """A flight number with two legs answers the leg from the origin, else the first one."""
    respond(api, "QFA1", "flights_QFA1_multi_leg.json")
    result = await provider.get_flight_status("QF1", date(2026, 11, 28), origin=origin)
    assert result is not None
    assert result.route == expected_route
    assert result.legs == ("SYD-SIN", "SIN-LHR")


async def test_origin_that_no_leg_departs_from_is_not_found(
    api: respx.MockRouter, provider: FlightAwareProvider
) -> None:
    """Asking for QF1 from Melbourne when it departs Sydney and Singapore gives None."""
    respond(api, "QFA1", "flights_QFA1_multi_leg.json")
    assert await provider.get_flight_status("QF1", date(2026, 11, 28), origin="MEL") is None


async def test_overnight_arrival_keeps_the_local_departure_date(
    api: respx.MockRouter,
) -> None:
    """BA196 leaves Houston 20:30 on 26 June local and lands in London on 27 June."""
    respond(api, "BAW196", "flights_BAW196_overnight.json")
    provider = FlightAwareProvider(
        api_key=KEY, clock=FakeClock(datetime(2022, 6, 27, 12, tzinfo=UTC))
    )
    result = await provider.get_flight_status("BA196", date(2022, 6, 26))
    assert result is not None
    assert result.flight_date == date(2022, 6, 26)
    assert result.status is FlightStatus.LANDED
    departure = result.departure_local(result.scheduled_out)
    arrival = result.arrival_local(result.scheduled_in)
    assert departure is not None
    assert arrival is not None
    assert (departure.date(), departure.hour, departure.minute) == (date(2022, 6, 26), 20, 30)
    assert (arrival.date(), arrival.hour, arrival.minute) == (date(2022, 6, 27), 11, 40)
    assert result.departure_delay_minutes == 16


async def test_missing_optional_fields_and_unknown_extra_fields_are_tolerated(
    api: respx.MockRouter, provider: FlightAwareProvider
) -> None:
    """Absent optional keys and unknown new keys map cleanly; the airport table fills the zone."""
    respond(api, "DAL88", "flights_DAL88_minimal.json")
    result = await provider.get_flight_status("DL88", date(2026, 11, 28))
    assert result is not None
    assert result.ident_iata is None
    assert result.carrier_icao == "DAL"
    assert result.origin.timezone == "America/New_York"
    assert result.codeshares == ()
    assert (result.estimated_out, result.gate_origin, result.aircraft_type) == (None, None, None)
    assert result.departure_delay_minutes is None
    assert result.status is FlightStatus.SCHEDULED


async def test_empty_result_is_not_found(
    api: respx.MockRouter, provider: FlightAwareProvider
) -> None:
    """No flights in the window answers None and counts as not found."""
    api.get("/flights/BAW117").respond(json=load_fixture("aeroapi/flights_empty.json"))
    assert await provider.get_flight_status("BA117", date(2026, 11, 28)) is None
    assert provider.metrics.outcomes["not_found"] == 1


@pytest.mark.parametrize(
    ("response", "error_type", "retry_after"),
    [
        pytest.param(
            httpx.Response(400, json=load_fixture("aeroapi/error_400.json")),
            InvalidFlightQueryError,
            None,
            id="400",
        ),
        pytest.param(
            httpx.Response(401, json=load_fixture("aeroapi/error_401.json")),
            AuthenticationError,
            None,
            id="401",
        ),
        pytest.param(httpx.Response(403, json={}), AuthenticationError, None, id="403"),
        pytest.param(httpx.Response(429), RateLimitedError, None, id="429-without-retry-after"),
        pytest.param(
            httpx.Response(429, headers={"Retry-After": "7"}),
            RateLimitedError,
            7.0,
            id="429-with-retry-after",
        ),
        pytest.param(httpx.Response(500, text="oops"), ProviderUnavailableError, None, id="500"),
        pytest.param(httpx.Response(503), ProviderUnavailableError, None, id="503"),
        pytest.param(httpx.Response(418), ProviderError, None, id="unexpected-status"),
        pytest.param(
            httpx.Response(200, text="<html>gateway</html>"),
            InvalidResponseError,
            None,
            id="bad-json",
        ),
        pytest.param(
            httpx.Response(200, json={"flights": "nope"}),
            InvalidResponseError,
            None,
            id="wrong-shape",
        ),
    ],
)
async def test_http_failures_map_onto_the_exception_tree(
    api: respx.MockRouter,
    provider: FlightAwareProvider,
    response: httpx.Response,
    error_type: type[Exception],
    retry_after: float | None,
) -> None:
    """Each failure raises its error class with the provider name and status attached."""
    api.get("/flights/BAW117").mock(return_value=response)
    with pytest.raises(error_type) as caught:
        await provider.get_flight_status("BA117", date(2026, 11, 28))
    assert caught.value.provider == "FlightAware"  # type: ignore[attr-defined]
    assert getattr(caught.value, "retry_after", None) == retry_after
    assert provider.metrics.last_error is not None


async def test_aeroapi_error_detail_is_surfaced(
    api: respx.MockRouter, provider: FlightAwareProvider
) -> None:
    """The provider's own 'detail' explains a 400."""
    api.get("/flights/BAW117").respond(400, json=load_fixture("aeroapi/error_400.json"))
    with pytest.raises(InvalidFlightQueryError, match="10 days in the past"):
        await provider.get_flight_status("BA117", date(2026, 11, 28))


async def test_a_404_is_an_error_not_a_missing_flight(
    api: respx.MockRouter, provider: FlightAwareProvider
) -> None:
    """AeroAPI never answers 404 for a flight query: it means a wrong path, so fail over."""
    api.get("/flights/BAW117").respond(404)
    with pytest.raises(ProviderError, match="HTTP 404") as caught:
        await provider.get_flight_status("BA117", date(2026, 11, 28))
    assert caught.value.retryable


@pytest.mark.parametrize(
    ("side_effect", "error_type"),
    [
        pytest.param(httpx.ReadTimeout("slow"), ProviderTimeoutError, id="read-timeout"),
        pytest.param(httpx.ConnectTimeout("slow"), ProviderTimeoutError, id="connect-timeout"),
        pytest.param(httpx.ConnectError("refused"), ProviderUnavailableError, id="connect-error"),
        pytest.param(httpx.RemoteProtocolError("eof"), ProviderUnavailableError, id="protocol"),
    ],
)
async def test_transport_failures_map_onto_the_exception_tree(
    api: respx.MockRouter,
    provider: FlightAwareProvider,
    side_effect: Exception,
    error_type: type[Exception],
) -> None:
    """Timeouts and connection errors are retryable provider errors chained to httpx's."""
    api.get("/flights/BAW117").mock(side_effect=side_effect)
    with pytest.raises(error_type) as caught:
        await provider.get_flight_status("BA117", date(2026, 11, 28))
    assert isinstance(caught.value.__cause__, httpx.TransportError)
    assert caught.value.retryable is True  # type: ignore[attr-defined]


async def test_huge_body_is_refused(api: respx.MockRouter, clock: FakeClock) -> None:
    """A body larger than max_body_bytes raises InvalidResponseError instead of being parsed."""
    provider = FlightAwareProvider(api_key=KEY, clock=clock, max_body_bytes=1000)
    api.get("/flights/BAW117").respond(json={"flights": [], "padding": "x" * 5000})
    with pytest.raises(InvalidResponseError, match="exceeds 1000 bytes"):
        await provider.get_flight_status("BA117", date(2026, 11, 28))


async def test_missing_key_fails_before_any_request(
    api: respx.MockRouter, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Constructing without a key works; calling raises AuthenticationError naming the variable."""
    monkeypatch.delenv("FLIGHTAWARE_API_KEY", raising=False)
    route = api.get("/flights/BAW117").respond(json={})
    provider = FlightAwareProvider(clock=clock)
    with pytest.raises(AuthenticationError, match="FLIGHTAWARE_API_KEY"):
        await provider.get_flight_status("BA117", date(2026, 11, 28))
    assert not route.called


async def test_key_is_read_from_the_environment(
    api: respx.MockRouter, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """FlightAwareProvider() with no key uses FLIGHTAWARE_API_KEY."""
    monkeypatch.setenv("FLIGHTAWARE_API_KEY", "env-key-42")
    route = respond(api, "BAW117", "flights_empty.json")
    await FlightAwareProvider(clock=clock).get_flight_status("BA117", date(2026, 11, 28))
    assert route.calls.last.request.headers["x-apikey"] == "env-key-42"


@pytest.mark.parametrize(
    "day",
    [
        pytest.param(date(2026, 11, 17), id="eleven-days-back"),
        pytest.param(date(2026, 12, 1), id="three-days-ahead"),
    ],
)
async def test_dates_outside_aeroapi_range_fail_before_any_request(
    api: respx.MockRouter, provider: FlightAwareProvider, day: date
) -> None:
    """AeroAPI answers 10 days back to 2 days ahead; other dates raise without a request."""
    route = api.get("/flights/BAW117").respond(json={})
    with pytest.raises(FlightDateOutOfRangeError) as caught:
        await provider.get_flight_status("BA117", day)
    assert (caught.value.earliest, caught.value.latest) == (date(2026, 11, 18), date(2026, 11, 30))
    assert "2026-11-18" in str(caught.value)
    assert not route.called


async def test_flight_by_id_follows_the_inbound_link(
    api: respx.MockRouter, provider: FlightAwareProvider
) -> None:
    """The inbound fa_flight_id fetches the aircraft's previous flight by id."""
    inbound_id = "BAW116-1764180000-schedule-0007"
    route = api.get(f"/flights/{inbound_id}").respond(
        json=load_fixture("aeroapi/flights_by_id_BAW116.json")
    )
    inbound = await provider.get_flight_by_id(inbound_id)
    assert inbound is not None
    assert (inbound.flight_id, inbound.route, inbound.arrival_delay_minutes) == (
        "BA116",
        "JFK-LHR",
        45,
    )
    assert route.calls.last.request.url.params["ident_type"] == "fa_flight_id"


@pytest.mark.parametrize("bad_id", ["../account/usage", "BAW1?x=1", "BAW1/track", "", "BAW 1", "é"])
async def test_flight_by_id_rejects_ids_that_could_change_the_path(
    api: respx.MockRouter, provider: FlightAwareProvider, bad_id: str
) -> None:
    """Ids with path, query or space characters are refused before any request."""
    with pytest.raises(InvalidFlightQueryError):
        await provider.get_flight_by_id(bad_id)
    assert not api.calls


async def test_find_flights_lists_schedules_in_departure_order(
    api: respx.MockRouter, provider: FlightAwareProvider
) -> None:
    """Schedules between two airports come back sorted, with the operating flight of codeshares."""
    route = api.get("/schedules/2026-11-28T10:00:00Z/2026-11-28T22:00:00Z").respond(
        json=load_fixture("aeroapi/schedules_LHR_JFK.json")
    )
    start = datetime(2026, 11, 28, 10, tzinfo=UTC)
    flights = await provider.find_flights(
        "LHR", "JFK", start, datetime(2026, 11, 28, 22, tzinfo=UTC)
    )
    assert [f.ident for f in flights] == ["VS3", "BA175", "AA6135"]
    assert flights[2].operating_ident == "BA175"
    assert flights[0].origin == get_airport("LHR")
    assert dict(route.calls.last.request.url.params) == {
        "origin": "LHR",
        "destination": "JFK",
        "max_pages": "1",
    }


@pytest.mark.parametrize(
    ("origin", "start", "end"),
    [
        pytest.param(
            "XXX",
            datetime(2026, 11, 28, tzinfo=UTC),
            datetime(2026, 11, 29, tzinfo=UTC),
            id="unknown-airport",
        ),
        pytest.param("LHR", datetime(2026, 11, 28), datetime(2026, 11, 29), id="naive"),  # noqa: DTZ001 - naive on purpose
        pytest.param(
            "LHR",
            datetime(2026, 11, 29, tzinfo=UTC),
            datetime(2026, 11, 28, tzinfo=UTC),
            id="reversed",
        ),
        pytest.param(
            "LHR",
            datetime(2026, 11, 1, tzinfo=UTC),
            datetime(2026, 12, 1, tzinfo=UTC),
            id="over-three-weeks",
        ),
    ],
)
async def test_find_flights_validates_its_window(
    api: respx.MockRouter,
    provider: FlightAwareProvider,
    origin: str,
    start: datetime,
    end: datetime,
) -> None:
    """Bad airports and windows raise InvalidFlightQueryError without a request."""
    with pytest.raises(InvalidFlightQueryError):
        await provider.find_flights(origin, "JFK", start, end)
    assert not api.calls


async def test_health_check_uses_the_free_usage_endpoint(
    api: respx.MockRouter, provider: FlightAwareProvider
) -> None:
    """The probe calls /account/usage and reports healthy; a 401 reports unhealthy."""
    api.get("/account/usage").mock(
        side_effect=[
            httpx.Response(200, json=load_fixture("aeroapi/account_usage.json")),
            httpx.Response(401, json=load_fixture("aeroapi/error_401.json")),
        ]
    )
    healthy = await provider.health_check()
    unhealthy = await provider.health_check()
    assert (healthy.healthy, unhealthy.healthy) == (True, False)
    assert unhealthy.detail is not None
    assert "401" in unhealthy.detail


async def test_key_never_appears_in_repr_errors_or_logs(
    api: respx.MockRouter, provider: FlightAwareProvider, caplog: pytest.LogCaptureFixture
) -> None:
    """During failing calls the key stays out of the repr, every error text and every log record."""
    caplog.set_level(logging.DEBUG)
    api.get("/flights/BAW117").mock(
        side_effect=[
            httpx.Response(401, json=load_fixture("aeroapi/error_401.json")),
            httpx.ConnectError("x"),
        ]
    )
    texts = [repr(provider)]
    for _ in range(2):
        with pytest.raises(ProviderError) as caught:
            await provider.get_flight_status("BA117", date(2026, 11, 28))
        texts += [str(caught.value), repr(caught.value)]
    texts += [record.getMessage() for record in caplog.records]
    assert caplog.records, "the requests should have been logged"
    assert not [t for t in texts if KEY in t]


# ----- departure boards: AeroAPI's scheduled departures of one airport -----------------

BOARD = "/airports/KJFK/flights/scheduled_departures"
NOON = datetime(2026, 11, 28, 12, tzinfo=UTC)  # the clock fixture's now
MIDNIGHT = datetime(2026, 11, 29, tzinfo=UTC)


def jfk_board() -> dict[str, Any]:
    """Three departures from JFK: JetBlue on time, American cancelled, British Airways late."""
    body: dict[str, Any] = load_fixture("aeroapi/scheduled_departures_KJFK.json")
    return body


def test_flightaware_offers_departure_boards() -> None:
    """Callers may rely on departure_board for AeroAPI."""
    assert FlightAwareProvider.supports_departure_boards is True


@pytest.mark.parametrize(
    ("airport", "airline", "max_pages", "expected_filter"),
    [
        pytest.param("JFK", None, 1, {}, id="iata-code-all-airlines-one-page"),
        pytest.param("KJFK", "AAL", 3, {"airline": "AAL"}, id="icao-code-one-airline-three-pages"),
        pytest.param("jfk", " jbu ", 1, {"airline": "JBU"}, id="codes-are-normalized"),
    ],
)
async def test_request_asks_for_the_icao_airport_window_airline_and_pages(
    api: respx.MockRouter,
    provider: FlightAwareProvider,
    airport: str,
    airline: str | None,
    max_pages: int,
    expected_filter: dict[str, str],
) -> None:
    """The airport goes in the path as its ICAO code; window, airline and pages are parameters."""
    route = api.get(BOARD).respond(json=jfk_board())
    await provider.departure_board(airport, NOON, MIDNIGHT, airline=airline, max_pages=max_pages)
    request = route.calls.last.request
    assert request.headers["x-apikey"] == KEY
    assert dict(request.url.params) == {
        **expected_filter,
        "start": "2026-11-28T12:00:00Z",
        "end": "2026-11-29T00:00:00Z",
        "max_pages": str(max_pages),
    }


async def test_window_bounds_are_sent_in_utc(
    api: respx.MockRouter, provider: FlightAwareProvider
) -> None:
    """An aware window in New York time is sent as the same instants in UTC."""
    route = api.get(BOARD).respond(json=jfk_board())
    new_york = timezone(timedelta(hours=-5))
    await provider.departure_board(
        "JFK",
        datetime(2026, 11, 28, 7, tzinfo=new_york),
        datetime(2026, 11, 28, 19, tzinfo=new_york),
    )
    params = route.calls.last.request.url.params
    assert (params["start"], params["end"]) == ("2026-11-28T12:00:00Z", "2026-11-29T00:00:00Z")


async def test_departures_map_like_status_lookups_in_board_order(
    api: respx.MockRouter, provider: FlightAwareProvider
) -> None:
    """Each departure becomes a record keyed by its operating flight; a cancellation stays."""
    api.get(BOARD).respond(json=jfk_board())
    board = await provider.departure_board("JFK", NOON, MIDNIGHT)
    assert [r.flight_id for r in board.records] == ["B61", "AA106", "BA178"]
    assert [r.status for r in board.records] == [
        FlightStatus.SCHEDULED,
        FlightStatus.CANCELLED,
        FlightStatus.SCHEDULED,
    ]
    assert [r.legs for r in board.records] == [("JFK-FLL",), ("JFK-LHR",), ("JFK-LHR",)]
    late = board.records[2]
    assert (late.ident_icao, late.carrier_iata, late.flight_number) == ("BAW178", "BA", "178")
    assert late.flight_date == date(2026, 11, 28)  # 23:30Z is 18:30 in New York
    assert late.scheduled_out == datetime(2026, 11, 28, 23, 30, tzinfo=UTC)
    assert late.estimated_out == datetime(2026, 11, 29, 0, 30, tzinfo=UTC)
    assert (late.departure_delay_minutes, late.arrival_delay_minutes) == (60, 50)
    assert late.codeshares == ("AA6143", "IB4219")
    assert (late.gate_origin, late.terminal_origin) == ("B31", "8")
    assert late.provider_flight_id == "BAW178-1764320000-schedule-0003"
    assert late.inbound_flight_id == "BAW177-1764290000-schedule-0002"
    assert (late.source, late.fetched_at) == ("FlightAware", NOON)
    assert board.records[1].is_disrupted is True


@pytest.mark.parametrize(
    ("links", "num_pages", "expected_pages", "complete"),
    [
        pytest.param(None, 1, 1, True, id="one-page-nothing-more"),
        pytest.param(
            {"next": "/airports/KJFK/flights/scheduled_departures?cursor=b422e1642a81971"},
            2,
            2,
            False,
            id="two-pages-and-more-to-fetch",
        ),
        pytest.param(None, None, 1, True, id="num-pages-missing-counts-one"),
    ],
)
async def test_pages_and_completeness_come_from_num_pages_and_links_next(
    api: respx.MockRouter,
    provider: FlightAwareProvider,
    links: dict[str, str] | None,
    num_pages: int | None,
    expected_pages: int,
    complete: bool,
) -> None:
    """pages is what AeroAPI billed; the board is incomplete while links.next points further."""
    body = jfk_board()
    body["links"] = links
    if num_pages is None:
        del body["num_pages"]
    else:
        body["num_pages"] = num_pages
    api.get(BOARD).respond(json=body)
    board = await provider.departure_board("JFK", NOON, MIDNIGHT, max_pages=2)
    assert (board.pages, board.complete) == (expected_pages, complete)


async def test_empty_board_has_no_records(
    api: respx.MockRouter, provider: FlightAwareProvider
) -> None:
    """No departures in the window is an empty, complete board."""
    api.get(BOARD).respond(json={"links": None, "num_pages": 1, "scheduled_departures": []})
    board = await provider.departure_board("JFK", NOON, MIDNIGHT)
    assert (board.records, board.pages, board.complete) == ((), 1, True)


async def test_flights_departing_elsewhere_are_dropped(
    api: respx.MockRouter, provider: FlightAwareProvider
) -> None:
    """A flight from another airport in the answer is left off; the others keep their order."""
    body = jfk_board()
    stray = load_fixture("aeroapi/flights_BAW117_delayed.json")["flights"][0]
    body["scheduled_departures"].insert(1, stray)
    api.get(BOARD).respond(json=body)
    board = await provider.departure_board("JFK", NOON, MIDNIGHT)
    assert [r.flight_id for r in board.records] == ["B61", "AA106", "BA178"]


async def test_window_is_cut_to_what_aeroapi_accepts(
    api: respx.MockRouter, provider: FlightAwareProvider
) -> None:
    """A window reaching past 10 days back and 2 days ahead is asked for only inside them."""
    route = api.get(BOARD).respond(json=jfk_board())
    await provider.departure_board("JFK", NOON - timedelta(days=20), NOON + timedelta(days=5))
    params = route.calls.last.request.url.params
    assert (params["start"], params["end"]) == ("2026-11-18T12:01:00Z", "2026-11-30T11:59:00Z")


@pytest.mark.parametrize(
    ("start", "end"),
    [
        pytest.param(
            datetime(2026, 12, 1, tzinfo=UTC), datetime(2026, 12, 2, tzinfo=UTC), id="ahead"
        ),
        pytest.param(
            datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 11, 18, tzinfo=UTC), id="behind"
        ),
    ],
)
async def test_window_wholly_outside_aeroapi_range_fails_before_any_request(
    api: respx.MockRouter, provider: FlightAwareProvider, start: datetime, end: datetime
) -> None:
    """A window AeroAPI cannot answer at all raises FlightDateOutOfRangeError with the range."""
    with pytest.raises(FlightDateOutOfRangeError, match="10 days back to 2 days ahead") as caught:
        await provider.departure_board("JFK", start, end)
    assert (caught.value.earliest, caught.value.latest) == (date(2026, 11, 18), date(2026, 11, 30))
    assert not api.calls


@pytest.mark.parametrize(
    ("airport", "start", "end", "kwargs", "message"),
    [
        pytest.param("XXX", NOON, MIDNIGHT, {}, "Unknown airport code 'XXX'", id="unknown-airport"),
        pytest.param("", NOON, MIDNIGHT, {}, "Unknown airport code ''", id="empty-airport"),
        pytest.param(
            "JFK", NOON, MIDNIGHT, {"airline": "UA"}, "use 'UAL' for United", id="iata-airline"
        ),
        pytest.param(
            "JFK", NOON, MIDNIGHT, {"airline": "UNITED"}, "3-letter ICAO", id="airline-name"
        ),
        pytest.param("JFK", NOON, MIDNIGHT, {"airline": "U2A"}, "3-letter ICAO", id="digit"),
        pytest.param("JFK", NOON, MIDNIGHT, {"max_pages": 0}, "at least 1", id="no-pages"),
        pytest.param(
            "JFK", NOON.replace(tzinfo=None), MIDNIGHT, {}, "start .* no time zone", id="naive"
        ),
        pytest.param(
            "JFK", NOON, MIDNIGHT.replace(tzinfo=None), {}, "end .* no time zone", id="naive-end"
        ),
        pytest.param("JFK", NOON, NOON, {}, "end after it starts", id="empty-window"),
        pytest.param("JFK", MIDNIGHT, NOON, {}, "end after it starts", id="reversed"),
    ],
)
async def test_bad_input_is_refused_before_any_request(
    api: respx.MockRouter,
    provider: FlightAwareProvider,
    airport: str,
    start: datetime,
    end: datetime,
    kwargs: dict[str, Any],
    message: str,
) -> None:
    """Each mistake raises InvalidFlightQueryError saying what to pass instead."""
    with pytest.raises(InvalidFlightQueryError, match=message) as caught:
        await provider.departure_board(airport, start, end, **kwargs)
    assert not isinstance(caught.value, FlightDateOutOfRangeError)
    assert caught.value.provider == "FlightAware"
    assert not api.calls


@pytest.mark.parametrize(
    ("response", "error_type"),
    [
        pytest.param(httpx.Response(429), RateLimitedError, id="429"),
        pytest.param(
            httpx.Response(401, json=load_fixture("aeroapi/error_401.json")),
            AuthenticationError,
            id="401",
        ),
        pytest.param(httpx.Response(503), ProviderUnavailableError, id="503"),
        pytest.param(
            httpx.Response(200, json={"scheduled_departures": "nope"}),
            InvalidResponseError,
            id="wrong-shape",
        ),
        pytest.param(
            httpx.Response(200, json={"flights": []}), InvalidResponseError, id="wrong-key"
        ),
    ],
)
async def test_board_http_failures_map_onto_the_exception_tree(
    api: respx.MockRouter,
    provider: FlightAwareProvider,
    response: httpx.Response,
    error_type: type[Exception],
) -> None:
    """A failed board call raises the provider error of its kind, naming FlightAware."""
    api.get(BOARD).mock(return_value=response)
    with pytest.raises(error_type) as caught:
        await provider.departure_board("JFK", NOON, MIDNIGHT)
    assert caught.value.provider == "FlightAware"  # type: ignore[attr-defined]


async def test_a_board_without_a_key_fails_before_any_request(
    api: respx.MockRouter, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without a key the board raises AuthenticationError naming the variable to set."""
    monkeypatch.delenv("FLIGHTAWARE_API_KEY", raising=False)
    with pytest.raises(AuthenticationError, match="FLIGHTAWARE_API_KEY"):
        await FlightAwareProvider(clock=clock).departure_board("JFK", NOON, MIDNIGHT)
    assert not api.calls
