"""MockFlightDataProvider: deterministic simulated flights, scenarios, clock-driven status,
inbound links, schedules and fault injection."""

from __future__ import annotations

import asyncio
import math
import os
import random
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from datetime import time as dt_time
from zoneinfo import ZoneInfo

import pytest

from flight_agent.airlines import find_airline
from flight_agent.airports import Airport, get_airport
from flight_agent.clock import FakeClock
from flight_agent.errors import (
    FlightDateOutOfRangeError,
    InvalidFlightQueryError,
    ProviderUnavailableError,
    RateLimitedError,
)
from flight_agent.flight_query import FlightDesignator
from flight_agent.models import FlightStatus, FlightStatusData
from flight_agent.providers.mock_provider import (
    MockFlightDataProvider,
    Scenario,
    ScenarioPin,
    lognormal_latency,
)
from flight_agent.providers.simulation.fleet import WIDEBODY_TYPES

DAY = date(2026, 11, 29)
LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
TIME_FIELDS = tuple(
    f"{kind}_{phase}"
    for phase in ("out", "off", "on", "in")
    for kind in ("scheduled", "estimated", "actual")
)


@pytest.fixture
def provider(clock: FakeClock) -> MockFlightDataProvider:
    return MockFlightDataProvider(clock=clock)


async def status(
    provider: MockFlightDataProvider,
    ident: str = "BA117",
    day: date = DAY,
    origin: str | None = None,
) -> FlightStatusData:
    record = await provider.get_flight_status(ident, day, origin=origin)
    assert record is not None
    return record


def without_fetched_at(record: FlightStatusData) -> dict[str, object]:
    return record.model_dump(exclude={"fetched_at"})


def haversine_km(a: Airport, b: Airport) -> float:
    lat1, lon1 = math.radians(a.latitude or 0.0), math.radians(a.longitude or 0.0)
    lat2, lon2 = math.radians(b.latitude or 0.0), math.radians(b.longitude or 0.0)
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def minutes(start: datetime | None, end: datetime | None) -> int:
    assert start is not None
    assert end is not None
    return round((end - start).total_seconds() / 60)


# --- determinism --------------------------------------------------------------------------


async def test_same_seed_gives_the_same_record_apart_from_fetched_at() -> None:
    """Two providers with one seed return equal records for a designator and date."""
    first = MockFlightDataProvider(seed=7, clock=FakeClock(datetime(2026, 11, 28, 12, tzinfo=UTC)))
    second = MockFlightDataProvider(
        seed=7, clock=FakeClock(datetime(2026, 11, 28, 12, 0, 30, tzinfo=UTC))
    )
    for ident in ("BA117", "AA123", "QF1", "LH2024"):
        one, two = await status(first, ident), await status(second, ident)
        assert one.fetched_at != two.fetched_at
        assert without_fetched_at(one) == without_fetched_at(two)


async def test_different_seeds_give_different_flights(clock: FakeClock) -> None:
    """Another seed changes generated routes, aircraft and registrations."""
    zero = MockFlightDataProvider(seed=0, clock=clock)
    one = MockFlightDataProvider(seed=1, clock=clock)
    idents = ("AA123", "DL456", "LH2024", "EK77", "AF1234")
    pairs = [(await status(zero, i), await status(one, i)) for i in idents]
    assert any(a.route != b.route for a, b in pairs)
    assert all(a.registration != b.registration for a, b in pairs)


def test_records_do_not_depend_on_the_process_hash_seed() -> None:
    """Per-flight randomness uses a stable hash, so runs with other PYTHONHASHSEEDs agree."""
    script = (
        "import asyncio\n"
        "from datetime import UTC, date, datetime\n"
        "from flight_agent.clock import FakeClock\n"
        "from flight_agent.providers.mock_provider import MockFlightDataProvider\n"
        "p = MockFlightDataProvider(clock=FakeClock(datetime(2026, 11, 28, tzinfo=UTC)))\n"
        "r = asyncio.run(p.get_flight_status('AA123', date(2026, 11, 29)))\n"
        "print(r.route, r.registration, r.scheduled_out, r.status_text, r.gate_origin)\n"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for hash_seed in ("1", "2")
    }
    assert len(outputs) == 1


async def test_seed_usage_example_works() -> None:
    """The README example: a named provider answers AA123 for tomorrow with a status."""
    provider = MockFlightDataProvider("TestProvider")
    departure_date = datetime.now(UTC) + timedelta(days=1)
    result = await provider.get_flight_status("AA123", departure_date)
    assert result is not None
    assert result.flight_id == "AA123"
    assert isinstance(result.status, FlightStatus)
    assert isinstance(result.is_disrupted, bool)
    assert result.source == "TestProvider"
    backup = MockFlightDataProvider("Backup", priority=5)
    assert (backup.name, backup.priority) == ("Backup", 5)


# --- routes and times ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "arrival_local"),
    [
        pytest.param(date(2026, 11, 29), "10:50", id="winter-GMT-EST"),
        pytest.param(date(2027, 3, 20), "11:50", id="dst-gap-GMT-EDT"),
        pytest.param(date(2027, 7, 15), "10:50", id="summer-BST-EDT"),
    ],
)
async def test_ba117_departs_on_the_requested_london_date_with_correct_local_times(
    provider: MockFlightDataProvider, day: date, arrival_local: str
) -> None:
    """BA117 leaves LHR at 08:25 London time on the asked date; New York time follows DST."""
    record = await status(provider, "BA117", day)
    assert record.route == "LHR-JFK"
    assert record.flight_date == day
    out_local = record.scheduled_out.astimezone(LONDON) if record.scheduled_out else None
    assert out_local == datetime.combine(day, dt_time(8, 25), LONDON)
    in_local = record.scheduled_in.astimezone(NEW_YORK) if record.scheduled_in else None
    assert in_local is not None
    assert f"{in_local:%H:%M}" == arrival_local


