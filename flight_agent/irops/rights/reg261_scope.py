"""Who Regulation 261/2004 covers (Art. 3(1)), as EU261 and UK261 both decide it.

Art. 3(1)(a) covers a departure from the regime's zone on any carrier (``departure_scope``);
Art. 3(1)(b) an arrival from outside it on an eligible carrier (``carrier_scope``). Each regime's
scope test (``eu261_scope``, ``uk261_scope``) says which zone and which carriers.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from flight_agent.irops.countries import CountryGroup, carrier_country, in_groups
from flight_agent.irops.rights.common import Applicability, zone_ends
from flight_agent.irops.rights.facts import ItineraryFacts


@dataclass(frozen=True)
class Scope:
    """A regime's answer to "does it cover this trip?".

    Attributes:
        applicability: Applies, not applicable, or unknown.
        reason: Why, in one sentence.
        basis: The scope provision relied on.
        internal: Whether origin and destination are both inside the regime's zone (the
            intra-Community cap of band (b)).
        caveats: Conditions of the scope provision.
    """

    applicability: Applicability
    reason: str
    basis: str = ""
    internal: bool = False
    caveats: tuple[str, ...] = ()


def departure_scope(
    facts: ItineraryFacts, zone: Collection[CountryGroup], *, name: str, departs: str
) -> Scope | None:
    """Art. 3(1)(a): a departure from the zone is covered on any carrier.

    Args:
        facts: The journey.
        zone: The regime's country groups.
        name: Prefix of the citation, e.g. ``"EU261"``.
        departs: Why the journey is covered when it departs from the zone.

    Returns:
        The scope when the trip departs from the zone (unknown when an airport's country is);
        None when it does not, and only Art. 3(1)(b) may cover it.
    """
    from_zone, to_zone = zone_ends(facts, zone)
    if from_zone is None or to_zone is None:
        return Scope(Applicability.UNKNOWN, "the country of an airport is unknown")
    if from_zone:
        return Scope(Applicability.APPLIES, departs, f"{name} Art. 3(1)(a)", internal=to_zone)
    return None


def carrier_scope(
    facts: ItineraryFacts,
    carriers: Collection[CountryGroup],
    *,
    name: str,
    unknown: str,
    excluded: str,
    covered: str,
) -> Scope:
    """Art. 3(1)(b): an arrival from outside the zone is covered only on an eligible carrier.

    Args:
        facts: The journey.
        carriers: The country groups whose carriers the regime covers on this route.
        name: Prefix of the citation, e.g. ``"EU261"``.
        unknown: Why the answer is unknown when the operating carrier's nationality is.
        excluded: Why the journey is not covered; ``{country}`` stands for the carrier's.
        covered: Why it is covered; ``{country}`` stands for the carrier's.
    """
    country = carrier_country(facts.operating_carrier)
    if country is None:
        return Scope(Applicability.UNKNOWN, unknown)
    if not in_groups(country, carriers, facts.flight_date):
        return Scope(Applicability.NOT_APPLICABLE, excluded.format(country=country))
    return Scope(
        Applicability.APPLIES,
        covered.format(country=country),
        f"{name} Art. 3(1)(b)",
        caveats=(
            "Not if benefits or compensation and assistance were received in the third "
            "country (Art. 3(1)(b)).",
        ),
    )
