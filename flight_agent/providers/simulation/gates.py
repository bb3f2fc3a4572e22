"""Terminals and gates: plausible strings, with the terminals real hubs use.

A carrier's home terminal is used where it is well known (BA in LHR T5, AA and BA in JFK T8);
other airports draw a terminal from their list, or from ("1", "2") when not listed.
"""

from __future__ import annotations

import random

_TERMINALS: dict[str, tuple[str, ...]] = {
    "LHR": ("2", "3", "4", "5"),
    "LGW": ("N", "S"),
    "JFK": ("1", "4", "5", "7", "8"),
    "CDG": ("1", "2A", "2C", "2D", "2E", "2F", "2G"),
    "FRA": ("1", "2"),
    "MUC": ("1", "2"),
    "AMS": ("1", "2", "3"),
    "DXB": ("1", "2", "3"),
    "DOH": ("1",),
    "SIN": ("1", "2", "3", "4"),
    "SYD": ("1", "2", "3"),
    "YYZ": ("1", "3"),
    "SFO": ("1", "2", "3", "I"),
    "LAX": ("1", "2", "3", "4", "5", "6", "7", "8", "B"),
    "ORD": ("1", "2", "3", "5"),
    "ATL": ("N", "S", "I"),
    "EWR": ("A", "B", "C"),
    "MAD": ("1", "2", "4", "4S"),
    "BCN": ("1", "2"),
    "IST": ("1",),
    "HKG": ("1",),
    "NRT": ("1", "2", "3"),
    "HND": ("1", "2", "3"),
}

_HOME_TERMINALS: dict[tuple[str, str], str] = {
    ("BA", "LHR"): "5",
    ("VS", "LHR"): "3",
    ("AA", "LHR"): "3",
    ("LH", "LHR"): "2",
    ("EK", "LHR"): "3",
    ("QR", "LHR"): "4",
    ("AA", "JFK"): "8",
    ("BA", "JFK"): "8",
    ("B6", "JFK"): "5",
    ("DL", "JFK"): "4",
    ("AF", "JFK"): "1",
    ("LH", "JFK"): "1",
    ("LH", "FRA"): "1",
    ("UA", "SFO"): "3",
    ("UA", "ORD"): "1",
    ("UA", "EWR"): "C",
    ("AF", "CDG"): "2E",
    ("EK", "DXB"): "3",
    ("SQ", "SIN"): "3",
    ("QF", "SYD"): "1",
    ("AC", "YYZ"): "1",
    ("U2", "LGW"): "N",
    ("KL", "AMS"): "2",
    ("IB", "MAD"): "4S",
}

# Gate letters by terminal where piers are lettered differently (LHR T5: A, B, C).
_PIERS: dict[tuple[str, str], str] = {("LHR", "5"): "ABC", ("LHR", "3"): "BH", ("JFK", "8"): "BC"}


def terminals(airport: str) -> tuple[str, ...]:
    """The passenger terminals of an airport (two generic ones when not listed)."""
    return _TERMINALS.get(airport, ("1", "2"))


def terminal_for(carrier: str, airport: str, rng: random.Random) -> str:
    """The carrier's terminal at the airport: its known home terminal, else a draw."""
    return _HOME_TERMINALS.get((carrier, airport)) or rng.choice(terminals(airport))


def gate_for(airport: str, terminal: str, rng: random.Random) -> str:
    """A gate such as 'A10' or 'C64' in that terminal."""
    letters = _PIERS.get((airport, terminal), "ABCD")
    return f"{rng.choice(letters)}{rng.randint(1, 68)}"


def other_terminal(airport: str, current: str, rng: random.Random) -> str:
    """A different terminal of the same airport (a generic one when it has only one)."""
    options = [t for t in terminals(airport) if t != current] or [
        t for t in ("1", "2") if t != current
    ]
    return rng.choice(options)


def other_gate(airport: str, terminal: str, current: str, rng: random.Random) -> str:
    """A gate in the terminal that differs from ``current``."""
    while True:
        gate = gate_for(airport, terminal, rng)
        if gate != current:
            return gate
