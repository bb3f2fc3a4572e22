"""IROPS.md section 5 scenarios with FAA programmes: S22 (ground stop), S23 (GDP + connection)."""

from __future__ import annotations

from flight_agent.irops import (
    Cause,
    ConnectionRisk,
    ItineraryFacts,
    ProgrammeKind,
    assess_connection,
    parse_nas_status,
    programme_effects,
    us_dot_refund,
)
from flight_agent.irops.formatting import local_clock
from tests.irops.factories import FIXTURES, flight, utc


def test_s22_ground_stop_at_destination_holds_departure_until_1530_cdt() -> None:
    """S22: EWR ground stop to 4:30 pm EDT: UA1512 leaves 15:30 CDT (20:30Z), >= +45 min."""
    status = parse_nas_status(
        (FIXTURES / "nas_s22_ground_stop.xml").read_bytes(), received_at=utc("2025-07-15 19:00")
    )
    ua = flight(
        "UA1512",
        "ORD-EWR",
        "2025-07-15",
        scheduled_out=utc("2025-07-15 19:45"),
        scheduled_in=utc("2025-07-15 21:55"),
    )
    (effect,) = programme_effects(ua, status)
    assert effect.programme.kind is ProgrammeKind.GROUND_STOP
    assert effect.programme.ends_at == utc("2025-07-15 20:30")
    assert effect.at_destination
    assert effect.predicted_out == utc("2025-07-15 20:30")
    assert local_clock(effect.predicted_out, ua.origin) == "15:30 CDT (20:30Z)"
    assert effect.added_delay_minutes == 45
    assert effect.predicted_in == utc("2025-07-15 22:40")
    assert local_clock(effect.predicted_in, ua.destination) == "18:40 EDT (22:40Z)"
    assert effect.extension_risk
    assert effect.cause is Cause.EXTRAORDINARY
    assert "at least 45 min late; it may be extended" in effect.explanation


def test_s22_ground_stop_delay_gives_no_rights_below_three_hours() -> None:
    """S22: a 45 min NAS delay on a domestic US trip gives no DOT refund right."""
    facts = ItineraryFacts.from_legs(
        [
            flight(
                "UA1512",
                "ORD-EWR",
                "2025-07-15",
                scheduled_out=utc("2025-07-15 19:45"),
                estimated_out=utc("2025-07-15 20:30"),
                scheduled_in=utc("2025-07-15 21:55"),
                estimated_in=utc("2025-07-15 22:40"),
            )
        ],
        cause=Cause.EXTRAORDINARY,
    )
    assert us_dot_refund(facts).refund == ()


def test_s23_ground_delay_programme_puts_the_onward_connection_at_risk() -> None:
    """S23: SFO GDP avg 1 h 32: in 10:42 PST, 18 min before UA837 against a 60 min D-I MCT."""
    status = parse_nas_status(
        (FIXTURES / "nas_s23_ground_delay.xml").read_bytes(), received_at=utc("2025-01-15 13:30")
    )
    inbound = flight(
        "UA1234",
        "SEA-SFO",
        "2025-01-15",
        scheduled_out=utc("2025-01-15 15:00"),
        scheduled_in=utc("2025-01-15 17:10"),
    )
    onward = flight("UA837", "SFO-NRT", "2025-01-15", scheduled_out=utc("2025-01-15 19:00"))
    (effect,) = programme_effects(inbound, status)
    assert effect.programme.average_delay_minutes == 92
    assert effect.programme.max_delay_minutes == 185
    assert effect.predicted_out == utc("2025-01-15 16:32")
    assert local_clock(effect.predicted_out, inbound.origin) == "08:32 PST (16:32Z)"
    assert effect.predicted_in == utc("2025-01-15 18:42")
    assert local_clock(effect.predicted_in, inbound.destination) == "10:42 PST (18:42Z)"

    expected = assess_connection(
        inbound.model_copy(update={"estimated_in": effect.predicted_in}), onward
    )
    assert (expected.slack_minutes, expected.mct_minutes) == (18, 60)
    assert expected.category == "DI"
    assert expected.risk is ConnectionRisk.AT_RISK

    worst = assess_connection(inbound.model_copy(update={"estimated_in": effect.worst_in}), onward)
    assert effect.worst_in == utc("2025-01-15 20:15")
    assert worst.slack_minutes == -75
    assert worst.risk is ConnectionRisk.MISSED
