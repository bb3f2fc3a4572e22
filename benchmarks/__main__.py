"""Run every benchmark, print one table of figures and targets, and write ``results.md``.

Usage: ``python -m benchmarks [--scale S] [--only NAME ...] [--output PATH]`` (``make bench``
runs it with no arguments). One process runs the benchmarks one after another; the fake
upstream they share runs in a child process. A full run writes ``benchmarks/results.md``; a
partial one (``--scale`` below 1 or ``--only``) writes only where ``--output`` says.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

from benchmarks import (
    bench_alerts,
    bench_batch,
    bench_cache,
    bench_coalescing,
    bench_failover,
    bench_fleet,
    bench_hedging,
    bench_mcp,
    bench_memory,
    bench_overhead,
    bench_partial_faults,
    bench_upstream_cost,
)
from benchmarks.common import Section, render_notes, render_table
from benchmarks.upstream import RemoteUpstream, upstream_process

Benchmark = Callable[[float, RemoteUpstream | None], Awaitable[Section]]
"""``bench(scale, upstream)``: 1 is full size; the shared upstream, or None to start one."""

BENCHMARKS: dict[str, Benchmark] = {
    "cache": bench_cache.bench,
    "overhead": bench_overhead.bench,
    "batch": bench_batch.bench,
    "failover": bench_failover.bench,
    "partial_faults": bench_partial_faults.bench,
    "coalescing": bench_coalescing.bench,
    "upstream_cost": bench_upstream_cost.bench,
    "fleet": bench_fleet.bench,
    "alerts": bench_alerts.bench,
    "hedging": bench_hedging.bench,
    "memory": bench_memory.bench,
    "mcp": bench_mcp.bench,
}
"""Every benchmark by name, in running order."""

RESULTS = Path(__file__).resolve().parent / "results.md"
COMMAND = "make bench"


async def run(
    names: list[str], scale: float, report: Callable[[Section], None] | None = None
) -> list[Section]:
    """Run the named benchmarks at ``scale`` in order; ``report`` sees each section as it ends."""
    sections: list[Section] = []
    async with upstream_process() as upstream:
        for name in names:
            started = time.perf_counter()
            section = await BENCHMARKS[name](scale, upstream)
            section.seconds = time.perf_counter() - started
            sections.append(section)
            if report is not None:
                report(section)
    return sections


def machine() -> str:
    """CPU count and model, OS and Python version."""
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = f" ({line.split(':', 1)[1].strip()})"
                break
    return (
        f"{os.cpu_count()} CPUs{model}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()} ({platform.python_implementation()})"
    )


def document(
    sections: list[Section], seconds: float, scale: float, only: list[str] | None = None
) -> str:
    """The Markdown report: how it was made, the table, then each benchmark's notes."""
    sized = "" if scale == 1 else f" --scale {scale:g}"
    sized += f" --only {' '.join(only)}" if only else ""
    command = f"`.venv/bin/python -m benchmarks{sized}`"
    return "\n".join(
        [
            "# Benchmark results",
            "",
            f"- Command: `{COMMAND}` ({command})" if not sized else f"- Command: {command}",
            f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
            f"- Machine: {machine()}",
            f"- Total time: {seconds:.0f} s",
            "",
            "`pass` meets its target, `MISS` does not (the notes say what limited it), "
            "`info` has no target. Every target that depends on the machine's speed is a "
            "ratio to a baseline measured in the same run, unit by unit in rotating order, "
            "the median of 5 rounds (their spread in the last column); time-driven figures "
            "(cool-downs, stalls, quotas) run on virtual time.",
            "",
            render_table(sections),
            "",
            "## Notes",
            "",
            render_notes(sections),
        ]
    )


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run, print and write the report."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0, help="shrink sizes (1 = full)")
    parser.add_argument("--only", nargs="+", choices=list(BENCHMARKS), help="run only these")
    parser.add_argument("--output", type=Path, help=f"where to write (default {RESULTS.name})")
    args = parser.parse_args(argv)
    names = args.only or list(BENCHMARKS)
    full = args.scale == 1 and not args.only
    output: Path | None = args.output or (RESULTS if full else None)

    def progress(section: Section) -> None:
        sys.stderr.write(f"{section.title}: done in {section.seconds:.1f} s\n")
        sys.stderr.flush()

    started = time.perf_counter()
    sections = asyncio.run(run(names, args.scale, progress))
    report = document(sections, time.perf_counter() - started, args.scale, args.only)
    sys.stdout.write(report + "\n")
    if output is not None:
        output.write_text(report + "\n", encoding="utf-8")
        sys.stderr.write(f"written to {output}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
