"""Every benchmark runs at a tiny size, so its code cannot rot; the figures are not asserted.

The benchmarks share one fake upstream in a child process, as ``python -m benchmarks`` does.
"""

from __future__ import annotations

import math
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
import pytest_asyncio

from benchmarks import fleet_workers
from benchmarks.__main__ import BENCHMARKS, document, main
from benchmarks.common import Section, Target, interleaved
from benchmarks.upstream import RemoteUpstream, upstream_process
from tests.conftest import RedisServer

SMOKE = 0.001
"""Scale of a smoke run: each benchmark falls back to its smallest sizes and short waits."""


@pytest.fixture(autouse=True)
def fleet_redis(redis_server: RedisServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """The fleet benchmark's worker processes use the tests' Redis, not the bench's."""
    monkeypatch.setattr(fleet_workers, "REDIS_URL", redis_server.url)
    monkeypatch.setenv("BENCH_FLEET_REDIS_URL", redis_server.url)


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def upstream() -> AsyncIterator[RemoteUpstream]:
    """One fake upstream process for every benchmark of this module."""
    async with upstream_process() as started:
        yield started


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.parametrize("name", list(BENCHMARKS))
async def test_each_benchmark_runs_at_a_tiny_size(name: str, upstream: RemoteUpstream) -> None:
    """The benchmark finishes and reports rows with labels and units (values are not judged)."""
    section = await BENCHMARKS[name](SMOKE, upstream)
    assert section.rows
    for row in section.rows:
        assert row.label
        assert row.unit
        assert row.verdict in ("pass", "MISS", "info", "n/a")
        assert math.isnan(row.value) or math.isfinite(row.value)
    assert document([section], 1.0, SMOKE).startswith("# Benchmark results")


def test_the_command_line_writes_the_report(tmp_path: Path) -> None:
    """``python -m benchmarks --only ... --output ...`` prints and writes the table."""
    output = tmp_path / "results.md"
    assert main(["--scale", str(SMOKE), "--only", "memory", "--output", str(output)]) == 0
    text = output.read_text(encoding="utf-8")
    assert "| 8. Memory |" in text
    assert f"`.venv/bin/python -m benchmarks --scale {SMOKE:g} --only memory`" in text


def test_a_section_without_target_is_info() -> None:
    """A row without target is 'info', a NaN one 'n/a'."""
    section = Section("x")
    assert section.add("a", 1.0, "ms").verdict == "info"
    assert section.add("b", math.nan, "ms").verdict == "n/a"


async def test_interleaved_rotates_the_order_and_keeps_each_rounds_median() -> None:
    """Each step starts with the next side; a side's round figure is the median of its units,
    a unit returning None left out."""
    order: list[str] = []

    def side(name: str, values: list[float | None]) -> Callable[[], Awaitable[float | None]]:
        pending = iter(values)

        async def unit() -> float | None:
            order.append(name)
            return next(pending)

        return unit

    results = await interleaved(
        2, 3, {"a": side("a", [1.0, 2.0, 9.0, 4.0, 5.0, 6.0]), "b": side("b", [None, 3.0] * 3)}
    )
    assert order[:6] == ["a", "b", "b", "a", "a", "b"]
    assert results == {"a": [2.0, 5.0], "b": [3.0, 3.0]}


def test_a_ratio_row_is_the_median_of_the_rounds_ratios() -> None:
    """Per-round ratios, their median as the value, both sides and the spread as context."""
    section = Section("x")
    row = section.add_ratio("r", [2.0, 3.0, 8.0], [1.0, 1.0, 2.0], Target(3.5))
    assert (row.value, row.unit, row.verdict) == (3.0, "x", "pass")
    assert row.context == "baseline 1,000 ms, this 3,000 ms; 3 rounds 2-4"


@pytest.mark.asyncio(loop_scope="module")
async def test_fleet_worker_processes_poll_every_flight_exactly_once() -> None:
    """The scaling row's workers (three processes over the bench's Redis) share 60 due flights:
    60 polls, none of a flight twice."""
    run = await fleet_workers.polled_by(3, 60, 0.01)
    assert (run.polls, run.polled_twice) == (60, 0)
