"""``watch --speed``: when the replay starts, on what service, and when it is refused."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from pydantic import SecretStr

from flight_agent.apps.cli import replay
from flight_agent.clock import AcceleratedClock, FakeClock
from flight_agent.models import FlightStatusData
from flight_agent.providers import MockFlightDataProvider
from flight_agent.settings import Settings

DAY = date(2026, 12, 4)
NOW = datetime(2026, 12, 4, 16, 0, tzinfo=UTC)


def settings(**values: object) -> Settings:
    """Settings from the arguments alone: no ``.env``, no key from the environment."""
    keyless = {f"{name}_api_key": None for name in ("flightaware", "aerodatabox", "aviationstack")}
    return Settings(_env_file=None, **(keyless | values))


async def record(ident: str) -> FlightStatusData:
    found = await MockFlightDataProvider(clock=FakeClock(NOW)).get_flight_status(ident, DAY)
    assert found is not None
    return found


async def test_the_replay_starts_an_hour_before_the_first_departure() -> None:
    """BA1440 leaves 08:00Z, BA117 (3 h 30 late) 11:55Z: the replay starts at 07:00Z."""
    flights = [await record("BA117"), await record("BA1440")]
    assert replay.replay_start(flights, NOW) == datetime(2026, 12, 4, 7, 0, tzinfo=UTC)


async def test_a_delayed_flight_is_replayed_from_an_hour_before_its_estimated_departure() -> None:
    """The estimate counts, not the schedule: boarding opens 20 minutes into the replay."""
    start = replay.replay_start([await record("BA117")], NOW)
    assert start == datetime(2026, 12, 4, 8, 25, tzinfo=UTC) + timedelta(minutes=210 - 60)


async def test_without_a_known_departure_the_replay_starts_now() -> None:
    """A flight with no departure time at all leaves the clock where it is."""
    flight = (await record("BA117")).model_copy(
        update={"scheduled_out": None, "estimated_out": None, "actual_out": None}
    )
    assert replay.replay_start([flight], NOW) == NOW


def test_speed_is_refused_while_a_provider_key_is_set() -> None:
    """The message names the keys to unset, never their values."""
    assert replay.refusal(settings()) is None
    message = replay.refusal(
        settings(
            aviationstack_api_key=SecretStr("secret-value"),
            flightaware_api_key=SecretStr("another-secret"),
        )
    )
    assert message is not None
    assert "unset FLIGHTAWARE_API_KEY, AVIATIONSTACK_API_KEY" in message
    assert "secret" not in message


async def test_the_replay_service_is_simulated_in_memory_on_an_accelerated_clock() -> None:
    """Only the simulated provider, no Redis even when configured, clock at the start."""
    start = datetime(2026, 12, 4, 7, 0, tzinfo=UTC)
    service = replay.replay_service(settings(redis_url="redis://127.0.0.1:1/0"), 60, start)
    try:
        assert isinstance(service.clock, AcceleratedClock)
        assert service.clock.speed == 60
        assert start <= service.clock.now() < start + timedelta(minutes=1)
        assert [p.name for p in service.failover_manager.providers] == ["Simulated"]
        assert service.settings.redis_url is None
    finally:
        await service.aclose()
