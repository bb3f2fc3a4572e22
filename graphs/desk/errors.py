"""The desk's errors, in the toolkit's one exception tree (``flight_agent.errors``)."""

from __future__ import annotations

from flight_agent.errors import FlightDataError, InvalidFlightQueryError


class InvalidTripError(InvalidFlightQueryError):
    """A trip that cannot be registered; the message names every problem and the fix."""


class TripNotFoundError(FlightDataError, LookupError):
    """No trip has that id; the message says how to list them."""


class CaseNotFoundError(FlightDataError, LookupError):
    """No case has that id; the message says how to list them."""


class CaseAlreadyDecidedError(FlightDataError):
    """A decision on a case that is no longer awaiting one; the message says what was decided."""


class DecisionBusyError(CaseAlreadyDecidedError):
    """Another decision on the case is being applied right now; the message says how to see
    its outcome."""


class DeskStorageError(FlightDataError, ConnectionError):
    """The desk's database cannot be used right now; nothing was changed. Try again later.

    The message names the database without its password.
    """
