"""Delay bands: exact boundaries, departure-only bands, early flights."""

from __future__ import annotations

from datetime import timedelta

import pytest

from flight_agent.irops import DelayBand, DisruptionKind, delay_band, detect_disruptions
from tests.irops.factories import flight, utc

SECOND = timedelta(seconds=1)


@pytest.mark.parametrize(
    ("minutes", "band"),
    [
        pytest.param(15, DelayBand.DELAYED, id="15"),
        pytest.param(60, DelayBand.MAJOR, id="60"),
        pytest.param(120, DelayBand.CARE_2H, id="120"),
        pytest.param(180, DelayBand.SEVERE, id="180"),
        pytest.param(240, DelayBand.LONG_HAUL_4H, id="240"),
        pytest.param(300, DelayBand.REFUND_5H, id="300"),
        pytest.param(360, DelayBand.INTL_6H, id="360"),
        pytest.param(540, DelayBand.EXTREME, id="540"),
    ],
)
def test_each_band_starts_exactly_at_its_lower_bound(minutes: int, band: DelayBand) -> None:
    """A departure delay of exactly the bound is in the band; one second less is not."""
    bound = timedelta(minutes=minutes)
    assert delay_band(bound, departure=True) is band
    assert delay_band(bound - SECOND, departure=True) is not band


def test_fourteen_59_is_on_time_and_fifteen_00_is_delayed() -> None:
    """On time means under 15 minutes: 14 min 59 s is on time, 15 min 00 s is delayed."""
    assert delay_band(timedelta(minutes=14, seconds=59), departure=False) is DelayBand.ON_TIME
    assert delay_band(timedelta(minutes=15), departure=False) is DelayBand.DELAYED


def test_care_and_refund_bands_exist_for_departures_only() -> None:
    """Arrivals skip care-2h and refund-5h: 2 h 30 late is major, 5 h late is long-haul-4h."""
    assert delay_band(timedelta(minutes=150), departure=False) is DelayBand.MAJOR
    assert delay_band(timedelta(minutes=300), departure=False) is DelayBand.LONG_HAUL_4H


@pytest.mark.parametrize("minutes", [0, -5, -90])
def test_early_or_punctual_flights_are_on_time(minutes: int) -> None:
    """Negative delays (early) are on time."""
    assert delay_band(timedelta(minutes=minutes), departure=True) is DelayBand.ON_TIME


@pytest.mark.parametrize(
    ("late", "detected"),
    [
        pytest.param(timedelta(minutes=14, seconds=59), False, id="14m59s"),
        pytest.param(timedelta(minutes=15), True, id="15m00s"),
    ],
)
def test_detection_uses_the_exact_delay_not_rounded_minutes(
    late: timedelta, detected: bool
) -> None:
    """A departure 14:59 late raises nothing; 15:00 late raises a departure delay."""
    out = utc("2025-07-15 12:00")
    record = flight("LH400", "FRA-JFK", "2025-07-15", scheduled_out=out, estimated_out=out + late)
    kinds = [d.kind for d in detect_disruptions(record, now=utc("2025-07-15 10:00"))]
    assert (kinds == [DisruptionKind.DEPARTURE_DELAY]) is detected
    assert (kinds == []) is not detected
