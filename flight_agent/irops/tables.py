"""Editable reference tables shipped as CSV files in ``flight_agent/data``.

Lines starting with ``#`` document a table and are skipped. Tables are read once, on first use,
never at import.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from functools import cache
from importlib import resources

Row = Mapping[str, str]


def parse_table(text: str) -> tuple[Row, ...]:
    """Parse CSV text with a header line into rows of stripped strings.

    Args:
        text: The CSV text; lines starting with ``#`` are comments.

    Returns:
        One mapping per data row, column name to value (missing values become ``""``).
    """
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    return tuple(
        {key: (value or "").strip() for key, value in row.items()} for row in csv.DictReader(lines)
    )


@cache
def read_table(name: str) -> tuple[Row, ...]:
    """Read a packaged table from ``flight_agent/data``.

    Args:
        name: The file name, e.g. ``"mct.csv"``.

    Returns:
        The parsed rows (see ``parse_table``).
    """
    return parse_table(resources.files("flight_agent").joinpath("data", name).read_text("utf-8"))
