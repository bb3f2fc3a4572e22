"""Dates as travellers type them: in figures ('24/12', '12/24', '15.12.'), shorthand ('tmrw',
'Fri', 'a couple of days'), holidays, and spans that are no single day."""

from __future__ import annotations

import datetime as dt

import pytest

from graphs.offline.dates import find_dates

NOW = dt.datetime(2026, 12, 9, 10, 15, tzinfo=dt.UTC)
"""A Wednesday."""


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("on 24/12", "2026-12-24"),
        ("on 12/24", "2026-12-24"),
        ("on 15.12.", "2026-12-15"),
        ("24/12/2026", "2026-12-24"),
        ("on 2/1/27", None),
        ("on 3/1", None),
        ("on 20/1", "2027-01-20"),
        ("in a couple of days", "2026-12-11"),
        ("a couple of days from today", "2026-12-11"),
    ],
)
def test_dates_in_figures(text: str, value: str | None) -> None:
    """Day and month are told apart when one is over 12 (either order); '3/1' could be 3 January
    or 1 March, so it has no value, for a question. Without a year, the reading nearest today."""
    assert [mention.value for mention in find_dates(text, NOW)] == [value]


@pytest.mark.parametrize(("text", "problem"), [("on 3/1", "vague"), ("on 31/11", "invalid")])
def test_dates_in_figures_that_name_no_day_say_why(text: str, problem: str) -> None:
    assert [mention.problem for mention in find_dates(text, NOW)] == [problem]


def test_a_time_with_a_dot_is_no_date() -> None:
    assert find_dates("LH 400 at 13.40 from FRA", NOW) == []


def test_shorthand_for_tomorrow_in_an_airports_zone() -> None:
    """'tmrw' is tomorrow's date when the origin's zone is known, as 'tomorrow' is."""
    local = NOW.astimezone(dt.timezone(dt.timedelta(hours=1)))
    assert [m.value for m in find_dates("how about tmrw", local, words=False)] == ["2026-12-10"]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("KL 641 Fri", "2026-12-11"),
        ("SQ 322 on Sat", "2026-12-12"),
        ("LH 400 on Thurs", "2026-12-10"),
        ("AA 100 tues", "2026-12-15"),
        ("BA 117 on weds", "today"),
        ("AF 6 on xmas day", "2026-12-25"),
        ("LH 400 the night before last", "2026-12-07"),
    ],
)
def test_short_weekdays_holidays_and_nights(text: str, value: str) -> None:
    """'Fri', 'on Sat', 'tues': the weekday ('sat', 'sun', 'wed' only after 'on', 'next' ...,
    being words too); 'xmas day' is Christmas Day; 'the night before last' two days ago."""
    assert [mention.value for mention in find_dates(text, NOW)] == [value]


@pytest.mark.parametrize("text", ["this weekend", "over christmas", "on the weekend"])
def test_spans_of_days_are_vague(text: str) -> None:
    """A weekend or the holidays is more than one day: a question, not a guess."""
    assert [mention.problem for mention in find_dates(text, NOW)] == ["vague"]


@pytest.mark.parametrize("text", ["I sat at the gate", "the sun is out", "wed to the job"])
def test_words_that_are_short_weekdays_are_no_dates(text: str) -> None:
    assert find_dates(text, NOW) == []
