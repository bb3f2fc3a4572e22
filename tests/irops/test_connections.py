"""Connections: risk classes, the MCT table lookup, itineraries."""

from __future__ import annotations

from datetime import timedelta

import pytest

from flight_agent.irops import (
    ConnectionRisk,
    MctTable,
    assess_connection,
    assess_itinerary,
    classify_connection,
    default_mct_table,
)
from flight_agent.models import FlightStatus, FlightStatusData
from tests.irops.factories import flight, utc

MCT = timedelta(minutes=60)
ARRIVE = utc("2025-07-15 12:00")


@pytest.mark.parametrize(
    ("slack", "risk"),
    [
        pytest.param(-timedelta(seconds=1), ConnectionRisk.MISSED, id="negative"),
        pytest.param(timedelta(0), ConnectionRisk.AT_RISK, id="zero"),
        pytest.param(MCT - timedelta(seconds=1), ConnectionRisk.AT_RISK, id="just-under-mct"),
        pytest.param(MCT, ConnectionRisk.TIGHT, id="mct"),
        pytest.param(
            MCT + timedelta(minutes=14, seconds=59), ConnectionRisk.TIGHT, id="mct+14m59s"
        ),
        pytest.param(MCT + timedelta(minutes=15), ConnectionRisk.OK, id="mct+15"),
    ],
)
def test_risk_classes_follow_slack_against_mct(slack: timedelta, risk: ConnectionRisk) -> None:
    """ok from MCT+15, tight from MCT, at risk from 0, missed below 0."""
    assert classify_connection(slack, MCT) is risk


def connect(
    route_in: str,
    route_out: str,
    gap: timedelta,
    *,
    terminals: tuple[str | None, str | None] = (None, None),
    carrier: str = "BA",
    day: str = "2025-07-15",
) -> tuple[FlightStatusData, FlightStatusData]:
    """An inbound arriving at 12:00Z and an onward leaving ``gap`` later."""
    inbound = flight("XX1", route_in, day, scheduled_in=ARRIVE, terminal_destination=terminals[0])
    onward = flight(
        f"{carrier}2",
        route_out,
        day,
        scheduled_out=ARRIVE + gap,
        terminal_origin=terminals[1],
    )
    return inbound, onward


@pytest.mark.parametrize(
    ("route_in", "route_out", "terminals", "carrier", "day", "minutes"),
    [
        pytest.param("EDI-LHR", "LHR-JFK", ("2", "2"), "BA", "2025-07-15", 60, id="lhr-t2-t2"),
        pytest.param("EDI-LHR", "LHR-JFK", ("2", "3"), "BA", "2025-07-15", 75, id="lhr-t2-t3"),
        pytest.param("EDI-LHR", "LHR-JFK", ("5", "5"), "BA", "2025-07-15", 60, id="lhr-same-t5"),
        pytest.param("EDI-LHR", "LHR-JFK", ("5", "3"), "BA", "2025-07-15", 90, id="lhr-t5-t3"),
        pytest.param("EDI-LHR", "LHR-JFK", (None, None), "BA", "2025-07-15", 90, id="lhr-unknown"),
        pytest.param(
            "JFK-FRA", "FRA-MUC", (None, None), "LH", "2025-03-29", 45, id="fra-lh-before"
        ),
        pytest.param("JFK-FRA", "FRA-MUC", (None, None), "LH", "2025-03-30", 60, id="fra-lh-from"),
        pytest.param("JFK-FRA", "FRA-MUC", (None, None), "UA", "2025-07-15", 45, id="fra-other"),
        pytest.param("HAM-MUC", "MUC-CDG", ("2", "2"), "LH", "2025-07-15", 30, id="muc-lh-t2"),
        pytest.param("LHR-AMS", "AMS-CDG", (None, None), "KL", "2025-07-15", 40, id="ams-europe"),
        pytest.param("LHR-AMS", "AMS-JFK", (None, None), "KL", "2025-07-15", 50, id="ams-interc"),
        pytest.param("LHR-JFK", "JFK-LAX", ("4", "4"), "DL", "2025-07-15", 90, id="jfk-t4-i-d"),
        pytest.param("BOS-JFK", "JFK-LAX", ("4", "4"), "DL", "2025-07-15", 45, id="jfk-d-d-same"),
        pytest.param("ORD-ATL", "ATL-MIA", (None, None), "DL", "2025-07-15", 40, id="atl-d-d"),
        pytest.param("ORD-DEN", "DEN-LAX", (None, None), "UA", "2025-07-15", 45, id="generic-dd"),
        pytest.param("LHR-DEN", "DEN-LAX", (None, None), "UA", "2025-07-15", 90, id="generic-id"),
        pytest.param("EDI-LHR", "LGW-JFK", (None, None), "BA", "2025-07-15", 150, id="lhr-lgw"),
    ],
)
def test_mct_lookup_picks_the_most_specific_row(
    route_in: str,
    route_out: str,
    terminals: tuple[str | None, str | None],
    carrier: str,
    day: str,
    minutes: int,
) -> None:
    """Carrier, dated, terminal, category and region rows beat the generic fallbacks."""
    inbound, onward = connect(
        route_in, route_out, timedelta(hours=3), terminals=terminals, carrier=carrier, day=day
    )
    assert assess_connection(inbound, onward).mct_minutes == minutes


