"""The passenger_rights tool on the simulated world: provisional cancellations, diversions, a
refunded ticket, and what the text and the artifact say about each."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from flight_agent.clock import FakeClock
from flight_agent.irops import PROVISIONAL_CAVEAT, Applicability, Regime
from flight_agent.providers import MockFlightDataProvider
from flight_agent.providers.simulation.scenarios import Scenario, ScenarioPin
from tests.tools.conftest import NOW, simulated_toolkit
from tests.tools.test_irops_tools import invoke
from tools import FlightToolkit

LH400 = {"flight_number": "LH400", "date": "2026-11-29"}
BA117 = {"flight_number": "BA117", "date": "2026-11-29"}
MARK = "(provisional: the cancellation is not yet confirmed)"


def rights(toolkit: FlightToolkit, **args: Any) -> Any:
    return invoke(toolkit, "passenger_rights", args)


def by_regime(message: Any) -> dict[Regime, Any]:
    return {result.regime: result for result in message.artifact.results}


def test_a_first_cancelled_report_gives_provisional_rights_in_text_and_artifact(
    toolkit: FlightToolkit, mock: MockFlightDataProvider
) -> None:
    """LH400 seen cancelled once, the provider not flagging doubt: the text marks EU261 and
    US DOT provisional and says the rights become firm once the airline confirms; the artifact
    agrees (facts.cancellation_provisional, results[].provisional) beside the record's own
    cancellation_uncertain false, which is only the provider's doubt."""
    mock.set_scenario("LH400", "cancelled")
    message = rights(toolkit, flights=[LH400])
    report = message.artifact
    assert report.legs[0].cancellation_uncertain is False
    assert report.facts.cancellation_provisional is True
    results = by_regime(message)
    for regime in (Regime.EU261, Regime.US_DOT):
        assert results[regime].provisional
        assert f"- {results[regime].summary}" in message.content
        assert results[regime].summary.endswith(MARK)
    assert not results[Regime.UK261].provisional
    assert PROVISIONAL_CAVEAT in message.content.splitlines()
    assert "rights become firm once the airline confirms" in message.content
    dumped = report.model_dump(mode="json")
    assert dumped["facts"]["cancellation_provisional"] is True
    assert [r["provisional"] for r in dumped["results"]] == [True, False, True, False]


def test_a_cancellation_the_airline_told_of_is_firm(
    toolkit: FlightToolkit, mock: MockFlightDataProvider
) -> None:
    """Told 3 days ahead: the airline confirmed it, nothing is marked provisional, and the
    US DOT line names the refund owed instead of "USD 0"."""
    mock.set_scenario("LH400", "cancelled")
    message = rights(toolkit, flights=[LH400], cancellation_notice_days=3)
    assert not any(result.provisional for result in message.artifact.results)
    assert "provisional" not in message.content
    assert PROVISIONAL_CAVEAT not in message.content
    assert "- US DOT: no compensation; automatic refund of the ticket" in message.content
    assert "US DOT: USD 0" not in message.content


def test_a_cancellation_the_monitor_saw_hold_is_firm_for_both_tools() -> None:
    """LH400 watched, polled, then asked about 15 min later: assess_disruption calls the
    cancellation confirmed and passenger_rights gives firm rights, from the same snapshot."""
    clock = FakeClock(NOW)
    toolkit = simulated_toolkit(clock)
    try:
        mock = toolkit.runner.service.failover_manager.providers[0]
        assert isinstance(mock, MockFlightDataProvider)
        mock.set_scenario("LH400", "cancelled")
        toolkit.runner.call_sync(lambda service: service.watch("LH400", date(2026, 11, 29)))
        toolkit.runner.call_sync(lambda service: service.monitor.poll_due())
        clock.advance(timedelta(minutes=15).total_seconds())
        disruption = invoke(toolkit, "assess_disruption", LH400).artifact.disruptions[0]
        message = rights(toolkit, flights=[LH400])
    finally:
        toolkit.close()
    assert disruption.explanation == "Cancelled: reported so for 15 min."
    assert message.artifact.facts.cancellation_provisional is False
    assert not any(result.provisional for result in message.artifact.results)


