"""Grounding the model's explanation: the engine's facts from real IROPS runs, the claims an
explanation makes, and the engine's own summary.

The facts come from the real graph (tools, rules engine, approval) over the simulated world on
a pinned summer day, when London (BST) and New York (EDT) are both off UTC.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from langchain_core.messages import HumanMessage, ToolMessage
from langchain_core.runnables import RunnableConfig
from langgraph.types import Command

from flight_agent.clock import FakeClock
from flight_agent.models import FlightStatusData
from flight_agent.providers import MockFlightDataProvider
from flight_agent.services import EnhancedFlightMonitoringService
from graphs import IropsReport, build_irops_graph, memory_checkpointer
from graphs.demo import demo_itinerary, demo_service
from graphs.grounding import Facts, check_explanation, collect_facts, engine_summary
from graphs.report import Evidence
from tests.graphs.conftest import simulated_service
from tests.graphs.scripted import scripted

CLOCK = FakeClock(datetime(2027, 7, 1, 9, 0, tzinfo=UTC))
DAY = date(2027, 7, 2)
BA117 = {"flight_number": "BA117", "date": DAY.isoformat(), "origin": "LHR"}


def only(
    flights: Iterable[str] = (),
    airports: Iterable[str] = (),
    amounts: Iterable[tuple[str, int]] = (),
    times: Iterable[str] = (),
) -> Facts:
    """Facts of just these values."""
    money = frozenset((currency, Decimal(value)) for currency, value in amounts)
    return Facts(frozenset(flights), frozenset(airports), money, frozenset(times))


NO_FACTS = only()


@dataclass(frozen=True)
class Run:
    """What the finish step has: the engine's report, the legs' records, the engine's texts."""

    report: IropsReport
    records: list[FlightStatusData]
    texts: list[str]

    def facts(self, *evidence: Evidence) -> Facts:
        return collect_facts(self.report, self.records, evidence, self.texts)


def run_graph(service: EnhancedFlightMonitoringService, itinerary: list[Any]) -> Run:
    """The real IROPS graph with a model that says nothing checkable; actions approved."""
    graph = build_irops_graph(
        scripted("Noted."), service=service, checkpointer=memory_checkpointer()
    )
    config: RunnableConfig = {"configurable": {"thread_id": "grounding"}}
    done = graph.invoke({"itinerary": itinerary}, config)
    if done.get("__interrupt__"):
        done = graph.invoke(Command(resume="approve"), config)
    values = graph.get_state(config).values
    records = [item.flight for item in values["statuses"] if item.flight is not None]
    texts = [str(m.text) for m in values["messages"] if isinstance(m, ToolMessage | HumanMessage)]
    return Run(done["report"], records, texts)


def simulated(**scenarios: str) -> EnhancedFlightMonitoringService:
    provider = MockFlightDataProvider("Simulated", clock=CLOCK, scenarios=scenarios)
    return simulated_service(provider, clock=CLOCK)


@pytest.fixture(scope="module")
def demo() -> Run:
    """BA117 LHR-JFK 3 h 30 late, AA1830 JFK-BOS missed, rebooked onto B61234, UK261."""
    return run_graph(demo_service(clock=CLOCK), demo_itinerary(DAY))


@pytest.fixture(scope="module")
def scenarios(demo: Run) -> dict[str, Run]:
    return {
        "missed connection": demo,
        "delayed": run_graph(demo_service(clock=CLOCK), [BA117]),
        "cancelled": run_graph(
            simulated(LH400="cancelled"), [{**BA117, "flight_number": "LH400", "origin": "FRA"}]
        ),
        "on time": run_graph(simulated(BA117="on_time"), [BA117]),
    }


FAITHFUL = (
    "Your flight BA117 (BAW117, or BA 117 on the board) from London Heathrow (LHR, EGLL) to "
    "New York JFK is 3 h 30 late: it now leaves T5 at 11:55 BST (10:55 UTC, 06:55 in New York) "
    "instead of 08:25, and lands at 14:20 EDT, 2:20 pm local (18:20Z, 19:20 in London). You "
    "will miss AA1830 to Boston (BOS), which leaves at 13:15 (17:15 UTC). I have proposed "
    "b61234, departing at 5pm (21:00Z) and reaching KBOS at 17:50. Under UK261 you are owed "
    "£520 (GBP 520.00), or GBP 260 if ba117's carrier reduces it; EU261 does not apply. "
    "Rules as of 2027."
)


