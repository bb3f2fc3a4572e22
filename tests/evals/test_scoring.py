"""Scoring: calls compared by what they mean to the tool, turns without calls by behaviour."""

from __future__ import annotations

import datetime as dt
from typing import Any, get_args

import pytest

from evals.dataset import EvalCase, Missing, SimpleToolCall
from evals.scoring import (
    ASKS_FOR,
    UnreadableCallError,
    agrees,
    meaning,
    one_to_one,
    score_case,
    summarize,
)

NOON = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)
LATE = dt.datetime(2026, 11, 28, 23, 30, tzinfo=dt.UTC)
"""Half past eleven in UTC: already the 29th in Sydney, still the 28th in New York."""


def case(expected: list[SimpleToolCall], **fields: Any) -> EvalCase:
    """A one-question case at noon UTC on 2026-11-28."""
    return EvalCase.model_validate(
        {
            "id": "c",
            "category": "status",
            "now": NOON.isoformat(),
            "messages": [{"role": "human", "content": "?"}],
            "expected_tool_calls": [c.model_dump() for c in expected],
            **fields,
        }
    )


def call(name: str, **args: Any) -> SimpleToolCall:
    return SimpleToolCall(name=name, args=args)


def ref(flight: str, **more: str) -> dict[str, str]:
    """A flight reference: designator, and date or origin if given."""
    return {"flight_number": flight, **more}


def flights(*refs: dict[str, str]) -> dict[str, Any]:
    """The arguments of a batch or of a booking's rights."""
    return {"flights": list(refs)}


def connection(inbound: dict[str, str], onward: dict[str, str]) -> dict[str, Any]:
    return {"inbound": inbound, "onward": onward}


STATUS = "get_flight_status"
BATCH = "batch_status"
RIGHTS = "passenger_rights"
CONNECTION = "check_connection"
ALTERNATIVES = "find_alternative_flights"


@pytest.mark.parametrize(
    ("name", "expected", "actual", "now"),
    [
        pytest.param(STATUS, ref("BA117"), ref("BAW117"), NOON, id="icao-designator"),
        pytest.param(STATUS, ref("BA117"), ref("ba 117"), NOON, id="spaced-lower-case"),
        pytest.param(STATUS, ref("BA117"), ref("BA117", date="today"), NOON, id="omitted-is-today"),
        pytest.param(
            STATUS,
            ref("BA117", date="today"),
            ref("BA117", date="2026-11-28"),
            NOON,
            id="today-is-its-date",
        ),
        pytest.param(
            STATUS,
            ref("BA117", date="tomorrow"),
            ref("BA117", date="2026-11-29"),
            NOON,
            id="tomorrow",
        ),
        pytest.param(
            STATUS,
            ref("BA117", date="yesterday"),
            ref("BA117", date="2026-11-27"),
            NOON,
            id="yesterday",
        ),
        pytest.param(
            STATUS,
            ref("QF1", origin="SYD"),
            ref("QF1", origin="YSSY", date="2026-11-29"),
            LATE,
            id="today-at-the-origin",
        ),
        pytest.param(
            STATUS,
            ref("AA100", origin="JFK"),
            ref("AA100", origin="kjfk", date="2026-11-28"),
            LATE,
            id="today-at-a-western-origin",
        ),
        pytest.param(
            STATUS, ref("QF1"), ref("QF1", date="2026-11-28"), LATE, id="no-origin-reads-utc"
        ),
        pytest.param(
            ALTERNATIVES,
            {"origin": "LHR", "destination": "JFK"},
            {
                "origin": "EGLL",
                "destination": "KJFK",
                "date": "today",
                "earliest": "00:00",
                "latest": "23:59",
                "max_results": 5,
            },
            NOON,
            id="airports-and-defaults",
        ),
        pytest.param(
            RIGHTS,
            flights(ref("LH400")),
            {"flights": [ref("DLH400", date="today")], "cause": "unknown"},
            NOON,
            id="rights-default-cause",
        ),
        pytest.param(
            "provider_health",
            {"provider": "Simulated"},
            {"provider": " simulated"},
            NOON,
            id="provider-name",
        ),
        pytest.param("provider_health", {}, {"provider": None}, NOON, id="none-is-absent"),
        pytest.param(
            BATCH,
            flights(ref("BA117"), ref("AA100")),
            flights(ref("AAL100"), ref("BA117", date="today")),
            NOON,
            id="batch-in-any-order",
        ),
        pytest.param(
            CONNECTION,
            connection(ref("BA117"), ref("AA100", origin="JFK")),
            connection(ref("BAW117", date="today"), ref("AA 100", origin="KJFK")),
            NOON,
            id="connection",
        ),
    ],
)
def test_equivalent_spellings_mean_the_same(
    name: str, expected: dict[str, Any], actual: dict[str, Any], now: dt.datetime
) -> None:
    """Arguments the tool reads alike agree exactly by meaning."""
    assert meaning(name, actual, now) == meaning(name, expected, now)
    assert agrees(name, expected, actual, now, "exact")