@pytest.fixture
def diverted() -> Iterator[FlightToolkit]:
    """BA117 LHR-JFK of 2026-11-29 diverted to Boston (at the gate 15:41Z), seen at 20:00Z."""
    toolkit = simulated_toolkit(FakeClock(datetime(2026, 11, 29, 20, 0, tzinfo=UTC)))
    mock = toolkit.runner.service.failover_manager.providers[0]
    assert isinstance(mock, MockFlightDataProvider)
    mock.set_scenario("BA117", ScenarioPin(Scenario.DIVERTED, diverted_to="BOS"))
    yield toolkit
    toolkit.close()


def test_a_diversion_keeps_the_alternate_arrival_and_waits_for_the_final_one(
    diverted: FlightToolkit,
) -> None:
    """Without the final arrival: the facts keep the landing at BOS, UK261 applies with the
    amount unknown, and the text says where it landed and that the JFK arrival is unknown."""
    message = rights(diverted, flights=[BA117])
    facts = message.artifact.facts
    assert facts.diverted
    assert facts.diverted_to.iata == "BOS"
    assert facts.diversion_in == datetime(2026, 11, 29, 15, 41, tzinfo=UTC)
    assert facts.actual_in is None
    uk = by_regime(message)[Regime.UK261]
    assert (uk.applicability, uk.amount) == (Applicability.APPLIES, None)
    assert (
        "Diverted to BOS: at the gate there 10:41 EST (15:41Z); at JFK, the booked "
        "destination, not yet known."
    ) in message.content
    assert "compensation depends on when the passenger reaches JFK" in message.content


def test_the_stated_final_arrival_prices_the_diversion(diverted: FlightToolkit) -> None:
    """Reaching JFK at 14:20 local (19:20Z), 3 h 30 after the scheduled 15:50Z: UK261 GBP 520,
    reducible to GBP 260, judged on the JFK arrival; the BOS landing is kept."""
    message = rights(diverted, flights=[BA117], final_arrival="2026-11-29 14:20")
    facts = message.artifact.facts
    assert facts.actual_in == datetime(2026, 11, 29, 19, 20, tzinfo=UTC)
    assert facts.diversion_in == datetime(2026, 11, 29, 15, 41, tzinfo=UTC)
    assert not facts.arrival_is_estimate
    uk = by_regime(message)[Regime.UK261]
    assert (uk.amount, uk.reduced_amount, uk.arrival_delay_minutes) == (520, 260, 210)
    assert "- UK261: GBP 520 (the carrier may reduce it to GBP 260)" in message.content
    assert "at JFK, the booked destination, 14:20 EST (19:20Z)." in message.content


def test_a_refunded_ticket_reaches_every_regime(
    toolkit: FlightToolkit, mock: MockFlightDataProvider
) -> None:
    """ticket_refunded: EU261 compensation unchanged with the reimbursement in place of
    re-routing; US DOT owes nothing further, and says so."""
    mock.set_scenario("LH400", "cancelled")
    message = rights(toolkit, flights=[LH400], cancellation_notice_days=3, ticket_refunded=True)
    assert message.artifact.facts.ticket_refunded is True
    results = by_regime(message)
    assert results[Regime.EU261].amount == 600
    assert results[Regime.EU261].refund[0].startswith("ticket reimbursed (Art. 8(1)(a))")
    assert results[Regime.US_DOT].refund == ()
    assert (
        "- US DOT: USD 0 (the ticket was refunded: the refund right is met, nothing further "
        "is owed)"
    ) in message.content


@pytest.mark.parametrize(
    "final_arrival",
    [
        pytest.param("2026-11-29", id="no-time"),
        pytest.param("2026-02-30 10:00", id="impossible-date"),
        pytest.param("2026-11-29 25:00", id="impossible-time"),
    ],
)
def test_a_malformed_final_arrival_is_refused_before_any_call(
    toolkit: FlightToolkit, mock: MockFlightDataProvider, final_arrival: str
) -> None:
    """The final arrival must be a local 'YYYY-MM-DD HH:MM': an error naming it, no call."""
    message = rights(toolkit, flights=[BA117], final_arrival=final_arrival)
    assert message.status == "error"
    assert "final_arrival" in message.content
    assert mock.calls == 0
