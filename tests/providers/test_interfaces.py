"""The FlightDataProvider base: validation first, metrics, bounded batches, health, lifetime."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

import pytest

from flight_agent.airports import get_airport
from flight_agent.clock import FakeClock
from flight_agent.errors import (
    FlightDateOutOfRangeError,
    InvalidFlightQueryError,
    ProviderUnavailableError,
)
from flight_agent.flight_query import FlightQuery
from flight_agent.models import FlightStatusData
from flight_agent.providers.interfaces import FlightDataProvider


class ScriptedProvider(FlightDataProvider):
    """Answers from a script: designator -> record, None, or an error; tracks concurrency."""

    def __init__(self, clock: FakeClock, script: dict[str, object] | None = None) -> None:
        super().__init__("Scripted", 3, max_concurrency=2, clock=clock)
        self.script = script or {}
        self.calls: list[FlightQuery] = []
        self.in_flight = 0
        self.peak = 0
        self.closed = False

    async def _fetch(self, query: FlightQuery) -> FlightStatusData | None:
        self.calls.append(query)
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)
        await asyncio.sleep(0)
        self.in_flight -= 1
        answer = self.script.get(query.flight_id)
        if isinstance(answer, Exception):
            raise answer
        if answer is None:
            return None
        return FlightStatusData(
            flight_id=query.flight_id,
            flight_date=query.flight_date,
            origin=get_airport("LHR"),
            destination=get_airport("JFK"),
            source=self.name,
            fetched_at=self.clock.now(),
        )

    async def _probe(self) -> str | None:
        if "probe" in self.script:
            raise ProviderUnavailableError("down", provider=self.name)
        return "fine"

    async def aclose(self) -> None:
        self.closed = True


async def test_bad_input_is_rejected_before_the_provider_is_called(clock: FakeClock) -> None:
    """Malformed designators and out-of-range dates never reach _fetch."""
    provider = ScriptedProvider(clock)
    with pytest.raises(InvalidFlightQueryError):
        await provider.get_flight_status("../x", date(2026, 11, 28))
    with pytest.raises(FlightDateOutOfRangeError):
        await provider.get_flight_status("BA117", date(2028, 1, 1))
    assert provider.calls == []
    assert provider.metrics.outcomes["invalid_query"] == 1


async def test_outcomes_are_recorded_in_metrics(clock: FakeClock) -> None:
    """A found flight, an unknown flight and a failure are each counted."""
    provider = ScriptedProvider(
        clock, {"BA117": True, "BA1": None, "BA2": ProviderUnavailableError("x")}
    )
    assert await provider.get_flight_status("BA117", date(2026, 11, 28)) is not None
    assert await provider.get_flight_status("BA1", date(2026, 11, 28)) is None
    with pytest.raises(ProviderUnavailableError):
        await provider.get_flight_status("BA2", date(2026, 11, 28))
    assert dict(provider.metrics.outcomes) == {"success": 1, "not_found": 1, "unavailable": 1}


async def test_batch_returns_one_outcome_per_query_in_order(clock: FakeClock) -> None:
    """Results, not-founds and errors come back per item; one failure spoils nothing else."""
    failure = ProviderUnavailableError("down")
    provider = ScriptedProvider(clock, {"BA117": True, "BA2": failure})
    day = date(2026, 11, 28)
    outcomes = await provider.get_flight_statuses(
        [("BA117", day), FlightQuery.parse("BA1", day), ("BA2", day, "LHR")]
    )
    assert [o.query.flight_id for o in outcomes] == ["BA117", "BA1", "BA2"]
    assert outcomes[0].result is not None
    assert (outcomes[1].ok, outcomes[1].result) == (True, None)
    assert (outcomes[2].ok, outcomes[2].error) == (False, failure)


async def test_batch_concurrency_is_bounded(clock: FakeClock) -> None:
    """No more than max_concurrency queries run at once."""
    provider = ScriptedProvider(clock, {f"BA{n}": True for n in range(1, 21)})
    await provider.get_flight_statuses([(f"BA{n}", date(2026, 11, 28)) for n in range(1, 21)])
    assert len(provider.calls) == 20
    assert provider.peak == 2


async def test_batch_with_a_malformed_item_names_it_and_sends_nothing(clock: FakeClock) -> None:
    """A bad item is reported by position before any request is made."""
    provider = ScriptedProvider(clock)
    with pytest.raises(InvalidFlightQueryError, match="Query 1"):
        await provider.get_flight_statuses(
            [("BA117", date(2026, 11, 28)), ("AA1?x", date(2026, 11, 28))]
        )
    assert provider.calls == []


async def test_health_check_reports_up_and_down(clock: FakeClock) -> None:
    """The probe's success or failure becomes a ProviderHealth with the error text."""
    healthy = await ScriptedProvider(clock).health_check()
    unhealthy = await ScriptedProvider(clock, {"probe": True}).health_check()
    assert (healthy.healthy, healthy.detail, healthy.latency_ms) == (True, "fine", 0.0)
    assert (unhealthy.healthy, unhealthy.detail) == (False, "[Scripted] down")
    assert healthy.checked_at == datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


async def test_async_context_closes_the_provider(clock: FakeClock) -> None:
    """Leaving ``async with`` calls aclose()."""
    async with ScriptedProvider(clock) as provider:
        assert not provider.closed
    assert provider.closed


def test_repr_shows_name_and_priority_only(clock: FakeClock) -> None:
    """The repr identifies the provider without any configuration detail."""
    assert repr(ScriptedProvider(clock)) == "ScriptedProvider(name='Scripted', priority=3)"
