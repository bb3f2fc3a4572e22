"""Clocks: the accelerated clock speeds up wall time only, from its start."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from flight_agent.clock import AcceleratedClock, FakeClock

START = datetime(2026, 12, 4, 7, 0, tzinfo=UTC)


def test_wall_time_runs_speed_times_faster_from_the_start() -> None:
    """At speed 60, ten base seconds move wall time ten minutes."""
    base = FakeClock(datetime(2026, 12, 4, 16, 0, tzinfo=UTC))
    clock = AcceleratedClock(60, START, base=base)
    assert clock.now() == START
    base.advance(10)
    assert clock.now() == START + timedelta(minutes=10)
    base.advance(0.5)
    assert clock.now() == START + timedelta(minutes=10, seconds=30)


def test_monotonic_time_is_not_sped_up() -> None:
    """Timeouts, cool-downs and lock deadlines keep their real length."""
    base = FakeClock()
    clock = AcceleratedClock(600, START, base=base)
    before = clock.monotonic()
    base.advance(3)
    assert clock.monotonic() - before == 3


def test_without_a_start_it_starts_at_the_base_clock_now() -> None:
    """The default start is 'now' on the base clock."""
    base = FakeClock(START)
    clock = AcceleratedClock(2, base=base)
    base.advance(30)
    assert clock.now() == START + timedelta(minutes=1)


def test_it_reads_the_system_clock_by_default() -> None:
    """On the real clock it starts at the real time and never runs behind it."""
    before = datetime.now(UTC)
    clock = AcceleratedClock(1000)
    assert before <= clock.now()
    assert clock.now().tzinfo is not None


@pytest.mark.parametrize(
    ("speed", "start", "message"),
    [
        pytest.param(0.5, START, "speed 1 or more", id="slower"),
        pytest.param(60, START.replace(tzinfo=None), "aware start", id="naive"),
    ],
)
def test_it_refuses_a_slow_speed_and_a_naive_start(
    speed: float, start: datetime, message: str
) -> None:
    """Speeds below 1 and naive start times are errors."""
    with pytest.raises(ValueError, match=message):
        AcceleratedClock(speed, start, base=FakeClock())
