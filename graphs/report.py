"""``IropsReport``: what the IROPS graph concludes about an itinerary, as one typed object."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

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
    """An action the graph proposes; a human approves, edits or rejects it."""

    id: str
    action: Literal["notify_traveller", "rebook"]
    description: str
    message: str | None = Field(
        default=None, description="For a notification: the text the traveller receives"
    )
    flight: str | None = Field(
        default=None, description="For a rebooking: the flight it replaces, e.g. 'AA1830'"
    )
    alternative: ScheduledFlight | None = Field(
        default=None, description="For a rebooking: the flight the traveller is moved onto"
    )
    options: list[ScheduledFlight] = Field(
        default_factory=list,
        description="For a rebooking: every alternative found for the leg; a human may "
        "choose another one instead of the proposed one",
    )
    approved: bool | None = Field(
        default=None, description="None until a human decided; an edited action is approved"
    )
    decision: Literal["approve", "edit", "reject"] | None = Field(
        default=None, description="What the human decided; None until then"
    )
    decision_note: str | None = Field(
        default=None, description="The reason the human gave with a rejection"
    )

    def notifying(self, message: str) -> Recommendation:
        """This notification with ``message`` as its text, described anew."""
        return self.model_copy(
            update={"message": message, "description": f"Notify the traveller: {message}"}
        )

    def rebooked_onto(self, alternative: ScheduledFlight) -> Recommendation:
        """This rebooking with ``alternative`` as the new flight, described anew."""
        route = f"{alternative.origin.code}-{alternative.destination.code}"
        description = (
            f"Rebook {self.flight} ({route}) onto {alternative.ident} departing "
            f"{alternative.scheduled_out:%Y-%m-%d %H:%MZ}"
        )
        return self.model_copy(update={"alternative": alternative, "description": description})


class Evidence(BaseModel):
    """A tool result the model consulted while explaining (its follow-up calls)."""

    tool: str
    args: dict[str, Any] = Field(default_factory=dict)
    result: str = Field(description="What the tool answered, as the model read it")
    error: bool = Field(default=False, description="Whether the tool answered with an error")


class IropsReport(BaseModel):
    """The itinerary's situation, the rules' verdicts, the actions and the human decision."""

    generated_at: dt.datetime
    legs: list[LegReport]
    disruptions: list[FlightDisruption]
    connections: list[ConnectionAssessment]
    rights: list[RightsResult]
    recommendations: list[Recommendation]
    decision: Literal["approved", "rejected", "not_needed"]
    explanation: str = Field(
        description="The explanation for the traveller: the model's when every figure it "
        "states matches the engine's facts, else the engine's own summary"
    )
    explanation_source: Literal["model", "engine"] = Field(
        default="model", description="Who wrote the explanation"
    )
    explanation_mismatches: list[str] = Field(
        default_factory=list,
        description="What the model stated that the engine's facts do not support "
        "(why the engine's summary replaced it)",
    )
    evidence: list[Evidence] = Field(
        default_factory=list, description="Tool results the model consulted"
    )
    notes: list[str] = Field(
        default_factory=list, description="Data caveats: stale answers, failovers, missing legs"
    )

    @property
    def disrupted(self) -> bool:
        """Whether anything went wrong on the itinerary."""
        return bool(self.disruptions) or any(leg.error for leg in self.legs)