def test_a_faithful_explanation_of_the_demo_has_no_mismatch(demo: Run) -> None:
    """Every figure the engine gave, in any form people quote it, is grounded: flight numbers
    in IATA, ICAO, spaced and lower-case forms, IATA and ICAO airports, £ and GBP, local,
    other-zone, UTC and 12-hour times."""
    assert check_explanation(FAITHFUL, demo.facts()) == []


def test_what_the_engine_said_in_words_is_grounded(scenarios: dict[str, Run]) -> None:
    """The cancelled LH400: the EU261 figure the rules quote, every alternative offered (not
    only the proposed one) and their times, in a multi-line Markdown answer."""
    said = (
        "**LH400** from Frankfurt (FRA) at 10:05 CEST is cancelled.\n"
        "- Proposed: LH9825 at 10:45 (08:45 UTC), arriving 1:00 pm EDT\n"
        "- Or LH8855 at 14:15, or AA4464 at 18:55\n"
        "EU261 may give you EUR 600 (€600), depending on when you were told."
    )
    assert check_explanation(said, scenarios["cancelled"].facts()) == []


def test_the_facts_are_normalised(demo: Run) -> None:
    """Designators in IATA form, airports as IATA codes, amounts by currency, "HH:MM" times."""
    facts = demo.facts()
    assert {"BA117", "AA1830", "B61234"} <= facts.flight_numbers
    assert {"LHR", "JFK", "BOS"} <= facts.airports
    assert {("GBP", Decimal(520)), ("GBP", Decimal(260))} <= facts.amounts
    assert {"08:25", "07:25", "14:20", "18:20", "17:00", "21:00"} <= facts.times


def test_the_issues_invented_figures_are_each_named(demo: Run) -> None:
    """The scripted model of the issue: an invented amount and an invented flight."""
    said = "You are owed EUR 9999 and I rebooked you on XX999."
    assert check_explanation(said, demo.facts()) == [
        "EUR 9999: no such amount in the engine's rights or the tool results "
        "(it found GBP 260, GBP 520)",
        "XX999: not a flight in the itinerary, the alternatives or the tool results",
    ]


@pytest.mark.parametrize(
    ("said", "mismatch"),
    [
        ("You are owed EUR 520.", "EUR 520: no such amount"),
        ("You are owed $520.", "$520: no such amount"),
        ("You are owed 600 EUR.", "600 EUR: no such amount"),
        ("You fly on BA112 instead.", "BA112: not a flight"),
        ("You fly on DL 404 instead.", "DL 404: not a flight"),
        ("You now leave at 16:45.", "16:45: no such time"),
        ("You now leave at 4:45 pm.", "4:45 pm: no such time"),
        ("You land at 8am.", "8am: no such time"),
        ("You connect in CDG.", "CDG: not an airport of the trip"),
        ("You connect in LFPG.", "LFPG: not an airport of the trip"),
    ],
)
def test_a_figure_the_engine_did_not_give_is_a_mismatch(
    demo: Run, said: str, mismatch: str
) -> None:
    """Wrong currency, amount, flight, time or airport: one line naming the claim as written."""
    [line] = check_explanation(said, demo.facts())
    assert line.startswith(mismatch)


@pytest.mark.parametrize(
    "said",
    [
        "UK261 and EU261 and Canada APPR and US DOT rules.",
        "Go to T5, gate B32, then gate B62 at terminal 8.",
        "It is 3 h 30 late, 3:30 hours late, delayed by 3:30, a 2:15 delay, 210 min.",
        "In 2026, up to 5 hours, by 3 people, to 4 of them, on 12 flights.",
        "An A320 or a B77W, registration G-AGQZ.",
        "THE FLIGHT FOR YOU IS LATE AND NOT CANCELLED; UTC, GMT, BST, EST and PST times.",
        "Amounts in EUR, GBP, USD and CAD; American (AAL) and British Airways (BAW).",
        "Lower case is prose: from cdg or ord, ba 117 or xx999.",
    ],
)
def test_text_that_only_looks_like_a_figure_is_not_a_claim(said: str) -> None:
    """Regime names, terminals, gates, durations, years, plain numbers, aircraft, zones,
    shouted words, bare currency or airline codes and lower-case words are not checked, even
    without facts."""
    assert check_explanation(said, NO_FACTS) == []