async def test_times_are_aware_utc_and_ordered(provider: MockFlightDataProvider) -> None:
    """Every time is UTC, and out < off < on < in for scheduled and estimated times."""
    record = await status(provider, "BA117")
    for field in TIME_FIELDS:
        value = getattr(record, field)
        if value is not None:
            assert value.tzinfo is UTC
    for kind in ("scheduled", "estimated"):
        phases = [getattr(record, f"{kind}_{phase}") for phase in ("out", "off", "on", "in")]
        assert phases == sorted(phases)
        assert len(set(phases)) == 4
    assert minutes(record.scheduled_out, record.scheduled_off) == 15
    assert minutes(record.scheduled_on, record.scheduled_in) == 8


async def test_block_time_follows_great_circle_distance(provider: MockFlightDataProvider) -> None:
    """Block time is haversine km at 800 km/h plus 30 min, in 5-minute steps."""
    for ident in ("BA117", "EK1", "FR202", "AA123"):
        record = await status(provider, ident)
        km = haversine_km(record.origin, record.destination)
        expected = max(45, 5 * round((km / 800 * 60 + 30) / 5))
        assert minutes(record.scheduled_out, record.scheduled_in) == expected


async def test_overnight_flight_arrives_the_next_local_day(
    provider: MockFlightDataProvider,
) -> None:
    """AA100 leaves JFK in the evening and lands at LHR the next morning."""
    record = await status(provider, "AA100")
    assert record.route == "JFK-LHR"
    assert record.flight_date == DAY
    assert record.arrival_local(record.scheduled_in).date() == DAY + timedelta(days=1)  # type: ignore[union-attr]


async def test_generated_routes_are_plausible(provider: MockFlightDataProvider) -> None:
    """Unknown numbers fly between real airports, widebodies on long haul, from 06:00-22:00."""
    for number in range(101, 141):
        record = await status(provider, f"LH{number}")
        assert record.origin.timezone
        assert record.destination.timezone
        assert record.origin.code != record.destination.code
        local = record.departure_local(record.scheduled_out)
        assert local is not None
        assert 6 * 60 <= local.hour * 60 + local.minute <= 22 * 60
        assert local.minute % 5 == 0
        if haversine_km(record.origin, record.destination) > 4000:
            assert record.aircraft_type in WIDEBODY_TYPES
        if number % 2 == 1:  # odd numbers leave from the carrier's home country
            assert record.origin.country == "DE"
        else:  # the following even number flies the pair back
            previous = await status(provider, f"LH{number - 1}")
            assert (record.origin, record.destination) == (previous.destination, previous.origin)


async def test_records_carry_plausible_identity_fields(provider: MockFlightDataProvider) -> None:
    """Provider id, source, registration, gates and occasional codeshares are filled."""
    record = await status(provider, "BA117")
    assert record.provider_flight_id == "BA117-20261129-MOCK"
    assert record.source == "Mock"
    assert (record.carrier_iata, record.carrier_icao, record.flight_number) == ("BA", "BAW", "117")
    assert record.registration is not None
    assert record.registration.startswith("G-")
    assert record.terminal_origin == "5"
    assert record.gate_origin
    assert record.gate_destination
    assert record.baggage_claim
    shared = [bool((await status(provider, f"AA{n}")).codeshares) for n in range(1, 61)]
    assert 0 < sum(shared) < len(shared)


async def test_icao_designator_answers_like_iata(provider: MockFlightDataProvider) -> None:
    """'BAW117' and 'BA117' are the same flight."""
    iata, icao = await status(provider, "BA117"), await status(provider, "BAW117")
    assert without_fetched_at(iata) == without_fetched_at(icao)


@pytest.mark.parametrize(
    "ident",
    [
        pytest.param("BA9900", id="lowest"),
        pytest.param("AA9999", id="highest"),
        pytest.param("U2 9950", id="spaced"),
    ],
)
async def test_flight_numbers_9900_to_9999_do_not_exist(
    provider: MockFlightDataProvider, ident: str
) -> None:
    """Numbers 9900-9999 answer None and count as not found."""
    assert await provider.get_flight_status(ident, DAY) is None
    assert provider.metrics.outcomes["not_found"] == 1


# --- scenarios ----------------------------------------------------------------------------


def with_scenario(clock: FakeClock, scenario: Scenario | str) -> MockFlightDataProvider:
    return MockFlightDataProvider(clock=clock, scenarios={"BA117": scenario})


async def test_on_time_flight_is_not_disrupted(clock: FakeClock) -> None:
    """On time: both delays under 15 minutes, not disrupted."""
    record = await status(with_scenario(clock, Scenario.ON_TIME))
    assert record.status is FlightStatus.SCHEDULED
    assert record.departure_delay_minutes is not None
    assert record.departure_delay_minutes < 15
    assert record.arrival_delay_minutes is not None
    assert record.arrival_delay_minutes < 15
    assert not record.is_disrupted


