"""AeroDataBoxProvider: marketplace requests, FlightContract mapping, and errors."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx
import yaml
from openapi_schema_validator import OAS30Validator

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
from flight_agent.models import FlightStatus, FlightStatusData
from flight_agent.providers.aerodatabox_provider import MARKETPLACE_URLS, AeroDataBoxProvider
from tests.conftest import FIXTURES, load_fixture

KEY = "adb-test-key-0123456789"
BASE = MARKETPLACE_URLS["rapidapi"]
DAY = date(2025, 1, 16)
VJ84 = "/flights/number/VJ84/2025-01-16"
EXAMPLE = "aerodatabox/aerodatabox-flights-number-VJ84-2025-01-16.json"


def utc(day: int, hour: int, minute: int) -> datetime:
    return datetime(2025, 1, day, hour, minute, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _no_marketplace_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AERODATABOX_MARKETPLACE", raising=False)


@pytest.fixture
def adb_clock() -> FakeClock:
    return FakeClock(utc(16, 12, 0))


@pytest.fixture
def api() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        yield router


@pytest.fixture
def provider(adb_clock: FakeClock) -> AeroDataBoxProvider:
    return AeroDataBoxProvider(api_key=KEY, clock=adb_clock)


def respond(api: respx.MockRouter, body: Any, path: str = VJ84) -> respx.Route:
    return api.get(path).respond(json=body)


async def status_of(
    api: respx.MockRouter, provider: AeroDataBoxProvider, body: Any, ident: str = "VJ84"
) -> FlightStatusData:
    respond(api, body, f"/flights/number/{ident}/2025-01-16")
    result = await provider.get_flight_status(ident, DAY)
    assert result is not None
    return result


async def test_request_uses_iata_number_departure_role_and_rapidapi_headers(
    api: respx.MockRouter, provider: AeroDataBoxProvider
) -> None:
    """The call asks for the IATA number on the local departure date with both RapidAPI headers."""
    route = respond(api, load_fixture(EXAMPLE))
    await provider.get_flight_status("VJC84", DAY)
    request = route.calls.last.request
    assert request.url.path == VJ84
    assert dict(request.url.params) == {
        "dateLocalRole": "Departure",
        "withAircraftImage": "false",
        "withLocation": "false",
    }
    assert request.headers["X-RapidAPI-Key"] == KEY
    assert request.headers["X-RapidAPI-Host"] == "aerodatabox.p.rapidapi.com"
    assert "x-api-market-key" not in request.headers


async def test_apimarket_marketplace_uses_its_base_url_and_key_header(
    adb_clock: FakeClock,
) -> None:
    """API.market has its own base URL and sends the key in x-api-market-key only."""
    provider = AeroDataBoxProvider(api_key=KEY, marketplace="apimarket", clock=adb_clock)
    with respx.mock(base_url=MARKETPLACE_URLS["apimarket"]) as api:
        route = respond(api, load_fixture(EXAMPLE))
        assert await provider.get_flight_status("VJ84", DAY) is not None
    request = route.calls.last.request
    assert str(request.url).startswith(
        "https://prod.api.market/api/v1/aedbx/aerodatabox/flights/number/VJ84/2025-01-16?"
    )
    assert request.headers["x-api-market-key"] == KEY
    assert "X-RapidAPI-Key" not in request.headers


async def test_marketplace_is_read_from_the_environment(
    adb_clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the argument, AERODATABOX_MARKETPLACE picks the marketplace; the argument wins."""
    monkeypatch.setenv("AERODATABOX_MARKETPLACE", " ApiMarket ")
    from_env = AeroDataBoxProvider(api_key=KEY, clock=adb_clock)
    explicit = AeroDataBoxProvider(api_key=KEY, marketplace="rapidapi", clock=adb_clock)
    assert (from_env.marketplace, from_env.base_url) == ("apimarket", MARKETPLACE_URLS["apimarket"])
    assert (explicit.marketplace, explicit.base_url) == ("rapidapi", BASE)


