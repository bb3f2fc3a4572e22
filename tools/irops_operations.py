"""The IROPS tool operations: connections, disruptions, passenger rights, alternatives.

Each fetches what it needs through the service (cached, with failover) and hands the records
to the deterministic rules engine (``flight_agent.irops``); nothing here decides a rule.
"""

from __future__ import annotations

import datetime as dt

from flight_agent.airports import get_airport
from flight_agent.errors import InvalidFlightQueryError
from flight_agent.flight_query import FlightQuery
from flight_agent.irops import (
    Cause,
    assess_connection,
    assess_rights,
    detect_disruptions,
    journey_facts,
    predict_departure,
)
from flight_agent.services import EnhancedFlightMonitoringService
from tools.operations import check_covered, data_age, found, found_all, resolve_day, resolved
from tools.payloads import AlternativesResult, ConnectionResult, DisruptionReport, RightsReport
from tools.schemas import (
    CheckConnectionInput,
    FindAlternativeFlightsInput,
    FlightRef,
    PassengerRightsInput,
)


async def check_connection(
    service: EnhancedFlightMonitoringService, args: CheckConnectionInput
) -> ConnectionResult:
    """Both flights, and whether the connection holds against the minimum connection time."""
    arriving, departing = await found_all(service, [args.inbound, args.onward])
    return ConnectionResult(
        inbound=arriving, onward=departing, assessment=assess_connection(arriving, departing)
    )


async def assess_disruption(
    service: EnhancedFlightMonitoringService, ref: FlightRef
) -> DisruptionReport:
    """A flight's disruptions (changes since the monitor's last look), the late-inbound
    prediction from the aircraft's previous flight, and FAA programmes when a feed is loaded."""
    query, note, record = await found(service, ref)
    inbound = await service.get_inbound_flight(record)
    previous = await service.last_snapshot(query)
    return DisruptionReport(
        query=resolved(query, note),
        flight=record,
        disruptions=detect_disruptions(record, previous, now=service.now(), inbound=inbound),
        inbound=predict_departure(record, inbound) if inbound is not None else None,
        programmes=service.programme_effects(record),
        data_age_seconds=round(data_age(service, record), 1),
        stale=record.stale,
    )


async def passenger_rights(
    service: EnhancedFlightMonitoringService, args: PassengerRightsInput
) -> RightsReport:
    """Every regime's verdict on the booking, from its legs' records and the stated facts.

    A leg the monitor watches brings its last snapshot, so a cancellation seen to hold is
    confirmed; the final arrival is read on the wall clock of the booked destination.
    """
    legs = await found_all(service, args.flights)
    previous = [
        await service.last_snapshot(
            FlightQuery.parse(ref.flight_number, leg.flight_date, origin=ref.origin)
        )
        for ref, leg in zip(args.flights, legs, strict=True)
    ]
    notice = args.cancellation_notice_days
    final = args.final_arrival
    arrival = (
        dt.datetime.fromisoformat(final).replace(tzinfo=legs[-1].destination.zone or dt.UTC)
        if final is not None
        else None
    )
    facts = journey_facts(
        legs,
        cause=Cause(args.cause),
        notice=None if notice is None else dt.timedelta(days=notice),
        rebooked_arrival=arrival,
        now=service.now(),
        previous=previous,
        ticket_refunded=args.ticket_refunded,
    )
    return RightsReport(legs=legs, facts=facts, results=list(assess_rights(facts)))


async def alternative_flights(
    service: EnhancedFlightMonitoringService, args: FindAlternativeFlightsInput
) -> AlternativesResult:
    """Scheduled flights between two airports departing in a local time window, earliest first.

    Raises:
        InvalidFlightQueryError: Unknown airports or a window that ends before it starts.
        FlightDateOutOfRangeError: No provider answers for the date.
    """
    origin, destination = get_airport(args.origin), get_airport(args.destination)
    day, _ = resolve_day(args.date, origin.code, service.now())
    check_covered(service, day)
    zone = origin.zone or dt.UTC
    start = dt.datetime.combine(day, dt.time.fromisoformat(args.earliest), zone)
    end = dt.datetime.combine(day, dt.time.fromisoformat(args.latest), zone)
    end += dt.timedelta(minutes=1)
    if end <= start:
        raise InvalidFlightQueryError(
            f"The window {args.earliest}-{args.latest} ends before it starts; "
            "give earliest before latest (local times at the origin)."
        )
    flights = await service.find_alternative_flights(
        origin.code, destination.code, start.astimezone(dt.UTC), end.astimezone(dt.UTC)
    )
    return AlternativesResult(
        origin=origin.code,
        destination=destination.code,
        date=day,
        window=f"{args.earliest}-{args.latest} {start:%Z}",
        flights=sorted(flights, key=lambda f: f.scheduled_out)[: args.max_results],
    )