@pytest.mark.parametrize(
    ("scenario", "low", "high"),
    [
        pytest.param(Scenario.MINOR_DELAY, 15, 44, id="minor"),
        pytest.param(Scenario.MAJOR_DELAY, 180, 300, id="major"),
        pytest.param(Scenario.EARLY_DEPARTURE, -20, -10, id="early"),
    ],
)
async def test_delay_scenarios_set_the_departure_delay(
    clock: FakeClock, scenario: Scenario, low: int, high: int
) -> None:
    """Minor delays are 15-44 min, major 3 h or more, early departures 10+ min early."""
    for ident in ("BA117", "AA123", "QF1", "UA901"):
        provider = MockFlightDataProvider(clock=clock, scenarios={ident: scenario})
        record = await status(provider, ident)
        assert record.departure_delay_minutes is not None
        assert low <= record.departure_delay_minutes <= high
        assert record.is_disrupted is (scenario is not Scenario.EARLY_DEPARTURE)


@pytest.mark.parametrize(
    "scenario",
    [
        pytest.param(s, id=s.value)
        for s in Scenario
        if s not in (Scenario.CANCELLED, Scenario.UNKNOWN)
    ],
)
async def test_delays_agree_with_the_times(clock: FakeClock, scenario: Scenario) -> None:
    """Delay minutes equal estimated minus scheduled gate times, whatever the scenario."""
    record = await status(with_scenario(clock, scenario))
    assert record.departure_delay_minutes == minutes(record.scheduled_out, record.estimated_out)
    assert record.arrival_delay_minutes == minutes(record.scheduled_in, record.estimated_in)
    phases = [record.estimated_out, record.estimated_off, record.estimated_on, record.estimated_in]
    assert phases == sorted(phases)  # type: ignore[type-var]


async def test_cancelled_flight_has_no_estimates_and_is_disrupted(clock: FakeClock) -> None:
    """Cancelled: status cancelled, schedule kept, no estimated or actual times."""
    record = await status(with_scenario(clock, Scenario.CANCELLED))
    assert record.status is FlightStatus.CANCELLED
    assert record.is_disrupted
    assert record.scheduled_out is not None
    assert all(getattr(record, f) is None for f in TIME_FIELDS if not f.startswith("scheduled"))
    clock.set(datetime(2026, 11, 30, tzinfo=UTC))
    assert (await status(with_scenario(clock, "cancelled"))).status is FlightStatus.CANCELLED


async def test_unknown_flight_has_schedule_only(clock: FakeClock) -> None:
    """Unknown: status unknown, no estimates, no delays, not disrupted."""
    record = await status(with_scenario(clock, Scenario.UNKNOWN))
    assert record.status is FlightStatus.UNKNOWN
    assert record.estimated_out is None
    assert record.departure_delay_minutes is None
    assert not record.is_disrupted


async def test_diverted_flight_is_en_route_then_diverted_to_a_nearby_airport(
    clock: FakeClock,
) -> None:
    """A diversion shows once the flight would have landed, at a real alternate nearby."""
    provider = with_scenario(clock, Scenario.DIVERTED)
    planned = await status(provider)
    assert planned.estimated_on is not None
    clock.set(planned.estimated_on - timedelta(minutes=1))
    airborne = await status(provider)
    assert (airborne.status, airborne.diverted_to) == (FlightStatus.EN_ROUTE, None)
    clock.advance(120)
    diverted = await status(provider)
    assert diverted.status is FlightStatus.DIVERTED
    assert diverted.is_disrupted
    assert diverted.diverted_to is not None
    assert diverted.diverted_to.code not in ("JFK", "LHR")
    assert 25 <= haversine_km(diverted.destination, diverted.diverted_to) <= 600
    assert diverted.actual_on is not None
    assert diverted.estimated_in is None
    assert diverted.status_text == f"Diverted to {diverted.diverted_to.code}"


async def test_gate_change_happens_50_minutes_before_departure(clock: FakeClock) -> None:
    """The origin gate changes (same terminal) 50 minutes before the scheduled departure."""
    provider = with_scenario(clock, Scenario.GATE_CHANGE)
    planned = await status(provider)
    assert planned.scheduled_out is not None
    clock.set(planned.scheduled_out - timedelta(minutes=55))
    before = await status(provider)
    clock.advance(10 * 60)
    after = await status(provider)
    assert before.gate_origin != after.gate_origin
    assert before.terminal_origin == after.terminal_origin
    assert after.status_text is not None
    assert "gate changed" in after.status_text
    assert not after.is_disrupted  # a gate change alone is no disruption


async def test_terminal_change_moves_the_flight_hours_before_departure(clock: FakeClock) -> None:
    """The origin terminal and gate change three hours before the scheduled departure."""
    provider = with_scenario(clock, Scenario.TERMINAL_CHANGE)
    planned = await status(provider)
    assert planned.scheduled_out is not None
    clock.set(planned.scheduled_out - timedelta(hours=4))
    before = await status(provider)
    clock.advance(2 * 3600)
    after = await status(provider)
    assert before.terminal_origin != after.terminal_origin
    assert before.gate_origin != after.gate_origin
    assert after.status_text is not None
    assert "terminal changed" in after.status_text


async def test_scenarios_accept_string_values_and_any_designator_form(clock: FakeClock) -> None:
    """Scenario keys may be ICAO designators and values plain strings; bad names are refused."""
    provider = MockFlightDataProvider(clock=clock, scenarios={"BAW117": "major_delay"})
    assert ((await status(provider, "BA117")).departure_delay_minutes or 0) >= 180
    provider.set_scenario("ba 117", "cancelled")
    assert (await status(provider, "BA117")).status is FlightStatus.CANCELLED
    with pytest.raises(ValueError, match="Unknown scenario"):
        provider.set_scenario("BA117", "meteor_strike")
    with pytest.raises(InvalidFlightQueryError):
        provider.set_scenario("not a flight", Scenario.ON_TIME)


