"""``IropsReport``: what the IROPS graph concludes about an itinerary, as one typed object."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from flight_agent.irops import ConnectionAssessment, FlightDisruption, RightsResult
from flight_agent.models import FlightStatusData, ScheduledFlight


class LegReport(BaseModel):
    """One leg as the report shows it: the answer and where it came from."""

    flight_number: str
    date: dt.date | None = None
    route: str | None = None
    status: str | None = None
    departure_delay_minutes: int | None = None
    arrival_delay_minutes: int | None = None
    source: str | None = Field(default=None, description="The provider that answered")
    stale: bool = False
    data_age_minutes: float | None = None
    failover: str | None = Field(
        default=None,
        description="Providers that failed before one answered, e.g. 'FlightAware auth'",
    )
    error: str | None = Field(default=None, description="Why there is no answer for this leg")

    @classmethod
    def from_record(cls, record: FlightStatusData, now: dt.datetime) -> LegReport:
        """The leg's report line from its record."""
        failed = [f"{a.provider} {a.outcome}" for a in record.attempts if a.outcome != "success"]
        return cls(
            flight_number=record.flight_id,
            date=record.flight_date,
            route=record.route,
            status=record.status.value,
            departure_delay_minutes=record.departure_delay_minutes,
            arrival_delay_minutes=record.arrival_delay_minutes,
            source=record.source,
            stale=record.stale,
            data_age_minutes=round(max(0.0, (now - record.fetched_at).total_seconds()) / 60, 1),
            failover=", ".join(failed) or None,
        )


class Recommendation(BaseModel):
    """An action the graph proposes; a human approves or rejects it."""

    id: str
    action: Literal["notify_traveller", "rebook"]
    description: str
    alternative: ScheduledFlight | None = None
    approved: bool | None = Field(default=None, description="None until a human decided")


class IropsReport(BaseModel):
    """The itinerary's situation, the rules' verdicts, the actions and the human decision."""

    generated_at: dt.datetime
    legs: list[LegReport]
    disruptions: list[FlightDisruption]
    connections: list[ConnectionAssessment]
    rights: list[RightsResult]
    recommendations: list[Recommendation]
    decision: Literal["approved", "rejected", "not_needed"]
    explanation: str = Field(description="The model's explanation for the traveller")
    notes: list[str] = Field(
        default_factory=list, description="Data caveats: stale answers, failovers, missing legs"
    )

    @property
    def disrupted(self) -> bool:
        """Whether anything went wrong on the itinerary."""
        return bool(self.disruptions) or any(leg.error for leg in self.legs)
