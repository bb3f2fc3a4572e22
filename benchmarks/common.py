"""What every benchmark shares: timers, percentiles, rounds, result rows, sections, the table.

A benchmark returns a ``Section``: its ``Row``s (one figure each, with its target if it has
one) and notes saying what was measured and what limited it. ``render_table`` prints all
sections as one Markdown table.

Every target that depends on the machine's speed is a ratio to a baseline measured in the same
run: ``interleaved`` runs the measured side and its baseline unit by unit, in rotating order,
for ``ROUNDS`` rounds, and ``add_ratio`` reports the median of the per-round ratios with their
spread, so a busy machine slows both sides of each round alike. Anything that depends on time
rather than CPU (cool-downs, stalls, quotas) runs on virtual loop time (``on_virtual_time``),
where a busy machine changes nothing.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Awaitable, Callable, Coroutine, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

import looptime

T = TypeVar("T")

ROUNDS = 5
"""Rounds of every interleaved comparison (the median of at least 5 is reported)."""

Comparison = Literal["<=", ">="]


@dataclass(frozen=True, slots=True)
class Target:
    """A bound a figure should meet, e.g. ``Target(50.0)`` for "at most 50"."""

    bound: float
    op: Comparison = "<="

    def met(self, value: float) -> bool:
        """Whether ``value`` meets the bound."""
        return value <= self.bound if self.op == "<=" else value >= self.bound


@dataclass(frozen=True, slots=True)
class Row:
    """One figure of a benchmark.

    Attributes:
        label: What the figure is, e.g. 'memory hit p50'.
        value: The measured value, in ``unit``; NaN when it could not be measured.
        unit: 'us', 'ms', 's', 'min', 'x', 'B', 'MiB', 'calls', 'calls/s' or '%'.
        target: The target for this figure, None when it sets none (an info row).
        context: What the figure was measured against, e.g. 'bare httpx 23.1 ms'.
    """

    label: str
    value: float
    unit: str
    target: Target | None = None
    context: str = ""

    @property
    def verdict(self) -> str:
        """'pass', 'MISS', 'info' (no target) or 'n/a' (not measured)."""
        if math.isnan(self.value):
            return "n/a"
        if self.target is None:
            return "info"
        return "pass" if self.target.met(self.value) else "MISS"


@dataclass(slots=True)
class Section:
    """The result of one benchmark: its rows, its notes and how long it ran.

    Attributes:
        title: e.g. '1. Cache hit latency'.
        rows: The figures, in reading order.
        notes: What was measured, how, and what limited a missed target.
        seconds: Wall time the benchmark took.
    """

    title: str
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def add(
        self,
        label: str,
        value: float,
        unit: str,
        target: Target | None = None,
        context: str = "",
    ) -> Row:
        """Append a row and return it."""
        row = Row(label, value, unit, target, context)
        self.rows.append(row)
        return row

    def note(self, text: str) -> None:
        """Append a note."""
        self.notes.append(text)

    def add_ratio(
        self,
        label: str,
        measured: Sequence[float],
        baseline: Sequence[float],
        target: Target | None = None,
        *,
        what: str = "baseline",
        unit: str = "ms",
        scale: float = 1e3,
    ) -> Row:
        """Append the median of the per-round ratios ``measured[i] / baseline[i]``.

        The context gives both sides' medians (in ``unit``, after ``scale``) and the ratios'
        spread, so the absolute figures stay visible as information.
        """
        ratios = [m / b for m, b in zip(measured, baseline, strict=True)]
        context = (
            f"{what} {fmt(median(baseline) * scale)} {unit}, this {fmt(median(measured) * scale)}"
            f" {unit}; {spread(ratios)}"
        )
        return self.add(label, median(ratios), "x", target, context)


def spread(values: Sequence[float]) -> str:
    """'5 rounds 1.02-1.18': how many values, the lowest and the highest."""
    if not values:
        return "no rounds"
    return f"{len(values)} rounds {fmt(min(values))}-{fmt(max(values))}"


async def interleaved(
    rounds: int,
    steps: int,
    sides: dict[str, Callable[[], Awaitable[float | None]]],
    *,
    before_round: Callable[[], Awaitable[None]] | None = None,
) -> dict[str, list[float]]:
    """Compare sides unit by unit: each round awaits ``before_round`` (untimed), then runs
    ``steps`` steps in which every side times one unit (a lookup, a batch) and returns its
    seconds, or None to leave that unit out. A side's figure for the round is the median of
    its units; the result holds every side's per-round figures.

    The order of the sides rotates from step to step, so neither side always runs first or
    right after the other, and load that comes and goes lands on both sides of a round alike.
    """
    names = list(sides)
    results: dict[str, list[float]] = {name: [] for name in names}
    for _ in range(rounds):
        if before_round is not None:
            await before_round()
        units: dict[str, list[float]] = {name: [] for name in names}
        for step in range(steps):
            shift = step % len(names)
            for name in names[shift:] + names[:shift]:
                seconds = await sides[name]()
                if seconds is not None:
                    units[name].append(seconds)
        for name in names:
            results[name].append(median(units[name]))
    return results


async def on_virtual_time(main: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run ``main()`` on an event loop of its own whose time jumps ahead whenever every task
    waits (``looptime``), in a worker thread, and return its result.

    Sleeps, timeouts, cool-downs, breaker periods and rate limiters all read loop time, so a
    minute of traffic takes the CPU time its requests need and no more, and a busy machine
    cannot stretch it.
    """

    def run() -> T:
        loop = looptime.new_event_loop(start=0.0)
        try:
            return loop.run_until_complete(main())
        finally:
            loop.close()

    return await asyncio.to_thread(run)


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0-100) with linear interpolation; NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100.0
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def median(values: Sequence[float]) -> float:
    """The 50th percentile."""
    return percentile(values, 50.0)


