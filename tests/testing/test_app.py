"""FakeUpstream: routing, keys, fault injection, latency and request counters (in process)."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable
from datetime import date

import httpx
import pytest

from flight_agent.clock import FakeClock
from flight_agent.errors import (
    AuthenticationError,
    ProviderUnavailableError,
    RateLimitedError,
)
from flight_agent.providers.http_provider import HttpFlightDataProvider
from flight_agent.testing import FakeUpstream
from tests.testing.conftest import KEY, PROVIDERS, make_provider

DAY = date(2026, 11, 28)


async def get(
    upstream: FakeUpstream, path: str, headers: dict[str, str] | None = None
) -> httpx.Response:
    async with httpx.AsyncClient(transport=upstream.transport(), base_url="http://fake") as client:
        return await client.get(path, headers=headers)


def test_base_urls_put_each_provider_under_its_prefix() -> None:
    """base_url joins the root and the provider's prefix; names are case-insensitive."""
    assert FakeUpstream.base_url("FlightAware") == "http://fake/aeroapi"
    assert FakeUpstream.base_url("aerodatabox", "http://127.0.0.1:8000/") == (
        "http://127.0.0.1:8000/aerodatabox"
    )
    assert FakeUpstream.base_url("aviationstack", "http://h") == "http://h/aviationstack/v1"


async def test_a_flight_is_served_to_each_provider(provider: HttpFlightDataProvider) -> None:
    """Each provider gets BA117's route and date back through the ASGI transport."""
    record = await provider.get_flight_status("BA117", DAY)
    assert record is not None
    assert (record.route, record.flight_date, record.source) == ("LHR-JFK", DAY, provider.name)


@pytest.mark.parametrize(
    ("name", "status_code"),
    [
        pytest.param("flightaware", 401, id="aeroapi-401"),
        pytest.param("aerodatabox", 403, id="aerodatabox-403"),
        pytest.param("aviationstack", 200, id="aviationstack-error-in-200"),
    ],
)
async def test_a_wrong_key_is_refused_in_the_provider_style(
    name: str, status_code: int, upstream: FakeUpstream, clock: FakeClock
) -> None:
    """A wrong key raises AuthenticationError with the status that provider answers."""
    async with make_provider(name, upstream, clock=clock, api_key="wrong-key") as provider:
        with pytest.raises(AuthenticationError) as caught:
            await provider.get_flight_status("BA117", DAY)
    assert caught.value.status_code == status_code


@pytest.mark.parametrize("header", ["X-RapidAPI-Key", "x-api-market-key"])
async def test_aerodatabox_takes_either_marketplace_key_header(
    upstream: FakeUpstream, header: str
) -> None:
    """RapidAPI's and API.market's key headers both open AeroDataBox."""
    response = await get(upstream, "/aerodatabox/flights/number/BA117/2026-11-28", {header: KEY})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("path", "status_code", "body"),
    [
        pytest.param(
            "/aeroapi/flights/BAW117",
            401,
            {
                "title": "Invalid API key",
                "reason": "INVALID_API_KEY",
                "detail": "Provided API key is not valid",
                "status": 401,
            },
            id="aeroapi",
        ),
        pytest.param(
            "/aerodatabox/flights/number/BA117/2026-11-28",
            401,
            {"message": "Invalid API key. Go to https://docs.rapidapi.com/docs/keys"},
            id="aerodatabox",
        ),
        pytest.param(
            "/aviationstack/v1/flights?flight_iata=BA117",
            200,
            {
                "error": {
                    "code": "missing_access_key",
                    "message": "You have not supplied an API Access Key.",
                }
            },
            id="aviationstack",
        ),
    ],
)
async def test_a_missing_key_gets_the_provider_error_body(
    upstream: FakeUpstream, path: str, status_code: int, body: object
) -> None:
    """Without a key each provider answers its own error body and status."""
    response = await get(upstream, path)
    assert (response.status_code, response.json()) == (status_code, body)


async def test_not_found_is_an_empty_list_a_204_or_empty_data(upstream: FakeUpstream) -> None:
    """AeroAPI lists no flights, AeroDataBox answers 204, AviationStack sends empty data."""
    aeroapi = await get(upstream, "/aeroapi/flights/BAW9950", {"x-apikey": KEY})
    adb = await get(
        upstream, "/aerodatabox/flights/number/BA9950/2026-11-28", {"x-rapidapi-key": KEY}
    )
    stack = await get(upstream, f"/aviationstack/v1/flights?flight_iata=BA9950&access_key={KEY}")
    assert (aeroapi.status_code, aeroapi.json()) == (
        200,
        {"links": None, "num_pages": 1, "flights": []},
    )
    assert (adb.status_code, adb.content) == (204, b"")
    assert stack.status_code == 200
    assert stack.json() == {
        "pagination": {"limit": 100, "offset": 0, "count": 0, "total": 0},
        "data": [],
    }


