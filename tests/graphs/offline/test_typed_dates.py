"""Dates as travellers type them: in figures ('24/12', '12/24', '15.12.'), shorthand ('tmrw',
'Fri', 'a couple of days', ops' '09DEC'), holidays, days of the month told in the past, days
counted from the flight talked about, and spans that are no single day."""

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


@pytest.mark.parametrize(
    "text",
    [
        "this weekend",
        "over christmas",
        "on the weekend",
        "was it late last week",
        "how late was it last month",
        "I fly back at the end of the month sometime",
        "it was really late the other day",
        "a few days ago",
    ],
)
def test_spans_of_days_are_vague(text: str) -> None:
    """A weekend, the holidays, last week or month, the end of a month, 'the other day': more
    than one day, so a question, not a guess."""
    assert [mention.problem for mention in find_dates(text, NOW)] == ["vague"]


@pytest.mark.parametrize("text", ["I sat at the gate", "the sun is out", "wed to the job"])
def test_words_that_are_short_weekdays_are_no_dates(text: str) -> None:
    assert find_dates(text, NOW) == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("EU261 calc: AY1711 09DEC, CXL", "2026-12-09"),
        ("LH 400 12dec", "2026-12-12"),
        ("BA 117 on 3JAN", "2027-01-03"),
        ("AF 6 10DEC26", "2026-12-10"),
    ],
)
def test_ops_write_the_day_and_month_together(text: str, value: str) -> None:
    """'09DEC', '10DEC26', as reservation systems and ops desks write a date."""
    assert [mention.value for mention in find_dates(text, NOW)] == [value]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("FR1884 on the 8th was over 3 hours late", "2026-12-08"),
        ("VS3 on the 4th, 6hr delay, they blamed a technical issue", "2026-12-04"),
        ("my flight on the 15th got cancelled", "2026-12-15"),
        ("Swiss emailed that LX 1612 on the 27th is cancelled, it was a shock", "2026-12-27"),
        ("status of BA 1 on the 8th", "2027-01-08"),
    ],
)
def test_a_day_of_the_month_told_in_the_past_is_the_nearer_one(text: str, value: str) -> None:
    """'The 8th' still to come is next month's; told in the past tense (the verb after it
    first) or with a delay's length, it is the nearer of that and the last 8th, so a
    cancellation announced for a day still to come ('on the 27th is cancelled') keeps its day."""
    assert [mention.value for mention in find_dates(text, NOW)] == [value]


def test_the_day_after_counts_from_the_flight_talked_about() -> None:
    """'and the day after?' follows the day of the flight asked about before; without one, it
    is tomorrow; 'the day after tomorrow' is still counted from today."""
    assert [m.value for m in find_dates("and the day after?", NOW, base="2026-12-12")] == [
        "2026-12-13"
    ]
    assert [m.value for m in find_dates("and the day after?", NOW)] == ["2026-12-10"]
    assert [m.value for m in find_dates("the day after tomorrow", NOW, base="2026-12-12")] == [
        "2026-12-11"
    ]


@pytest.mark.parametrize(
    "text",
    [
        "sometime in March",
        "early in February",
        "during January",
        "in December 2026",
        "on the day we fly",
    ],
)
def test_a_month_alone_or_the_day_of_travel_names_no_single_day(text: str) -> None:
    """A month without its day, or 'the day we fly' with no date, is a span to ask about."""
    assert [mention.problem for mention in find_dates(text, NOW)] == ["vague"]


def test_a_month_with_its_day_is_a_date() -> None:
    assert [mention.value for mention in find_dates("in March 3", NOW)] == ["2027-03-03"]
