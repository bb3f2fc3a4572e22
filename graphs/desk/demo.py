"""The demo's trips on the simulated day: one place for ``desk --demo`` and ``serve --demo``.

Five travellers on the simulated world's flights: a missed connection, a cancellation, a
delay, a diversion (which shows about noon) and one on time.
"""

from __future__ import annotations

import datetime as dt

from graphs.desk.desk import Desk
from graphs.desk.trips import Trip

DEMO_TRIPS: tuple[tuple[str, str, list[tuple[str, str]]], ...] = (
    ("smith", "Ann Smith: London to Boston", [("BA117", "LHR"), ("AA1830", "JFK")]),
    ("meyer", "Jo Meyer: Frankfurt to New York", [("LH400", "FRA")]),
    ("dubois", "Lea Dubois: Paris", [("AF1080", "CDG")]),
    ("khan", "Sam Khan: Doha to London", [("QR1", "DOH")]),
    ("lee", "Kim Lee: New York to Boston", [("AA1830", "JFK")]),
)
"""Each trip's id, label and legs (flight, origin)."""


def add_demo_trips(desk: Desk, day: dt.date) -> list[Trip]:
    """Register the demo trips on ``day``'s flights; those disrupted already open their case.

    Raises:
        InvalidTripError: A demo trip is registered already on this desk.
        DeskStorageError: The desk's database is down.
    """
    return [
        desk.add_trip(
            {
                "id": trip_id,
                "label": label,
                "legs": [{"flight_number": f, "date": str(day), "origin": o} for f, o in legs],
            }
        )
        for trip_id, label, legs in DEMO_TRIPS
    ]
