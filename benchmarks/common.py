"""What every benchmark shares: timers, percentiles, result rows, sections and the table.

A benchmark returns a ``Section``: its ``Row``s (one figure each, with its target if it has
one) and notes saying what was measured and what limited it. ``render_table`` prints all
sections as one Markdown table.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Literal

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
