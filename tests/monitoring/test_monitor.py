"""The monitor loop: events in order, debounced cancellations, Redis restarts, shared work."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

import pytest

from flight_agent.clock import FakeClock
from flight_agent.errors import FlightNotFoundError
from flight_agent.models import FOLLOW_UP_HORIZON
from flight_agent.monitoring import ChangeKind, FlightChange
from flight_agent.providers import MockFlightDataProvider
from flight_agent.services import EnhancedFlightMonitoringService
from flight_agent.settings import Settings
from tests.conftest import RedisServer

DAY = date(2026, 11, 28)
START = datetime(2026, 11, 28, 7, 20, tzinfo=UTC)
"""BA117 is scheduled out at 08:25Z that day; a simulated gate change shows at 07:35Z."""
GATE_CHANGE_SHOWN = datetime(2026, 11, 28, 7, 35, tzinfo=UTC)


@pytest.fixture
def early_clock() -> FakeClock:
    return FakeClock(START)


def service_on(
    mock: MockFlightDataProvider, clock: FakeClock, redis_url: str | None = None
) -> EnhancedFlightMonitoringService:
    return EnhancedFlightMonitoringService(
        providers=[mock], settings=Settings(redis_url=redis_url), clock=clock
    )


async def poll_when_due(
    service: EnhancedFlightMonitoringService, clock: FakeClock
) -> list[FlightChange]:
    """Move the clock to the earliest next poll and run one pass."""
    due = min(s.next_due for s in await service.watched() if s.next_due is not None)
    clock.set(max(due, clock.now()))
    return await service.monitor.poll_due()


async def poll_until_changes(
    service: EnhancedFlightMonitoringService, clock: FakeClock, polls: int = 6
) -> list[FlightChange]:
    """Poll as scheduled until a pass finds changes (or ``polls`` passes find none)."""
    for _ in range(polls):
        if changes := await poll_when_due(service, clock):
            return changes
    return []


async def test_a_scripted_day_yields_the_expected_events_in_order(early_clock: FakeClock) -> None:
    """Baseline, a gate change within 5 minutes, then a cancellation reported and confirmed."""
    mock = MockFlightDataProvider("Mock", clock=early_clock, scenarios={"BA117": "gate_change"})
    service = service_on(mock, early_clock)
    seen: list[FlightChange] = []
    service.on_change(seen.append)
    await service.watch("BA117", DAY)
    assert await service.monitor.poll_due() == []  # the first snapshot is the baseline
    gate = await poll_until_changes(service, early_clock)
    assert [c.kind for c in gate] == [ChangeKind.GATE]
    assert (gate[0].detected_at - GATE_CHANGE_SHOWN).total_seconds() <= 300
    mock.set_scenario("BA117", "cancelled")
    reported = await poll_until_changes(service, early_clock)
    confirmed = await poll_until_changes(service, early_clock)
    assert (ChangeKind.CANCELLED, True) in [(c.kind, c.provisional) for c in reported]
    assert [(c.kind, c.provisional) for c in confirmed] == [(ChangeKind.CANCELLED, False)]
    assert seen == [*gate, *reported, *confirmed]
    assert service.get_service_stats().monitoring.changes_published == len(seen)
    assert all(s.next_due is None for s in await service.watched())  # confirmed: polls stop
    await service.aclose()


async def test_a_cancel_then_uncancel_inside_the_window_is_never_confirmed(
    early_clock: FakeClock,
) -> None:
    """A flapping cancelled flag gives a provisional cancel and an uncancel, nothing confirmed."""
    mock = MockFlightDataProvider("Mock", clock=early_clock, scenarios={"BA117": "on_time"})
    service = service_on(mock, early_clock)
    await service.watch("BA117", DAY)
    await service.monitor.poll_due()
    mock.set_scenario("BA117", "cancelled")
    reported = await poll_until_changes(service, early_clock)
    mock.set_scenario("BA117", "on_time")
    withdrawn = await poll_until_changes(service, early_clock)
    later = [c for _ in range(3) for c in await poll_when_due(service, early_clock)]
    kinds = [(c.kind, c.provisional) for c in [*reported, *withdrawn, *later]]
    assert (ChangeKind.CANCELLED, True) in kinds
    assert (ChangeKind.UNCANCELLED, True) in kinds
    assert (ChangeKind.CANCELLED, False) not in kinds
    await service.aclose()


async def test_changes_reach_an_async_subscriber(early_clock: FakeClock) -> None:
    """``changes()`` iterates the same events the callbacks get."""
    mock = MockFlightDataProvider("Mock", clock=early_clock, scenarios={"BA117": "gate_change"})
    service = service_on(mock, early_clock)
    subscription = service.changes()
    await service.watch("BA117", DAY)
    await service.monitor.poll_due()
    changes = await poll_until_changes(service, early_clock)
    received = await asyncio.wait_for(anext(subscription), timeout=1)
    assert received == changes[0]
    await service.aclose()


async def test_an_unknown_flight_cannot_be_watched(early_clock: FakeClock) -> None:
    """watch() checks the flight exists first."""
    mock = MockFlightDataProvider("Mock", clock=early_clock)
    service = service_on(mock, early_clock)
    with pytest.raises(FlightNotFoundError):
        await service.watch("ZZ9999", DAY)
    assert await service.watched() == []
    await service.aclose()


async def test_the_watched_count_follows_watch_and_unwatch(early_clock: FakeClock) -> None:
    """The stats count every watched flight once, however often it is watched."""
    service = service_on(MockFlightDataProvider("Mock", clock=early_clock), early_clock)
    await service.watch("BA117", DAY)
    await service.watch("BA117", DAY)
    await service.watch("BA283", DAY)
    assert service.monitor.stats().watched_flights == 2
    assert await service.unwatch("BA117", DAY)
    assert service.monitor.stats().watched_flights == 1
    await service.aclose()


async def test_a_restart_on_redis_resumes_the_watched_flights(
    private_redis: RedisServer, early_clock: FakeClock
) -> None:
    """A new service on the same Redis sees the watches and their last snapshots."""
    mock = MockFlightDataProvider("Mock", clock=early_clock)
    before = service_on(mock, early_clock, private_redis.url)
    await before.watch("BA117", DAY)
    await before.monitor.poll_due()
    await before.aclose()
    after = service_on(
        MockFlightDataProvider("Mock", clock=early_clock), early_clock, private_redis.url
    )
    states = await after.watched()
    assert [s.key for s in states] == ["BA117:2026-11-28"]
    assert states[0].last_snapshot is not None
    assert states[0].last_snapshot.flight_id == "BA117"
    await after.aclose()


async def test_two_workers_on_one_redis_poll_each_due_flight_once(
    private_redis: RedisServer, early_clock: FakeClock
) -> None:
    """Two monitors sharing Redis split the due flights: every flight is polled exactly once."""
    flights = ["BA117", "AA100", "LH400", "AF6", "QF1", "UA901"]
    mocks = [MockFlightDataProvider("Mock", clock=early_clock) for _ in range(2)]
    workers = [service_on(mock, early_clock, private_redis.url) for mock in mocks]
    for ident in flights:
        await workers[0].watch(ident, DAY)
    await asyncio.gather(*(worker.monitor.poll_due() for worker in workers))
    polls = [worker.monitor.polls for worker in workers]
    assert sum(polls) == len(flights)
    states = await workers[1].watched()
    assert all(s.last_polled_at == early_clock.now() for s in states)
    for worker in workers:
        await worker.aclose()


async def test_the_background_loop_polls_without_being_asked(early_clock: FakeClock) -> None:
    """start() runs passes in the background; stop() ends them."""
    mock = MockFlightDataProvider("Mock", clock=early_clock)
    async with service_on(mock, early_clock) as service:
        await service.watch("BA117", DAY)
        for _ in range(100):
            await asyncio.sleep(0)
            if service.monitor.polls:
                break
        assert service.get_service_stats().monitoring.running is True
        assert service.monitor.polls == 1
    assert service.get_service_stats().monitoring.running is False


async def test_a_failing_poll_is_counted_and_the_loop_keeps_running(
    early_clock: FakeClock,
) -> None:
    """A provider that raises on every call: the pass logs it, nothing escapes, polls go on."""
    mock = MockFlightDataProvider("Mock", clock=early_clock)
    async with service_on(mock, early_clock) as service:
        await service.watch("BA117", DAY)
        mock.error_rate = 1.0
        early_clock.advance(600)
        assert await service.monitor.poll_due() == []
        assert service.monitor.poll_errors == 1
        assert service.get_service_stats().monitoring.running is True


async def test_a_flight_unanswered_long_after_its_date_is_dropped(early_clock: FakeClock) -> None:
    """Two days after its date with no answer, a watch stops being polled."""
    mock = MockFlightDataProvider("Mock", clock=early_clock)
    service = service_on(mock, early_clock)
    await service.watch("BA117", DAY)
    mock.error_rate = 1.0
    early_clock.advance(2 * 24 * 3600)
    await service.monitor.poll_due()
    [state] = await service.watched()
    assert state.next_due is None
    await service.aclose()


async def test_a_polled_flight_unanswered_past_its_follow_up_horizon_is_dropped(
    early_clock: FakeClock,
) -> None:
    """Once polled, the record's horizon applies: a flight not departed is dropped 12 hours
    after its expected departure when no provider answers, not two days after its date."""
    mock = MockFlightDataProvider("Mock", clock=early_clock)
    service = service_on(mock, early_clock)
    await service.watch("BA117", DAY)
    await service.monitor.poll_due()  # the baseline
    [state] = await service.watched()
    assert state.last_snapshot is not None
    departure = state.last_snapshot.best_departure
    assert departure is not None
    assert state.follow_up_ends == departure + FOLLOW_UP_HORIZON
    mock.error_rate = 1.0
    early_clock.set(state.follow_up_ends - timedelta(hours=1))
    await service.monitor.poll_due()
    assert [s.next_due is None for s in await service.watched()] == [False]
    early_clock.set(state.follow_up_ends)
    await service.monitor.poll_due()
    assert [s.next_due is None for s in await service.watched()] == [True]
    await service.aclose()


async def test_a_finished_flight_leaves_nothing_behind_after_a_day(
    early_clock: FakeClock,
) -> None:
    """Polled until it arrived, a flight stays listed (its last snapshot readable) for a day
    after its last poll; then the monitor's store forgets it and nothing is due."""
    mock = MockFlightDataProvider("Mock", clock=early_clock)
    service = service_on(mock, early_clock)
    await service.watch("BA117", DAY)
    for _ in range(500):
        [state] = await service.watched()
        if state.next_due is None:
            break
        await poll_when_due(service, early_clock)
    assert state.next_due is None
    assert state.last_snapshot is not None
    assert state.last_snapshot.has_arrived
    assert state.last_polled_at is not None
    early_clock.set(state.last_polled_at + timedelta(days=1))
    assert await service.monitor.poll_due() == []
    assert await service.watched() == []
    assert await service.monitor.store.count() == 0
    await service.aclose()
