"""The typed payloads the tools return as artifacts (and the MCP tools as structured output)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from flight_agent.irops import (
    ConnectionAssessment,
    Disruption,
    InboundPrediction,
    ItineraryFacts,
    ProgrammeEffect,
    RightsResult,
)
from flight_agent.models import FlightStatusData, ScheduledFlight
from flight_agent.providers import ProviderStats

ErrorKind = Literal["invalid_query", "not_found", "date_out_of_range", "providers_down"]


class ResolvedFlight(BaseModel):
    """The query as the service ran it, with the date made explicit."""

    flight_number: str = Field(description="Normalized designator, e.g. BA117")
    date: dt.date = Field(description="Local departure date at the origin")
    origin: str | None = None
    date_note: str = Field(description="Where the date came from, e.g. 'today at LHR'")


class FlightStatusResult(BaseModel):
    """One flight's status: the record, its age and whether it is a stale copy."""

    query: ResolvedFlight
    flight: FlightStatusData
    disruptions: list[Disruption] = Field(
        default_factory=list, description="What the record shows: delays, cancellation, ..."
    )
    data_age_seconds: float = Field(description="Seconds since a provider gave this record")
    stale: bool = Field(description="True when served from the last known copy in an outage")


class BatchItem(BaseModel):
    """One flight of a batch: its record or why there is none."""

    index: int
    query: ResolvedFlight | None = None
    flight: FlightStatusData | None = None
    error_kind: ErrorKind | None = None
    error: str | None = None


class BatchStatusResult(BaseModel):
    """Every flight of a batch, in the order asked, with counts."""

    items: list[BatchItem]
    found: int
    failed: int
    stale: int

    @classmethod
    def of(cls, items: list[BatchItem]) -> BatchStatusResult:
        """The result of these items, counted."""
        return cls(
            items=items,
            found=sum(item.flight is not None for item in items),
            failed=sum(item.flight is None for item in items),
            stale=sum(item.flight is not None and item.flight.stale for item in items),
        )


class ProviderHealthEntry(BaseModel):
    """One provider's state as the failover manager sees it."""

    name: str
    priority: int
    enabled: bool
    state: str = Field(description="closed (healthy), open (skipped), half_open (probing), ...")
    requests: int
    success_rate: float | None
    latency_p50_ms: float | None
    latency_p95_ms: float | None
    last_error: str | None
    last_error_at: str | None
    cooldown_left_s: float

    @classmethod
    def of(cls, name: str, stats: ProviderStats) -> ProviderHealthEntry:
        """The entry of one provider, from its stats."""
        return cls(
            name=name,
            priority=stats.priority,
            enabled=stats.enabled,
            state=stats.state,
            requests=stats.requests,
            success_rate=stats.success_rate,
            latency_p50_ms=stats.latency_ms.p50,
            latency_p95_ms=stats.latency_ms.p95,
            last_error=stats.last_error,
            last_error_at=stats.last_error_at.isoformat() if stats.last_error_at else None,
            cooldown_left_s=stats.cooldown_left_s,
        )


class ProviderHealthResult(BaseModel):
    """The providers in priority order."""

    providers: list[ProviderHealthEntry]


class ConnectionResult(BaseModel):
    """Whether a connection holds: both flights and the assessment against the MCT."""

    inbound: FlightStatusData
    onward: FlightStatusData
    assessment: ConnectionAssessment


class DisruptionReport(BaseModel):
    """A flight's disruptions, the late-inbound prediction and airport programmes."""

    query: ResolvedFlight
    flight: FlightStatusData
    disruptions: list[Disruption]
    inbound: InboundPrediction | None = Field(
        default=None, description="Predicted departure from the aircraft's previous flight"
    )
    programmes: list[ProgrammeEffect] = Field(
        default_factory=list, description="FAA airport programmes holding the flight up"
    )
    data_age_seconds: float
    stale: bool


class RightsReport(BaseModel):
    """What the traveller is owed under each regime, from the booking's legs."""

    legs: list[FlightStatusData]
    facts: ItineraryFacts
    results: list[RightsResult]


class AlternativesResult(BaseModel):
    """Scheduled flights between two airports in a local time window."""

    origin: str
    destination: str
    date: dt.date
    window: str = Field(description="The local departure window searched, e.g. '14:00-22:00 GMT'")
    flights: list[ScheduledFlight]
