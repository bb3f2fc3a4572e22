"""The IROPS tools: ``check_connection``, ``assess_disruption``, ``passenger_rights`` and
``find_alternative_flights``, built like the flight tools (see ``tools.flight_tools``)."""

from __future__ import annotations

from typing import Any

from langchain_core.tools import BaseTool

from tools import irops_formatting, irops_operations
from tools.flight_tools import content_and_artifact, structured_tool
from tools.schemas import (
    AssessDisruptionInput,
    CheckConnectionInput,
    FindAlternativeFlightsInput,
    FlightRef,
    PassengerRightsInput,
)
from tools.service_runner import ServiceRunner

CHECK_CONNECTION = (
    "Whether a traveller makes a connection: fetches the arriving and the onward flight and "
    "compares the time between them with the minimum connection time at that airport "
    "(ok / tight / at risk / missed, with the slack). Use it for any 'will I make my "
    "connection' question. Not for a single flight's status."
)
ASSESS_DISRUPTION = (
    "What is going wrong with ONE flight and why: delays with severity, cancellation, "
    "diversion, tarmac delay, gate or aircraft changes, a late inbound aircraft with the "
    "predicted departure, and FAA airport programmes. Use it when a flight is disrupted or "
    "the traveller asks what to expect. For plain status use get_flight_status."
)
PASSENGER_RIGHTS = (
    "What the traveller is owed for a delayed or cancelled booking under EU261, UK261, US DOT "
    "and Canada APPR: compensation amount and currency, care (meals, hotel), refund rights, "
    "legal basis and caveats. Give every leg of ONE booking in travel order, and the cause if "
    "the airline stated one. Not legal advice; say so when answering."
)
FIND_ALTERNATIVE_FLIGHTS = (
    "Scheduled flights between two airports on a date within a local departure window, "
    "earliest first: candidates for rebooking after a cancellation or a missed connection. "
    "Not for the status of a known flight."
)


def make_irops_tools(runner: ServiceRunner) -> list[BaseTool]:
    """The IROPS tools bound to ``runner``."""
    connection_run, connection_arun = content_and_artifact(
        runner, irops_formatting.connection_summary
    )
    disruption_run, disruption_arun = content_and_artifact(
        runner, irops_formatting.disruption_summary
    )
    rights_run, rights_arun = content_and_artifact(runner, irops_formatting.rights_summary)
    alternatives_run, alternatives_arun = content_and_artifact(
        runner, irops_formatting.alternatives_summary
    )

    def connection_op(inbound: Any, onward: Any) -> Any:
        first = FlightRef.model_validate(inbound, from_attributes=True)
        second = FlightRef.model_validate(onward, from_attributes=True)
        return lambda service: irops_operations.check_connection(service, first, second)

    def disruption_op(args: dict[str, Any]) -> Any:
        ref = FlightRef(**args)
        return lambda service: irops_operations.assess_disruption(service, ref)

    def rights_op(args: dict[str, Any]) -> Any:
        checked = PassengerRightsInput.model_validate(args, from_attributes=True)
        return lambda service: irops_operations.passenger_rights(service, checked)

    def alternatives_op(args: dict[str, Any]) -> Any:
        checked = FindAlternativeFlightsInput.model_validate(args)
        return lambda service: irops_operations.alternative_flights(service, checked)

    def check_connection(inbound: Any, onward: Any) -> tuple[str, Any]:
        return connection_run(connection_op(inbound, onward))

    async def acheck_connection(inbound: Any, onward: Any) -> tuple[str, Any]:
        return await connection_arun(connection_op(inbound, onward))

    def assess_disruption(
        flight_number: str, date: str | None = None, origin: str | None = None
    ) -> tuple[str, Any]:
        args = {"flight_number": flight_number, "date": date, "origin": origin}
        return disruption_run(disruption_op(args))

    async def aassess_disruption(
        flight_number: str, date: str | None = None, origin: str | None = None
    ) -> tuple[str, Any]:
        args = {"flight_number": flight_number, "date": date, "origin": origin}
        return await disruption_arun(disruption_op(args))

    def passenger_rights(
        flights: list[Any], cause: str = "unknown", cancellation_notice_days: int | None = None
    ) -> tuple[str, Any]:
        args = {
            "flights": flights,
            "cause": cause,
            "cancellation_notice_days": cancellation_notice_days,
        }
        return rights_run(rights_op(args))

    async def apassenger_rights(
        flights: list[Any], cause: str = "unknown", cancellation_notice_days: int | None = None
    ) -> tuple[str, Any]:
        args = {
            "flights": flights,
            "cause": cause,
            "cancellation_notice_days": cancellation_notice_days,
        }
        return await rights_arun(rights_op(args))

    def find_alternative_flights(**args: Any) -> tuple[str, Any]:
        return alternatives_run(alternatives_op(args))

    async def afind_alternative_flights(**args: Any) -> tuple[str, Any]:
        return await alternatives_arun(alternatives_op(args))

    return [
        structured_tool(
            "check_connection",
            CHECK_CONNECTION,
            CheckConnectionInput,
            check_connection,
            acheck_connection,
        ),
        structured_tool(
            "assess_disruption",
            ASSESS_DISRUPTION,
            AssessDisruptionInput,
            assess_disruption,
            aassess_disruption,
        ),
        structured_tool(
            "passenger_rights",
            PASSENGER_RIGHTS,
            PassengerRightsInput,
            passenger_rights,
            apassenger_rights,
        ),
        structured_tool(
            "find_alternative_flights",
            FIND_ALTERNATIVE_FLIGHTS,
            FindAlternativeFlightsInput,
            find_alternative_flights,
            afind_alternative_flights,
        ),
    ]
