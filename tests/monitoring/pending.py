"""Letting time pass for a Redis stream's pending events without sleeping."""

from __future__ import annotations

from typing import Any, cast

from redis.asyncio import Redis


async def age_pending(client: Redis, key: str, group: str, seconds: float) -> None:
    """Every event pending in ``group`` stays with its consumer, idle ``seconds`` longer as Redis
    counts idle time (``XCLAIM ... IDLE``, which does not count as a delivery)."""
    pending = cast("list[dict[str, Any]]", await client.xpending_range(key, group, "-", "+", 1000))
    for entry in pending:
        idle_ms = int(entry["time_since_delivered"]) + int(seconds * 1000)
        await client.xclaim(
            key, group, entry["consumer"], 0, [entry["message_id"]], idle=idle_ms, justid=True
        )