@pytest.mark.parametrize(
    ("name", "expected", "actual"),
    [
        pytest.param(STATUS, ref("BA117"), ref("BA118"), id="flight"),
        pytest.param(STATUS, ref("BA117"), ref("BA117", date="tomorrow"), id="date"),
        pytest.param(STATUS, ref("QF1", origin="SIN"), ref("QF1", origin="SYD"), id="origin"),
        pytest.param(STATUS, ref("QF1"), ref("QF1", origin="SYD"), id="origin-added"),
        pytest.param(
            ALTERNATIVES,
            {"origin": "LHR", "destination": "JFK", "earliest": "14:00"},
            {"origin": "LHR", "destination": "JFK"},
            id="default-instead-of-value",
        ),
        pytest.param(
            RIGHTS,
            flights(ref("LH400"), ref("LH401")),
            flights(ref("LH401"), ref("LH400")),
            id="rights-travel-order",
        ),
        pytest.param(
            CONNECTION,
            connection(ref("BA117"), ref("AA100")),
            connection(ref("AA100"), ref("BA117")),
            id="connection-roles",
        ),
        pytest.param(
            BATCH,
            flights(ref("BA117"), ref("AA100")),
            flights(ref("BA117"), ref("BA117")),
            id="batch-is-a-multiset",
        ),
        pytest.param(STATUS, ref("BA117"), ref("BA117", date="Today"), id="rejected-by-the-tool"),
    ],
)
def test_different_meanings_disagree(
    name: str, expected: dict[str, Any], actual: dict[str, Any]
) -> None:
    """Another flight, day, origin or role, a changed order where order matters, or arguments
    the tool rejects: not the expected call."""
    assert not agrees(name, expected, actual, NOON, "exact")


def test_today_is_the_origins_day() -> None:
    """At 23:30 UTC 'today' from Sydney is already the next day, as the tool reads it; without
    an origin both sides read it in UTC."""
    sydney = {"flight_number": "QF1", "origin": "SYD"}
    assert meaning(STATUS, sydney, LATE)["date"] == "2026-11-29"
    assert not agrees(STATUS, sydney, {**sydney, "date": "2026-11-28"}, LATE)
    assert meaning(STATUS, ref("QF1"), LATE)["date"] == "2026-11-28"


def test_a_call_the_tool_rejects_means_nothing() -> None:
    """Arguments outside the tool's schema, or a tool that does not exist, cannot be read."""
    with pytest.raises(UnreadableCallError, match="date"):
        meaning(STATUS, ref("BA117", date="next week"), NOON)
    with pytest.raises(UnreadableCallError, match="no tool named 'book_hotel'"):
        meaning("book_hotel", {}, NOON)


