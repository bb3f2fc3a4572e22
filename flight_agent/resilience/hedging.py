"""Hedged requests ("The Tail at Scale"): a second call when the first is slow.

The first call starts at once. If it has not finished after ``delay``, a hedge starts (when
one is available). The first successful result wins and the other call is cancelled at once;
a failure before the delay returns immediately, so ordinary failover can go on without waiting.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

R = TypeVar("R")


async def race_with_hedge(
    first: Coroutine[Any, Any, R],
    start_hedge: Callable[[], Coroutine[Any, Any, R] | None],
    delay: float,
    succeeded: Callable[[R], bool],
) -> list[R]:
    """Run ``first``, hedge it after ``delay``, and return the finished results in order.

    The list ends with the winning result when a call succeeded; calls still running at that
    point are cancelled and awaited before returning (no task outlives this call).
    """
    pending: set[asyncio.Task[R]] = {asyncio.ensure_future(first)}
    results: list[R] = []
    hedged = False
    try:
        while pending:
            done, pending = await asyncio.wait(
                pending,
                timeout=None if hedged else delay,
                return_when=asyncio.FIRST_COMPLETED,
            )
            if not done:
                hedged = True
                hedge = start_hedge()
                if hedge is not None:
                    pending.add(asyncio.ensure_future(hedge))
                continue
            for task in done:
                results.append(task.result())
                if succeeded(results[-1]):
                    return results
            if not hedged:
                return results
        return results
    finally:
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
