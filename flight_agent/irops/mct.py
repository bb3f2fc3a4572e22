"""Minimum connection times: an editable table (``data/mct.csv``) and its lookup.

The industry MCT dataset (IATA-approved, distributed by OAG) is licensed, so the toolkit ships
public anchors and assumed values, each row naming its source, and lets operators load their own
table. The most specific matching row wins: carrier, then airport, terminals, category, onward
region.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache

from flight_agent.irops.countries import CountryGroup
from flight_agent.irops.tables import Row, parse_table, read_table

ANY = "*"
SAME_TERMINAL = "="


@dataclass(frozen=True, slots=True)
class MctQuery:
    """A connection to find the minimum connection time for.

    Attributes:
        airport: Connecting airport code, or ``"ARR-DEP"`` for a change of airport.
        category: ``DD``, ``DI``, ``ID`` or ``II`` (inbound then onward: domestic/international).
        day: Onward departure date.
        arrival_terminal: Terminal the inbound flight arrives at, when known.
        departure_terminal: Terminal the onward flight leaves from, when known.
        carrier: Onward operating carrier (IATA), when known.
        onward_groups: Country groups of the onward destination.
    """

    airport: str
    category: str
    day: date
    arrival_terminal: str | None = None
    departure_terminal: str | None = None
    carrier: str | None = None
    onward_groups: frozenset[CountryGroup] = frozenset()


@dataclass(frozen=True, slots=True)
class MctRule:
    """One row of the MCT table (see the header of ``data/mct.csv``)."""

    airport: str
    arrival_terminal: str
    departure_terminal: str
    category: str
    carrier: str
    onward_region: str
    valid_from: date | None
    minutes: int
    source: str

    @classmethod
    def from_row(cls, row: Row) -> MctRule:
        """Build a rule from a CSV row.

        Args:
            row: One row of a table in the format of ``data/mct.csv``.
        """
        return cls(
            airport=row["airport"].upper(),
            arrival_terminal=row["arrival_terminal"] or ANY,
            departure_terminal=row["departure_terminal"] or ANY,
            category=row["category"].upper() or ANY,
            carrier=row["carrier"].upper() or ANY,
            onward_region=row["onward_region"].upper(),
            valid_from=date.fromisoformat(row["valid_from"]) if row["valid_from"] else None,
            minutes=int(row["minutes"]),
            source=row["source"],
        )

    def matches(self, query: MctQuery) -> bool:
        """Whether this row covers the connection.

        Args:
            query: The connection.
        """
        departure_ok = (
            self.departure_terminal in (ANY, query.departure_terminal)
            if self.departure_terminal != SAME_TERMINAL
            else query.arrival_terminal is not None
            and query.arrival_terminal == query.departure_terminal
        )
        return (
            (self.airport == query.airport or (self.airport == ANY and "-" not in query.airport))
            and self.arrival_terminal in (ANY, query.arrival_terminal)
            and departure_ok
            and self.category in (ANY, query.category)
            and self.carrier in (ANY, query.carrier)
            and (not self.onward_region or self.onward_region in query.onward_groups)
            and (self.valid_from is None or self.valid_from <= query.day)
        )

    @property
    def specificity(self) -> tuple[bool, ...]:
        """Sort key: more specific rows win (carrier first, then airport, terminals...)."""
        return (
            self.carrier != ANY,
            self.airport != ANY,
            self.arrival_terminal != ANY,
            self.departure_terminal != ANY,
            self.category != ANY,
            bool(self.onward_region),
            self.valid_from is not None,
        )


class MctTable:
    """A set of MCT rules with most-specific-match lookup."""

    def __init__(self, rules: Sequence[MctRule]) -> None:
        """Hold the rules.

        Args:
            rules: The table rows.
        """
        self.rules = tuple(rules)

    @classmethod
    def from_csv(cls, text: str) -> MctTable:
        """Load a table in the format of ``data/mct.csv``.

        Args:
            text: The CSV text.
        """
        return cls([MctRule.from_row(row) for row in parse_table(text)])

    def lookup(self, query: MctQuery) -> MctRule | None:
        """The most specific rule for a connection, or None when no row matches.

        Args:
            query: The connection.
        """
        matching = [rule for rule in self.rules if rule.matches(query)]
        return max(matching, key=lambda rule: rule.specificity, default=None)


@cache
def default_mct_table() -> MctTable:
    """The packaged table, ``data/mct.csv``."""
    return MctTable([MctRule.from_row(row) for row in read_table("mct.csv")])
