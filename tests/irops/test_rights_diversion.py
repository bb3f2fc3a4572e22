"""A diverted journey keeps its arrival at the diversion airport and is priced on the arrival at
the booked destination; while that is unknown, the result says what waits for it.

A diverted record names where it went in ``diverted_to`` and carries its in-times there (the
AeroAPI mapping folds the diversion leg's arrival into the record; the simulator does the same).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
import respx

from flight_agent.airports import get_airport
from flight_agent.clock import FakeClock
from flight_agent.irops import (
    Applicability,
    Cause,
    Confidence,
    ItineraryFacts,
    Regime,
    assess_rights,
    canada_appr,
    journey_facts,
    uk261,
)
from flight_agent.models import FlightStatus, FlightStatusData
from flight_agent.providers.flightaware_provider import AEROAPI_BASE_URL, FlightAwareProvider
from tests.conftest import load_fixture
from tests.irops.factories import flight, utc


@pytest.fixture
def aeroapi() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=AEROAPI_BASE_URL, assert_all_called=False) as router:
        router.get("/flights/UAL901").respond(
            json=load_fixture("aeroapi/flights_UAL901_diverted.json")
        )
        yield router


async def ua901(clock: FakeClock) -> FlightStatusData:
    """UA901 SFO-FRA of 2026-11-27, diverted to Shannon, as the AeroAPI mapping gives it."""
    provider = FlightAwareProvider(api_key="fa-test-key-0123456789", clock=clock)
    record = await provider.get_flight_status("UA901", date(2026, 11, 27))
    assert record is not None
    return record


async def test_an_aeroapi_diversion_reaches_the_rights_with_its_arrival_at_the_alternate(
    aeroapi: respx.MockRouter, clock: FakeClock
) -> None:
    """UA901 lands at SNN 06:31Z instead of FRA: the facts keep that arrival and leave the
    final one open; the US DOT refund right depends on it (not "no refund right" from the
    10 min departure delay alone), and EU261 does not cover a US carrier into the EU."""
    record = await ua901(clock)
    facts = journey_facts([record])
    assert facts.destination.iata == "FRA"
    assert facts.diverted_to is not None
    assert facts.diverted_to.iata == "SNN"
    assert facts.diversion_in == datetime(2026, 11, 28, 6, 31, tzinfo=UTC)
    assert facts.actual_in is None
    results = {result.regime: result for result in assess_rights(facts)}
    us = results[Regime.US_DOT]
    assert us.refund == ()
    assert us.confidence is Confidence.LOW
    assert us.reasons[-1] == (
        "diverted to SNN, at the gate there 06:31 GMT (06:31Z): whether a refund is due "
        "depends on when the passenger reaches FRA, the booked destination, not yet known"
    )
    assert us.summary.startswith("US DOT: USD 0 (diverted to SNN")
    assert results[Regime.EU261].applicability is Applicability.NOT_APPLICABLE


async def test_the_final_arrival_at_the_booked_destination_prices_the_diversion(
    aeroapi: respx.MockRouter, clock: FakeClock
) -> None:
    """Bussed on to FRA, arriving 15:10Z (6 h 15 after the scheduled 08:55Z): a significant
    change of an international trip, so the automatic refund; the SNN arrival is kept."""
    record = await ua901(clock)
    arrived = utc("2026-11-28 15:10")
    facts = journey_facts([record], rebooked_arrival=arrived, now=arrived + timedelta(hours=1))
    assert facts.diversion_in == datetime(2026, 11, 28, 6, 31, tzinfo=UTC)
    assert not facts.arrival_is_estimate  # stated after it happened
    [us] = [result for result in assess_rights(facts) if result.regime is Regime.US_DOT]
    assert us.arrival_delay_minutes == 375
    assert us.refund
    assert us.reasons[1].startswith("diverted to SNN, at the gate there 06:31 GMT (06:31Z); judged")


def ba117_diverted(**fields: object) -> FlightStatusData:
    """BA117 LHR-JFK 2025-03-20 (S15), diverted to Boston, at the gate there 17:00Z."""
    values: dict[str, object] = {
        "scheduled_out": utc("2025-03-20 08:25"),
        "actual_out": utc("2025-03-20 08:25"),
        "scheduled_in": utc("2025-03-20 16:25"),
        "actual_in": utc("2025-03-20 17:00"),
        "diverted_to": get_airport("BOS"),
        "status": FlightStatus.DIVERTED,
    }
    return flight("BA117", "LHR-JFK", "2025-03-20", **(values | fields))


def test_a_diversion_is_priced_on_the_final_arrival_not_the_landing_at_the_alternate() -> None:
    """UK261 (S15 route): landing at BOS 35 min after JFK's schedule earns nothing, but the
    passenger reaches JFK 3 h 30 late: GBP 520, reducible to GBP 260. Without the final
    arrival the amount is unknown, and the reason says it depends on it."""
    unknown = uk261(ItineraryFacts.from_legs([ba117_diverted()]))
    assert (unknown.applicability, unknown.amount) == (Applicability.APPLIES, None)
    assert "compensation depends on when the passenger reaches JFK" in unknown.reasons[-1]
    assert unknown.summary.startswith("UK261: amount unknown (diverted to BOS, at the gate")
    priced = uk261(journey_facts([ba117_diverted()], rebooked_arrival=utc("2025-03-20 19:55")))
    assert (priced.amount, priced.reduced_amount) == (520, 260)
    assert priced.arrival_delay_minutes == 210
    assert any(reason.startswith("diverted to BOS") for reason in priced.reasons)


def test_canada_appr_waits_for_the_final_arrival_of_a_diversion() -> None:
    """YYZ-YVR on Air Canada diverted to Calgary: unknown until the arrival in Vancouver is
    known; 6 h 10 late there it is CAD 700."""
    diverted = flight(
        "AC101",
        "YYZ-YVR",
        "2025-01-15",
        scheduled_out=utc("2025-01-15 15:00"),
        scheduled_in=utc("2025-01-15 20:00"),
        actual_in=utc("2025-01-15 19:30"),
        diverted_to=get_airport("YYC"),
        status=FlightStatus.DIVERTED,
    )
    unknown = canada_appr(journey_facts([diverted], cause=Cause.CARRIER))
    assert unknown.amount is None
    assert "compensation depends on when the passenger reaches YVR" in unknown.reasons[1]
    final = utc("2025-01-15 20:00") + timedelta(hours=6, minutes=10)
    priced = canada_appr(journey_facts([diverted], cause=Cause.CARRIER, rebooked_arrival=final))
    assert (priced.amount, priced.arrival_delay_minutes) == (700, 370)


def test_a_diversion_to_an_unnamed_airport_does_not_read_the_old_arrival_estimate() -> None:
    """AeroDataBox and AviationStack say only "diverted", keeping the arrival estimate for the
    booked destination from before the diversion: EU261 does not read it as "on time, EUR 0"
    but waits for the arrival at LHR, and says the data does not name the alternate."""
    record = flight(
        "AF1080",
        "CDG-LHR",
        "2025-07-15",
        scheduled_out=utc("2025-07-15 07:00"),
        actual_out=utc("2025-07-15 07:05"),
        scheduled_in=utc("2025-07-15 08:20"),
        estimated_in=utc("2025-07-15 08:20"),
        status=FlightStatus.DIVERTED,
    )
    facts = ItineraryFacts.from_legs([record])
    assert (facts.diverted, facts.diverted_to, facts.diversion_in) == (True, None, None)
    assert facts.actual_in is None
    [eu] = [result for result in assess_rights(facts) if result.regime is Regime.EU261]
    assert eu.amount is None
    assert eu.reasons[-1].startswith(
        "diverted (the data does not say where): compensation depends on when the passenger "
        "reaches LHR"
    )