@pytest.mark.parametrize(
    "ident",
    [pytest.param("BA178", id="drawn"), pytest.param("BA117", id="showcase")],
)
async def test_set_scenario_none_returns_to_the_default_world(clock: FakeClock, ident: str) -> None:
    """Clearing a pinned scenario restores the seed's own draw, or a showcase flight's pin."""
    plain = await status(MockFlightDataProvider(clock=clock), ident)
    provider = MockFlightDataProvider(clock=clock, scenarios={ident: Scenario.CANCELLED})
    provider.set_scenario(ident, None)
    assert without_fetched_at(await status(provider, ident)) == without_fetched_at(plain)


def test_scenario_values_are_the_documented_names() -> None:
    """The Scenario enum offers the ten documented values."""
    assert [s.value for s in Scenario] == [
        "on_time",
        "minor_delay",
        "major_delay",
        "cancelled",
        "diverted",
        "gate_change",
        "terminal_change",
        "late_inbound",
        "early_departure",
        "unknown",
    ]


def test_unassigned_scenarios_are_mostly_on_time(provider: MockFlightDataProvider) -> None:
    """Drawn scenarios follow the weights: about 70 % on time, minor delays next, rest rare."""
    drawn = [
        provider.simulator.scenario_for(FlightDesignator.parse(f"AA{n}"), DAY + timedelta(days=d))
        for n in range(1, 401)
        for d in range(5)
    ]
    share = {s: drawn.count(s) / len(drawn) for s in Scenario}
    assert 0.66 <= share[Scenario.ON_TIME] <= 0.74
    assert 0.11 <= share[Scenario.MINOR_DELAY] <= 0.17
    assert all(
        share[s] < 0.06 for s in Scenario if s not in (Scenario.ON_TIME, Scenario.MINOR_DELAY)
    )


@pytest.mark.parametrize("day", [date(2026, 11, 29), date(2027, 3, 20), date(2027, 7, 1)], ids=str)
async def test_a_pinned_delay_is_the_same_on_every_date(day: date) -> None:
    """A ``ScenarioPin`` with a delay fixes departure and arrival delay, whatever the date."""
    clock = FakeClock(datetime.combine(day, dt_time(0), UTC))
    pin = ScenarioPin(Scenario.MAJOR_DELAY, delay_minutes=200)
    provider = MockFlightDataProvider(clock=clock, scenarios={"UA901": pin})
    record = await status(provider, "UA901", day)
    assert (record.departure_delay_minutes, record.arrival_delay_minutes) == (200, 200)
    assert minutes(record.scheduled_out, record.estimated_out) == 200


async def test_a_pinned_late_inbound_delay_is_what_the_late_aircraft_causes(
    clock: FakeClock,
) -> None:
    """The inbound lands so late that the minimum turn puts the departure 60 min late."""
    pin = ScenarioPin(Scenario.LATE_INBOUND, delay_minutes=60)
    provider = MockFlightDataProvider(clock=clock, scenarios={"BA1440": pin})
    record = await status(provider, "BA1440")
    assert record.departure_delay_minutes == 60
    assert record.inbound_flight_id is not None
    inbound = await provider.get_flight_by_id(record.inbound_flight_id)
    assert inbound is not None
    assert inbound.estimated_in is not None
    assert record.estimated_out == inbound.estimated_in + timedelta(minutes=45)


async def test_a_pinned_alternate_is_where_the_diversion_lands(clock: FakeClock) -> None:
    """A diversion pinned to Luton lands there on every date."""
    pin = ScenarioPin(Scenario.DIVERTED, diverted_to="LTN")
    provider = MockFlightDataProvider(clock=clock, scenarios={"BA178": pin})
    for day in (DAY, DAY + timedelta(days=1)):
        clock.set(datetime.combine(day + timedelta(days=1), dt_time(12), UTC))
        record = await status(provider, "BA178", day)
        assert record.diverted_to is not None
        assert record.diverted_to.code == "LTN"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        pytest.param(
            lambda: ScenarioPin(Scenario.MAJOR_DELAY, delay_minutes=30),
            "major_delay delay lies in 180 or more",
            id="major-too-short",
        ),
        pytest.param(
            lambda: ScenarioPin(Scenario.EARLY_DEPARTURE, delay_minutes=5),
            "early_departure delay lies in -10 or fewer",
            id="early-but-late",
        ),
        pytest.param(
            lambda: ScenarioPin(Scenario.CANCELLED, delay_minutes=10),
            "cancelled flight takes no pinned delay",
            id="cancelled-delay",
        ),
        pytest.param(
            lambda: ScenarioPin(Scenario.ON_TIME, diverted_to="STN"),
            "only a diverted flight takes an alternate",
            id="alternate-not-diverted",
        ),
    ],
)
def test_a_pin_that_contradicts_its_scenario_is_refused(
    make: Callable[[], ScenarioPin], message: str
) -> None:
    """Numbers outside the scenario's band, or on a scenario without them, are errors."""
    with pytest.raises(ValueError, match=message):
        make()


def test_a_pin_to_an_unknown_alternate_is_refused(clock: FakeClock) -> None:
    """The alternate must be an airport."""
    provider = MockFlightDataProvider(clock=clock)
    with pytest.raises(InvalidFlightQueryError, match="Unknown airport code 'XQX'"):
        provider.set_scenario("BA178", ScenarioPin(Scenario.DIVERTED, diverted_to="XQX"))


