"""When a reported cancellation counts as confirmed.

A record's ``cancelled`` is not yet a cancellation: AeroAPI's flag means "no longer tracked by
FlightAware", which is not always the airline cancelling, AeroDataBox reports
``CanceledUncertain`` (the record's ``cancellation_uncertain``), and airlines reinstate flights.
A cancellation is confirmed once it holds: the record reports it firmly (status cancelled, not
flagged uncertain) and a snapshot at least ``CANCELLATION_CONFIRMED_AFTER`` older reported it
too. Until then it is provisional.

``cancellation_uncertain`` is only the provider's own doubt: ``False`` on a first report does not
make it confirmed. Disruption detection and the rights facts both judge here, so a cancellation
one calls provisional the other does too.
"""

from __future__ import annotations

from datetime import timedelta

from flight_agent.models import FlightStatus, FlightStatusData

CANCELLATION_CONFIRMED_AFTER = timedelta(minutes=10)
"""A cancellation reported in two snapshots this far apart is confirmed."""


def cancellation_held(
    current: FlightStatusData, previous: FlightStatusData | None
) -> timedelta | None:
    """How long a firm cancellation has been reported, from an earlier snapshot reporting it.

    Args:
        current: The latest record.
        previous: An earlier snapshot of the same flight, None when there is none.

    Returns:
        The time between the two snapshots; None when ``current`` does not report a firm
        cancellation or ``previous`` reports none.
    """
    firm = current.status is FlightStatus.CANCELLED and not current.cancellation_uncertain
    if not firm or previous is None or previous.status is not FlightStatus.CANCELLED:
        return None
    return current.fetched_at - previous.fetched_at


def cancellation_confirmed(current: FlightStatusData, previous: FlightStatusData | None) -> bool:
    """Whether the record's cancellation has held long enough to be confirmed.

    Args:
        current: The latest record.
        previous: An earlier snapshot of the same flight, None when there is none.
    """
    held = cancellation_held(current, previous)
    return held is not None and held >= CANCELLATION_CONFIRMED_AFTER
