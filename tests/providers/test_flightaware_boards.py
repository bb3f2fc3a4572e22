"""FlightAwareProvider.departure_board: AeroAPI's scheduled departures of one airport."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import httpx
import pytest
import respx

from flight_agent.clock import FakeClock
from flight_agent.errors import (
    AuthenticationError,
    FlightDateOutOfRangeError,
    InvalidFlightQueryError,
    InvalidResponseError,
    ProviderUnavailableError,
    RateLimitedError,
)
from flight_agent.models import FlightStatus
from flight_agent.providers.flightaware_provider import AEROAPI_BASE_URL, FlightAwareProvider
from tests.conftest import load_fixture

KEY = "fa-test-key-0123456789"
BOARD = "/airports/KJFK/flights/scheduled_departures"
NOON = datetime(2026, 11, 28, 12, tzinfo=UTC)  # the clock fixture's now
MIDNIGHT = datetime(2026, 11, 29, tzinfo=UTC)


@pytest.fixture
def api() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=AEROAPI_BASE_URL, assert_all_called=False) as router:
        yield router


@pytest.fixture
def provider(clock: FakeClock) -> FlightAwareProvider:
    return FlightAwareProvider(api_key=KEY, clock=clock)


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
async def test_http_failures_map_onto_the_exception_tree(
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


async def test_missing_key_fails_before_any_request(
    api: respx.MockRouter, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without a key the board raises AuthenticationError naming the variable to set."""
    monkeypatch.delenv("FLIGHTAWARE_API_KEY", raising=False)
    with pytest.raises(AuthenticationError, match="FLIGHTAWARE_API_KEY"):
        await FlightAwareProvider(clock=clock).departure_board("JFK", NOON, MIDNIGHT)
    assert not api.calls
