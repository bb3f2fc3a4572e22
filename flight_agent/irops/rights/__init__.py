"""Passenger rights computable from flight data: EU261, UK261, US DOT refunds, Canada APPR.

Each regime is a pure function of ``ItineraryFacts`` returning a ``RightsResult``; rules are
dated editions in a ``RuleBook`` chosen by flight date. A result resting on a cancellation not
yet confirmed is ``provisional`` and says so (``PROVISIONAL_CAVEAT``).
"""

from flight_agent.irops.rights.assess import assess_rights
from flight_agent.irops.rights.canada_appr import (
    APPR_BOOK,
    APPR_TARMAC_BOOK,
    ApprRules,
    canada_appr,
)
from flight_agent.irops.rights.common import (
    PROVISIONAL_CAVEAT,
    Applicability,
    Confidence,
    Regime,
    RightsResult,
    RuleBook,
    TarmacRule,
)
from flight_agent.irops.rights.eu261 import EU261_BOOK, eu261, eu261_scope
from flight_agent.irops.rights.facts import Cause, ItineraryFacts
from flight_agent.irops.rights.reg261 import DistanceBand, Reg261Rules, distance_band
from flight_agent.irops.rights.uk261 import UK261_BOOK, uk261, uk261_scope
from flight_agent.irops.rights.us_dot import (
    DOT_REFUND_BOOK,
    DOT_TARMAC_BOOK,
    DotRefundRules,
    us_dot_refund,
)

__all__ = [
    "APPR_BOOK",
    "APPR_TARMAC_BOOK",
    "DOT_REFUND_BOOK",
    "DOT_TARMAC_BOOK",
    "EU261_BOOK",
    "PROVISIONAL_CAVEAT",
    "UK261_BOOK",
    "Applicability",
    "ApprRules",
    "Cause",
    "Confidence",
    "DistanceBand",
    "DotRefundRules",
    "ItineraryFacts",
    "Reg261Rules",
    "Regime",
    "RightsResult",
    "RuleBook",
    "TarmacRule",
    "assess_rights",
    "canada_appr",
    "distance_band",
    "eu261",
    "eu261_scope",
    "uk261",
    "uk261_scope",
    "us_dot_refund",
]
