"""The IROPS tools end to end: records through the service, verdicts from the rules engine."""

from __future__ import annotations

from typing import Any

import pytest

from flight_agent.irops import (
    Applicability,
    ConnectionRisk,
    DisruptionKind,
    Regime,
    assess_connection,
)
from flight_agent.providers import MockFlightDataProvider
from tools import FlightToolkit


def invoke(toolkit: FlightToolkit, name: str, args: dict[str, Any]) -> Any:
    tool = next(t for t in toolkit.get_tools() if t.name == name)
    return tool.invoke({"type": "tool_call", "id": "1", "name": name, "args": args})


def test_a_connection_is_judged_by_the_engine_on_both_records(toolkit: FlightToolkit) -> None:
    """The verdict is the engine's, on the two fetched records, and the text leads with it."""
    message = invoke(
        toolkit,
        "check_connection",
        {
            "inbound": {"flight_number": "BA117", "date": "2026-11-29"},
            "onward": {"flight_number": "AA100", "date": "2026-11-29", "origin": "JFK"},
        },
    )
    result = message.artifact
    assert result.assessment == assess_connection(result.inbound, result.onward)
    assert result.assessment.risk is ConnectionRisk.OK
    assert message.content.startswith("OK: ")


def test_a_late_inbound_aircraft_is_found_and_predicted(
    toolkit: FlightToolkit, mock: MockFlightDataProvider
) -> None:
    """The inbound aircraft's flight is fetched, and its arrival plus turn predicts departure."""
    mock.set_scenario("QF1", "late_inbound")
    message = invoke(toolkit, "assess_disruption", {"flight_number": "QF1", "date": "2026-11-29"})
    report = message.artifact
    assert report.inbound is not None
    assert report.inbound.predicted_delay_minutes is not None
    assert report.inbound.predicted_delay_minutes > 0
    assert DisruptionKind.LATE_INBOUND in {d.kind for d in report.disruptions}
    assert "Inbound aircraft:" in message.content


def test_a_cancellation_is_reported_with_its_evidence(
    toolkit: FlightToolkit, mock: MockFlightDataProvider
) -> None:
    """A cancelled flight's report names the cancellation and the data it rests on."""
    mock.set_scenario("LH400", "cancelled")
    report = invoke(
        toolkit, "assess_disruption", {"flight_number": "LH400", "date": "2026-11-29"}
    ).artifact
    [cancellation] = [d for d in report.disruptions if d.kind is DisruptionKind.CANCELLATION]
    assert cancellation.evidence["status"] == "cancelled"


def test_a_short_notice_cancellation_from_the_eu_is_owed_eu261(
    toolkit: FlightToolkit, mock: MockFlightDataProvider
) -> None:
    """FRA-JFK cancelled 3 days ahead, cause unknown: EU261 applies at EUR 600 (over 3,500 km)."""
    mock.set_scenario("LH400", "cancelled")
    message = invoke(
        toolkit,
        "passenger_rights",
        {
            "flights": [{"flight_number": "LH400", "date": "2026-11-29"}],
            "cancellation_notice_days": 3,
        },
    )
    results = {r.regime: r for r in message.artifact.results}
    eu = results[Regime.EU261]
    assert eu.applicability is Applicability.APPLIES
    assert (eu.currency, eu.amount) == ("EUR", 600)
    assert eu.distance_km is not None
    assert eu.distance_km > 3500
    assert "EU261: EUR 600" in message.content


def test_alternatives_are_in_the_window_earliest_first_and_bounded(
    toolkit: FlightToolkit,
) -> None:
    """Every flight departs inside the local window, sorted, at most max_results."""
    result = invoke(
        toolkit,
        "find_alternative_flights",
        {"origin": "LHR", "destination": "JFK", "date": "2026-11-29", "max_results": 2},
    ).artifact
    departures = [f.scheduled_out for f in result.flights]
    assert departures == sorted(departures)
    assert 0 < len(departures) <= 2
    assert all(d.date().isoformat() == "2026-11-29" for d in departures)  # London is on UTC