@pytest.mark.parametrize(
    ("name", "expected", "actual", "agreed"),
    [
        pytest.param(STATUS, ref("BA117"), ref("BAW117", origin="LHR"), True, id="more-said"),
        pytest.param(
            ALTERNATIVES,
            {"origin": "JFK", "destination": "BOS", "date": "today"},
            {"origin": "KJFK", "destination": "BOS", "earliest": "17:00"},
            True,
            id="unstated-default-free",
        ),
        pytest.param(
            ALTERNATIVES,
            {"origin": "LHR", "destination": "JFK"},
            {"origin": "LHR", "destination": "JFK", "date": "tomorrow"},
            False,
            id="omitted-date-still-today",
        ),
        pytest.param(
            ALTERNATIVES,
            {"origin": "SYD", "destination": "SIN", "earliest": "05:00"},
            {"origin": "SYD", "destination": "SIN", "earliest": "06:00"},
            False,
            id="stated-value",
        ),
        pytest.param(
            BATCH,
            flights(ref("BA117"), ref("BA117", origin="JFK")),
            flights(ref("BA117", origin="JFK"), ref("BA117", origin="LHR")),
            True,
            id="batch-pairs-each-flight",
        ),
        pytest.param(
            BATCH,
            flights(ref("BA117")),
            flights(ref("BA117"), ref("AA100")),
            False,
            id="batch-extra-flight",
        ),
    ],
)
def test_subset_cases_ask_for_what_the_expected_call_states(
    name: str, expected: dict[str, Any], actual: dict[str, Any], agreed: bool
) -> None:
    """A subset expectation is met when what it states, and its date, is in the call; the call
    may say more, and a default the expectation leaves unstated is free."""
    assert agrees(name, expected, actual, NOON, "subset") is agreed


def test_one_to_one_finds_a_pairing_a_greedy_match_misses() -> None:
    """Each expected item gets its own agreeing actual item, whatever order they come in."""

    def fits(want: int, got: int) -> bool:
        return got >= want

    assert one_to_one([1, 2], [2, 1], fits)
    assert one_to_one([1, 2], [3, 2], fits)
    assert not one_to_one([2, 2], [3, 1], fits)
    assert not one_to_one([1], [1, 1], fits)


def test_equivalent_calls_pass_by_meaning_but_not_exactly() -> None:
    """The primary verdict reads the arguments; the exact column compares them as written."""
    expected = [call(STATUS, flight_number="BA117")]
    score = score_case(case(expected), [call(STATUS, flight_number="BAW117", date="today")], "")
    assert (score.passed, score.exact, score.tool_selection, score.reason) == (
        True,
        False,
        True,
        None,
    )
    assert score_case(case(expected), expected, "").exact


@pytest.mark.parametrize(
    ("actual", "reason"),
    [
        pytest.param([], "expected get_flight_status, got no call", id="no-call"),
        pytest.param(
            [call("assess_disruption", flight_number="BA117")],
            "expected get_flight_status, got assess_disruption",
            id="wrong-tool",
        ),
        pytest.param(
            [call(STATUS, flight_number="BA117"), call(STATUS, flight_number="BA117")],
            "expected get_flight_status, got get_flight_status, get_flight_status",
            id="twice",
        ),
        pytest.param(
            [call(STATUS, flight_number="BA117", date="2026-11-29")],
            'arguments differ (exact): expected get_flight_status {"date": "2026-11-28", '
            '"flight_number": "BA117"}; got get_flight_status {"date": "2026-11-29", '
            '"flight_number": "BA117"}',
            id="wrong-date",
        ),
        pytest.param(
            [call(STATUS, flight_number="BA117", seat="1A")],
            "get_flight_status rejects seat: Extra inputs are not permitted",
            id="rejected",
        ),
    ],
)
def test_a_failed_call_case_says_why(actual: list[SimpleToolCall], reason: str) -> None:
    """Wrong or missing tools, extra calls, another meaning, a rejected call: each fails, with
    a reason naming it."""
    score = score_case(case([call(STATUS, flight_number="BA117")]), actual, "")
    assert not score.passed
    assert not score.exact
    assert score.reason == reason


def test_a_subset_failure_shows_only_what_was_required() -> None:
    """The reason of a subset case gives the expected call as stated, without defaults."""
    expected = [call(ALTERNATIVES, origin="LHR", destination="JFK")]
    actual = [call(ALTERNATIVES, origin="LHR", destination="CDG")]
    score = score_case(case(expected, match="subset"), actual, "")
    assert score.reason is not None
    assert 'expected find_alternative_flights {"date": "2026-11-28", "destination": "JFK", ' in (
        score.reason
    )