@pytest.mark.parametrize(
    ("argument", "env"),
    [
        pytest.param("magicapi", None, id="argument"),
        pytest.param(None, "rapid-api", id="environment"),
    ],
)
def test_unknown_marketplace_is_refused(
    monkeypatch: pytest.MonkeyPatch, argument: str | None, env: str | None
) -> None:
    """A marketplace other than rapidapi or apimarket raises ValueError naming the valid ones."""
    if env is not None:
        monkeypatch.setenv("AERODATABOX_MARKETPLACE", env)
    with pytest.raises(ValueError, match="'rapidapi', 'apimarket'"):
        AeroDataBoxProvider(api_key=KEY, marketplace=argument)


async def test_icao_designator_is_used_when_no_iata_code_is_known(
    api: respx.MockRouter, provider: AeroDataBoxProvider
) -> None:
    """A carrier known only by its ICAO code is looked up by the ICAO number."""
    route = api.get("/flights/number/ZZX123/2025-01-16").respond(204)
    assert await provider.get_flight_status("ZZX123", DAY) is None
    assert route.called


async def test_vj84_example_maps_every_field(
    api: respx.MockRouter, provider: AeroDataBoxProvider
) -> None:
    """The real VJ84 response maps to an on-time SCHEDULED flight with UTC times and provenance."""
    result = await status_of(api, provider, load_fixture(EXAMPLE))
    assert (result.flight_id, result.ident_iata, result.ident_icao) == ("VJ84", "VJ84", "VJC84")
    assert (result.carrier_iata, result.carrier_icao, result.flight_number) == ("VJ", "VJC", "84")
    assert (result.route, result.flight_date) == ("BNE-SGN", DAY)
    assert (result.status, result.status_text) == (FlightStatus.SCHEDULED, "Expected")
    assert result.scheduled_out == utc(16, 13, 40)
    assert result.estimated_out == utc(16, 13, 40)
    assert result.actual_out is None
    assert result.scheduled_in == utc(16, 22, 5)
    assert result.estimated_on == utc(16, 21, 35)
    assert (result.estimated_in, result.actual_on, result.actual_off) == (None, None, None)
    assert (result.departure_delay_minutes, result.arrival_delay_minutes) == (0, None)
    assert (result.terminal_origin, result.gate_origin, result.terminal_destination) == (
        "I",
        "79",
        "2",
    )
    assert (result.aircraft_type, result.registration) == ("Airbus A330", None)
    assert (result.codeshares, result.legs) == ((), ("BNE-SGN",))
    assert result.provider_flight_id == "VJ84-2025-01-16T13:40Z"
    assert (result.source, result.fetched_at) == ("AeroDataBox", utc(16, 12, 0))
    assert result.cancellation_uncertain is False
    assert result.is_disrupted is False


async def test_overnight_arrival_lands_on_the_next_local_date(
    api: respx.MockRouter, provider: AeroDataBoxProvider
) -> None:
    """VJ84 leaves Brisbane 23:40 on 16 January local and reaches Saigon 05:05 on 17 January."""
    result = await status_of(api, provider, load_fixture(EXAMPLE))
    departure = result.departure_local(result.scheduled_out)
    arrival = result.arrival_local(result.scheduled_in)
    assert departure == datetime(2025, 1, 16, 23, 40, tzinfo=result.origin.zone)
    assert arrival == datetime(2025, 1, 17, 5, 5, tzinfo=result.destination.zone)
    assert result.flight_date == DAY


async def test_delayed_flight_computes_the_delay_from_revised_times(
    api: respx.MockRouter, provider: AeroDataBoxProvider
) -> None:
    """'Delayed' is SCHEDULED with a 90-minute delay; its date stays the scheduled local date."""
    result = await status_of(api, provider, load_fixture("aerodatabox/flights_VJ84_delayed.json"))
    assert result.status is FlightStatus.SCHEDULED
    assert (result.estimated_out, result.estimated_in) == (utc(16, 15, 10), utc(16, 23, 35))
    assert (result.departure_delay_minutes, result.arrival_delay_minutes) == (90, 90)
    assert result.flight_date == DAY  # the revised departure is 01:10 on 17 January local
    assert result.is_disrupted is True