# --- inbound aircraft ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ident", "turn"),
    [
        pytest.param("BA117", 90, id="widebody-B77W"),
        pytest.param("BA1440", 45, id="narrowbody-A320"),
    ],
)
async def test_late_inbound_pushes_departure_to_inbound_arrival_plus_minimum_turn(
    clock: FakeClock, ident: str, turn: int
) -> None:
    """The inbound (by id) lands late at the origin; out = its estimated in + minimum turn."""
    provider = MockFlightDataProvider(clock=clock, scenarios={ident: Scenario.LATE_INBOUND})
    record = await status(provider, ident)
    assert record.inbound_flight_id == f"{ident}-20261129-MOCK-INBOUND"
    inbound = await provider.get_flight_by_id(record.inbound_flight_id)
    assert inbound is not None
    assert inbound.destination == record.origin
    assert inbound.registration == record.registration
    assert inbound.provider_flight_id == record.inbound_flight_id
    assert (inbound.arrival_delay_minutes or 0) >= 15
    assert inbound.estimated_in is not None
    assert record.estimated_out == inbound.estimated_in + timedelta(minutes=turn)
    assert 30 <= (record.departure_delay_minutes or 0) <= 120
    assert record.is_disrupted


async def test_on_time_flight_has_an_inbound_with_time_to_spare(clock: FakeClock) -> None:
    """Without a late inbound, the aircraft arrives before the minimum turn runs out."""
    provider = with_scenario(clock, Scenario.ON_TIME)
    record = await status(provider)
    inbound = await provider.get_flight_by_id(record.inbound_flight_id or "")
    assert inbound is not None
    assert inbound.estimated_in is not None
    assert record.scheduled_out is not None
    assert inbound.estimated_in + timedelta(minutes=90) <= record.scheduled_out


async def test_get_flight_by_id_returns_the_status_record(provider: MockFlightDataProvider) -> None:
    """A record's own provider id answers the same record."""
    record = await status(provider, "QF1", origin="SIN")
    by_id = await provider.get_flight_by_id(record.provider_flight_id or "")
    assert by_id is not None
    assert without_fetched_at(by_id) == without_fetched_at(record.model_copy(update={"legs": ()}))


@pytest.mark.parametrize(
    "flight_id",
    [
        pytest.param("BAW196-1656120840-schedule-0121", id="other-provider"),
        pytest.param("BA9901-20261129-MOCK", id="nonexistent-number"),
        pytest.param("BA117-20261129-MOCK-L2", id="no-second-leg"),
        pytest.param("BA117-20261340-MOCK", id="impossible-date"),
    ],
)
async def test_get_flight_by_id_answers_none_for_unknown_ids(
    provider: MockFlightDataProvider, flight_id: str
) -> None:
    """Well-formed ids the simulation never issued answer None."""
    assert await provider.get_flight_by_id(flight_id) is None


@pytest.mark.parametrize(
    "flight_id",
    [
        pytest.param("../etc/passwd", id="path"),
        pytest.param("", id="empty"),
        pytest.param("BA117 20261129", id="space"),
    ],
)
async def test_get_flight_by_id_rejects_malformed_ids(
    provider: MockFlightDataProvider, flight_id: str
) -> None:
    """Ids with characters a flight id never has raise InvalidFlightQueryError, uncounted."""
    with pytest.raises(InvalidFlightQueryError):
        await provider.get_flight_by_id(flight_id)
    assert provider.calls == 0


# --- status progression -------------------------------------------------------------------


async def test_status_follows_the_clock_through_the_flight(clock: FakeClock) -> None:
    """Scheduled, boarding, departed, en route, landed, arrived; actual times only when past."""
    provider = with_scenario(clock, Scenario.MINOR_DELAY)
    plan = await status(provider)
    assert plan.estimated_out
    assert plan.estimated_off
    assert plan.estimated_on
    assert plan.estimated_in
    steps = [
        (plan.estimated_out - timedelta(minutes=41), FlightStatus.SCHEDULED, 0),
        (plan.estimated_out - timedelta(minutes=39), FlightStatus.BOARDING, 0),
        (plan.estimated_out + timedelta(minutes=1), FlightStatus.DEPARTED, 1),
        (plan.estimated_off + timedelta(minutes=1), FlightStatus.EN_ROUTE, 2),
        (plan.estimated_on + timedelta(minutes=1), FlightStatus.LANDED, 3),
        (plan.estimated_in + timedelta(minutes=1), FlightStatus.ARRIVED, 4),
    ]
    for when, expected, actual_count in steps:
        clock.set(when)
        record = await status(provider)
        assert record.status is expected
        actuals = [record.actual_out, record.actual_off, record.actual_on, record.actual_in]
        assert sum(a is not None for a in actuals) == actual_count
        assert all(a is None or a <= clock.now() for a in actuals)
        assert record.departure_delay_minutes == plan.departure_delay_minutes
    assert record.actual_in == plan.estimated_in
    assert record.status_text == "Arrived / Delayed"


# --- multi-leg ----------------------------------------------------------------------------


