"""Every regime at once: what the passenger may be owed, regime by regime."""

from __future__ import annotations

from flight_agent.irops.rights.canada_appr import canada_appr
from flight_agent.irops.rights.common import RightsResult
from flight_agent.irops.rights.eu261 import eu261
from flight_agent.irops.rights.facts import ItineraryFacts
from flight_agent.irops.rights.uk261 import uk261
from flight_agent.irops.rights.us_dot import us_dot_refund


def assess_rights(facts: ItineraryFacts) -> tuple[RightsResult, ...]:
    """Apply EU261, UK261, the US DOT refund rule and Canada APPR to one journey.

    Args:
        facts: The journey.

    Returns:
        One result per regime, in that order; check ``applicability`` on each. Where two
        regimes apply (e.g. UK to EU on an EU carrier) the passenger cannot be paid twice.
    """
    return tuple(rule(facts) for rule in (eu261, uk261, us_dot_refund, canada_appr))
