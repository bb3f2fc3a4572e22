"""Watch and WatchState: identity, serialization and the per-poll step."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pydantic import ValidationError

from flight_agent.clock import FakeClock
from flight_agent.models import FlightStatus
from flight_agent.monitoring import ChangeKind, PollSchedule, Watch, WatchState
from flight_agent.monitoring.state import pack, unpack
from tests.monitoring.records import DAY, NOON, minutes, record


def new_state(clock: FakeClock, origin: str | None = None) -> WatchState:
    watch = Watch(flight_id="ba117", flight_date=DAY, origin=origin)
    return WatchState(watch=watch, created_at=clock.now(), next_due=clock.now())


@pytest.mark.parametrize(
    ("origin", "key"),
    [
        pytest.param(None, "BA117:2026-11-28", id="flight-and-date"),
        pytest.param("lhr", "BA117:2026-11-28:LHR", id="with-origin"),
    ],
)
def test_a_watch_key_names_flight_date_and_origin(
    clock: FakeClock, origin: str | None, key: str
) -> None:
    """Keys are upper case and carry the origin only when one was given."""
    assert new_state(clock, origin).key == key


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param({"flight_id": "BA:117"}, id="colon"),
        pytest.param({"flight_id": "BA 117"}, id="space"),
        pytest.param({"flight_id": ""}, id="empty"),
        pytest.param({"flight_id": "BA117", "origin": ""}, id="empty-origin"),
    ],
)
def test_a_watch_refuses_parts_that_would_break_its_key(fields: dict[str, str]) -> None:
    """Colons, whitespace and empty parts are refused."""
    with pytest.raises(ValidationError):
        Watch(flight_date=DAY, **fields)


def test_a_state_with_a_snapshot_round_trips_through_json(clock: FakeClock) -> None:
    """The stored JSON reads back to an equal state, snapshot and debounce included."""
    state, _ = new_state(clock).observe(record(status=FlightStatus.CANCELLED), now=clock.now())
    data = state.model_dump_json()
    assert "is_disrupted" not in data
    assert WatchState.model_validate_json(data) == state
    assert WatchState.model_validate(state.model_dump()) == state


def test_a_packed_state_reads_back_equal_in_a_few_hundred_bytes(clock: FakeClock) -> None:
    """What a memory store keeps per watch: the state whole, in under 400 bytes (its JSON is
    about 1.7 KB, its live objects several KB)."""
    polled, _ = new_state(clock).observe(
        record(gate_origin="B32", registration="G-STBA", cancellation_uncertain=True),
        now=clock.now(),
    )
    packed = pack(polled)
    assert unpack(packed) == polled
    assert len(packed) < 400 < len(polled.model_dump_json())


def test_observe_keeps_the_snapshot_and_schedules_the_next_poll(clock: FakeClock) -> None:
    """The first poll is the baseline; the next one reports a change; next_due follows the table."""
    state, first = new_state(clock).observe(record(), now=clock.now())
    clock.advance(1800)
    later, second = state.observe(record(gate_origin="B12"), now=clock.now())
    assert first == []
    assert [change.kind for change in second] == [ChangeKind.GATE]
    assert state.last_snapshot == record()
    assert later.last_polled_at == clock.now()
    assert later.next_due == clock.now() + minutes(30)


def test_observe_uses_the_given_schedule_and_threshold(clock: FakeClock) -> None:
    """A custom schedule and delay threshold are applied."""
    schedule = PollSchedule(day_interval=minutes(20))
    state, _ = new_state(clock).observe(record(departure_delay_minutes=0), now=clock.now())
    later, changes = state.observe(
        record(departure_delay_minutes=20),
        now=clock.now(),
        schedule=schedule,
        delay_threshold_minutes=30,
    )
    assert changes == []
    assert later.next_due == clock.now() + minutes(20)


def test_a_poll_that_finds_a_milestone_no_push_brought_falls_back_to_the_table(
    clock: FakeClock,
) -> None:
    waiting = record(scheduled_out=NOON + timedelta(hours=1))
    state, _ = new_state(clock).observe(waiting, now=NOON, alert=True)
    assert not state.push_missed
    assert state.next_due == NOON + timedelta(hours=1, minutes=4)  # the safety net
    departed = waiting.model_copy(
        update={"actual_out": NOON + timedelta(minutes=62), "status": FlightStatus.DEPARTED}
    )
    later = NOON + timedelta(hours=1, minutes=4)
    polled, _ = state.observe(departed, now=later, alert=True)
    assert polled.push_missed
    assert polled.next_due is not None
    assert polled.next_due - later <= timedelta(minutes=30)
    pushed, _ = polled.observe(departed, now=later + timedelta(minutes=1), alert=True, pushed=True)
    assert not pushed.push_missed
