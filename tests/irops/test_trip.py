"""A booking judged at once: disruptions per leg, connections, and rights when something broke."""

from __future__ import annotations

from flight_agent.irops import (
    Applicability,
    Cause,
    ConnectionRisk,
    DisruptionKind,
    Regime,
    assess_trip,
)
from flight_agent.models import FlightStatusData
from tests.irops.factories import flight, utc

DAY = "2026-03-10"
NOW = utc("2026-03-10 06:00")


def late_inbound_leg() -> FlightStatusData:
    return flight(
        "BA117",
        "LHR-JFK",
        DAY,
        scheduled_out=utc("2026-03-10 08:25"),
        estimated_out=utc("2026-03-10 12:25"),
        scheduled_in=utc("2026-03-10 15:50"),
        estimated_in=utc("2026-03-10 19:50"),
        departure_delay_minutes=240,
        arrival_delay_minutes=240,
    )


def onward_leg() -> FlightStatusData:
    return flight(
        "AA1830",
        "JFK-BOS",
        DAY,
        scheduled_out=utc("2026-03-10 17:15"),
        scheduled_in=utc("2026-03-10 18:35"),
    )


def test_a_long_delay_breaks_the_connection_and_leaves_the_arrival_open() -> None:
    """Four hours late into JFK: the delay, a missed connection, and UK261 in scope with the
    amount unknown until the rebooked arrival in Boston is known."""
    result = assess_trip([late_inbound_leg(), onward_leg()], now=NOW)
    kinds = {(d.flight_number, d.disruption.kind) for d in result.disruptions}
    assert ("BA117", DisruptionKind.DEPARTURE_DELAY) in kinds
    [connection] = result.connections
    assert connection.risk is ConnectionRisk.MISSED
    uk = next(r for r in result.rights if r.regime is Regime.UK261)
    assert (uk.applicability, uk.amount) == (Applicability.APPLIES, None)


def test_rights_wait_for_every_leg() -> None:
    """An incomplete booking has no rights verdict: the journey's end is unknown."""
    result = assess_trip([late_inbound_leg()], now=NOW, complete=False)
    assert result.rights == ()
    assert result.disruptions


def test_a_calm_trip_has_nothing_to_say() -> None:
    """On time: no disruptions, an ok connection, no rights verdicts."""
    calm = flight(
        "BA117",
        "LHR-JFK",
        DAY,
        scheduled_out=utc("2026-03-10 08:25"),
        scheduled_in=utc("2026-03-10 14:50"),
    )
    result = assess_trip([calm, onward_leg()], now=NOW)
    assert result.disruptions == ()
    assert result.connections[0].risk is ConnectionRisk.OK
    assert result.rights == ()


def test_the_cause_reaches_the_rules() -> None:
    """Four hours late on a one-leg trip: GBP 520, and an extraordinary cause says so."""
    usual = assess_trip([late_inbound_leg()], now=NOW)
    storm = assess_trip([late_inbound_leg()], now=NOW, cause=Cause.EXTRAORDINARY)
    uk_usual = next(r for r in usual.rights if r.regime is Regime.UK261)
    uk_storm = next(r for r in storm.rights if r.regime is Regime.UK261)
    assert (uk_usual.currency, uk_usual.amount) == ("GBP", 520)
    assert uk_storm.confidence != uk_usual.confidence


def test_a_rebooking_sets_the_arrival_the_rights_are_judged_on() -> None:
    """Missed connection re-routed to arrive 4 h 10 late in Boston: GBP 520, not reducible."""
    result = assess_trip(
        [late_inbound_leg(), onward_leg()],
        now=NOW,
        rebooked_arrival=utc("2026-03-10 22:45"),
    )
    uk = next(r for r in result.rights if r.regime is Regime.UK261)
    assert (uk.currency, uk.amount, uk.reduced_amount) == ("GBP", 520, None)