@pytest.mark.parametrize(
    ("fixture", "estimated_out", "actual_out"),
    [
        pytest.param("flights_VJ84_delayed.json", utc(16, 15, 10), None, id="before-departure"),
        pytest.param("flights_VJ84_departed.json", None, utc(16, 13, 52), id="after-departure"),
    ],
)
async def test_revised_time_is_an_estimate_before_departure_and_an_actual_after(
    api: respx.MockRouter,
    provider: AeroDataBoxProvider,
    fixture: str,
    estimated_out: datetime | None,
    actual_out: datetime | None,
) -> None:
    """departure.revisedTime fills estimated_out until the status says departed, then actual_out."""
    result = await status_of(api, provider, load_fixture(f"aerodatabox/{fixture}"))
    assert (result.estimated_out, result.actual_out) == (estimated_out, actual_out)


async def test_departed_with_runway_time_is_en_route(
    api: respx.MockRouter, provider: AeroDataBoxProvider
) -> None:
    """'Departed' with a departure runwayTime is airborne: EN_ROUTE with take-off in actual_off."""
    result = await status_of(api, provider, load_fixture("aerodatabox/flights_VJ84_departed.json"))
    assert (result.status, result.status_text) == (FlightStatus.EN_ROUTE, "Departed")
    assert (result.actual_out, result.actual_off) == (utc(16, 13, 52), utc(16, 14, 5))
    assert (result.estimated_on, result.estimated_in) == (utc(16, 21, 50), utc(16, 21, 58))
    assert (result.departure_delay_minutes, result.arrival_delay_minutes) == (12, -7)
    assert result.registration == "VN-A810"


async def test_departed_without_runway_time_is_departed(
    api: respx.MockRouter, provider: AeroDataBoxProvider
) -> None:
    """'Departed' without a runway time has only left the gate: DEPARTED."""
    body = load_fixture("aerodatabox/flights_VJ84_departed.json")
    del body[0]["departure"]["runwayTime"]
    result = await status_of(api, provider, body)
    assert result.status is FlightStatus.DEPARTED
    assert (result.actual_out, result.actual_off) == (utc(16, 13, 52), None)


async def test_arrived_flight_has_runway_and_gate_actuals(
    api: respx.MockRouter, provider: AeroDataBoxProvider
) -> None:
    """'Arrived' puts arrival.revisedTime in actual_in and runwayTime in actual_on."""
    result = await status_of(api, provider, load_fixture("aerodatabox/flights_VJ84_arrived.json"))
    assert result.status is FlightStatus.ARRIVED
    assert (result.actual_on, result.actual_in) == (utc(16, 21, 49), utc(16, 21, 57))
    assert result.estimated_in is None
    assert result.arrival_delay_minutes == -8
    assert (result.gate_destination, result.baggage_claim) == ("12", "5")


async def test_arrived_with_only_a_runway_time_is_landed(
    api: respx.MockRouter, provider: AeroDataBoxProvider
) -> None:
    """'Arrived' with a landing time but no gate time is LANDED (PROVIDERS 7)."""
    body = load_fixture("aerodatabox/flights_VJ84_arrived.json")
    del body[0]["arrival"]["revisedTime"]
    result = await status_of(api, provider, body)
    assert result.status is FlightStatus.LANDED
    assert (result.actual_on, result.actual_in) == (utc(16, 21, 49), None)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("Unknown", FlightStatus.UNKNOWN, id="Unknown"),
        pytest.param("Expected", FlightStatus.SCHEDULED, id="Expected"),
        pytest.param("CheckIn", FlightStatus.SCHEDULED, id="CheckIn"),
        pytest.param("Delayed", FlightStatus.SCHEDULED, id="Delayed"),
        pytest.param("Boarding", FlightStatus.BOARDING, id="Boarding"),
        pytest.param("GateClosed", FlightStatus.BOARDING, id="GateClosed"),
        pytest.param("Departed", FlightStatus.DEPARTED, id="Departed"),
        pytest.param("EnRoute", FlightStatus.EN_ROUTE, id="EnRoute"),
        pytest.param("Approaching", FlightStatus.EN_ROUTE, id="Approaching"),
        pytest.param("Arrived", FlightStatus.ARRIVED, id="Arrived"),
        pytest.param("Canceled", FlightStatus.CANCELLED, id="Canceled"),
        pytest.param("CanceledUncertain", FlightStatus.UNKNOWN, id="CanceledUncertain"),
        pytest.param("Diverted", FlightStatus.DIVERTED, id="Diverted"),
        pytest.param("Teleported", FlightStatus.UNKNOWN, id="unknown-new-value"),
    ],
)
async def test_status_follows_the_normalization_table(
    api: respx.MockRouter, provider: AeroDataBoxProvider, raw: str, expected: FlightStatus
) -> None:
    """Each AeroDataBox status maps as PROVIDERS section 7 says; the raw word is kept."""
    body = load_fixture(EXAMPLE)
    body[0]["status"] = raw
    result = await status_of(api, provider, body)
    assert (result.status, result.status_text) == (expected, raw)