def test_a_reversed_window_is_an_error_that_says_how_to_fix_it(toolkit: FlightToolkit) -> None:
    """earliest after latest: a tool error, no provider call."""
    message = invoke(
        toolkit,
        "find_alternative_flights",
        {"origin": "LHR", "destination": "JFK", "earliest": "18:00", "latest": "10:00"},
    )
    assert message.status == "error"
    assert "earliest before latest" in message.content


@pytest.mark.parametrize(
    ("origin", "destination", "day"),
    [
        pytest.param("LHR", "JFK", "9999-12-31", id="last-date"),
        pytest.param("JFK", "LHR", "9999-12-31", id="last-date-west-of-utc"),
        pytest.param("SYD", "LHR", "0001-01-01", id="first-date-east-of-utc"),
        pytest.param("LHR", "JFK", "2100-01-01", id="far-future"),
    ],
)
def test_alternatives_on_a_date_no_provider_answers_are_refused_before_any_call(
    toolkit: FlightToolkit,
    mock: MockFlightDataProvider,
    origin: str,
    destination: str,
    day: str,
) -> None:
    """The date is refused as get_flight_status refuses it: date_out_of_range, the dates the
    providers cover, and the hint to ask inside them; no provider call, no OverflowError."""
    message = invoke(
        toolkit,
        "find_alternative_flights",
        {"origin": origin, "destination": destination, "date": day},
    )
    status = invoke(toolkit, "get_flight_status", {"flight_number": "BA117", "date": day})
    assert message.status == status.status == "error"
    assert message.content == status.content
    assert message.content.startswith(
        "date_out_of_range: no provider answers for that date; together they cover 2026-10-29 "
        "to 2027-10-24."
    )
    assert message.content.endswith("Ask for a date inside the range the message gives.")
    assert mock.calls == 0


def test_a_rights_question_needs_at_least_one_leg(toolkit: FlightToolkit) -> None:
    """An empty itinerary is refused by the schema."""
    tool = next(t for t in toolkit.get_tools() if t.name == "passenger_rights")
    schema = tool.get_input_jsonschema()
    assert schema["properties"]["flights"]["minItems"] == 1
    assert schema["properties"]["flights"]["maxItems"] == 6


BAD_IROPS_CALLS = [
    pytest.param(
        "check_connection",
        {"inbound": {"flight_number": "BA117; rm -rf"}, "onward": {"flight_number": "AA100"}},
        "inbound.flight_number",
        id="connection-injection-like",
    ),
    pytest.param(
        "assess_disruption", {"flight_number": "Q" * 10_000}, "flight_number", id="huge-string"
    ),
    pytest.param(
        "passenger_rights",
        {"flights": [{"flight_number": "BA117"}] * 7},
        "at most 6",
        id="too-many-legs",
    ),
    pytest.param(
        "passenger_rights",
        {"flights": [{"flight_number": "BA117", "date": "2026-13-01"}]},
        "calendar date",
        id="impossible-date",
    ),
    pytest.param(
        "find_alternative_flights",
        {"origin": "QQQ", "destination": "JFK"},
        "Unknown airport",
        id="unknown-airport",
    ),
    pytest.param(
        "find_alternative_flights",
        {"origin": "LHR", "destination": "JFK", "earliest": "25:00"},
        "earliest",
        id="impossible-time",
    ),
]


@pytest.mark.parametrize(("name", "args", "expected"), BAD_IROPS_CALLS)
def test_bad_input_to_an_irops_tool_is_an_error_and_sends_nothing(
    toolkit: FlightToolkit,
    mock: MockFlightDataProvider,
    name: str,
    args: dict[str, Any],
    expected: str,
) -> None:
    """Each IROPS tool refuses malformed input with a message naming it; no provider call."""
    message = invoke(toolkit, name, args)
    assert message.status == "error"
    assert expected in message.content
    assert len(message.content) < 1000
    assert mock.calls == 0
