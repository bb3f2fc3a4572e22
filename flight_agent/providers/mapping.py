"""Mapping helpers shared by every provider adapter: times, text, delays, codeshares, diversions
and legs."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from flight_agent.airports import Airport, zone_named
from flight_agent.errors import InvalidResponseError
from flight_agent.flight_query import FlightQuery
from flight_agent.models import FlightStatus, FlightStatusData


def text(value: Any) -> str | None:
    """A stripped string, or None for missing, blank or non-string values."""
    if isinstance(value, str):
        stripped = value.strip()
        return stripped or None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def parse_utc(value: Any) -> datetime | None:
    """Parse an ISO-8601-like time with an offset ('2025-01-16 13:40Z' included) into UTC.

    Missing, unparsable and offset-less values give None: a naive time cannot be placed.
    """
    raw = text(value)
    if raw is None:
        return None
    try:
        parsed = datetime.fromisoformat(raw)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return None
    return parsed.astimezone(UTC)


def zone_of(name: Any) -> ZoneInfo | None:
    """The IANA zone of that name, or None when missing or unknown."""
    raw = text(name)
    return zone_named(raw) if raw is not None else None


def parse_wall_clock(value: Any, zone: ZoneInfo | None) -> datetime | None:
    """Read a local wall-clock time whatever offset it claims, and convert it to UTC.

    For feeds that label local times '+00:00' (AviationStack): the offset is dropped and the
    time is placed in the airport's zone. Without a zone the time cannot be placed: None.
    """
    raw = text(value)
    if raw is None or zone is None:
        return None
    try:
        parsed = datetime.fromisoformat(raw)
    except ValueError:
        return None
    return parsed.replace(tzinfo=zone).astimezone(UTC)


def minutes_between(scheduled: datetime | None, actual: datetime | None) -> int | None:
    """Whole minutes from ``scheduled`` to ``actual`` (negative when early)."""
    if scheduled is None or actual is None:
        return None
    return round((actual - scheduled).total_seconds() / 60)


def gate_delays(
    times: dict[str, datetime | None], departure: int | None = None, arrival: int | None = None
) -> dict[str, int | None]:
    """``departure_delay_minutes`` and ``arrival_delay_minutes`` of a record.

    The feed's own figures (``departure``, ``arrival``) when it gives them; else the gate times
    compared with the schedule, the actual time or, before it, the estimate.
    """
    return {
        "departure_delay_minutes": departure
        if departure is not None
        else minutes_between(times["scheduled_out"], times["actual_out"] or times["estimated_out"]),
        "arrival_delay_minutes": arrival
        if arrival is not None
        else minutes_between(times["scheduled_in"], times["actual_in"] or times["estimated_in"]),
    }


def seconds_to_minutes(value: Any) -> int | None:
    """A seconds count (AeroAPI delays) as whole minutes."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return round(value / 60)
    return None


def expect_list(value: Any, provider: str, what: str) -> list[dict[str, Any]]:
    """The list of objects a response promises, or ``InvalidResponseError``."""
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise InvalidResponseError(
            f"expected a list of flight objects in {what}", provider=provider
        )
    return value


def choose_leg(records: Iterable[FlightStatusData], query: FlightQuery) -> FlightStatusData | None:
    """Pick the record that answers the query among a provider's candidates.

    Only records departing on the query's local date count. With an origin the leg departing
    there is chosen; without one the first leg of the day. The chosen record lists every leg
    of that day in ``legs``.
    """
    same_day = sorted(
        (r for r in records if r.flight_date == query.flight_date),
        key=lambda r: r.scheduled_out or r.scheduled_off or datetime.max.replace(tzinfo=UTC),
    )
    if not same_day:
        return None
    if query.origin is None:
        chosen: FlightStatusData | None = same_day[0]
    else:
        chosen = next((r for r in same_day if query.origin in (r.origin.iata, r.origin.icao)), None)
    if chosen is None:
        return None
    legs = tuple(dict.fromkeys(r.route for r in same_day))
    return chosen.model_copy(update={"legs": legs})


def compact_ident(value: Any) -> str | None:
    """A designator without spaces, in upper case: 'VJ 84' and 'tr428' give 'VJ84' and 'TR428'.

    AeroDataBox displays numbers with a space and AviationStack writes codeshare idents in lower
    case; both must compare equal to the idents ``FlightQuery`` produces.
    """
    raw = text(value)
    return "".join(raw.split()).upper() if raw else None


def local_date(value: datetime, airport: Airport) -> date:
    """The date of an aware time at the airport (its UTC date when the zone is unknown)."""
    zone = airport.zone
    return (value.astimezone(zone) if zone else value).date()