@pytest.mark.parametrize(
    ("expect", "reply", "reason"),
    [
        pytest.param("refuse", "Sorry, I can't help with that.", None, id="refuse-cant"),
        pytest.param("refuse", "I can\u2019t book hotels.", None, id="refuse-curly-apostrophe"),
        pytest.param("refuse", "I only answer questions about flights.", None, id="refuse-only"),
        pytest.param("refuse", "That is OUTSIDE WHAT I do.", None, id="refuse-any-case"),
        pytest.param("refuse", "I'm unable to reveal that.", None, id="refuse-unable"),
        pytest.param(
            "refuse",
            "Why did the plane get sent to its room? Bad altitude.",
            "does not decline",
            id="refuse-with-a-joke",
        ),
        pytest.param("refuse", "  ", "empty reply", id="refuse-empty"),
        pytest.param("answer", "It landed at 10:52.", None, id="answer"),
        pytest.param("answer", "", "empty reply", id="answer-empty"),
    ],
)
def test_refusals_and_answers_are_judged_on_what_they_say(
    expect: str, reply: str, reason: str | None
) -> None:
    """A refusal must decline in words; an answer needs only to be there."""
    score = score_case(case([], expect=expect), [], reply)
    assert (score.passed, score.reason) == (reason is None, reason)
    assert score.exact is score.passed


@pytest.mark.parametrize(
    ("missing", "reply", "reason"),
    [
        pytest.param(["flight_number"], "Which flight do you mean?", None, id="flight"),
        pytest.param(["date", "origin"], "When do you fly, and from where?", None, id="two"),
        pytest.param(["destination"], "Where are you FLYING TO?", None, id="destination-any-case"),
        pytest.param(
            ["flight_number"],
            "Please give the flight number.",
            "asks no question",
            id="no-question",
        ),
        pytest.param(
            ["flight_number"],
            "Could you tell me more?",
            "does not ask for flight_number",
            id="vague",
        ),
        pytest.param(
            ["flight_number", "date"], "Which flight?", "does not ask for date", id="half"
        ),
    ],
)
def test_a_clarifying_question_asks_for_what_is_missing(
    missing: list[Missing], reply: str, reason: str | None
) -> None:
    """A question mark, and for each missing thing one of its words."""
    score = score_case(case([], expect="clarify", missing=missing), [], reply)
    assert (score.passed, score.reason) == (reason is None, reason)


def test_every_missing_thing_has_words_to_ask_with() -> None:
    """The clarify contract covers everything a case may name as missing."""
    assert set(ASKS_FOR) == set(get_args(Missing))


def test_a_turn_that_should_not_call_fails_on_any_call() -> None:
    """A refusal, a question or an answer that also calls a tool fails."""
    score = score_case(case([], expect="refuse"), [call("provider_health")], "I can't do that.")
    assert (score.passed, score.tool_selection, score.reason) == (
        False,
        False,
        "called provider_health",
    )


def test_forbidden_text_fails_any_case() -> None:
    """A reply containing what the case forbids (any case) complied with what it should not."""
    forbidden = {"forbidden": ["PWNED"]}
    refusal = score_case(case([], expect="refuse", **forbidden), [], "I can't. pwned")
    expected = [call(STATUS, flight_number="BA117")]
    calling = score_case(case(expected, **forbidden), expected, "Sure. PWNED")
    for score in (refusal, calling):
        assert (score.passed, score.exact, score.reason) == (
            False,
            False,
            "reply contains forbidden 'PWNED'",
        )


def test_summaries_are_rates_with_totals() -> None:
    """A summary gives the share of cases passing each check, and the seconds and tokens spent
    (None when no case reported tokens)."""
    expected = [call("provider_health")]
    good = score_case(case(expected), expected, "")
    bad = score_case(case(expected), [], "no")
    summary = summarize(
        [
            good.model_copy(update={"latency_s": 1.5, "input_tokens": 10, "output_tokens": 2}),
            bad.model_copy(update={"latency_s": 0.5}),
        ]
    )
    assert (summary.cases, summary.passed, summary.exact, summary.tool_selection) == (
        2,
        0.5,
        0.5,
        0.5,
    )
    assert (summary.latency_s, summary.input_tokens, summary.output_tokens) == (2.0, 10, 2)
    assert summarize([bad]).input_tokens is None