async def test_cancelled_flight_is_cancelled_and_disrupted(
    api: respx.MockRouter, provider: AeroDataBoxProvider
) -> None:
    """'Canceled' maps to a certain CANCELLED with no estimates."""
    result = await status_of(api, provider, load_fixture("aerodatabox/flights_VJ84_cancelled.json"))
    assert result.status is FlightStatus.CANCELLED
    assert result.cancellation_uncertain is False
    assert (result.estimated_out, result.estimated_on) == (None, None)
    assert result.is_disrupted is True


async def test_canceled_uncertain_is_unknown_with_the_uncertain_flag(
    api: respx.MockRouter, provider: AeroDataBoxProvider
) -> None:
    """'CanceledUncertain' is a possible cancellation: UNKNOWN with cancellation_uncertain set."""
    body = load_fixture("aerodatabox/flights_VJ84_canceled_uncertain.json")
    result = await status_of(api, provider, body)
    assert (result.status, result.status_text) == (FlightStatus.UNKNOWN, "CanceledUncertain")
    assert result.cancellation_uncertain is True
    assert result.is_disrupted is False


async def test_diverted_flight_keeps_its_departure_actuals(
    api: respx.MockRouter, provider: AeroDataBoxProvider
) -> None:
    """'Diverted' maps to DIVERTED; the departure revisedTime is an actual (it did leave)."""
    result = await status_of(api, provider, load_fixture("aerodatabox/flights_VJ84_diverted.json"))
    assert result.status is FlightStatus.DIVERTED
    assert (result.actual_out, result.actual_off) == (utc(16, 13, 48), utc(16, 14, 1))
    assert result.diverted_to is None  # AeroDataBox does not say where to
    assert result.is_disrupted is True


@pytest.mark.parametrize(
    ("origin", "expected_route", "scheduled_out"),
    [
        pytest.param(None, "SYD-SIN", utc(16, 5, 10), id="first-leg-without-origin"),
        pytest.param("SIN", "SIN-LHR", utc(16, 15, 15), id="origin-picks-second-leg"),
        pytest.param("WSSS", "SIN-LHR", utc(16, 15, 15), id="origin-as-icao"),
    ],
)
async def test_multi_leg_flight_number(
    api: respx.MockRouter,
    provider: AeroDataBoxProvider,
    origin: str | None,
    expected_route: str,
    scheduled_out: datetime,
) -> None:
    """QF1 flies SYD-SIN-LHR: the origin picks the leg, else the first; legs lists both."""
    respond(
        api,
        load_fixture("aerodatabox/flights_QF1_multi_leg.json"),
        "/flights/number/QF1/2025-01-16",
    )
    result = await provider.get_flight_status("QF1", DAY, origin=origin)
    assert result is not None
    assert (result.route, result.scheduled_out) == (expected_route, scheduled_out)
    assert result.legs == ("SYD-SIN", "SIN-LHR")
    assert result.provider_flight_id == f"QF1-{scheduled_out:%Y-%m-%dT%H:%MZ}"


async def test_origin_that_no_leg_departs_from_is_not_found(
    api: respx.MockRouter, provider: AeroDataBoxProvider
) -> None:
    """Asking for QF1 from Melbourne when it departs Sydney and Singapore gives None."""
    respond(
        api,
        load_fixture("aerodatabox/flights_QF1_multi_leg.json"),
        "/flights/number/QF1/2025-01-16",
    )
    assert await provider.get_flight_status("QF1", DAY, origin="MEL") is None


