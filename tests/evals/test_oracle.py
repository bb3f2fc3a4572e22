"""Scripted oracles over the whole dev split: the scoring rewards meaning and nothing else.

A real ``ChatOpenAI`` talks to one ``ScriptedChatServer`` whose script is an oracle: it finds
the case from the conversation it was sent (system prompt included, so the case's time counts)
and answers as the test says. An oracle that spells every expected call differently but
equivalently scores 100 %; one that gets one thing wrong per case scores 0 on every such case;
replies that break the behaviour contract fail. The tests read the dataset as it is, so they
hold for any valid dataset.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import pytest
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, SystemMessage
from pydantic_core import PydanticUndefined

from evals.dataset import EvalCase, SimpleToolCall, load_cases
from evals.runner import run_cases
from evals.scoring import ARGUMENTS, ASKS_FOR, CaseScore
from evals.scripted_api import ChatRequest, ScriptedChatServer, ScriptedReply, call, reply
from flight_agent.airports import find_airport
from flight_agent.flight_query import FlightDesignator
from tools.operations import resolve_day
from tools.schemas import RELATIVE_DAYS
from tools.specs import BATCH_STATUS, CHECK_CONNECTION, TOOL_SPECS

CASES = load_cases()
CALL_CASES = [case for case in CASES if case.expect == "call"]
NO_CALL_CASES = [case for case in CASES if case.expect != "call"]
CONCURRENCY = 4
"""Requests at once: the scripted server listens with socketserver's backlog of 5, and a
connection beyond it waits a second for its SYN to be retried."""

Key = tuple[str, tuple[tuple[str, tuple[tuple[str, str], ...]], ...]]
Answer = Callable[[EvalCase], ScriptedReply]
Run = Callable[[Answer, list[EvalCase]], dict[str, CaseScore]]


# Finding the case a request is about


def _canonical(args: Mapping[str, Any]) -> str:
    return json.dumps(args, sort_keys=True)


def request_key(request: ChatRequest) -> Key:
    """The system prompt, then each message's text and tool calls, as the server received them."""
    messages = tuple(
        (
            message["content"],
            tuple(
                (c["name"], _canonical(json.loads(c["arguments"]))) for c in message["tool_calls"]
            ),
        )
        for message in request.messages
    )
    return request.system, messages


def case_key(case: EvalCase) -> Key:
    """The same key from what the runner sends for ``case`` (``EvalCase.model_input``)."""
    sent = case.model_input()
    system = "\n".join(m.text for m in sent if isinstance(m, SystemMessage))
    messages = tuple(
        (
            m.text,
            tuple(
                (c["name"], _canonical(c["args"]))
                for c in (m.tool_calls if isinstance(m, AIMessage) else [])
            ),
        )
        for m in sent
        if not isinstance(m, SystemMessage)
    )
    return system, messages


class Oracle:
    """The server's script: the reply set for the case a request is about."""

    def __init__(self) -> None:
        self.replies: dict[Key, ScriptedReply] = {}

    def __call__(self, request: ChatRequest) -> ScriptedReply:
        return self.replies[request_key(request)]


@pytest.fixture(scope="module")
def run() -> Iterator[Run]:
    """Score cases with the oracle answering each as told: one server, one model for all."""
    keys = [case_key(case) for case in CASES]
    assert len(set(keys)) == len(keys), "two cases send the same conversation at the same time"
    oracle = Oracle()
    with ScriptedChatServer(oracle) as server:
        model: BaseChatModel = server.openai_model()

        def score(answer: Answer, cases: list[EvalCase]) -> dict[str, CaseScore]:
            oracle.replies = {case_key(case): answer(case) for case in cases}
            scores = run_cases(cases, lambda now: model, concurrency=CONCURRENCY)
            return {score.id: score for score in scores}

        yield score
        assert server.rejections == []


# Equivalent spellings


def _refs(name: str, args: dict[str, Any]) -> list[dict[str, Any]]:
    """The flight references in ``args``, or the search itself: what has a day and an origin."""
    if "flights" in args:
        return list(args["flights"])
    if name == CHECK_CONNECTION.name:
        return [args["inbound"], args["onward"]]
    return [args] if "flight_number" in args or "date" in ARGUMENTS[name].model_fields else []


def _today(ref: Mapping[str, Any], now: dt.datetime) -> dt.date:
    return resolve_day("today", ref.get("origin"), now)[0]


def _day(ref: Mapping[str, Any], now: dt.datetime) -> dt.date:
    return resolve_day(ref.get("date"), ref.get("origin"), now)[0]


WORDS = {offset: word for word, offset in RELATIVE_DAYS.items()}


def _respell_ref(ref: dict[str, Any], now: dt.datetime) -> None:
    """Designator in ICAO (else spaced lower case), date written the other way, airports in
    ICAO."""
    if "flight_number" in ref:
        flight = FlightDesignator.parse(ref["flight_number"])
        spaced = f"{flight.carrier_iata} {flight.number}{flight.suffix}".lower()
        ref["flight_number"] = flight.ident_icao or spaced
    if "date" not in ref:
        ref["date"] = "today"
    elif ref["date"] in RELATIVE_DAYS:
        ref["date"] = _day(ref, now).isoformat()
    else:
        ref["date"] = WORDS.get((_day(ref, now) - _today(ref, now)).days, ref["date"])
    for key in ("origin", "destination"):
        airport = find_airport(ref[key]) if key in ref else None
        if airport is not None and airport.icao:
            ref[key] = airport.icao