@pytest.mark.parametrize(
    ("said", "facts"),
    [
        ("£520, GBP 520.00, 520 GBP, GBP 1,200", only(amounts=[("GBP", 520), ("GBP", 1200)])),
        ("$600, US$600, USD 600", only(amounts=[("USD", 600)])),
        ("C$400, CA$400, CAD 400", only(amounts=[("CAD", 400)])),
        ("€600, 600€, EUR 600", only(amounts=[("EUR", 600)])),
        ("BA117, BAW117, BA 117, BA0117", only(flights=["BA117"])),
        ("LHR, EGLL", only(airports=["LHR"])),
        ("14:20, 2:20 pm, 2:20PM, 14:20:00Z", only(times=["14:20"])),
        ("9pm, 9 p.m., 21:00", only(times=["21:00"])),
        ("12am, 00:00", only(times=["00:00"])),
    ],
)
def test_claims_compare_by_value_whatever_their_form(said: str, facts: Facts) -> None:
    """Currency symbols and codes, separators, designator and airport code forms, 12-hour
    clocks and seconds all compare as the one value they state."""
    assert check_explanation(said, facts) == []
    assert len(check_explanation(said, NO_FACTS)) == len(said.split(", "))


def test_a_tool_result_the_model_consulted_grounds_what_it_says(demo: Run) -> None:
    """A flight only a follow-up tool call found is grounded by that evidence; an error is not
    evidence."""
    said = "DL404 leaves JFK at 18:30 EDT."
    found = Evidence(
        tool="find_alternative_flights",
        args={"origin": "JFK", "destination": "BOS"},
        result="1 flights JFK->BOS on 2027-07-02:\n- DL404: dep 18:30 EDT (22:30Z)",
    )
    failed = Evidence(tool="get_flight_status", result="DL404 18:30: not found", error=True)
    assert check_explanation(said, demo.facts(found)) == []
    mismatches = check_explanation(said, demo.facts(failed))
    assert [line.partition(": ")[0] for line in mismatches] == ["DL404", "18:30"]


def test_the_engine_summary_of_the_demo_tells_the_whole_story(demo: Run) -> None:
    """The disruption, the connection verdict, the amount owed, the actions and the caveat."""
    summary = engine_summary(demo.report)
    for part in (
        "BA117: Departure 3 h 30 late",
        "Connection at JFK",
        "missed",
        "Under UK261 you are owed GBP 520 (the carrier may reduce it to GBP 260)",
        "Actions: notify the traveller (approved); rebook AA1830 (JFK-BOS) onto B61234",
        "(approved)",
        "not legal advice",
    ):
        assert part in summary
    assert summary == engine_summary(demo.report)


def test_an_unknown_amount_is_said_to_be_unknown(scenarios: dict[str, Run]) -> None:
    """The cancelled LH400: EU261 applies but its amount needs a fact the engine lacks."""
    summary = engine_summary(scenarios["cancelled"].report)
    assert "LH400: Reported cancelled" in summary
    assert "Under EU261: amount not yet known (cancelled, but when the passenger" in summary


def test_an_undisrupted_trip_says_so(scenarios: dict[str, Run]) -> None:
    assert engine_summary(scenarios["on time"].report) == (
        "No disruption was found on BA117. Compensation figures are estimates under the rules "
        "stated, not legal advice."
    )


@pytest.mark.parametrize("name", ["missed connection", "delayed", "cancelled", "on time"])
def test_the_engine_summary_passes_its_own_check(scenarios: dict[str, Run], name: str) -> None:
    """Whatever happened, the summary states only the engine's figures."""
    run = scenarios[name]
    assert check_explanation(engine_summary(run.report), run.facts()) == []