async def test_codeshare_copy_folds_onto_the_operator_record(
    api: respx.MockRouter, provider: AeroDataBoxProvider
) -> None:
    """An IsCodeshared copy listed first yields to the operator record and becomes a codeshare."""
    result = await status_of(api, provider, load_fixture("aerodatabox/flights_VJ84_codeshare.json"))
    assert (result.ident_iata, result.carrier_iata) == ("VJ84", "VJ")
    assert result.codeshares == ("QH9084",)
    assert result.legs == ("BNE-SGN",)


async def test_codeshare_copy_alone_still_answers(
    api: respx.MockRouter, provider: AeroDataBoxProvider
) -> None:
    """With no operator record, the marketing copy answers under its own number."""
    body = load_fixture("aerodatabox/flights_VJ84_codeshare.json")[:1]
    result = await status_of(api, provider, body, ident="QH9084")
    assert (result.ident_iata, result.carrier_iata, result.flight_number) == (
        "QH9084",
        "QH",
        "9084",
    )
    assert result.codeshares == ()


async def test_missing_optional_fields_are_tolerated(
    api: respx.MockRouter, provider: AeroDataBoxProvider
) -> None:
    """A contract with only a number, status, airports and departure time maps cleanly."""
    result = await status_of(api, provider, load_fixture("aerodatabox/tolerant_VJ84_minimal.json"))
    assert (result.ident_iata, result.flight_number, result.ident_icao) == ("VJ84", "84", None)
    assert (result.carrier_iata, result.carrier_icao) == (None, None)
    assert result.destination.iata == "SGN"  # completed from the airport table by ICAO code
    assert result.origin.timezone == "Australia/Brisbane"
    assert result.scheduled_out == utc(16, 13, 40)
    assert (result.scheduled_in, result.estimated_out, result.estimated_on) == (None, None, None)
    assert (result.departure_delay_minutes, result.arrival_delay_minutes) == (None, None)
    assert (result.aircraft_type, result.registration, result.gate_origin) == (None, None, None)
    assert result.status is FlightStatus.SCHEDULED


async def test_unknown_extra_fields_are_ignored(
    api: respx.MockRouter, provider: AeroDataBoxProvider
) -> None:
    """New keys at every level change nothing: the record equals the plain example's."""
    expected = await status_of(api, provider, load_fixture(EXAMPLE))
    result = await status_of(
        api, provider, load_fixture("aerodatabox/tolerant_VJ84_extra_fields.json")
    )
    assert result == expected


async def test_older_flat_time_fields_are_read(
    api: respx.MockRouter, provider: AeroDataBoxProvider
) -> None:
    """Pre-2023 flat scheduledTimeUtc/actualTimeUtc/runwayTimeUtc fields still map."""
    body = load_fixture("aerodatabox/tolerant_VJ84_legacy_flat.json")
    result = await status_of(api, provider, body)
    assert result.status is FlightStatus.EN_ROUTE
    assert (result.scheduled_out, result.actual_out) == (utc(16, 13, 40), utc(16, 13, 55))
    assert result.actual_off == utc(16, 14, 7)
    assert (result.scheduled_in, result.estimated_in) == (utc(16, 22, 5), utc(16, 22, 15))
    assert result.departure_delay_minutes == 15


@pytest.mark.parametrize(
    "response",
    [
        pytest.param(httpx.Response(204), id="204-no-content"),
        pytest.param(httpx.Response(404), id="404"),
        pytest.param(httpx.Response(200, json=[]), id="empty-list"),
    ],
)
async def test_no_flight_is_not_found(
    api: respx.MockRouter, provider: AeroDataBoxProvider, response: httpx.Response
) -> None:
    """204 (AeroDataBox's "nothing found"), 404 and an empty list answer None."""
    api.get(VJ84).mock(return_value=response)
    assert await provider.get_flight_status("VJ84", DAY) is None
    assert provider.metrics.outcomes["not_found"] == 1


