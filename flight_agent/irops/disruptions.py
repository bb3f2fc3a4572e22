"""What the IROPS engine reports: typed disruption records."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from flight_agent.changes import FlightChange
from flight_agent.irops.bands import DelayBand


class DisruptionKind(StrEnum):
    """The disruptions flight data can show, and the other changes since a previous snapshot
    (a cancellation withdrawn, a status change, the milestones, a new inbound flight)."""

    DEPARTURE_DELAY = "departure_delay"
    ARRIVAL_DELAY = "arrival_delay"
    EARLY_DEPARTURE = "early_departure"
    CANCELLATION = "cancellation"
    DIVERSION = "diversion"
    AIR_TURNBACK = "air_turnback"
    RETURN_TO_GATE = "return_to_gate"
    TARMAC_DELAY = "tarmac_delay"
    GATE_CHANGE = "gate_change"
    TERMINAL_CHANGE = "terminal_change"
    SCHEDULE_CHANGE = "schedule_change"
    AIRCRAFT_SWAP = "aircraft_swap"
    AIRPORT_CHANGE = "airport_change"
    LATE_INBOUND = "late_inbound"
    CANCELLATION_WITHDRAWN = "cancellation_withdrawn"
    STATUS_CHANGE = "status_change"
    DEPARTED = "departed"
    ARRIVED = "arrived"
    INBOUND_CHANGE = "inbound_change"


class Severity(StrEnum):
    """How urgently a traveller should hear about it."""

    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


EvidenceValue = str | int | float | bool | datetime | None
"""A field value a disruption was detected from."""


class Disruption(BaseModel):
    """One disruption, with the data it was detected from and a one-line explanation."""

    model_config = ConfigDict(frozen=True)

    kind: DisruptionKind
    severity: Severity
    band: DelayBand | None = Field(default=None, description="Delay band, for delays")
    provisional: bool = Field(
        default=False, description="Reported but not yet confirmed (e.g. a first cancellation)"
    )
    evidence: dict[str, EvidenceValue] = Field(description="Fields and values it rests on")
    explanation: str = Field(description="One line for a traveller or an agent")
    changes: tuple[FlightChange, ...] = Field(
        default=(),
        description="The changes since the previous snapshot it reports, as a watch of the "
        "flight publishes them (none for a state read from the latest record alone)",
    )


BAND_SEVERITY: dict[DelayBand, Severity] = {
    DelayBand.ON_TIME: Severity.INFO,
    DelayBand.DELAYED: Severity.LOW,
    DelayBand.MAJOR: Severity.MEDIUM,
    DelayBand.CARE_2H: Severity.MEDIUM,
    DelayBand.SEVERE: Severity.HIGH,
    DelayBand.LONG_HAUL_4H: Severity.HIGH,
    DelayBand.REFUND_5H: Severity.HIGH,
    DelayBand.INTL_6H: Severity.CRITICAL,
    DelayBand.EXTREME: Severity.CRITICAL,
}
"""Severity of a delay by band."""

Escalation = tuple[tuple[tuple[timedelta, Severity], ...], Severity]
"""Severity steps ``((bound, severity), ...)`` tried in order, then a default severity."""


def escalate(value: timedelta, escalation: Escalation, *, below: bool) -> Severity:
    """The severity of the first step ``value`` falls in.

    Args:
        value: A duration (time left before departure, time held on the tarmac...).
        escalation: The steps and the default.
        below: True when a step holds for values under its bound, False for values at or over it.
    """
    steps, default = escalation
    for bound, severity in steps:
        if (value < bound) if below else (value >= bound):
            return severity
    return default