def merge_codeshares(records: Iterable[tuple[FlightStatusData, bool]]) -> list[FlightStatusData]:
    """Collapse the copies of one physical flight into one record, keeping the operating one.

    Feeds that return one record per marketing number (AviationStack, AeroDataBox's
    ``IsCodeshared``) list the same aircraft movement several times. Each item is a record and
    whether it is a marketing copy; copies of one flight share route, scheduled departure and
    date. The operating record wins (the first copy when there is none), and every marketing
    ident the copies carry in ``codeshares`` is kept on it. Order of first appearance is kept.
    """
    groups: dict[tuple[Any, ...], list[tuple[FlightStatusData, bool]]] = {}
    for record, marketing in records:
        key = (
            record.origin.code,
            record.destination.code,
            record.scheduled_out or record.scheduled_off,
            record.flight_date,
        )
        groups.setdefault(key, []).append((record, marketing))
    merged: list[FlightStatusData] = []
    for group in groups.values():
        chosen = next((record for record, marketing in group if not marketing), group[0][0])
        own = {chosen.ident_iata, chosen.ident_icao}
        idents = dict.fromkeys(ident for record, _ in group for ident in record.codeshares)
        codeshares = tuple(ident for ident in idents if ident not in own)
        if codeshares != chosen.codeshares:
            chosen = chosen.model_copy(update={"codeshares": codeshares})
        merged.append(chosen)
    return merged


def merge_diversions(records: list[FlightStatusData]) -> list[FlightStatusData]:
    """Fold diversion legs into the original flight.

    A feed may list a diverted flight twice under one ``provider_flight_id`` (AeroAPI does, with
    one ``fa_flight_id``): the original leg and a new leg to the diversion airport. The original
    is the leg scheduled to arrive first (the new leg carries no schedule of its own); it gets
    ``diverted_to`` and status DIVERTED.
    """
    groups: defaultdict[str | None, list[FlightStatusData]] = defaultdict(list)
    for record in records:
        groups[record.provider_flight_id].append(record)
    merged: list[FlightStatusData] = []
    for key, group in groups.items():
        if key is None or len(group) == 1:
            merged.extend(group)
            continue
        latest = datetime.max.replace(tzinfo=UTC)
        original = min(group, key=lambda r: r.scheduled_in or r.scheduled_on or latest)
        diversion = next(
            (r for r in group if r.destination.code != original.destination.code), None
        )
        if diversion is None:
            merged.extend(group)
            continue
        merged.append(
            original.model_copy(
                update={
                    "status": FlightStatus.DIVERTED,
                    "diverted_to": diversion.destination,
                    "actual_on": original.actual_on or diversion.actual_on,
                    "actual_in": original.actual_in or diversion.actual_in,
                }
            )
        )
    return merged


class FlightMapper(Protocol):
    """Normalizes one flight object of a feed; None when it lacks an airport or a time."""

    def __call__(
        self, flight: dict[str, Any], /, *, flight_id: str, source: str, fetched_at: datetime
    ) -> FlightStatusData | None: ...


@dataclass(frozen=True, slots=True)
class CodeshareFeed:
    """A feed listing one flight object per marketing number (AeroDataBox, AviationStack).

    Attributes:
        map_flight: Normalizes one flight object (a marketing copy lists its own ident in
            ``codeshares``).
        is_marketing_copy: Whether a flight object copies a flight another airline operates.
    """

    map_flight: FlightMapper
    is_marketing_copy: Callable[[dict[str, Any]], bool]

    def answer(
        self,
        flights: Iterable[dict[str, Any]],
        query: FlightQuery,
        *,
        source: str,
        fetched_at: datetime,
    ) -> FlightStatusData | None:
        """The record that answers ``query``: every flight object mapped, the copies of one
        flight folded onto the operating one (``merge_codeshares``), then the leg of the query's
        date and origin chosen (``choose_leg``), so flights of other days are never answered."""
        mapped = (
            (self.map_flight(f, flight_id=query.flight_id, source=source, fetched_at=fetched_at), f)
            for f in flights
        )
        records = merge_codeshares(
            (record, self.is_marketing_copy(flight))
            for record, flight in mapped
            if record is not None
        )
        return choose_leg(records, query)


def as_dict(value: Any) -> dict[str, Any]:
    """The object itself, or an empty one when a nested object is missing, null or not an object.

    Feeds send ``null`` for absent sub-objects (AviationStack ``aircraft``) or omit them.
    """
    return value if isinstance(value, dict) else {}
