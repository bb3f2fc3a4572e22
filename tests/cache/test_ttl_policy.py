"""Freshness follows the flight's phase, one row of the policy table per case."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from flight_agent.cache import TtlPolicy
from flight_agent.models import FlightStatus
from tests.cache.samples import NOW, flight

H = timedelta(hours=1)
M = timedelta(minutes=1)
POLICY = TtlPolicy()


@pytest.mark.parametrize(
    ("overrides", "fresh_for"),
    [
        pytest.param({"scheduled_out": NOW + 25 * H}, H, id="scheduled-over-24h-ahead"),
        pytest.param({"scheduled_out": NOW + 24 * H}, 10 * M, id="scheduled-exactly-24h"),
        pytest.param({"scheduled_out": NOW + 6 * H}, 10 * M, id="scheduled-6h-ahead"),
        pytest.param({"scheduled_out": NOW + 3 * H}, 2 * M, id="scheduled-exactly-3h"),
        pytest.param({"scheduled_out": NOW + 30 * M}, 2 * M, id="scheduled-30min-ahead"),
        pytest.param({"scheduled_out": NOW - 10 * M}, 2 * M, id="scheduled-departure-passed"),
        pytest.param(
            {"scheduled_out": NOW + 2 * H, "estimated_out": NOW + 26 * H},
            H,
            id="estimate-beats-schedule",
        ),
        pytest.param(
            {"scheduled_out": None, "scheduled_in": None}, M, id="scheduled-without-times"
        ),
        pytest.param({"status": FlightStatus.BOARDING}, M, id="boarding"),
        pytest.param(
            {"status": FlightStatus.DEPARTED, "actual_out": NOW - 5 * M}, M, id="taxiing-out"
        ),
        pytest.param(
            {"status": FlightStatus.DEPARTED, "actual_off": NOW - 5 * M},
            5 * M,
            id="departed-and-airborne",
        ),
        pytest.param({"status": FlightStatus.EN_ROUTE}, 5 * M, id="en-route"),
        pytest.param(
            {"status": FlightStatus.EN_ROUTE, "scheduled_in": NOW + 46 * M},
            5 * M,
            id="en-route-46min-out",
        ),
        pytest.param(
            {"status": FlightStatus.EN_ROUTE, "estimated_in": NOW + 45 * M},
            2 * M,
            id="en-route-45min-out-arrival-horizon",
        ),
        pytest.param(
            {"status": FlightStatus.EN_ROUTE, "scheduled_in": None}, 5 * M, id="en-route-no-eta"
        ),
        pytest.param({"status": FlightStatus.LANDED}, 2 * M, id="landed"),
        pytest.param({"status": FlightStatus.ARRIVED}, 6 * H, id="arrived"),
        pytest.param(
            {"status": FlightStatus.LANDED, "actual_in": NOW - 5 * M},
            6 * H,
            id="at-the-gate-status-lagging",
        ),
        pytest.param(
            {"status": FlightStatus.DIVERTED, "actual_in": NOW - 5 * M},
            5 * M,
            id="diverted-at-the-alternates-gate",
        ),
        pytest.param({"status": FlightStatus.CANCELLED}, 10 * M, id="cancelled"),
        pytest.param(
            {"status": FlightStatus.CANCELLED, "cancellation_uncertain": True},
            M,
            id="cancellation-uncertain",
        ),
        pytest.param({"status": FlightStatus.DIVERTED}, 5 * M, id="diverted"),
        pytest.param({"status": FlightStatus.UNKNOWN}, M, id="unknown"),
    ],
)
def test_fresh_time_follows_the_phase(overrides: dict[str, Any], fresh_for: timedelta) -> None:
    """Each phase gets the fresh time of its row in the policy table."""
    assert POLICY.fresh_for(flight(**overrides), NOW) == fresh_for


def test_a_not_found_answer_is_fresh_for_two_minutes() -> None:
    """No record means "not found", cached briefly."""
    assert POLICY.fresh_for(None, NOW) == 2 * M


@pytest.mark.parametrize(
    "record",
    [
        pytest.param(flight(status=FlightStatus.EN_ROUTE), id="record"),
        pytest.param(None, id="none"),
    ],
)
def test_entry_is_stored_now_fresh_by_phase_and_stale_for_six_more_hours(
    record: Any,
) -> None:
    """The entry's deadlines are now + fresh_for, then stale_for beyond freshness."""
    cached = POLICY.entry(record, NOW)
    assert cached.value is record
    assert cached.stored_at == NOW
    assert cached.fresh_until == NOW + POLICY.fresh_for(record, NOW)
    assert cached.stale_until == cached.fresh_until + 6 * H


def test_every_duration_is_configurable() -> None:
    """Fields accept timedeltas, seconds or ISO durations and change the answers."""
    policy = TtlPolicy(en_route=timedelta(minutes=3), final=3600, stale_for="PT30M")
    airborne = flight(status=FlightStatus.EN_ROUTE)
    assert policy.fresh_for(airborne, NOW) == 3 * M
    assert policy.fresh_for(flight(status=FlightStatus.ARRIVED), NOW) == H
    assert policy.entry(airborne, NOW).stale_until == NOW + 33 * M


def test_stale_copies_can_be_switched_off() -> None:
    """stale_for of zero ends an entry at its freshness."""
    cached = TtlPolicy(stale_for=0).entry(None, NOW)
    assert cached.stale_until == cached.fresh_until


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        pytest.param({"near": 0}, "greater than 0", id="zero-fresh-time"),
        pytest.param({"far_horizon": -60}, "greater than 0", id="negative-horizon"),
        pytest.param({"stale_for": -1}, "greater than or equal to 0", id="negative-stale"),
        pytest.param({"near_horizon": 24 * H}, "near_horizon", id="near-not-before-far"),
        pytest.param({"fresh": 60}, "Extra inputs", id="unknown-field"),
    ],
)
def test_unsafe_configuration_is_rejected(fields: dict[str, Any], message: str) -> None:
    """Non-positive durations, crossed horizons and unknown fields fail validation."""
    with pytest.raises(ValidationError, match=message):
        TtlPolicy(**fields)


def test_the_policy_is_frozen_and_documents_its_fields() -> None:
    """A policy cannot change after creation, and every field carries its reason."""
    with pytest.raises(ValidationError):
        POLICY.final = H  # type: ignore[misc]
    assert all(field.description for field in TtlPolicy.model_fields.values())
