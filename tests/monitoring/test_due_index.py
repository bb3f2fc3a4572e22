"""The in-memory due index: earliest first, moves and removals, bounded size."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from flight_agent.monitoring.due_index import DueIndex

START = datetime(2026, 11, 28, 6, 0, tzinfo=UTC)


def test_due_answers_the_earliest_first_and_leaves_them_due() -> None:
    """Due flights come back earliest first (ties by key), at most ``limit``; asking again
    answers them again, since answering is not claiming."""
    index = DueIndex()
    for key, minutes in (("c", 5), ("a", 5), ("b", 1), ("d", 60)):
        index.set(key, START + timedelta(minutes=minutes))
    cutoff = START + timedelta(minutes=30)
    assert index.due(cutoff, limit=10) == ["b", "a", "c"]
    assert index.due(cutoff, limit=2) == ["b", "a"]
    assert index.due(cutoff, limit=10) == ["b", "a", "c"]
    assert index.due(START, limit=10) == []


def test_a_moved_flight_takes_its_new_place_and_a_removed_one_leaves() -> None:
    """Setting a flight again moves it; discarding it takes it out; get follows both."""
    index = DueIndex()
    for key, minutes in (("a", 1), ("b", 2), ("c", 3)):
        index.set(key, START + timedelta(minutes=minutes))
    index.set("a", START + timedelta(minutes=10))
    index.discard("b")
    index.discard("nobody")
    assert index.due(START + timedelta(minutes=30), limit=10) == ["c", "a"]
    assert (index.get("a"), index.get("b"), len(index)) == (START + timedelta(minutes=10), None, 2)


def test_many_moves_match_a_full_sort_and_keep_the_heap_small() -> None:
    """After random moves and removals the answer is what sorting every flight would give,
    and stale heap entries never pile up beyond about twice the flights."""
    rng = random.Random(7)
    index = DueIndex()
    expected: dict[str, datetime] = {}
    for step in range(5_000):
        key = f"k{rng.randrange(200)}"
        if rng.random() < 0.1:
            index.discard(key)
            expected.pop(key, None)
        else:
            when = START + timedelta(seconds=rng.randrange(3_600))
            index.set(key, when)
            expected[key] = when
        if step % 500 == 0:
            cutoff = START + timedelta(seconds=rng.randrange(3_600))
            ready = sorted((when, key) for key, when in expected.items() if when <= cutoff)
            assert index.due(cutoff, limit=25) == [key for _, key in ready[:25]]
    assert len(index) == len(expected)
    assert len(index._heap) <= 2 * len(expected) + 64