async def test_multi_leg_flight_picks_the_leg_by_origin(provider: MockFlightDataProvider) -> None:
    """QF1 flies SYD-SIN-LHR: the first leg by default, the SIN leg with origin='SIN'."""
    first = await status(provider, "QF1")
    second = await status(provider, "QF1", origin="SIN")
    assert first.route == "SYD-SIN"
    assert second.route == "SIN-LHR"
    assert first.legs == second.legs == ("SYD-SIN", "SIN-LHR")
    assert second.flight_date == first.flight_date == DAY
    assert second.inbound_flight_id == first.provider_flight_id
    assert second.provider_flight_id == "QF1-20261129-MOCK-L2"
    assert first.scheduled_in is not None
    assert second.scheduled_out is not None
    assert second.scheduled_out - first.scheduled_in >= timedelta(minutes=90)
    assert await provider.get_flight_status("QF1", DAY, origin="LHR") is None


async def test_multi_leg_delay_propagates_and_cancellation_covers_every_leg(
    clock: FakeClock,
) -> None:
    """A major delay on the first leg delays the second; a cancellation cancels both."""
    provider = MockFlightDataProvider(clock=clock, scenarios={"WN1600": "major_delay"})
    second = await status(provider, "WN1600", origin="BNA")
    assert (second.departure_delay_minutes or 0) >= 120
    provider.set_scenario("WN1600", Scenario.CANCELLED)
    for origin in ("MDW", "BNA"):
        assert (await status(provider, "WN1600", origin=origin)).status is FlightStatus.CANCELLED


# --- schedules ----------------------------------------------------------------------------


async def test_find_flights_lists_table_and_home_carrier_flights(
    provider: MockFlightDataProvider,
) -> None:
    """LHR-JFK lists BA117 and VS3 plus a few GB/US carriers; each matches its status."""
    start = datetime(2026, 11, 29, tzinfo=UTC)
    flights = await provider.find_flights("LHR", "JFK", start, start + timedelta(days=1))
    idents = [f.ident for f in flights]
    assert {"BA117", "VS3"} <= set(idents)
    assert 3 <= len(flights) <= 8
    assert [f.scheduled_out for f in flights] == sorted(f.scheduled_out for f in flights)
    for flight in flights:
        assert (flight.origin.code, flight.destination.code, flight.source) == (
            "LHR",
            "JFK",
            "Mock",
        )
        assert start <= flight.scheduled_out < start + timedelta(days=1)
        airline = find_airline(FlightDesignator.parse(flight.ident).carrier_iata or "")
        assert airline is not None
        assert airline.country in ("GB", "US")
        record = await status(provider, flight.ident)
        assert (record.route, record.scheduled_out) == ("LHR-JFK", flight.scheduled_out)
        assert record.provider_flight_id == flight.provider_flight_id


async def test_find_flights_is_deterministic_and_daily(clock: FakeClock) -> None:
    """The same seed lists the same flights; each day repeats the timetable."""
    start = datetime(2026, 11, 29, 5, tzinfo=UTC)
    one = MockFlightDataProvider(clock=clock)
    two = MockFlightDataProvider(clock=clock)
    first = await one.find_flights("JFK", "BOS", start, start + timedelta(days=2))
    again = await two.find_flights("JFK", "BOS", start, start + timedelta(days=2))
    assert first == again
    days = {f.scheduled_out.astimezone(NEW_YORK).date() for f in first}
    per_day = {
        d: sorted(f.ident for f in first if f.scheduled_out.astimezone(NEW_YORK).date() == d)
        for d in days
    }
    assert len(set(map(tuple, per_day.values()))) == 1
    assert {"B6518", "AA1830"} <= {f.ident for f in first}


@pytest.mark.parametrize(
    ("origin", "destination", "start", "end"),
    [
        pytest.param(
            "XXX",
            "JFK",
            datetime(2026, 11, 29, tzinfo=UTC),
            datetime(2026, 11, 30, tzinfo=UTC),
            id="unknown-airport",
        ),
        pytest.param(
            "LHR",
            "JFK",
            datetime(2026, 11, 29),  # noqa: DTZ001 - the naive time under test
            datetime(2026, 11, 30, tzinfo=UTC),
            id="naive-start",
        ),
        pytest.param(
            "LHR",
            "JFK",
            datetime(2026, 11, 30, tzinfo=UTC),
            datetime(2026, 11, 29, tzinfo=UTC),
            id="reversed",
        ),
        pytest.param(
            "LHR",
            "JFK",
            datetime(2026, 11, 1, tzinfo=UTC),
            datetime(2026, 11, 23, tzinfo=UTC),
            id="over-3-weeks",
        ),
    ],
)
async def test_find_flights_rejects_bad_windows_and_airports(
    provider: MockFlightDataProvider,
    origin: str,
    destination: str,
    start: datetime,
    end: datetime,
) -> None:
    """Unknown airports, naive, reversed or over-long windows raise before any call."""
    with pytest.raises(InvalidFlightQueryError):
        await provider.find_flights(origin, destination, start, end)
    assert provider.calls == 0


# --- dates and batches --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("offset", "accepted"),
    [
        pytest.param(-30, True, id="first-day"),
        pytest.param(-31, False, id="too-old"),
        pytest.param(330, True, id="last-day"),
        pytest.param(331, False, id="too-far"),
    ],
)
async def test_supported_dates_run_from_30_days_back_to_330_ahead(
    provider: MockFlightDataProvider, clock: FakeClock, offset: int, accepted: bool
) -> None:
    """Dates outside today-30 .. today+330 raise FlightDateOutOfRangeError without a call."""
    day = clock.now().date() + timedelta(days=offset)
    assert provider.supported_dates(clock.now().date()) == (
        clock.now().date() - timedelta(days=30),
        clock.now().date() + timedelta(days=330),
    )
    if accepted:
        assert await provider.get_flight_status("BA117", day) is not None
    else:
        with pytest.raises(FlightDateOutOfRangeError):
            await provider.get_flight_status("BA117", day)
        assert provider.calls == 0


