"""The IROPS rules engine: detect disruptions and work out what travellers are owed.

Pure and synchronous: every function takes flight records (``FlightStatusData``) and, where time
matters, the current time; nothing here does I/O beyond reading the packaged tables in
``flight_agent/data``. Each module names the regulation, case or published figure it applies.

- ``detect_disruptions``: delays with severity bands, early departure, cancellation
  (provisional until confirmed), diversion, air turnback, return to gate, tarmac delay with its
  regulatory clock, gate/terminal/schedule/aircraft/airport changes, late inbound aircraft.
- ``predict_departure`` / ``predict_rotation``: late inbound aircraft propagation.
- ``assess_connection`` / ``assess_itinerary``: connection risk against an editable MCT table.
- ``parse_nas_status`` / ``programme_effects``: FAA ground stops, ground delay programmes,
  closures and delays, and their effect on flights not yet departed.
- ``assess_trip``: all of the above for a booking's legs at once.
- ``eu261``, ``uk261``, ``us_dot_refund``, ``canada_appr`` (or ``assess_rights`` for all):
  passenger rights from ``ItineraryFacts``.
"""

from flight_agent.irops.bands import DelayBand, delay_band
from flight_agent.irops.connections import (
    ConnectionAssessment,
    ConnectionRisk,
    ItineraryAssessment,
    assess_connection,
    assess_itinerary,
    classify_connection,
)
from flight_agent.irops.countries import (
    CarrierSize,
    CountryGroup,
    appr_carrier_size,
    carrier_country,
    country_groups,
)
from flight_agent.irops.detection import detect_disruptions
from flight_agent.irops.disruptions import Disruption, DisruptionKind, Severity
from flight_agent.irops.geo import EARTH_RADIUS_KM, great_circle_km, haversine_km
from flight_agent.irops.inbound import (
    AircraftClass,
    InboundPrediction,
    aircraft_class,
    predict_departure,
    predict_rotation,
)
from flight_agent.irops.mct import MctQuery, MctRule, MctTable, default_mct_table
from flight_agent.irops.nas_status import (
    AirportProgramme,
    NasStatus,
    ProgrammeKind,
    parse_duration,
    parse_nas_status,
)
from flight_agent.irops.programmes import ProgrammeEffect, programme_effects
from flight_agent.irops.rights import (
    PROVISIONAL_CAVEAT,
    Applicability,
    Cause,
    Confidence,
    ItineraryFacts,
    Regime,
    RightsResult,
    RuleBook,
    assess_rights,
    canada_appr,
    eu261,
    uk261,
    us_dot_refund,
)
from flight_agent.irops.tarmac import TarmacClock, TarmacPhase, tarmac_clock
from flight_agent.irops.trip import (
    FlightDisruption,
    TripAssessment,
    assess_trip,
    journey_facts,
)

__all__ = [
    "EARTH_RADIUS_KM",
    "PROVISIONAL_CAVEAT",
    "AircraftClass",
    "AirportProgramme",
    "Applicability",
    "CarrierSize",
    "Cause",
    "Confidence",
    "ConnectionAssessment",
    "ConnectionRisk",
    "CountryGroup",
    "DelayBand",
    "Disruption",
    "DisruptionKind",
    "FlightDisruption",
    "InboundPrediction",
    "ItineraryAssessment",
    "ItineraryFacts",
    "MctQuery",
    "MctRule",
    "MctTable",
    "NasStatus",
    "ProgrammeEffect",
    "ProgrammeKind",
    "Regime",
    "RightsResult",
    "RuleBook",
    "Severity",
    "TarmacClock",
    "TarmacPhase",
    "TripAssessment",
    "aircraft_class",
    "appr_carrier_size",
    "assess_connection",
    "assess_itinerary",
    "assess_rights",
    "assess_trip",
    "canada_appr",
    "carrier_country",
    "classify_connection",
    "country_groups",
    "default_mct_table",
    "delay_band",
    "detect_disruptions",
    "eu261",
    "great_circle_km",
    "haversine_km",
    "journey_facts",
    "parse_duration",
    "parse_nas_status",
    "predict_departure",
    "predict_rotation",
    "programme_effects",
    "tarmac_clock",
    "uk261",
    "us_dot_refund",
]