def test_connection_gives_slack_mct_and_risk_with_local_times() -> None:
    """EDI-LHR T5 in 12:00Z, BA to JFK T5 out 13:10Z: 70 min slack vs 60: tight."""
    inbound, onward = connect("EDI-LHR", "LHR-JFK", timedelta(minutes=70), terminals=("5", "5"))
    result = assess_connection(inbound, onward)
    assert (result.slack_minutes, result.mct_minutes, result.risk) == (70, 60, ConnectionRisk.TIGHT)
    assert "13:00 BST (12:00Z)" in result.explanation


def test_a_generic_fallback_is_explained_as_an_assumed_value() -> None:
    """DEN has no row of its own: the verdict says its MCT is the generic, assumed one."""
    inbound, onward = connect("ORD-DEN", "DEN-LAX", timedelta(hours=3))
    result = assess_connection(inbound, onward)
    assert result.mct_source == "assumed value: generic fallback"
    assert "against an MCT of 45 min (DD, assumed value: generic fallback): ok." in (
        result.explanation
    )


def test_every_packaged_mct_source_reads_without_documents_users_do_not_have() -> None:
    """Sources are shown to travellers: publishers and plain words, no citation of a reference
    document and no bracketed confidence tags."""
    for rule in default_mct_table().rules:
        assert rule.source
        assert ".md" not in rule.source
        assert "[" not in rule.source


def test_onward_estimated_departure_is_used() -> None:
    """A delayed onward flight can rescue a connection: its estimated out counts."""
    inbound, onward = connect("ORD-DEN", "DEN-LAX", timedelta(minutes=20))
    rescued = onward.model_copy(update={"estimated_out": ARRIVE + timedelta(hours=2)})
    assert assess_connection(inbound, onward).risk is ConnectionRisk.AT_RISK
    assert assess_connection(inbound, rescued).risk is ConnectionRisk.OK


def test_airport_change_without_an_mct_row_is_unknown() -> None:
    """JFK to LGA has no row: unknown, with the reason, rather than a guess."""
    inbound, onward = connect("LHR-JFK", "LGA-ORD", timedelta(hours=4))
    result = assess_connection(inbound, onward)
    assert result.risk is ConnectionRisk.UNKNOWN
    assert "MCT" in result.explanation


def test_missing_times_are_unknown() -> None:
    """Without the inbound arrival the connection cannot be judged."""
    inbound = flight("XX1", "ORD-DEN", "2025-07-15")
    onward = flight("UA2", "DEN-LAX", "2025-07-15", scheduled_out=ARRIVE)
    assert assess_connection(inbound, onward).risk is ConnectionRisk.UNKNOWN


def test_cancelled_leg_breaks_the_connection() -> None:
    """A cancelled onward flight means the connection is missed."""
    inbound, onward = connect("ORD-DEN", "DEN-LAX", timedelta(hours=3))
    result = assess_connection(
        inbound, onward.model_copy(update={"status": FlightStatus.CANCELLED})
    )
    assert result.risk is ConnectionRisk.MISSED


def test_custom_table_can_replace_the_packaged_one() -> None:
    """Operators can load their own MCT table from CSV text."""
    table = MctTable.from_csv(
        "# own table\n"
        "airport,arrival_terminal,departure_terminal,category,carrier,onward_region,valid_from,"
        "minutes,source\n"
        "DEN,*,*,*,*,,,25,ops\n"
    )
    inbound, onward = connect("ORD-DEN", "DEN-LAX", timedelta(minutes=30))
    result = assess_connection(inbound, onward, table=table)
    assert (result.mct_minutes, result.mct_source, result.risk) == (25, "ops", ConnectionRisk.TIGHT)


def test_itinerary_reports_each_connection_and_the_worst_risk() -> None:
    """Three legs, one comfortable and one missed connection: the itinerary is missed."""
    legs = [
        flight("UA1", "SEA-DEN", "2025-07-15", scheduled_in=ARRIVE),
        flight(
            "UA2",
            "DEN-ORD",
            "2025-07-15",
            scheduled_out=ARRIVE + timedelta(hours=2),
            scheduled_in=ARRIVE + timedelta(hours=5),
        ),
        flight("UA3", "ORD-BOS", "2025-07-15", scheduled_out=ARRIVE + timedelta(hours=4)),
    ]
    result = assess_itinerary(legs)
    assert [c.risk for c in result.connections] == [ConnectionRisk.OK, ConnectionRisk.MISSED]
    assert result.risk is ConnectionRisk.MISSED


def test_single_leg_itinerary_has_no_connection() -> None:
    """A non-stop trip has nothing to miss."""
    result = assess_itinerary([flight("UA1", "SEA-DEN", "2025-07-15")])
    assert (result.connections, result.risk) == ((), ConnectionRisk.OK)