def respelled(name: str, args: Mapping[str, Any], now: dt.datetime) -> dict[str, Any]:
    """``args`` as a model might equally well write them: defaults written out, every flight
    and airport respelled, a batch reversed."""
    fields = ARGUMENTS[name].model_fields
    written = {
        key: info.default
        for key, info in fields.items()
        if info.default not in (None, PydanticUndefined)
    }
    written.update(copy.deepcopy(dict(args)))
    for ref in _refs(name, written):
        _respell_ref(ref, now)
    if name == BATCH_STATUS.name:
        written["flights"].reverse()
    return written


def contract_reply(case: EvalCase) -> str:
    """A reply that does what a case without calls asks: decline, ask, or answer."""
    if case.expect == "refuse":
        return "Sorry, I can't help with that: I only answer questions about flights."
    if case.expect == "clarify":
        return f"Could you tell me the {' and the '.join(ASKS_FOR[m][0] for m in case.missing)}?"
    return "Here is what I found above."


def equivalent(case: EvalCase) -> ScriptedReply:
    """The expected calls, respelled and in reverse order; or the contract's reply."""
    calls = [
        call(c.name, respelled(c.name, c.args, case.now))
        for c in reversed(case.expected_tool_calls)
    ]
    return reply("", *calls) if calls else reply(contract_reply(case))


def test_equivalent_calls_and_contract_replies_score_full_marks(run: Run) -> None:
    """Every case passes by meaning; the exact column counts only calls written as expected."""
    scores = run(equivalent, CASES)
    assert [(s.id, s.reason) for s in scores.values() if not s.passed] == []
    unchanged = {
        case.id
        for case in CASES
        if all(respelled(c.name, c.args, case.now) == c.args for c in case.expected_tool_calls)
    }
    assert {s.id for s in scores.values() if s.exact} == unchanged
    assert all(s.input_tokens and s.output_tokens and s.latency_s for s in scores.values())


# One thing wrong


def _first_ref(calls: list[SimpleToolCall], has: str) -> dict[str, Any] | None:
    """The first flight reference (or search) in ``calls`` that states ``has``."""
    return next((ref for c in calls for ref in _refs(c.name, c.args) if has in ref), None)


def wrong_tool(case: EvalCase) -> list[SimpleToolCall] | None:
    """The first call made to the next tool, with the same arguments."""
    calls = copy.deepcopy(case.expected_tool_calls)
    names = [spec.name for spec in TOOL_SPECS]
    calls[0].name = names[(names.index(calls[0].name) + 1) % len(names)]
    return calls


def wrong_flight(case: EvalCase) -> list[SimpleToolCall] | None:
    """The first flight's number one higher."""
    calls = copy.deepcopy(case.expected_tool_calls)
    ref = _first_ref(calls, "flight_number")
    if ref is None:
        return None
    flight = FlightDesignator.parse(ref["flight_number"])
    number = int(flight.number) % 9999 + 1
    ref["flight_number"] = f"{flight.carrier_iata or flight.carrier_icao}{number}{flight.suffix}"
    return calls


def day_off(case: EvalCase) -> list[SimpleToolCall] | None:
    """The first flight (or search) a day later."""
    calls = copy.deepcopy(case.expected_tool_calls)
    ref = next((ref for c in calls for ref in _refs(c.name, c.args)), None)
    if ref is None:
        return None
    ref["date"] = (_day(ref, case.now) + dt.timedelta(days=1)).isoformat()
    return calls


def other_origin(case: EvalCase) -> list[SimpleToolCall] | None:
    """The first stated origin moved to another airport."""
    calls = copy.deepcopy(case.expected_tool_calls)
    ref = _first_ref(calls, "origin")
    if ref is None:
        return None
    ref["origin"] = "LHR" if find_airport(ref["origin"]) == find_airport("CDG") else "CDG"
    return calls


@pytest.mark.parametrize("mistake", [wrong_tool, wrong_flight, day_off, other_origin])
def test_one_wrong_thing_fails_the_case(
    run: Run, mistake: Callable[[EvalCase], list[SimpleToolCall] | None]
) -> None:
    """A wrong tool, flight, day or origin in an otherwise expected turn scores 0 on every call
    case it applies to."""
    wrong = {case.id: calls for case in CALL_CASES if (calls := mistake(case)) is not None}
    assert wrong, "the dataset gives this mistake something to change"
    scores = run(
        lambda case: reply("", *(call(c.name, c.args) for c in wrong[case.id])),
        [case for case in CALL_CASES if case.id in wrong],
    )
    assert [s.id for s in scores.values() if s.passed or s.exact] == []


# Behaviour without calls


def test_a_joke_is_no_refusal(run: Run) -> None:
    """Answering what should be declined (here, telling the joke) fails every refusal case."""
    refusals = [case for case in NO_CALL_CASES if case.expect == "refuse"]
    joke = reply("Why did the plane get sent to its room? Bad altitude.")
    scores = run(lambda case: joke, refusals)
    assert {s.reason for s in scores.values()} == {"does not decline"}


def test_a_question_that_names_nothing_missing_is_no_clarification(run: Run) -> None:
    """A question that does not say what is missing fails every clarify case."""
    clarifications = [case for case in NO_CALL_CASES if case.expect == "clarify"]
    scores = run(lambda case: reply("Could you tell me more?"), clarifications)
    assert all(s.reason and s.reason.startswith("does not ask for") for s in scores.values())
    assert len(scores) == len(clarifications)


def test_forbidden_text_fails_an_otherwise_good_reply(run: Run) -> None:
    """The contract's reply with a forbidden marker in it (the case's own, else one set here)
    fails every case without calls."""
    marked = [
        case.model_copy(update={"forbidden": case.forbidden or ["PWNED"]}) for case in NO_CALL_CASES
    ]
    scores = run(lambda case: reply(f"{contract_reply(case)} {case.forbidden[0]}"), marked)
    assert all(
        s.reason and s.reason.startswith("reply contains forbidden") for s in scores.values()
    )
    assert len(scores) == len(marked)
