"""The IROPS graph run for real: tools, rules engine, scripted model, interrupt and resume."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from langchain_core.messages import AIMessage, ToolMessage
from langgraph.types import Command

from flight_agent.clock import FakeClock
from flight_agent.errors import InvalidFlightQueryError, ProviderUnavailableError
from flight_agent.irops import Applicability, Regime
from flight_agent.providers import MockFlightDataProvider
from graphs import IropsReport, build_irops_graph, memory_checkpointer
from graphs.assessment import journey_rights
from graphs.demo import demo_itinerary, demo_service
from tests.graphs.conftest import simulated_service
from tests.graphs.scripted import scripted

CANCELLED_LEG = {"itinerary": [{"flight_number": "LH400", "date": "2026-11-29"}]}


def thread(name: str) -> dict[str, Any]:
    return {"configurable": {"thread_id": name}}


def cancelled_lh400() -> tuple[Any, MockFlightDataProvider]:
    mock = MockFlightDataProvider("Simulated", scenarios={"LH400": "cancelled"})
    return simulated_service(mock), mock


def test_a_cancelled_leg_pauses_for_approval_and_resumes_into_a_report() -> None:
    """Cancellation: rebooking onto a named alternative and a notification await a human;
    approving them finishes the report with EU261 owed and the model's explanation."""
    service, _ = cancelled_lh400()
    model = scripted("LH400 is cancelled; you are owed EUR 600 under EU261.")
    graph = build_irops_graph(model, service=service, checkpointer=memory_checkpointer())
    paused = graph.invoke(CANCELLED_LEG, thread("approve"))
    [request] = paused["__interrupt__"]
    actions = {a["args"]["id"]: a for a in request.value["action_requests"]}
    assert set(actions) == {"notify-1", "rebook-1"}
    assert "onto" in actions["rebook-1"]["description"]
    done = graph.invoke(Command(resume="approve"), thread("approve"))
    report = done["report"]
    assert isinstance(report, IropsReport)
    assert report.decision == "approved"
    assert all(r.approved for r in report.recommendations)
    rebook = next(r for r in report.recommendations if r.action == "rebook")
    assert rebook.alternative is not None
    assert rebook.alternative.origin.code == "FRA"
    eu = next(r for r in report.rights if r.regime is Regime.EU261)
    assert (eu.applicability, eu.amount) == (Applicability.APPLIES, None)
    assert any("when the passenger was told is unknown" in reason for reason in eu.reasons)
    assert report.explanation == "LH400 is cancelled; you are owed EUR 600 under EU261."
    assert done["messages"][-1].content.startswith(report.explanation)


def test_rejecting_the_actions_is_recorded() -> None:
    """A rejection marks every action not approved and the decision 'rejected'."""
    service, _ = cancelled_lh400()
    graph = build_irops_graph(scripted("ok"), service=service, checkpointer=memory_checkpointer())
    graph.invoke(CANCELLED_LEG, thread("reject"))
    report = graph.invoke(Command(resume="reject"), thread("reject"))["report"]
    assert report.decision == "rejected"
    assert [r.approved for r in report.recommendations] == [False, False]


def test_a_partial_approval_names_the_chosen_actions() -> None:
    """Approving one action by id approves only that one; an unknown id asks again."""
    service, _ = cancelled_lh400()
    graph = build_irops_graph(scripted("ok"), service=service, checkpointer=memory_checkpointer())
    graph.invoke(CANCELLED_LEG, thread("partial"))
    again = graph.invoke(Command(resume={"approve": ["rebook-9"]}), thread("partial"))
    [request] = again["__interrupt__"]
    assert "Unknown action ids ['rebook-9']" in request.value["error"]
    report = graph.invoke(Command(resume={"approve": ["notify-1"]}), thread("partial"))["report"]
    assert {r.id: r.approved for r in report.recommendations} == {
        "notify-1": True,
        "rebook-1": False,
    }


def test_an_undisrupted_trip_finishes_without_asking() -> None:
    """Nothing wrong: no interrupt, decision 'not_needed'."""
    mock = MockFlightDataProvider("Simulated", scenarios={"BA117": "on_time"})
    graph = build_irops_graph(
        scripted("All on time."),
        service=simulated_service(mock),
        checkpointer=memory_checkpointer(),
    )
    done = graph.invoke(
        {"itinerary": [{"flight_number": "BA117", "date": "2026-11-29"}]}, thread("calm")
    )
    assert "__interrupt__" not in done
    assert done["report"].decision == "not_needed"
    assert done["report"].recommendations == []


def test_a_tool_error_goes_back_to_the_model_which_recovers() -> None:
    """The model's bad tool call becomes an error tool message; its next turn answers."""
    bad_call = AIMessage(
        content="",
        tool_calls=[{"name": "get_flight_status", "args": {"flight_number": "!!"}, "id": "t1"}],
    )
    model = scripted(bad_call, "Recovered: LH400 is cancelled.")
    service, _ = cancelled_lh400()
    graph = build_irops_graph(model, service=service, checkpointer=memory_checkpointer())
    graph.invoke(CANCELLED_LEG, thread("recover"))
    done = graph.invoke(Command(resume="approve"), thread("recover"))
    errors = [m for m in done["messages"] if isinstance(m, ToolMessage) and m.status == "error"]
    assert errors
    assert "flight_number" in errors[0].content
    assert done["report"].explanation == "Recovered: LH400 is cancelled."


