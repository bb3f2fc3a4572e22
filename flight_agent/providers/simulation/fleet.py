"""Aircraft: plausible types by carrier and distance, registrations, turn times, codeshares."""

from __future__ import annotations

import random
import string

WIDEBODY_TYPES = frozenset(
    (
        "A332", "A333", "A339", "A343", "A346", "A359", "A35K", "A388", "B744", "B748",
        "B763", "B764", "B772", "B77L", "B77W", "B788", "B789", "B78X",
    )
)  # fmt: skip
"""ICAO type designators of twin-aisle aircraft."""

LONG_HAUL_KM = 4000.0
"""Beyond this distance a route is flown with a widebody."""

NARROWBODY_TURN_MINUTES = 45
WIDEBODY_TURN_MINUTES = 90

_DEFAULT_FLEET = (("A320", "A20N", "A321", "B738", "B38M"), ("B77W", "B789", "A359", "A333"))
_FLEETS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "AA": (("A321", "B738", "A319"), ("B77W", "B788", "B772")),
    "BA": (("A320", "A20N", "A319", "A321"), ("B77W", "B772", "A388", "A35K", "B789")),
    "DL": (("A321", "B739", "A320", "A21N"), ("A339", "A359", "A333", "B764")),
    "UA": (("B739", "A320", "B38M", "A319"), ("B789", "B772", "B77W", "B763")),
    "LH": (("A320", "A20N", "A321", "A319"), ("B748", "A359", "A346", "A333")),
    "AF": (("A320", "A319", "A321", "BCS3"), ("B77W", "A359", "B789", "A332")),
    "KL": (("B738", "B739", "E190"), ("B772", "B789", "B77W", "A333")),
    "EK": (("B77W",), ("A388", "B77W")),
    "QR": (("A320", "B38M"), ("A359", "B77W", "A35K", "A388")),
    "QF": (("B738", "A21N"), ("A388", "B789", "A332")),
    "SQ": (("B38M", "A359"), ("A359", "A388", "B77W", "B78X")),
    "VS": (("A333",), ("A35K", "B789", "A339")),
    "WN": (("B737", "B38M", "B738"), ("B38M",)),
    "U2": (("A319", "A320", "A20N", "A21N"), ("A21N",)),
    "FR": (("B738", "B38M"), ("B38M",)),
    "W6": (("A321", "A21N", "A20N"), ("A21N",)),
    "B6": (("A320", "A321", "A21N", "BCS3"), ("A21N",)),
    "OO": (("CRJ9", "E75L", "CRJ7"), ("E75L",)),
}

# Registration patterns per country of the operator: L is a letter, D a digit.
_REGISTRATION_PATTERNS: dict[str, str] = {
    "US": "NDDDLL", "CA": "C-FLLL", "MX": "XA-LLL", "GB": "G-LLLL", "IE": "EI-LLL",
    "FR": "F-GLLL", "DE": "D-ALLL", "NL": "PH-LLL", "BE": "OO-SLL", "ES": "EC-LLL",
    "PT": "CS-TLL", "IT": "I-LLLL", "CH": "HB-JLL", "AT": "OE-LLL", "SE": "SE-RLL",
    "DK": "OY-KLL", "NO": "LN-LLL", "FI": "OH-LLL", "PL": "SP-LLL", "CZ": "OK-LLL",
    "HU": "HA-LLL", "GR": "SX-DLL", "TR": "TC-JLL", "IS": "TF-LLL", "LV": "YL-LLL",
    "AE": "A6-ELL", "QA": "A7-LLL", "SA": "HZ-ALL", "IL": "4X-ELL", "EG": "SU-GLL",
    "ET": "ET-ALL", "KE": "5Y-KLL", "ZA": "ZS-SLL", "IN": "VT-LLL", "SG": "9V-SLL",
    "HK": "B-HLL", "JP": "JADDDL", "KR": "HLDDDD", "CN": "B-DDDD", "TW": "B-DDDDD",
    "TH": "HS-TLL", "MY": "9M-MLL", "AU": "VH-LLL", "NZ": "ZK-LLL", "BR": "PR-LLL",
    "AR": "LV-LLL", "CL": "CC-BLL", "PA": "HP-DDDDCMP", "CO": "NDDDAV",
}  # fmt: skip

_CODESHARE_PARTNERS: dict[str, tuple[str, ...]] = {
    "AA": ("BA", "IB", "JL", "QF", "AY"),
    "BA": ("AA", "IB", "AY", "QR", "JL"),
    "IB": ("BA", "AA", "AY"),
    "UA": ("LH", "AC", "NH", "LX"),
    "LH": ("UA", "AC", "LX", "OS", "SN"),
    "AC": ("UA", "LH", "NH"),
    "DL": ("AF", "KL", "VS", "KE"),
    "AF": ("KL", "DL", "VS"),
    "KL": ("AF", "DL", "KQ"),
    "VS": ("DL", "AF", "KL"),
    "EK": ("QF", "JL"),
    "QF": ("EK", "AA", "JL"),
    "SQ": ("NZ", "LX", "TK"),
    "QR": ("BA", "AA", "IB"),
    "B6": ("AA",),
    "AS": ("AA", "BA"),
}


def aircraft_type(carrier: str, km: float, rng: random.Random) -> str:
    """A type the carrier flies: a widebody beyond 4,000 km, a narrowbody below."""
    narrow, wide = _FLEETS.get(carrier, _DEFAULT_FLEET)
    return rng.choice(wide if km > LONG_HAUL_KM else narrow)


def is_widebody(type_code: str) -> bool:
    """True for twin-aisle types."""
    return type_code in WIDEBODY_TYPES


def min_turn_minutes(type_code: str) -> int:
    """The shortest realistic turn at the gate: 45 min narrowbody, 90 min widebody."""
    return WIDEBODY_TURN_MINUTES if is_widebody(type_code) else NARROWBODY_TURN_MINUTES


def registration(country: str | None, rng: random.Random) -> str:
    """A registration in the style of the operator's country (US style when unknown)."""
    pattern = _REGISTRATION_PATTERNS.get(country or "", "NDDDLL")
    chars = []
    for symbol in pattern:
        if symbol == "L":
            chars.append(rng.choice(string.ascii_uppercase))
        elif symbol == "D":
            chars.append(rng.choice(string.digits[1:]))  # no leading zeros in N-numbers
        else:
            chars.append(symbol)
    return "".join(chars)


def codeshares(carrier: str, rng: random.Random, *, share: float = 0.35) -> tuple[str, ...]:
    """Occasional marketing designators of partner airlines, e.g. ('AA6143',)."""
    partners = _CODESHARE_PARTNERS.get(carrier, ())
    if not partners or rng.random() >= share:
        return ()
    chosen = rng.sample(partners, k=min(len(partners), rng.randint(1, 2)))
    return tuple(f"{partner}{rng.randint(1000, 8999)}" for partner in chosen)
