"""What the approval request offers and which answers it refuses, without running a graph.

A notification and a rebooking of LH400 FRA-JFK onto LH9825 (LH8855 offered too); and a
rebooking for which no alternative was found, which can be approved or rejected but not edited.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from flight_agent.airports import get_airport
from flight_agent.errors import InvalidFlightQueryError
from flight_agent.models import ScheduledFlight
from graphs.decisions import apply_answer, approval_request
from graphs.report import Recommendation


def offer(ident: str, hour: int) -> ScheduledFlight:
    return ScheduledFlight(
        ident=ident,
        origin=get_airport("FRA"),
        destination=get_airport("JFK"),
        scheduled_out=datetime(2026, 11, 29, hour, 0, tzinfo=UTC),
        scheduled_in=datetime(2026, 11, 29, hour + 8, 0, tzinfo=UTC),
        source="Simulated",
    )


OPTIONS = [offer("LH9825", 9), offer("LH8855", 13)]
NOTIFY = Recommendation(
    id="notify-1", action="notify_traveller", description="Notify the traveller"
).notifying("LH400 is cancelled")
REBOOK = Recommendation(
    id="rebook-1", action="rebook", description="", flight="LH400", options=OPTIONS
).rebooked_onto(OPTIONS[0])
NO_ALTERNATIVE = Recommendation(
    id="rebook-1",
    action="rebook",
    description="Rebook LH400 (FRA-JFK): no alternative found that day, ask the airline",
    flight="LH400",
)
APPROVE = {"type": "approve"}
REBOOK_ARGS = {
    "id": "rebook-1",
    "flight": "LH400",
    "onto": "LH9825",
    "departs": "2026-11-29T09:00Z",
    "arrives": "2026-11-29T17:00Z",
    "origin": "FRA",
    "destination": "JFK",
}


def edit(name: str, **args: Any) -> dict[str, Any]:
    return {"type": "edit", "edited_action": {"name": name, "args": args}}


def refusal(recommendations: list[Recommendation], *decisions: Any) -> str:
    with pytest.raises(InvalidFlightQueryError) as refused:
        apply_answer(recommendations, {"decisions": list(decisions)})
    return refused.value.message


def test_the_request_is_plain_json() -> None:
    """A LangGraph server sends the interrupt as JSON: every value is a JSON value."""
    request = approval_request([NOTIFY, REBOOK])
    assert json.loads(json.dumps(request)) == request


def test_a_rebooking_without_alternatives_can_only_be_approved_or_rejected() -> None:
    """Nothing to choose from: no edit allowed, no flight in its args; an edit is refused."""
    request = approval_request([NO_ALTERNATIVE])
    assert request["action_requests"][0]["args"] == {"id": "rebook-1", "flight": "LH400"}
    assert request["review_configs"] == [
        {"action_name": "rebook", "allowed_decisions": ["approve", "reject"]}
    ]
    assert refusal([NO_ALTERNATIVE], edit("rebook", onto="LH9825")) == (
        "Nothing was applied; rebook-1: 'edit' is not allowed (allowed: approve, reject)."
    )


@pytest.mark.parametrize(
    "departs",
    [
        pytest.param("2026-11-29T09:00Z", id="old-departure-left"),
        pytest.param("2026-11-29T13:00Z", id="updated"),
    ],
)
def test_an_edit_may_leave_or_update_what_follows_from_the_chosen_flight(departs: str) -> None:
    """A reviewer choosing LH8855 may send LH9825's departure back unchanged, or LH8855's."""
    chosen = edit("rebook", **{**REBOOK_ARGS, "onto": "LH8855", "departs": departs})
    [decided], outcome = apply_answer([REBOOK], {"decisions": [chosen]})
    assert outcome == "approved"
    assert (decided.alternative, decided.decision) == (OPTIONS[1], "edit")
    assert decided.description == "Rebook LH400 (FRA-JFK) onto LH8855 departing 2026-11-29 13:00Z"


@pytest.mark.parametrize(
    ("decision", "problem"),
    [
        pytest.param(
            edit("rebook", **{**REBOOK_ARGS, "flight": "LH402"}),
            "only 'onto' may be edited, not ['flight']",
            id="read-only-argument",
        ),
        pytest.param(
            edit("rebook", **{**REBOOK_ARGS, "onto": "LH8855", "departs": "2026-11-29T20:00Z"}),
            "only 'onto' may be edited, not ['departs']",
            id="departure-of-neither-flight",
        ),
        pytest.param(
            edit("rebook", **{**REBOOK_ARGS, "id": "rebook-2"}),
            "only 'onto' may be edited, not ['id']",
            id="id",
        ),
        pytest.param(
            edit("rebook", onto="LH8855", seat="12A"),
            "['seat'] are not arguments of rebook (its arguments: id, flight, onto, departs, "
            "arrives, origin, destination)",
            id="unknown-argument",
        ),
        pytest.param(
            edit("notify_traveller", message="hello"),
            "an edit may not turn rebook into 'notify_traveller'",
            id="other-action",
        ),
        pytest.param(
            {"type": "edit", "edited_action": {"name": "rebook"}},
            'an edit carries "edited_action": {"name": "rebook", "args": {...}}',
            id="no-args",
        ),
        pytest.param(
            {"type": "respond", "message": "ok"},
            "'respond' is not allowed (allowed: approve, edit, reject)",
            id="respond",
        ),
        pytest.param(
            "approve",
            'a decision is an object such as {"type": "approve"}, not \'approve\'',
            id="not-an-object",
        ),
        pytest.param(
            {"type": "reject", "message": 42},
            "a rejection's message is the reason as text, not 42",
            id="reason-not-text",
        ),
    ],
)
def test_a_decision_that_cannot_be_applied_is_refused(decision: Any, problem: str) -> None:
    """Each refusal says which action and what is wrong, in one line."""
    assert refusal([REBOOK], decision) == f"Nothing was applied; rebook-1: {problem}."


def test_an_empty_message_is_refused() -> None:
    """A notification needs text to send."""
    assert refusal([NOTIFY], edit("notify_traveller", message=" ")) == (
        "Nothing was applied; notify-1: the message must be the text to send, not ' '."
    )


def test_every_bad_decision_is_named_at_once() -> None:
    """Two bad decisions: both named, so one correction fixes the whole answer."""
    message = refusal([NOTIFY, REBOOK], {"type": "maybe"}, edit("rebook", onto="UA961"))
    assert message.startswith("Nothing was applied; notify-1: 'maybe' is not allowed")
    assert "; rebook-1: 'UA961' is not an alternative offered for LH400; choose one of " in message
    assert message.endswith(
        "LH9825 (departs 2026-11-29 09:00Z), LH8855 (departs 2026-11-29 13:00Z)."
    )