@pytest.mark.parametrize(
    ("response", "error_type", "retry_after"),
    [
        pytest.param(
            httpx.Response(400, json=load_fixture("aerodatabox/error_400.json")),
            InvalidFlightQueryError,
            None,
            id="400",
        ),
        pytest.param(
            httpx.Response(401, json=load_fixture("aerodatabox/error_401.json")),
            AuthenticationError,
            None,
            id="401",
        ),
        pytest.param(
            httpx.Response(403, json={"message": "You are not subscribed to this API."}),
            AuthenticationError,
            None,
            id="403",
        ),
        pytest.param(httpx.Response(429), RateLimitedError, None, id="429-without-retry-after"),
        pytest.param(
            httpx.Response(429, headers={"Retry-After": "7"}),
            RateLimitedError,
            7.0,
            id="429-with-retry-after",
        ),
        pytest.param(
            httpx.Response(451, json={"message": "Blocked"}), ProviderError, None, id="451"
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
            httpx.Response(200, json={"message": "not a list"}),
            InvalidResponseError,
            None,
            id="object-instead-of-list",
        ),
        pytest.param(
            httpx.Response(200, json=["VJ 84"]),
            InvalidResponseError,
            None,
            id="list-of-non-objects",
        ),
    ],
)
async def test_http_failures_map_onto_the_exception_tree(
    api: respx.MockRouter,
    provider: AeroDataBoxProvider,
    response: httpx.Response,
    error_type: type[Exception],
    retry_after: float | None,
) -> None:
    """Each failure raises its error class with the provider name and Retry-After attached."""
    api.get(VJ84).mock(return_value=response)
    with pytest.raises(error_type) as caught:
        await provider.get_flight_status("VJ84", DAY)
    assert type(caught.value) is error_type
    assert caught.value.provider == "AeroDataBox"  # type: ignore[attr-defined]
    assert getattr(caught.value, "retry_after", None) == retry_after
    assert provider.metrics.last_error is not None


async def test_error_message_from_the_body_is_surfaced(
    api: respx.MockRouter, provider: AeroDataBoxProvider
) -> None:
    """The ErrorContract message explains a 400, with the status code attached."""
    api.get(VJ84).respond(400, json=load_fixture("aerodatabox/error_400.json"))
    with pytest.raises(InvalidFlightQueryError, match="outside of the allowed range") as caught:
        await provider.get_flight_status("VJ84", DAY)
    assert caught.value.status_code == 400


@pytest.mark.parametrize(
    ("side_effect", "error_type"),
    [
        pytest.param(httpx.ReadTimeout("slow"), ProviderTimeoutError, id="read-timeout"),
        pytest.param(httpx.ConnectError("refused"), ProviderUnavailableError, id="connect-error"),
    ],
)
async def test_transport_failures_map_onto_the_exception_tree(
    api: respx.MockRouter,
    provider: AeroDataBoxProvider,
    side_effect: Exception,
    error_type: type[Exception],
) -> None:
    """Timeouts and connection errors are retryable provider errors chained to httpx's."""
    api.get(VJ84).mock(side_effect=side_effect)
    with pytest.raises(error_type) as caught:
        await provider.get_flight_status("VJ84", DAY)
    assert isinstance(caught.value.__cause__, httpx.TransportError)
    assert caught.value.retryable is True  # type: ignore[attr-defined]


async def test_huge_body_is_refused(api: respx.MockRouter, adb_clock: FakeClock) -> None:
    """A body larger than max_body_bytes raises InvalidResponseError instead of being parsed."""
    provider = AeroDataBoxProvider(api_key=KEY, clock=adb_clock, max_body_bytes=1000)
    api.get(VJ84).respond(json=load_fixture(EXAMPLE) * 10)
    with pytest.raises(InvalidResponseError, match="exceeds 1000 bytes"):
        await provider.get_flight_status("VJ84", DAY)


