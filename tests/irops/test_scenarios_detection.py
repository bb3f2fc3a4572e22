"""IROPS.md section 5 scenarios, detection side: S01, S02, S03, S05, S15, S19, S21."""

from __future__ import annotations

from datetime import timedelta

from flight_agent.irops import (
    DelayBand,
    DisruptionKind,
    Severity,
    detect_disruptions,
    predict_departure,
)
from flight_agent.models import FlightStatus, FlightStatusData, local_clock
from tests.irops.factories import at, flight, utc


def test_s01_flight_twelve_and_nine_minutes_late_raises_nothing() -> None:
    """S01: +12 min out and +9 min in are both on time (< 15 min): no disruption."""
    ua = flight(
        "UA1234",
        "ORD-DEN",
        "2025-07-15",
        scheduled_out=at("2025-07-15 08:00", "America/Chicago"),
        actual_out=at("2025-07-15 08:12", "America/Chicago"),
        actual_off=utc("2025-07-15 13:25"),
        actual_on=utc("2025-07-15 15:38"),
        scheduled_in=at("2025-07-15 09:35", "America/Denver"),
        actual_in=at("2025-07-15 09:44", "America/Denver"),
        departure_delay_minutes=12,
        arrival_delay_minutes=9,
        status=FlightStatus.ARRIVED,
    )
    assert ua.scheduled_out == utc("2025-07-15 13:00")
    assert ua.scheduled_in == utc("2025-07-15 15:35")
    assert detect_disruptions(ua, ua, now=utc("2025-07-15 16:00")) == []


def test_s02_forty_seven_minute_departure_delay_is_band_delayed() -> None:
    """S02: AF1080 estimated out 09:47 CEST for 09:00 is a 47 min delay, band "delayed"."""
    af = flight(
        "AF1080",
        "CDG-LHR",
        "2025-07-15",
        scheduled_out=at("2025-07-15 09:00", "Europe/Paris"),
        estimated_out=at("2025-07-15 09:47", "Europe/Paris"),
        departure_delay_minutes=47,
    )
    (delay,) = detect_disruptions(af, now=utc("2025-07-15 06:30"))
    assert delay.kind is DisruptionKind.DEPARTURE_DELAY
    assert delay.band is DelayBand.DELAYED
    assert delay.severity is Severity.LOW
    assert delay.evidence["delay_minutes"] == 47
    assert af.estimated_out == utc("2025-07-15 07:47")
    assert "scheduled 09:00 CEST (07:00Z), now 09:47 CEST (07:47Z)" in delay.explanation


def _s03() -> tuple[FlightStatusData, FlightStatusData]:
    dl = flight(
        "DL1502",
        "ATL-LGA",
        "2025-07-15",
        scheduled_out=utc("2025-07-15 18:00"),
        estimated_out=utc("2025-07-15 18:00"),
        departure_delay_minutes=0,
        aircraft_type="A321",
        registration="N301DN",
        inbound_flight_id="DAL2211-1752480000-airline-0007",
    )
    inbound = flight(
        "DL2211",
        "MCO-ATL",
        "2025-07-15",
        scheduled_in=at("2025-07-15 13:10", "America/New_York"),
        estimated_in=at("2025-07-15 14:25", "America/New_York"),
        aircraft_type="A321",
        registration="N301DN",
    )
    return dl, inbound


def test_s03_late_inbound_predicts_departure_1455_edt_55_minutes_late() -> None:
    """S03: inbound in 14:25 EDT + 30 min narrowbody turn gives out 14:55 EDT (18:55Z), +55."""
    dl, inbound = _s03()
    prediction = predict_departure(dl, inbound)
    assert prediction.predicted_out == utc("2025-07-15 18:55")
    assert prediction.predicted_delay_minutes == 55
    assert prediction.min_turn_minutes == 30
    assert "departure 14:55 EDT (18:55Z)" in prediction.explanation


def test_s03_late_inbound_is_detected_while_airline_shows_on_time() -> None:
    """S03: detection raises a late-inbound disruption though the airline estimate is on time."""
    dl, inbound = _s03()
    (late,) = detect_disruptions(dl, now=utc("2025-07-15 16:00"), inbound=inbound)
    assert late.kind is DisruptionKind.LATE_INBOUND
    assert late.band is DelayBand.DELAYED
    assert late.evidence["predicted_out"] == utc("2025-07-15 18:55")
    assert "airline still shows it on time" in late.explanation


def _s05(**changes: object) -> tuple[FlightStatusData, FlightStatusData]:
    before = flight(
        "BA1440",
        "LHR-EDI",
        "2025-07-15",
        scheduled_out=at("2025-07-15 08:00", "Europe/London"),
        gate_origin="A10",
        terminal_origin="5",
    )
    return before, before.model_copy(update=changes)


def test_s05_gate_change_35_minutes_before_departure_is_high_priority() -> None:
    """S05: gate A10 to C64 at 07:25 BST for an 08:00 BST departure: gate change, high."""
    before, after = _s05(gate_origin="C64")
    (change,) = detect_disruptions(after, before, now=at("2025-07-15 07:25", "Europe/London"))
    assert change.kind is DisruptionKind.GATE_CHANGE
    assert change.severity is Severity.HIGH
    assert change.evidence == {
        "gate_origin": "C64",
        "previous_gate_origin": "A10",
        "minutes_left": 35,
    }
    assert "A10 to C64, 35 min before departure" in change.explanation


