"""Every benchmark runs at a tiny size, so its code cannot rot; the figures are not asserted.

The benchmarks share one fake upstream in a child process, as ``python -m benchmarks`` does.
"""

from __future__ import annotations

import math
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from benchmarks.__main__ import BENCHMARKS, document, main
from benchmarks.common import Section
from benchmarks.upstream import RemoteUpstream, upstream_process

SMOKE = 0.001
"""Scale of a smoke run: each benchmark falls back to its smallest sizes and short waits."""


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
    assert "make bench" in text


def test_a_section_without_target_is_info() -> None:
    """A row without target is 'info', a NaN one 'n/a'."""
    section = Section("x")
    assert section.add("a", 1.0, "ms").verdict == "info"
    assert section.add("b", math.nan, "ms").verdict == "n/a"
