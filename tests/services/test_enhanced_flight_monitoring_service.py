"""The service facade: providers from settings, Redis sharing, outages, batches and stats."""

from __future__ import annotations

import asyncio
import logging
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from pydantic import SecretStr

from flight_agent.cache import MemoryCache
from flight_agent.clock import FakeClock
from flight_agent.errors import InvalidFlightQueryError, InvalidResponseError
from flight_agent.monitoring import PollSchedule
from flight_agent.providers import FailoverConfig, MockFlightDataProvider
from flight_agent.services import EnhancedFlightMonitoringService, default_service
from flight_agent.settings import Settings
from tests.conftest import RedisServer
from tests.irops.factories import FIXTURES
from tests.stubs import StubProvider

DAY = date(2026, 11, 28)


def unique_flight() -> str:
    """A designator no other test uses, so tests sharing a Redis never meet."""
    return f"BA{uuid.uuid4().int % 9000 + 1000}"


def offline_settings(**overrides: object) -> Settings:
    return Settings.model_validate({"redis_url": None, **overrides})


def test_without_keys_the_simulated_provider_answers_and_says_so(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """No key set: one simulated provider, and a log line that says the data is simulated."""
    with caplog.at_level(logging.WARNING):
        service = EnhancedFlightMonitoringService(settings=offline_settings())
    assert [p.name for p in service.failover_manager.providers] == ["Simulated"]
    assert "every answer comes from the simulated provider" in caplog.text


def test_keys_build_the_live_providers_in_priority_order() -> None:
    """AeroAPI > AeroDataBox > AviationStack; the simulated fallback only when asked for, so
    a service built with keys never answers with invented flights by default."""
    settings = offline_settings(
        flightaware_api_key=SecretStr("fa-secret"),
        aerodatabox_api_key=SecretStr("adb-secret"),
        aviationstack_api_key=SecretStr("as-secret"),
    )
    with_mock = EnhancedFlightMonitoringService(enable_mock_provider=True, settings=settings)
    live_only = EnhancedFlightMonitoringService(settings=settings)
    assert [p.name for p in with_mock.failover_manager.providers] == [
        "FlightAware",
        "AeroDataBox",
        "AviationStack",
        "Simulated",
    ]
    assert [p.name for p in live_only.failover_manager.providers] == [
        "FlightAware",
        "AeroDataBox",
        "AviationStack",
    ]
    assert "secret" not in repr(with_mock.failover_manager.providers)


@pytest.mark.parametrize("net", ["lean", "strict"])
def test_the_alert_safety_net_setting_chooses_how_pushed_flights_are_polled(net: str) -> None:
    service = EnhancedFlightMonitoringService(
        settings=offline_settings(flight_agent_alert_safety_net=net)
    )
    assert service.monitor.schedule == PollSchedule.with_safety_net(net)  # type: ignore[arg-type]


def test_an_unknown_alert_safety_net_is_refused_with_the_choices() -> None:
    with pytest.raises(ValueError, match="'lean' or 'strict'"):
        offline_settings(flight_agent_alert_safety_net="paranoid")


def test_a_non_positive_check_interval_is_rejected() -> None:
    """check_interval_seconds must be positive."""
    with pytest.raises(ValueError, match="check_interval_seconds"):
        EnhancedFlightMonitoringService(check_interval_seconds=0, settings=offline_settings())


async def test_batch_answers_each_item_and_validates_all_first(clock: FakeClock) -> None:
    """A batch gives one outcome per item; a malformed item fails the batch before any call."""
    mock = MockFlightDataProvider("Mock", clock=clock)
    service = EnhancedFlightMonitoringService(
        providers=[mock], settings=offline_settings(), clock=clock
    )
    outcomes = await service.get_batch_status([("BA117", DAY), ("AA100", DAY), ("ZZ9", DAY)])
    assert [o.query.flight_id for o in outcomes] == ["BA117", "AA100", "ZZ9"]
    assert all(o.ok for o in outcomes)
    calls = mock.calls
    with pytest.raises(InvalidFlightQueryError, match="Query 1"):
        await service.get_batch_status([("BA117", DAY), ("../x", DAY)])
    assert mock.calls == calls
    await service.aclose()


async def test_two_processes_sharing_redis_make_one_upstream_call(
    redis_server: RedisServer,
) -> None:
    """Two services on one Redis, same flight at once: one fetch, the other reads the cache."""
    settings = offline_settings(redis_url=redis_server.url)
    first_provider = StubProvider("primary", latency=0.3)
    second_provider = StubProvider("primary", latency=0.3)
    first = EnhancedFlightMonitoringService(providers=[first_provider], settings=settings)
    second = EnhancedFlightMonitoringService(providers=[second_provider], settings=settings)
    ident = unique_flight()
    a, b = await asyncio.gather(
        first.get_flight_status_with_failover(ident, DAY),
        second.get_flight_status_with_failover(ident, DAY),
    )
    assert a is not None
    assert b is not None
    # The fetching process's answer lists its attempts; the other read the cache.
    assert a.model_copy(update={"attempts": ()}) == b.model_copy(update={"attempts": ()})
    assert sorted(len(r.attempts) for r in (a, b)) == [0, 1]
    assert first_provider.calls + second_provider.calls == 1
    await first.aclose()
    await second.aclose()


async def test_requests_survive_redis_dying_mid_run(private_redis: RedisServer) -> None:
    """Redis killed: answers keep coming from the providers, the cache counts the errors."""
    service = EnhancedFlightMonitoringService(
        providers=[StubProvider("primary")],
        settings=offline_settings(redis_url=private_redis.url),
        config=FailoverConfig(total_timeout=5.0),
    )
    assert await service.get_flight_status_with_failover("BA117", DAY) is not None
    private_redis.stop()
    for ident in ("BA118", "BA119", "BA120"):
        record = await service.get_flight_status_with_failover(ident, DAY)
        assert record is not None
        assert record.source == "primary"
    stats = service.get_service_stats()
    assert stats.cache.errors >= 1
    assert stats.upstream_calls_by_provider == {"primary": 4}
    await service.aclose()


async def test_service_stats_report_hits_upstream_cost_and_providers(clock: FakeClock) -> None:
    """Stats give the hit rate, calls per provider, stale answers and provider figures."""
    service = EnhancedFlightMonitoringService(
        providers=[StubProvider("primary")],
        cache=MemoryCache(clock=clock),
        settings=offline_settings(),
        clock=clock,
    )
    await service.get_flight_status_with_failover("BA117", DAY)
    await service.get_flight_status_with_failover("BA117", DAY)
    stats = service.get_service_stats()
    assert stats.cache_hit_rate == 0.5
    assert stats.upstream_calls_by_provider == {"primary": 1}
    assert stats.stale_answers == 0
    assert stats.monitoring.watched_flights == 0
    assert stats.providers["primary"].state == "closed"
    await service.aclose()


def test_the_default_service_never_mixes_simulated_data_with_live_providers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With a key: live providers only (an outage stays visible); without: simulated alone."""
    for variable in ("AERODATABOX_API_KEY", "AVIATIONSTACK_API_KEY", "REDIS_URL"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.chdir(Path(__file__).parent)  # no .env
    monkeypatch.setenv("FLIGHTAWARE_API_KEY", "fa-secret")
    assert [p.name for p in default_service().failover_manager.providers] == ["FlightAware"]
    monkeypatch.delenv("FLIGHTAWARE_API_KEY")
    assert [p.name for p in default_service().failover_manager.providers] == ["Simulated"]


def test_a_nas_status_feed_can_be_loaded_and_a_bad_one_is_refused() -> None:
    """The FAA feed is parsed into the service's programmes; an HTML page is refused."""
    service = EnhancedFlightMonitoringService(settings=offline_settings())
    feed = (FIXTURES / "nas_all_programmes.xml").read_bytes()
    status = service.load_nas_status(feed)
    assert service.nas_status is status
    assert status.programmes
    with pytest.raises(InvalidResponseError, match="not a NAS status document"):
        service.load_nas_status("<html><body>503</body></html>")


async def test_alternatives_skip_a_provider_whose_circuit_is_forced_open() -> None:
    """A forced-open provider gets no schedule traffic; the next one answers."""
    primary = MockFlightDataProvider("Primary", 10)
    backup = MockFlightDataProvider("Backup", 5)
    service = EnhancedFlightMonitoringService(
        providers=[primary, backup], settings=offline_settings()
    )
    service.failover_manager.breaker("Primary").force_open()
    start = datetime(2026, 11, 29, 0, 0, tzinfo=UTC)
    flights = await service.find_alternative_flights("LHR", "JFK", start, start + timedelta(days=1))
    assert flights
    assert {f.source for f in flights} == {"Backup"}
    assert primary.calls == 0
    await service.aclose()