def test_s05_terminal_change_before_leaving_for_the_airport_is_high_priority() -> None:
    """S05 variant: terminal 5 to 3 at 05:00 BST (3 h out) is a landside change, high."""
    before, after = _s05(terminal_origin="3")
    (change,) = detect_disruptions(after, before, now=at("2025-07-15 05:00", "Europe/London"))
    assert change.kind is DisruptionKind.TERMINAL_CHANGE
    assert change.severity is Severity.HIGH
    assert change.evidence["minutes_left"] == 180
    assert "landside" in change.explanation


def test_s15_new_york_renders_as_edt_before_uk_clocks_change() -> None:
    """S15: on 2025-03-20 London is GMT but New York already EDT: 16:25Z is 12:25, not 11:25."""
    ba = flight(
        "BA117",
        "LHR-JFK",
        "2025-03-20",
        scheduled_out=at("2025-03-20 08:25", "Europe/London"),
        scheduled_in=at("2025-03-20 12:25", "America/New_York"),
        actual_in=at("2025-03-20 15:55", "America/New_York"),
        status=FlightStatus.ARRIVED,
    )
    assert ba.scheduled_out == utc("2025-03-20 08:25")
    assert ba.scheduled_in == utc("2025-03-20 16:25")
    assert ba.scheduled_in - ba.scheduled_out == timedelta(hours=8)
    assert (
        local_clock(ba.scheduled_in, ba.destination, dated=True) == "2025-03-20 12:25 EDT (16:25Z)"
    )
    (late,) = detect_disruptions(ba, now=utc("2025-03-20 20:00"))
    assert late.kind is DisruptionKind.ARRIVAL_DELAY
    assert late.evidence["delay_minutes"] == 210
    assert late.band is DelayBand.SEVERE
    assert "scheduled 12:25 EDT (16:25Z), now 15:55 EDT (19:55Z)" in late.explanation


def test_s19_return_to_gate_gives_a_two_hour_ten_departure_delay() -> None:
    """S19: out 08:05, back at the gate, new out 10:10 EDT: return to gate and +2 h 10."""
    pushed = flight(
        "AA117",
        "JFK-LAX",
        "2025-07-15",
        scheduled_out=at("2025-07-15 08:00", "America/New_York"),
        actual_out=at("2025-07-15 08:05", "America/New_York"),
        status=FlightStatus.DEPARTED,
    )
    back = pushed.model_copy(update={"estimated_out": at("2025-07-15 10:10", "America/New_York")})
    found = detect_disruptions(back, pushed, now=at("2025-07-15 08:45", "America/New_York"))
    kinds = {d.kind: d for d in found}
    assert set(kinds) == {DisruptionKind.DEPARTURE_DELAY, DisruptionKind.RETURN_TO_GATE}
    assert kinds[DisruptionKind.DEPARTURE_DELAY].evidence["delay_minutes"] == 130
    assert kinds[DisruptionKind.DEPARTURE_DELAY].band is DelayBand.CARE_2H
    assert "new departure 10:10 EDT (14:10Z)" in kinds[DisruptionKind.RETURN_TO_GATE].explanation


def _s21() -> FlightStatusData:
    return flight(
        "B61234",
        "JFK-BOS",
        "2025-07-15",
        scheduled_out=at("2025-07-15 17:00", "America/New_York"),
        actual_out=at("2025-07-15 17:00", "America/New_York"),
        status=FlightStatus.DEPARTED,
    )


def test_s21_tarmac_delay_of_2h45_must_end_by_2000_edt() -> None:
    """S21: door closed 17:00 EDT, no take-off at 19:45: return must begin by 20:00 EDT."""
    (tarmac,) = detect_disruptions(_s21(), now=at("2025-07-15 19:45", "America/New_York"))
    assert tarmac.kind is DisruptionKind.TARMAC_DELAY
    assert tarmac.severity is Severity.HIGH
    assert tarmac.evidence["elapsed_minutes"] == 165
    assert tarmac.evidence["limit_at"] == utc("2025-07-16 00:00")
    assert tarmac.evidence["food_water_due_at"] == utc("2025-07-15 23:00")
    assert "must begin by 20:00 EDT (00:00Z)" in tarmac.explanation
    assert "food and water were due by 19:00 EDT (23:00Z)" in tarmac.explanation


def test_s21_tarmac_delay_escalates_at_2h30_and_at_the_3h_limit() -> None:
    """S21: 2 h 29 is medium, 2 h 30 high, 3 h 00 (the US domestic limit) critical."""
    expected = {"19:29": Severity.MEDIUM, "19:30": Severity.HIGH, "20:00": Severity.CRITICAL}
    for clock, severity in expected.items():
        now = at(f"2025-07-15 {clock}", "America/New_York")
        (tarmac,) = detect_disruptions(_s21(), now=now)
        assert tarmac.severity is severity, clock