@pytest.mark.parametrize(
    ("path", "headers", "status_code"),
    [
        pytest.param("/aeroapi/flights/B?", {"x-apikey": KEY}, 400, id="aeroapi-bad-ident"),
        pytest.param(
            "/aeroapi/flights/BAW117?start=2026-11-01", {"x-apikey": KEY}, 400, id="aeroapi-window"
        ),
        pytest.param(
            "/aeroapi/flights/BAW117?max_pages=0", {"x-apikey": KEY}, 400, id="aeroapi-max-pages"
        ),
        pytest.param(
            "/aerodatabox/flights/number/BA117/28-11-2026",
            {"x-rapidapi-key": KEY},
            400,
            id="aerodatabox-bad-date",
        ),
        pytest.param("/aeroapi/airports/EGLL", {"x-apikey": KEY}, 404, id="aeroapi-unknown"),
        pytest.param("/elsewhere", {}, 404, id="no-provider"),
    ],
)
async def test_bad_requests_and_unknown_paths_are_refused(
    upstream: FakeUpstream, path: str, headers: dict[str, str], status_code: int
) -> None:
    """Malformed input is a 400 and unknown endpoints a 404."""
    assert (await get(upstream, path, headers)).status_code == status_code


async def test_aviationstack_reports_bad_input_inside_http_200(upstream: FakeUpstream) -> None:
    """A malformed flight_iata is a validation_error envelope with status 200."""
    response = await get(upstream, f"/aviationstack/v1/flights?flight_iata=B%3F&access_key={KEY}")
    assert response.status_code == 200
    assert response.json()["error"]["code"] == "validation_error"


async def test_only_get_is_served(upstream: FakeUpstream) -> None:
    """Other methods get a 405 in the provider's style."""
    async with httpx.AsyncClient(transport=upstream.transport(), base_url="http://fake") as client:
        response = await client.post("/aeroapi/flights/BAW117", headers={"x-apikey": KEY})
    assert response.status_code == 405
    assert response.json()["title"] == "Method Not Allowed"


async def test_fail_next_429_carries_retry_after(
    provider: HttpFlightDataProvider, upstream: FakeUpstream
) -> None:
    """A queued 429 raises RateLimitedError with the Retry-After seconds; the next call works."""
    upstream.fail_next(1, status=429, retry_after=7)
    with pytest.raises(RateLimitedError) as caught:
        await provider.get_flight_status("BA117", DAY)
    assert (caught.value.status_code, caught.value.retry_after) == (429, 7.0)
    assert await provider.get_flight_status("BA117", DAY) is not None


@pytest.mark.parametrize("status", [500, 502, 503])
async def test_fail_next_5xx_is_unavailable(
    provider: HttpFlightDataProvider, upstream: FakeUpstream, status: int
) -> None:
    """A queued server error raises ProviderUnavailableError with its status."""
    upstream.fail_next(2, status=status)
    for _ in range(2):
        with pytest.raises(ProviderUnavailableError) as caught:
            await provider.get_flight_status("BA117", DAY)
        assert caught.value.status_code == status
    assert await provider.get_flight_status("BA117", DAY) is not None


async def test_fail_next_reset_is_a_connection_failure(
    provider: HttpFlightDataProvider, upstream: FakeUpstream
) -> None:
    """A dropped connection reaches the provider as an httpx transport error."""
    upstream.fail_next(1, status="reset")
    with pytest.raises(ProviderUnavailableError, match="connection failed") as caught:
        await provider.get_flight_status("BA117", DAY)
    assert caught.value.status_code is None


@pytest.mark.looptime
async def test_fail_next_hang_never_answers(
    provider: HttpFlightDataProvider, upstream: FakeUpstream
) -> None:
    """A hung request waits until the caller's own timeout fires."""
    upstream.fail_next(1, status="hang")
    loop = asyncio.get_running_loop()
    started = loop.time()
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(30):
            await provider.get_flight_status("BA117", DAY)
    assert loop.time() - started == pytest.approx(30)


