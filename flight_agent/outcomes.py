"""Asking about many flights at once, where one flight's failure spoils none of the others."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import TypeVar

from flight_agent.errors import FlightDataError

Q = TypeVar("Q")
T = TypeVar("T")


async def gather_outcomes(
    queries: Iterable[Q], fetch: Callable[[Q], Awaitable[T]]
) -> list[T | FlightDataError]:
    """``fetch`` every query concurrently: each one's answer, or the flight error it raised.

    Args:
        queries: What to ask about, e.g. flight queries or references.
        fetch: Asks about one query; a ``FlightDataError`` is that query's outcome, anything
            else (a bug) propagates.

    Returns:
        One outcome per query, in the order given.
    """

    async def one(query: Q) -> T | FlightDataError:
        try:
            return await fetch(query)
        except FlightDataError as error:
            return error

    return list(await asyncio.gather(*(one(query) for query in queries)))