def test_a_failover_shows_in_the_report() -> None:
    """The primary failing: the backup answers and the report says so."""
    primary = MockFlightDataProvider("Primary", 10)
    primary.error_rate = 1.0
    backup = MockFlightDataProvider("Backup", 5, scenarios={"BA117": "on_time"})
    graph = build_irops_graph(
        scripted("Fine."),
        service=simulated_service(primary, backup),
        checkpointer=memory_checkpointer(),
    )
    report = graph.invoke(
        {"itinerary": [{"flight_number": "BA117", "date": "2026-11-29"}]}, thread("failover")
    )["report"]
    [leg] = report.legs
    assert leg.source == "Backup"
    assert leg.failover is not None
    assert "Primary" in leg.failover
    assert any("answered by Backup after Primary" in note for note in report.notes)


def test_stale_data_is_flagged_in_the_report() -> None:
    """Every provider failing after a first answer: the leg is marked stale, with its age."""
    clock = FakeClock(datetime(2026, 11, 29, 4, 0, tzinfo=UTC))
    mock = MockFlightDataProvider("Simulated", clock=clock, scenarios={"BA117": "on_time"})
    service = simulated_service(mock, clock=clock)
    graph = build_irops_graph(
        scripted("a", "b"), service=service, checkpointer=memory_checkpointer()
    )
    itinerary = {"itinerary": [{"flight_number": "BA117", "date": "2026-11-29"}]}
    graph.invoke(itinerary, thread("first"))
    clock.advance(3 * 3600)
    mock.fail_next(100, ProviderUnavailableError("outage", provider="Simulated"))
    report = graph.invoke(itinerary, thread("second"))["report"]
    assert report.legs[0].stale is True
    assert report.legs[0].data_age_minutes == 180.0
    assert any("STALE" in note for note in report.notes)


BA117 = {"flight_number": "BA117", "date": "2026-11-29"}


@pytest.mark.parametrize(
    ("itinerary", "problem"),
    [
        pytest.param(
            [BA117, {"flight_number": "XX"}],
            "leg 2: flight_number 'XX': has the wrong format (Flight designator:",
            id="designator",
        ),
        pytest.param(
            [{"flight_number": "BA117", "date": "2026-13-45"}],
            "leg 1: date '2026-13-45': not a calendar date; use YYYY-MM-DD such as '2026-11-29'.",
            id="date",
        ),
        pytest.param(
            [BA117, {"date": "2026-11-29"}],
            "leg 2: flight_number is required (Flight designator:",
            id="missing-flight-number",
        ),
        pytest.param(
            [{"flight_number": "BA117", "gate": "A10"}],
            "leg 1: gate is not an argument (valid: flight_number, date, origin).",
            id="unknown-key",
        ),
        pytest.param(
            [BA117, "LH400"],
            'leg 2 is \'LH400\', not an object such as {"flight_number": "BA117"',
            id="leg-not-an-object",
        ),
        pytest.param([], "it has 0 legs; send 'itinerary' as a list of 1 to 6 legs", id="empty"),
        pytest.param([BA117] * 7, "it has 7 legs; send 'itinerary'", id="too-many"),
        pytest.param("BA117", "it is 'BA117', not a list; send 'itinerary'", id="not-a-list"),
        pytest.param(None, "it is missing; send 'itinerary'", id="missing"),
    ],
)
def test_a_malformed_itinerary_is_refused_in_one_line_before_any_call(
    itinerary: object, problem: str
) -> None:
    """The run ends with InvalidFlightQueryError: one line naming the bad leg and what is
    valid, without pydantic's multi-line text or its links."""
    service, mock = cancelled_lh400()
    graph = build_irops_graph(scripted("x"), service=service, checkpointer=memory_checkpointer())
    with pytest.raises(InvalidFlightQueryError) as refused:
        graph.invoke({"itinerary": itinerary}, thread("bad"))
    message = str(refused.value)
    assert message.startswith("Invalid itinerary: " + problem)
    assert "\n" not in message
    assert "errors.pydantic.dev" not in message
    assert mock.calls == 0


def test_every_bad_leg_is_named_in_the_same_line() -> None:
    """Two bad legs: both are reported, so one correction fixes the whole itinerary."""
    service, _ = cancelled_lh400()
    graph = build_irops_graph(scripted("x"), service=service, checkpointer=memory_checkpointer())
    legs = [{"flight_number": "XX"}, BA117, {"flight_number": "BA117", "date": "2026-02-30"}]
    with pytest.raises(InvalidFlightQueryError) as refused:
        graph.invoke({"itinerary": legs}, thread("two-bad"))
    assert "leg 1: flight_number 'XX'" in str(refused.value)
    assert "; leg 3: date '2026-02-30': not a calendar date" in str(refused.value)


def test_the_rights_follow_the_flight_a_human_chose_instead() -> None:
    """Rights are owed to the final arrival: a rebooking a human moved six hours later lifts
    UK261's reduction for a 3-4 h arrival delay."""
    clock = FakeClock(datetime(2026, 11, 28, 12, 0, tzinfo=UTC))
    graph = build_irops_graph(
        scripted("ok"),
        service=demo_service(clock=clock),
        clock=clock,
        checkpointer=memory_checkpointer(),
    )
    graph.invoke({"itinerary": demo_itinerary(date(2026, 11, 29))}, thread("later"))
    state = graph.get_state(thread("later")).values
    proposed = next(r for r in state["recommendations"] if r.action == "rebook")
    assert proposed.alternative is not None
    later = proposed.alternative.model_copy(
        update={
            "ident": "AA9999",
            "scheduled_out": proposed.alternative.scheduled_out + timedelta(hours=6),
            "scheduled_in": proposed.alternative.scheduled_in + timedelta(hours=6),
        }
    )
    uk = journey_rights(state["statuses"], clock.now(), [proposed.rebooked_onto(later)])
    before = next(r for r in state["rights"] if r.regime is Regime.UK261)
    after = next(r for r in uk if r.regime is Regime.UK261)
    assert "reduce" in before.summary
    assert "reduce" not in after.summary
    assert after.amount == before.amount