async def test_batch_returns_mixed_outcomes_in_order(provider: MockFlightDataProvider) -> None:
    """A batch answers found, not-found, out-of-range and multi-leg queries independently."""
    outcomes = await provider.get_flight_statuses(
        [
            ("BA117", DAY),
            ("BA9901", DAY),
            ("BA117", DAY + timedelta(days=400)),
            ("QF1", DAY, "SIN"),
        ]
    )
    assert [o.ok for o in outcomes] == [True, True, False, True]
    assert outcomes[0].result is not None
    assert outcomes[0].result.flight_id == "BA117"
    assert outcomes[1].result is None
    assert isinstance(outcomes[2].error, FlightDateOutOfRangeError)
    assert outcomes[3].result is not None
    assert outcomes[3].result.route == "SIN-LHR"
    assert provider.calls == 3


async def test_batch_reports_injected_failures_per_query(clock: FakeClock) -> None:
    """With one concurrent call, fail_next(1) fails only the first query of a batch."""
    provider = MockFlightDataProvider(clock=clock, max_concurrency=1)
    provider.fail_next(1)
    outcomes = await provider.get_flight_statuses([("BA117", DAY), ("AA100", DAY)])
    assert isinstance(outcomes[0].error, ProviderUnavailableError)
    assert outcomes[1].result is not None


async def test_metrics_record_each_outcome(provider: MockFlightDataProvider) -> None:
    """Found, not found and failed calls are counted by outcome, with latencies."""
    await provider.get_flight_status("BA117", DAY)
    await provider.get_flight_status("BA9901", DAY)
    provider.fail_next(1, RateLimitedError("slow down", retry_after=3))
    with pytest.raises(RateLimitedError):
        await provider.get_flight_status("BA117", DAY)
    assert dict(provider.metrics.outcomes) == {"success": 1, "not_found": 1, "rate_limited": 1}
    assert provider.metrics.latency().p50 is not None
    assert provider.metrics.last_error == "[Mock] slow down"


# --- fault injection ----------------------------------------------------------------------


async def failure_pattern(provider: MockFlightDataProvider, calls: int) -> list[bool]:
    pattern = []
    for _ in range(calls):
        try:
            await provider.get_flight_status("BA117", DAY)
        except ProviderUnavailableError:
            pattern.append(True)
        else:
            pattern.append(False)
    return pattern


async def test_error_rate_fails_that_share_of_calls_reproducibly(clock: FakeClock) -> None:
    """error_rate=0.2 fails about 200 of 1000 calls, the same ones for the same seed."""
    pattern = await failure_pattern(MockFlightDataProvider(clock=clock, error_rate=0.2), 1000)
    assert 150 <= sum(pattern) <= 250
    again = await failure_pattern(MockFlightDataProvider(clock=clock, error_rate=0.2), 1000)
    other = await failure_pattern(MockFlightDataProvider(clock=clock, error_rate=0.2, seed=1), 1000)
    assert pattern == again
    assert pattern != other


async def test_error_rate_can_change_at_run_time(provider: MockFlightDataProvider) -> None:
    """Setting error_rate to 1 fails every call; back to 0 none; invalid values are refused."""
    provider.error_rate = 1.0
    assert all(await failure_pattern(provider, 20))
    provider.error_rate = 0.0
    assert not any(await failure_pattern(provider, 20))
    with pytest.raises(ValueError, match="error_rate"):
        provider.error_rate = 1.5


async def test_fail_next_fails_exactly_n_calls_then_recovers(
    provider: MockFlightDataProvider,
) -> None:
    """fail_next(3) fails the next three calls with 503s, then calls succeed again."""
    provider.fail_next(3)
    assert await failure_pattern(provider, 5) == [True, True, True, False, False]
    assert provider.calls == 5
    assert provider.faults.pending_failures == 0


async def test_fail_next_raises_the_given_error(provider: MockFlightDataProvider) -> None:
    """A given FlightDataError is raised as is, tagged with the provider name."""
    provider.fail_next(2, RateLimitedError("429 Too Many Requests", retry_after=3))
    for _ in range(2):
        with pytest.raises(RateLimitedError) as caught:
            await provider.get_flight_status("BA117", DAY)
        assert (caught.value.retry_after, caught.value.provider) == (3, "Mock")
    assert await provider.get_flight_status("BA117", DAY) is not None


@pytest.mark.parametrize(
    ("n", "error", "raised"),
    [
        pytest.param(-1, None, ValueError, id="negative"),
        pytest.param(1, RuntimeError("boom"), TypeError, id="not-flight-data-error"),
    ],
)
def test_fail_next_validates_its_arguments(
    provider: MockFlightDataProvider, n: int, error: Exception | None, raised: type[Exception]
) -> None:
    """Negative counts and foreign exception types are refused."""
    with pytest.raises(raised):
        provider.fail_next(n, error)  # type: ignore[arg-type]


async def test_outage_window_follows_the_clock(
    provider: MockFlightDataProvider, clock: FakeClock
) -> None:
    """Calls fail only while the clock is inside [start, end)."""
    start = clock.now() + timedelta(minutes=10)
    provider.add_outage(start, start + timedelta(minutes=10))
    assert await failure_pattern(provider, 1) == [False]
    clock.set(start)
    assert await failure_pattern(provider, 2) == [True, True]
    health = await provider.health_check()
    assert not health.healthy
    assert "outage" in (health.detail or "")
    clock.advance(600)
    assert await failure_pattern(provider, 1) == [False]


