"""The one wording of delays and clock times that every face uses."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from flight_agent.airports import get_airport
from flight_agent.irops.formatting import delay_text, local_clock

JFK = get_airport("JFK")
LATE_EVENING = datetime(2026, 11, 29, 1, 30, tzinfo=UTC)
"""20:30 on 28 November in New York."""


@pytest.mark.parametrize(
    ("minutes", "words", "cell"),
    [
        pytest.param(12, "12 min late", "+12 min", id="late"),
        pytest.param(-5, "5 min early", "-5 min", id="early"),
        pytest.param(0, "on time", "+0 min", id="on-time"),
        pytest.param(None, "delay unknown", "-", id="unknown"),
    ],
)
def test_a_delay_reads_as_words_or_as_a_signed_table_cell(
    minutes: int | None, words: str, cell: str
) -> None:
    """Prose says late or early; a table cell shows the signed minutes."""
    assert delay_text(minutes) == words
    assert delay_text(minutes, signed=True) == cell


@pytest.mark.parametrize(
    ("day", "dated", "text"),
    [
        pytest.param(None, False, "20:30 EST (01:30Z)", id="time"),
        pytest.param(date(2026, 11, 28), False, "20:30 EST (01:30Z)", id="on-the-day"),
        pytest.param(date(2026, 11, 29), False, "28 Nov 20:30 EST (01:30Z)", id="other-day"),
        pytest.param(None, True, "2026-11-28 20:30 EST (01:30Z)", id="dated"),
    ],
)
def test_a_time_reads_as_the_airport_clock_with_the_date_where_it_helps(
    day: date | None, dated: bool, text: str
) -> None:
    """Local wall clock, zone and UTC; the local date when asked for or not the reader's day."""
    assert local_clock(LATE_EVENING, JFK, day=day, dated=dated) == text


def test_an_unknown_time_shows_the_placeholder_asked_for() -> None:
    """A dash by default, or what the face uses for unknown times."""
    assert local_clock(None, JFK) == "-"
    assert local_clock(None, JFK, unknown="?") == "?"
