"""Cancellation debounce: provisional on first sight, confirmed only once it holds."""

from __future__ import annotations

from datetime import timedelta

import pytest

from flight_agent.clock import FakeClock
from flight_agent.models import FlightStatus, FlightStatusData
from flight_agent.monitoring import (
    CancellationDebouncer,
    ChangeKind,
    FlightChange,
    Watch,
    WatchState,
)
from tests.monitoring.records import DAY, minutes, record

SCHEDULED = record()
CANCELLED = record(status=FlightStatus.CANCELLED)
UNCERTAIN = record(status=FlightStatus.UNKNOWN, cancellation_uncertain=True)


def run(
    clock: FakeClock, steps: list[tuple[float, FlightStatusData]]
) -> tuple[WatchState, list[list[FlightChange]]]:
    """Observe each record after waiting the given minutes; the changes of each poll."""
    state = WatchState(
        watch=Watch(flight_id="BA117", flight_date=DAY), created_at=clock.now(), next_due=None
    )
    polls = []
    for wait, snapshot in steps:
        clock.advance(wait * 60)
        state, changes = state.observe(snapshot, now=clock.now())
        polls.append(changes)
    return state, polls


def events(polls: list[list[FlightChange]]) -> list[list[tuple[ChangeKind, bool]]]:
    return [[(change.kind, change.provisional) for change in changes] for changes in polls]


def test_a_cancel_withdrawn_within_the_window_is_never_confirmed(clock: FakeClock) -> None:
    """Cancel, uncancel, cancel, uncancel within ten minutes each: only provisional events."""
    _, polls = run(
        clock,
        [
            (0, SCHEDULED),
            (5, CANCELLED),
            (5, SCHEDULED),
            (5, CANCELLED),
            (9, CANCELLED),
            (1, SCHEDULED),
        ],
    )
    assert events(polls) == [
        [],
        [(ChangeKind.CANCELLED, True)],
        [(ChangeKind.UNCANCELLED, True)],
        [(ChangeKind.CANCELLED, True)],
        [],
        [(ChangeKind.UNCANCELLED, True)],
    ]


def test_a_cancel_held_past_the_window_is_confirmed_once(clock: FakeClock) -> None:
    """Still cancelled at a poll ten minutes after first sight: one confirmed cancellation."""
    state, polls = run(
        clock, [(0, SCHEDULED), (1, CANCELLED), (5, CANCELLED), (5, CANCELLED), (10, CANCELLED)]
    )
    assert events(polls) == [
        [],
        [(ChangeKind.CANCELLED, True)],
        [],
        [(ChangeKind.CANCELLED, False)],
        [],
    ]
    confirmed = polls[3][0]
    assert confirmed.message == "BA117 2026-11-28: cancelled (confirmed)"
    assert state.cancellation.confirmed
    assert state.next_due is None


@pytest.mark.parametrize(
    ("wait", "confirmed"),
    [
        pytest.param(timedelta(minutes=10) - timedelta(seconds=1), False, id="9m59s"),
        pytest.param(timedelta(minutes=10), True, id="exactly-10m"),
    ],
)
def test_confirmation_needs_the_full_window(
    clock: FakeClock, wait: timedelta, confirmed: bool
) -> None:
    """A poll 9 min 59 s after first sight cannot confirm; one at exactly 10 min can."""
    debouncer, first = CancellationDebouncer().observe(CANCELLED, now=clock.now())
    clock.advance(wait.total_seconds())
    debouncer, change = debouncer.observe(CANCELLED, now=clock.now())
    assert first is None
    assert debouncer.confirmed is confirmed
    assert (change is not None) is confirmed


def test_an_uncertain_cancellation_is_never_confirmed_until_it_is_firm(
    clock: FakeClock,
) -> None:
    """ "Possibly cancelled" for an hour stays provisional; the first firm report confirms."""
    _, polls = run(
        clock, [(0, SCHEDULED), (1, UNCERTAIN), (30, UNCERTAIN), (30, UNCERTAIN), (5, CANCELLED)]
    )
    assert events(polls) == [
        [],
        [(ChangeKind.CANCELLED, True)],
        [],
        [],
        [(ChangeKind.CANCELLED, False)],
    ]


def test_the_window_is_configurable() -> None:
    """A 30-minute confirm_after waits 30 minutes."""
    start = CANCELLED.fetched_at
    debouncer, _ = CancellationDebouncer(confirm_after=minutes(30)).observe(CANCELLED, now=start)
    early, none = debouncer.observe(CANCELLED, now=start + minutes(29))
    _, change = early.observe(CANCELLED, now=start + minutes(30))
    assert none is None
    assert change is not None
    assert not change.provisional
    with pytest.raises(ValueError, match="greater than"):
        CancellationDebouncer(confirm_after=timedelta(0))


def test_the_debounce_state_survives_serialization(clock: FakeClock) -> None:
    """A pending cancellation read back from JSON still confirms on time (service restart)."""
    pending, _ = CancellationDebouncer().observe(CANCELLED, now=clock.now())
    restored = CancellationDebouncer.model_validate_json(pending.model_dump_json())
    assert restored == pending
    clock.advance(600)
    confirmed, change = restored.observe(CANCELLED, now=clock.now())
    assert confirmed.confirmed
    assert change is not None