async def test_fail_next_for_one_provider_spares_the_others(
    upstream: FakeUpstream, clock: FakeClock
) -> None:
    """A provider's own queue fails only its requests, before the shared queue."""
    upstream.fail_next(1, status=503)
    upstream.fail_next(1, status=500, provider="aerodatabox")
    async with (
        make_provider("aerodatabox", upstream, clock=clock) as adb,
        make_provider("flightaware", upstream, clock=clock) as fa,
    ):
        with pytest.raises(ProviderUnavailableError) as first:
            await adb.get_flight_status("BA117", DAY)
        with pytest.raises(ProviderUnavailableError) as second:
            await fa.get_flight_status("BA117", DAY)
        assert await adb.get_flight_status("BA117", DAY) is not None
    assert (first.value.status_code, second.value.status_code) == (500, 503)


async def test_a_down_provider_answers_503_in_process(
    upstream: FakeUpstream, clock: FakeClock
) -> None:
    """set_down fails one provider with 503 until it is brought back up."""
    upstream.set_down("aviationstack")
    async with (
        make_provider("aviationstack", upstream, clock=clock) as stack,
        make_provider("flightaware", upstream, clock=clock) as fa,
    ):
        with pytest.raises(ProviderUnavailableError) as caught:
            await stack.get_flight_status("BA117", DAY)
        assert await fa.get_flight_status("BA117", DAY) is not None
        upstream.set_down("aviationstack", False)
        assert await stack.get_flight_status("BA117", DAY) is not None
    assert caught.value.status_code == 503


async def test_aerodatabox_503_has_no_body(upstream: FakeUpstream) -> None:
    """AeroDataBox's spec gives 503 no body; the fake sends none."""
    upstream.set_down("aerodatabox")
    response = await get(upstream, "/aerodatabox/flights/number/BA117/2026-11-28")
    assert (response.status_code, response.content) == (503, b"")


async def test_clear_faults_drops_queued_failures_and_downs(
    provider: HttpFlightDataProvider, upstream: FakeUpstream
) -> None:
    """After clear_faults every provider answers again."""
    upstream.fail_next(3)
    for name in PROVIDERS:
        upstream.set_down(name)
    upstream.clear_faults()
    assert await provider.get_flight_status("BA117", DAY) is not None


async def test_error_rate_draws_are_seeded(clock: FakeClock) -> None:
    """The same seed fails the same requests; error_rate 1 fails them all."""

    async def outcomes(upstream: FakeUpstream) -> list[int]:
        async with make_provider("flightaware", upstream, clock=clock) as provider:
            codes = []
            for _ in range(20):
                try:
                    await provider.get_flight_status("BA117", DAY)
                    codes.append(200)
                except ProviderUnavailableError as error:
                    codes.append(error.status_code or 0)
            return codes

    first = await outcomes(FakeUpstream(3, clock=clock, error_rate=0.5, api_key=KEY))
    again = await outcomes(FakeUpstream(3, clock=clock, error_rate=0.5, api_key=KEY))
    always = await outcomes(FakeUpstream(3, clock=clock, error_rate=1.0, api_key=KEY))
    assert first == again
    assert set(first) == {200, 503}
    assert always == [503] * 20


async def test_requests_are_counted_by_provider_whatever_their_fate(
    upstream: FakeUpstream, clock: FakeClock
) -> None:
    """Successes, failures and wrong keys all count; unknown paths do not."""
    upstream.fail_next(1, provider="flightaware")
    async with make_provider("flightaware", upstream, clock=clock) as fa:
        with pytest.raises(ProviderUnavailableError):
            await fa.get_flight_status("BA117", DAY)
        await fa.get_flight_status("BA117", DAY)
    await get(upstream, "/aerodatabox/flights/number/BA117/2026-11-28")
    await get(upstream, "/elsewhere")
    assert dict(upstream.requests) == {"flightaware": 2, "aerodatabox": 1}


async def test_account_usage_reports_the_aeroapi_calls(upstream: FakeUpstream) -> None:
    """AeroAPI's usage endpoint counts the calls made to AeroAPI so far (itself included)."""
    await get(upstream, "/aeroapi/flights/BAW117", {"x-apikey": KEY})
    usage = (await get(upstream, "/aeroapi/account/usage", {"x-apikey": KEY})).json()
    assert (usage["total_calls"], usage["total_cost"]) == (2, 0.01)


@pytest.mark.looptime
@pytest.mark.parametrize("name", PROVIDERS)
async def test_latency_delays_every_answer(name: str, clock: FakeClock) -> None:
    """A fixed latency adds exactly that much loop time to a call."""
    upstream = FakeUpstream(clock=clock, latency=0.25, api_key=KEY)
    async with make_provider(name, upstream, clock=clock) as provider:
        loop = asyncio.get_running_loop()
        started = loop.time()
        await provider.get_flight_status("BA117", DAY)
        assert loop.time() - started == pytest.approx(0.25)