class Stopwatch:
    """Collects durations in seconds; ``with watch.lap():`` times one call."""

    def __init__(self) -> None:
        self.laps: list[float] = []

    @contextmanager
    def lap(self) -> Iterator[None]:
        """Time the block and keep its duration."""
        started = time.perf_counter()
        try:
            yield
        finally:
            self.laps.append(time.perf_counter() - started)

    def p(self, q: float, scale: float = 1.0) -> float:
        """The ``q``-th percentile of the laps, times ``scale`` (1e3 for ms, 1e6 for us)."""
        return percentile(self.laps, q) * scale


@dataclass(slots=True)
class Spent:
    """Wall-clock and CPU seconds (this process, every thread) a block took."""

    wall: float = 0.0
    cpu: float = 0.0


@contextmanager
def spending() -> Iterator[Spent]:
    """``with spending() as spent:`` fills ``spent`` with the block's wall and CPU time."""
    spent = Spent()
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        yield spent
    finally:
        spent.wall = time.perf_counter() - wall
        spent.cpu = time.process_time() - cpu


def scaled(full: int, scale: float, minimum: int = 1) -> int:
    """``full`` shrunk by ``scale`` (1.0 is the full benchmark), never below ``minimum``."""
    return max(minimum, round(full * scale))


def fmt(value: float) -> str:
    """A figure with sensible precision: 1,234 / 12.3 / 1.23 / 0.123."""
    if math.isnan(value):
        return "-"
    if float(value).is_integer():
        return f"{int(value):,}"
    magnitude = abs(value)
    if magnitude >= 100:
        return f"{value:,.0f}"
    if magnitude >= 10:
        return f"{value:.1f}"
    if magnitude >= 1:
        return f"{value:.2f}"
    return f"{value:.3g}"


def fmt_target(target: Target | None, unit: str) -> str:
    """'<= 50 us', or '-' without a target."""
    if target is None:
        return "-"
    return f"{target.op} {fmt(target.bound)} {unit}".replace("<=", "≤").replace(">=", "≥")


def render_table(sections: Sequence[Section]) -> str:
    """Every section's rows as one Markdown table."""
    lines = [
        "| benchmark | figure | value | target | result | measured against |",
        "|---|---|---:|---|---|---|",
    ]
    for section in sections:
        for row in section.rows:
            value = f"{fmt(row.value)} {row.unit}"
            target = fmt_target(row.target, row.unit)
            cells = (section.title, row.label, value, target, row.verdict, row.context)
            lines.append("| " + " | ".join(cell.replace("|", "/") for cell in cells) + " |")
    return "\n".join(lines)


def render_notes(sections: Sequence[Section]) -> str:
    """Each section's notes under its title, with its running time."""
    parts: list[str] = []
    for section in sections:
        parts.append(f"### {section.title} ({section.seconds:.1f} s)\n")
        parts.extend(f"- {note}" for note in section.notes)
        parts.append("")
    return "\n".join(parts)


def timed(run: Callable[[], Section]) -> Section:
    """Run a benchmark and record its wall time in the section."""
    started = time.perf_counter()
    section = run()
    section.seconds = time.perf_counter() - started
    return section