async def test_missing_key_fails_before_any_request(
    api: respx.MockRouter, adb_clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Constructing without a key works; calling raises AuthenticationError naming the variable."""
    monkeypatch.delenv("AERODATABOX_API_KEY", raising=False)
    route = api.get(VJ84).respond(json=[])
    provider = AeroDataBoxProvider(clock=adb_clock)
    with pytest.raises(AuthenticationError, match="AERODATABOX_API_KEY"):
        await provider.get_flight_status("VJ84", DAY)
    assert not route.called
    assert (await provider.health_check()).healthy is False
    assert not api.calls


async def test_key_is_read_from_the_environment(
    api: respx.MockRouter, adb_clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """AeroDataBoxProvider() with no key uses AERODATABOX_API_KEY."""
    monkeypatch.setenv("AERODATABOX_API_KEY", "env-key-42")
    route = api.get(VJ84).respond(204)
    await AeroDataBoxProvider(clock=adb_clock).get_flight_status("VJ84", DAY)
    assert route.calls.last.request.headers["X-RapidAPI-Key"] == "env-key-42"


@pytest.mark.parametrize(
    "day",
    [
        pytest.param(date(2024, 1, 16), id="366-days-back"),
        pytest.param(date(2026, 1, 17), id="366-days-ahead"),
    ],
)
async def test_dates_beyond_a_year_fail_before_any_request(
    api: respx.MockRouter, provider: AeroDataBoxProvider, day: date
) -> None:
    """The provider answers one year back to one year ahead; other dates raise without a call."""
    with pytest.raises(FlightDateOutOfRangeError) as caught:
        await provider.get_flight_status("VJ84", day)
    assert (caught.value.earliest, caught.value.latest) == (date(2024, 1, 17), date(2026, 1, 16))
    assert not api.calls


async def test_health_check_uses_the_free_feed_status_endpoint(
    api: respx.MockRouter, provider: AeroDataBoxProvider
) -> None:
    """The probe reads Heathrow's feed status and reports healthy; a 401 reports unhealthy."""
    route = api.get("/health/services/airports/EGLL/feeds").mock(
        side_effect=[
            httpx.Response(200, json=load_fixture("aerodatabox/health_EGLL_feeds.json")),
            httpx.Response(401, json=load_fixture("aerodatabox/error_401.json")),
        ]
    )
    healthy = await provider.health_check()
    unhealthy = await provider.health_check()
    assert (healthy.healthy, unhealthy.healthy) == (True, False)
    assert unhealthy.detail is not None
    assert "401" in unhealthy.detail
    assert route.calls.last.request.headers["X-RapidAPI-Key"] == KEY


async def test_key_never_appears_in_repr_errors_or_logs(
    api: respx.MockRouter, provider: AeroDataBoxProvider, caplog: pytest.LogCaptureFixture
) -> None:
    """During failing calls the key stays out of the repr, every error text and every log record."""
    caplog.set_level(logging.DEBUG)
    api.get(VJ84).mock(
        side_effect=[
            httpx.Response(401, json=load_fixture("aerodatabox/error_401.json")),
            httpx.Response(429),
            httpx.ConnectError("x"),
        ]
    )
    texts = [repr(provider), str(provider)]
    for _ in range(3):
        with pytest.raises(ProviderError) as caught:
            await provider.get_flight_status("VJ84", DAY)
        texts += [str(caught.value), repr(caught.value)]
    texts += [record.getMessage() for record in caplog.records]
    assert caplog.records, "the requests should have been logged"
    assert not [t for t in texts if KEY in t]


SPEC = FIXTURES / "spec" / "aerodatabox-openapi.yml"
# Fixture prefix -> the schema its body follows. tolerant_* fixtures break the spec on purpose.
SCHEMAS = {
    "aerodatabox-flights-": ("FlightContract", True),
    "flights_": ("FlightContract", True),
    "error_": ("ErrorContract", False),
    "health_": ("AirportFeedServiceStatusContract", False),
}
SPEC_FIXTURES = sorted(
    path
    for path in (FIXTURES / "aerodatabox").glob("*.json")
    if path.name.startswith(tuple(SCHEMAS))
)


@cache
def _components() -> dict[str, Any]:
    spec: dict[str, Any] = yaml.load(SPEC.read_text("utf-8"), Loader=yaml.CSafeLoader)
    components: dict[str, Any] = spec["components"]
    return components


@pytest.mark.parametrize("path", [pytest.param(p, id=p.stem) for p in SPEC_FIXTURES])
def test_fixture_matches_the_aerodatabox_spec(path: Path) -> None:
    """Every non-tolerant fixture has the structure of the spec's response schema."""
    # No format checker: real AeroDataBox times ('2025-01-16 13:40Z') are not RFC 3339.
    name, is_list = next(v for prefix, v in SCHEMAS.items() if path.name.startswith(prefix))
    item: dict[str, Any] = {"$ref": f"#/components/schemas/{name}"}
    schema = {"type": "array", "items": item} if is_list else item
    validator = OAS30Validator({**schema, "components": _components()})
    errors = sorted(validator.iter_errors(load_fixture(f"aerodatabox/{path.name}")), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])