@pytest.mark.looptime
async def test_set_latency_per_provider_overrides_the_shared_one(
    upstream: FakeUpstream, clock: FakeClock
) -> None:
    """One provider's latency applies to it alone; the others keep the shared latency."""
    upstream.set_latency(0.1)
    upstream.set_latency(2.0, provider="flightaware")
    loop = asyncio.get_running_loop()
    elapsed = {}
    for name in ("flightaware", "aerodatabox"):
        async with make_provider(name, upstream, clock=clock) as provider:
            started = loop.time()
            await provider.get_flight_status("BA117", DAY)
            elapsed[name] = loop.time() - started
    assert elapsed == {"flightaware": pytest.approx(2.0), "aerodatabox": pytest.approx(0.1)}


@pytest.mark.looptime
async def test_latency_distributions_draw_from_a_seeded_stream(clock: FakeClock) -> None:
    """A callable latency is drawn per request from a Random seeded by the upstream's seed."""

    async def draws(seed: int) -> list[float]:
        seen: list[float] = []

        def latency(rng: random.Random) -> float:
            seen.append(rng.uniform(0.0, 1.0))
            return seen[-1]

        upstream = FakeUpstream(seed, clock=clock, latency=latency, api_key=KEY)
        loop = asyncio.get_running_loop()
        async with make_provider("aviationstack", upstream, clock=clock) as provider:
            started = loop.time()
            for _ in range(3):
                await provider.get_flight_status("BA117", DAY)
            assert loop.time() - started == pytest.approx(sum(seen), abs=1e-5)
        return seen

    assert await draws(5) == await draws(5)
    assert await draws(5) != await draws(6)


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda u: u.fail_next(-1), id="negative-n"),
        pytest.param(lambda u: u.fail_next(1, status=200), id="success-status"),
        pytest.param(lambda u: u.fail_next(1, status="explode"), id="unknown-fault"),
        pytest.param(lambda u: u.fail_next(1, provider="opensky"), id="unknown-provider"),
        pytest.param(lambda u: u.set_down("opensky"), id="down-unknown-provider"),
        pytest.param(lambda u: u.set_latency(-1.0), id="negative-latency"),
        pytest.param(lambda u: setattr(u, "error_rate", 1.5), id="error-rate-above-1"),
        pytest.param(lambda u: FakeUpstream(latency=-0.5), id="negative-latency-at-init"),
    ],
)
def test_nonsense_settings_are_rejected(
    call: Callable[[FakeUpstream], object], upstream: FakeUpstream
) -> None:
    """Invalid fault settings raise ValueError instead of misbehaving later."""
    with pytest.raises(ValueError):  # noqa: PT011 - the messages differ per setting
        call(upstream)


async def test_non_http_scopes_are_refused(upstream: FakeUpstream) -> None:
    """A lifespan or websocket scope raises instead of being answered as HTTP."""

    async def receive() -> dict[str, object]:
        return {"type": "lifespan.startup"}

    async def send(message: object) -> None:
        raise AssertionError("nothing may be sent")

    with pytest.raises(ValueError, match="HTTP only"):
        await upstream.app({"type": "lifespan"}, receive, send)


async def test_a_quota_answers_429_with_the_seconds_left_in_its_window(
    provider: HttpFlightDataProvider, upstream: FakeUpstream, clock: FakeClock
) -> None:
    """Beyond ``requests`` per period the provider gets 429 and Retry-After until the window
    ends; the next window answers again, and lifting the quota ends the refusals."""
    upstream.set_quota(provider.name, 2, period=10.0)
    clock.advance(3.5)
    assert await provider.get_flight_status("BA117", DAY) is not None
    assert await provider.get_flight_status("BA117", DAY) is not None
    with pytest.raises(RateLimitedError) as caught:
        await provider.get_flight_status("BA117", DAY)
    assert (caught.value.status_code, caught.value.retry_after) == (429, 7.0)
    clock.advance(7.0)
    assert await provider.get_flight_status("BA117", DAY) is not None
    upstream.set_quota(provider.name, None)
    for _ in range(3):
        assert await provider.get_flight_status("BA117", DAY) is not None


def test_a_quota_needs_a_request_and_a_period() -> None:
    """A quota of no request or of no time is refused with the rule it broke."""
    with pytest.raises(ValueError, match="at least 1 request"):
        FakeUpstream().set_quota("flightaware", 0)
    with pytest.raises(ValueError, match="unknown provider"):
        FakeUpstream().set_quota("nope", 5)