@pytest.mark.parametrize(
    ("start", "end"),
    [
        pytest.param(datetime(2026, 11, 28, 13), datetime(2026, 11, 28, 14), id="naive"),  # noqa: DTZ001
        pytest.param(
            datetime(2026, 11, 28, 14, tzinfo=UTC),
            datetime(2026, 11, 28, 13, tzinfo=UTC),
            id="reversed",
        ),
    ],
)
def test_add_outage_rejects_bad_windows(
    provider: MockFlightDataProvider, start: datetime, end: datetime
) -> None:
    """Outage windows need aware times and an end after the start."""
    with pytest.raises(ValueError, match="outage"):
        provider.add_outage(start, end)


async def test_clear_faults_drops_queued_failures_and_outages(
    provider: MockFlightDataProvider, clock: FakeClock
) -> None:
    """After clear_faults, calls succeed again."""
    provider.fail_next(5)
    provider.add_outage(clock.now(), clock.now() + timedelta(hours=1))
    provider.clear_faults()
    assert await failure_pattern(provider, 2) == [False, False]


async def test_stalled_calls_hang_past_a_timeout(clock: FakeClock) -> None:
    """stall_rate=1 makes every call hang stall_seconds, so a short timeout fires."""
    provider = MockFlightDataProvider(clock=clock, stall_rate=1.0, stall_seconds=30.0)
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(provider.get_flight_status("BA117", DAY), timeout=0.02)
    assert provider.calls == 1


def test_stall_share_matches_stall_rate(clock: FakeClock) -> None:
    """About stall_rate of the calls are planned to stall, reproducibly."""
    provider = MockFlightDataProvider(clock=clock, stall_rate=0.1, stall_seconds=2.0)
    waits = [provider.faults.plan()[0] for _ in range(1000)]
    assert set(waits) == {0.0, 2.0}
    assert 60 <= waits.count(2.0) <= 140


async def test_latency_in_seconds_is_slept(clock: FakeClock) -> None:
    """A float latency delays every call by at least that many seconds."""
    provider = MockFlightDataProvider(clock=clock, latency=0.01)
    started = time.monotonic()
    await provider.get_flight_status("BA117", DAY)
    assert time.monotonic() - started >= 0.01


async def test_latency_callable_draws_from_a_seeded_rng(clock: FakeClock) -> None:
    """A latency callable gets a random.Random per call and its value is slept."""
    seen: list[random.Random] = []

    def draw(rng: random.Random) -> float:
        seen.append(rng)
        return 0.01

    provider = MockFlightDataProvider(clock=clock, latency=draw)
    started = time.monotonic()
    await provider.get_flight_status("BA117", DAY)
    await provider.health_check()
    assert time.monotonic() - started >= 0.02
    assert len(seen) == 2
    assert all(isinstance(rng, random.Random) for rng in seen)


def test_lognormal_latency_has_the_requested_median() -> None:
    """lognormal_latency(0.1, 0.35) draws around a 100 ms median; bad parameters fail."""
    sample = lognormal_latency(0.1, 0.35)
    rng = random.Random(1)
    draws = sorted(sample(rng) for _ in range(2001))
    assert 0.09 <= draws[1000] <= 0.11
    assert all(d > 0 for d in draws)
    with pytest.raises(ValueError, match="median"):
        lognormal_latency(0.0, 0.35)


@pytest.mark.parametrize(
    "kwargs",
    [
        pytest.param({"error_rate": -0.1}, id="negative-error-rate"),
        pytest.param({"stall_rate": 2.0}, id="stall-rate-above-1"),
        pytest.param({"latency": -1.0}, id="negative-latency"),
        pytest.param({"stall_seconds": -1.0}, id="negative-stall"),
    ],
)
def test_constructor_rejects_invalid_fault_settings(kwargs: dict[str, float]) -> None:
    """Rates outside [0, 1] and negative durations raise ValueError."""
    with pytest.raises(ValueError):  # noqa: PT011 - several messages
        MockFlightDataProvider(**kwargs)  # type: ignore[arg-type]


async def test_probe_reports_the_seed_and_honours_faults(clock: FakeClock) -> None:
    """The health probe answers with the seed and fails when a failure is queued."""
    provider = MockFlightDataProvider(clock=clock, seed=3)
    health = await provider.health_check()
    assert (health.healthy, health.detail) == (True, "simulated provider (seed 3)")
    provider.fail_next(1)
    assert not (await provider.health_check()).healthy
    assert provider.calls == 2


async def test_calls_are_counted_only_when_the_upstream_is_reached(
    provider: MockFlightDataProvider,
) -> None:
    """Rejected queries cost no call; status, by-id, schedule and probe calls each cost one."""
    with pytest.raises(InvalidFlightQueryError):
        await provider.get_flight_status("not a flight", DAY)
    assert provider.calls == 0
    record = await status(provider)
    await provider.get_flight_by_id(record.provider_flight_id or "")
    start = datetime(2026, 11, 29, tzinfo=UTC)
    await provider.find_flights("LHR", "JFK", start, start + timedelta(hours=6))
    await provider.health_check()
    assert provider.calls == 4


def test_airport_lookup_helper_matches_the_table() -> None:
    """The test's own haversine agrees with the published LHR-JFK distance (5,540 km)."""
    assert round(haversine_km(get_airport("LHR"), get_airport("JFK"))) in range(5535, 5545)
