"""The IROPS approval step speaks LangChain's human-in-the-loop format.

Real graph runs (tools, rules engine, scripted model) over a cancelled LH400 FRA-JFK: the graph
proposes notifying the traveller (notify-1) and rebooking onto the first of four alternatives
(rebook-1, LH9825), then pauses with a ``HITLRequest`` that Agent Chat UI, Agent Inbox and Studio
can show. A ``HITLResponse`` answers it; the simple forms still do.
"""

from __future__ import annotations

from typing import Any

import pytest
from langchain.agents.middleware.human_in_the_loop import (
    ActionRequest,
    ApproveDecision,
    EditDecision,
    HITLRequest,
    HITLResponse,
    RejectDecision,
    ReviewConfig,
)
from langchain_core.runnables import RunnableConfig
from langgraph.types import Command
from pydantic import TypeAdapter

from flight_agent.providers import MockFlightDataProvider
from graphs import IropsReport, Recommendation, build_irops_graph, memory_checkpointer
from tests.graphs.conftest import simulated_service
from tests.graphs.scripted import scripted

CANCELLED_LEG = {"itinerary": [{"flight_number": "LH400", "date": "2026-11-29"}]}
OFFERED = ["LH9825", "LH8855", "DE7347", "AA4464"]
"""The FRA-JFK flights the simulated schedule offers that day, earliest first."""

APPROVE: ApproveDecision = {"type": "approve"}
REJECT: RejectDecision = {"type": "reject"}


class Approval:
    """One IROPS run over the cancelled LH400, paused at the approval request."""

    def __init__(self, thread: str) -> None:
        mock = MockFlightDataProvider("Simulated", scenarios={"LH400": "cancelled"})
        self.graph = build_irops_graph(
            scripted("LH400 is cancelled."),
            service=simulated_service(mock),
            checkpointer=memory_checkpointer(),
        )
        self.config: RunnableConfig = {"configurable": {"thread_id": thread}}
        self.request = self._request(self.graph.invoke(CANCELLED_LEG, self.config))

    def answer(self, resume: object) -> dict[str, Any]:
        """Resume with ``resume``; the final state, or the repeated request if it paused again."""
        done = self.graph.invoke(Command(resume=resume), self.config)
        if "__interrupt__" in done:
            self.request = self._request(done)
        return done

    def decide(self, *decisions: Any) -> IropsReport:
        """Resume with a ``HITLResponse``; the report."""
        response: HITLResponse = {"decisions": list(decisions)}
        report = self.answer(response)["report"]
        assert isinstance(report, IropsReport)
        return report

    def rebook_edit(self, **changes: Any) -> EditDecision:
        """An edit of rebook-1 as a reviewing UI sends it: every argument, some changed."""
        args = {**self.request["action_requests"][1]["args"], **changes}
        return {"type": "edit", "edited_action": {"name": "rebook", "args": args}}

    @staticmethod
    def _request(state: dict[str, Any]) -> dict[str, Any]:
        [paused] = state["__interrupt__"]
        assert isinstance(paused.value, dict)
        return paused.value


def by_id(report: IropsReport) -> dict[str, Recommendation]:
    return {r.id: r for r in report.recommendations}


def test_the_interrupt_is_a_langchain_hitl_request() -> None:
    """The payload validates as langchain's ``HITLRequest``, dropping nothing inside it: one
    action request per recommendation (name, args with its id, description) and its decisions,
    plus a question and how to answer for a person reading it raw."""
    request = Approval("shape").request
    hitl = {key: request[key] for key in ("action_requests", "review_configs")}
    assert TypeAdapter(HITLRequest).validate_python(request) == hitl
    assert (
        TypeAdapter(list[ActionRequest]).validate_python(hitl["action_requests"])
        == (hitl["action_requests"])
    )
    assert (
        TypeAdapter(list[ReviewConfig]).validate_python(hitl["review_configs"])
        == (hitl["review_configs"])
    )
    notify, rebook = request["action_requests"]
    assert notify["name"] == "notify_traveller"
    assert notify["args"]["id"] == "notify-1"
    assert notify["description"] == f"Notify the traveller: {notify['args']['message']}"
    assert rebook == {
        "name": "rebook",
        "args": {
            "id": "rebook-1",
            "flight": "LH400",
            "onto": "LH9825",
            "departs": "2026-11-29T09:45Z",
            "arrives": "2026-11-29T18:00Z",
            "origin": "FRA",
            "destination": "JFK",
        },
        "description": "Rebook LH400 (FRA-JFK) onto LH9825 departing 2026-11-29 09:45Z",
    }
    assert [(c["action_name"], c["allowed_decisions"]) for c in request["review_configs"]] == [
        ("notify_traveller", ["approve", "edit", "reject"]),
        ("rebook", ["approve", "edit", "reject"]),
    ]
    onto = request["review_configs"][1]["args_schema"]["properties"]["onto"]
    assert onto["enum"] == OFFERED
    assert request["question"] == "Approve these actions for the traveller?"
    assert '{"decisions": [...]}' in request["how_to_answer"]
    assert 'Command(resume="approve")' in request["how_to_answer"]
    assert "error" not in request


def test_approving_every_action() -> None:
    """Two approve decisions: both actions approved as proposed, the decision 'approved'."""
    report = Approval("approve-all").decide(APPROVE, APPROVE)
    assert report.decision == "approved"
    assert [(r.approved, r.decision) for r in report.recommendations] == [
        (True, "approve"),
        (True, "approve"),
    ]
    alternative = by_id(report)["rebook-1"].alternative
    assert alternative is not None
    assert alternative.ident == "LH9825"


