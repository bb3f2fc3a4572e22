"""The gate times the rules use: expected departure and arrival of a flight record.

Regulations key off gate (door) times, so these never fall back to runway times.
"""

from __future__ import annotations

from datetime import datetime

from flight_agent.models import FlightStatusData


def left_gate_only(flight: FlightStatusData) -> bool:
    """Whether the aircraft has left the gate and nothing later (off, on, in) is recorded.

    Args:
        flight: The flight record.
    """
    return (
        flight.actual_out is not None
        and flight.actual_off is None
        and flight.actual_on is None
        and flight.actual_in is None
    )


def returned_to_gate(flight: FlightStatusData) -> bool:
    """Whether the aircraft left the gate, did not take off, and has a new, later departure.

    AeroAPI has no return-to-gate flag: the sign is an ``actual_out`` without
    ``actual_off`` followed by an ``estimated_out`` after it.

    Args:
        flight: The flight record.
    """
    return (
        left_gate_only(flight)
        and flight.estimated_out is not None
        and flight.actual_out is not None
        and flight.estimated_out > flight.actual_out
    )


def expected_out(flight: FlightStatusData) -> datetime | None:
    """The gate departure to expect.

    Args:
        flight: The flight record.

    Returns:
        The new departure after a return to gate, else actual, else estimated; None when
        neither is known.
    """
    if returned_to_gate(flight):
        return flight.estimated_out
    return flight.actual_out or flight.estimated_out


def expected_in(flight: FlightStatusData) -> datetime | None:
    """The gate arrival to expect: actual, else estimated (None when neither is known).

    Args:
        flight: The flight record.
    """
    return flight.actual_in or flight.estimated_in
