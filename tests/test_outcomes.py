"""Asking about many flights at once: each answer or its error, in order."""

from __future__ import annotations

import asyncio

import pytest

from flight_agent.errors import FlightDataError, FlightNotFoundError
from flight_agent.outcomes import gather_outcomes


async def test_each_query_has_its_answer_or_its_error_in_the_order_given() -> None:
    """A failing query is that query's outcome; the others still answer, concurrently."""
    started: list[int] = []

    async def fetch(number: int) -> str:
        started.append(number)
        await asyncio.sleep(0.01 * (3 - number))  # the last one answers first
        if number == 2:
            raise FlightNotFoundError("no flight 2")
        return f"flight {number}"

    outcomes = await gather_outcomes([0, 1, 2], fetch)
    assert outcomes[:2] == ["flight 0", "flight 1"]
    assert isinstance(outcomes[2], FlightDataError)
    assert outcomes[2].message == "no flight 2"
    assert started == [0, 1, 2]


async def test_a_bug_is_not_taken_for_an_outcome() -> None:
    """Only flight errors are outcomes; anything else propagates."""

    async def fetch(number: int) -> int:
        raise RuntimeError("bug")

    with pytest.raises(RuntimeError, match="bug"):
        await gather_outcomes([1], fetch)


async def test_no_queries_no_outcomes() -> None:
    async def fetch(number: int) -> int:
        return number

    assert await gather_outcomes([], fetch) == []