def test_rejecting_every_action() -> None:
    """Two reject decisions: nothing approved, the decision 'rejected'."""
    report = Approval("reject-all").decide(REJECT, REJECT)
    assert report.decision == "rejected"
    assert [(r.approved, r.decision) for r in report.recommendations] == [
        (False, "reject"),
        (False, "reject"),
    ]


def test_mixed_decisions_apply_to_their_own_action() -> None:
    """Decisions follow the action requests' order: notify rejected, rebook approved; one
    approved action makes the decision 'approved'."""
    report = Approval("mixed").decide(REJECT, APPROVE)
    assert report.decision == "approved"
    assert {r.id: r.approved for r in report.recommendations} == {
        "notify-1": False,
        "rebook-1": True,
    }


def test_a_rejection_keeps_its_reason() -> None:
    """A reject's message is recorded on the recommendation as the human's note."""
    reason = "The traveller prefers the train to Paris."
    report = Approval("reason").decide(APPROVE, {"type": "reject", "message": reason})
    rebook = by_id(report)["rebook-1"]
    assert (rebook.approved, rebook.decision, rebook.decision_note) == (False, "reject", reason)
    assert by_id(report)["notify-1"].decision_note is None


def test_editing_the_rebooking_to_another_offered_flight() -> None:
    """Choosing DE7347 (a later offer) approves the rebooking onto it: the report's
    recommendation names the new flight; the others offered stay listed."""
    approval = Approval("edit")
    report = approval.decide(APPROVE, approval.rebook_edit(onto="DE7347"))
    rebook = by_id(report)["rebook-1"]
    assert (rebook.approved, rebook.decision) == (True, "edit")
    assert rebook.alternative is not None
    assert rebook.alternative.ident == "DE7347"
    assert rebook.description == "Rebook LH400 (FRA-JFK) onto DE7347 departing 2026-11-29 16:05Z"
    assert [f.ident for f in rebook.options] == OFFERED
    assert report.decision == "approved"


def test_editing_the_notification_message() -> None:
    """An edited message replaces the text the traveller gets and the description."""
    approval = Approval("edit-notify")
    text = "LH400 is cancelled; we are rebooking you, no action needed."
    edit: EditDecision = {
        "type": "edit",
        "edited_action": {"name": "notify_traveller", "args": {"id": "notify-1", "message": text}},
    }
    notify = by_id(approval.decide(edit, REJECT))["notify-1"]
    assert (notify.approved, notify.decision, notify.message) == (True, "edit", text)
    assert notify.description == f"Notify the traveller: {text}"


def test_an_edit_to_a_flight_not_offered_pauses_again_naming_the_offers() -> None:
    """Rebooking onto a flight that was not offered is refused: the graph pauses again with an
    error naming the offered flights, nothing applied; a valid answer then finishes."""
    approval = Approval("not-offered")
    again = approval.answer({"decisions": [APPROVE, approval.rebook_edit(onto="UA961")]})
    assert "report" not in again
    error = approval.request["error"]
    assert error.startswith("Nothing was applied; rebook-1: 'UA961' is not an alternative")
    assert all(ident in error for ident in OFFERED)
    assert "LH8855 (departs 2026-11-29 13:15Z)" in error
    assert approval.graph.get_state(approval.config).next == ("approve",)
    report = approval.decide(APPROVE, approval.rebook_edit(onto="LH8855"))
    assert by_id(report)["rebook-1"].description.startswith("Rebook LH400 (FRA-JFK) onto LH8855")


@pytest.mark.parametrize(
    ("decisions", "got"),
    [
        pytest.param([APPROVE], "got 1.", id="too-few"),
        pytest.param([APPROVE, APPROVE, REJECT], "got 3.", id="too-many"),
        pytest.param("approve", "got 'approve'.", id="not-a-list"),
    ],
)
def test_a_wrong_number_of_decisions_pauses_again(decisions: object, got: str) -> None:
    """Not exactly one decision per action request: refused, saying how many and in what
    order; the request (and the actions) stay as they were."""
    approval = Approval("count")
    first = approval.request
    approval.answer({"decisions": decisions})
    assert approval.request["error"] == (
        f"Send 2 decisions, one per action request in order (notify-1, rebook-1); {got}"
    )
    assert approval.request["action_requests"] == first["action_requests"]
    assert approval.decide(APPROVE, APPROVE).decision == "approved"


@pytest.mark.parametrize(
    ("resume", "approved", "decision"),
    [
        pytest.param("approve", [True, True], "approved", id="approve"),
        pytest.param(True, [True, True], "approved", id="true"),
        pytest.param("reject", [False, False], "rejected", id="reject"),
        pytest.param(False, [False, False], "rejected", id="false"),
        pytest.param({"approve": ["notify-1"]}, [True, False], "approved", id="some"),
        pytest.param({"approve": []}, [False, False], "rejected", id="none"),
    ],
)
def test_the_simple_forms_still_work(resume: object, approved: list[bool], decision: str) -> None:
    """``"approve"``/``True``, ``"reject"``/``False`` and ``{"approve": [ids]}`` answer the
    request as before, recorded as approve or reject decisions."""
    report = Approval("simple").answer(resume)["report"]
    assert [r.approved for r in report.recommendations] == approved
    assert [r.decision for r in report.recommendations] == [
        "approve" if ok else "reject" for ok in approved
    ]
    assert report.decision == decision


def test_a_simple_answer_naming_an_unknown_action_pauses_again() -> None:
    """An unknown id in ``{"approve": [...]}`` is refused as before; so is an unreadable answer."""
    approval = Approval("unknown")
    approval.answer({"approve": ["rebook-9"]})
    assert approval.request["error"] == (
        "Unknown action ids ['rebook-9']; the actions are ['notify-1', 'rebook-1']."
    )
    approval.answer("maybe")
    assert approval.request["error"].startswith("Cannot read the approval 'maybe'. Resume with")
