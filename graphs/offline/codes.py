"""Airport codes in a traveller's words: 'LHR', 'EGLL', and in lower case 'lhr', 'at lax'.

Codes are looked up in ``airportsdata``, the project's airport table (``airports``). An
upper-case token is a code unless it is an abbreviation that says something else ('ETA', 'USD');
a lower-case one unless it is a plain English word (``graphs.offline.words``: 'due', 'fog'), or
when such a word is one end of a route whose other end is a code ('from sfo to sea').
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import Literal

import airportsdata

from graphs.offline.words import is_plain_word

_CODE = re.compile(r"\b(?:[A-Z]{3,4}|[a-z]{3})\b")
_NOT_CODES_WORDS = """
API ATC CEO DOT ETA ETD FAQ MCT USA USD EUR GBP CAD AUD CHF JPY THE AND FOR YOU ANY
"""
NOT_CODES = frozenset(_NOT_CODES_WORDS.split())
"""Upper-case words shaped like airport codes that say something else."""

Table = dict[str, airportsdata.Airport]


@cache
def airports(key: Literal["IATA", "ICAO"]) -> Table:
    """The airport table by code; ``airportsdata.load`` reads its file on every call."""
    return airportsdata.load(key)


def find_codes(text: str) -> Iterator[tuple[int, int, str, tuple[str, ...]]]:
    """Airport codes: IATA or ICAO in upper case, IATA in lower case unless a plain word."""
    table = airports("IATA")
    icao = airports("ICAO")
    for match in _CODE.finditer(text):
        word = match.group()
        if word in NOT_CODES or (
            word.islower() and is_plain_word(word) and not _beside_code(text, match, table)
        ):
            continue
        row = table.get(word.upper()) if len(word) == 3 else icao.get(word)
        if row and row["iata"]:
            yield match.start(), match.end(), word, (row["iata"],)


_JOIN = r"\s*(?:-|\u2013|->|/)\s*"
_CODE_BEFORE = re.compile(rf"(?:\bfrom\s+([A-Za-z]{{3}})\s+to|\b([A-Za-z]{{3}}){_JOIN})\s*$")
_CODE_AFTER = re.compile(rf"{_JOIN}([A-Za-z]{{3}})\b")
_CODE_AFTER_FROM = re.compile(r"\s+to\s+([A-Za-z]{3})\b")
_FROM = re.compile(r"\bfrom\s+$")


def _beside_code(text: str, match: re.Match[str], table: Table) -> bool:
    """Whether a word is one end of a route whose other end is a code ('from sfo to sea',
    'sea-lax'): a code too. 'due to fog' is no route."""
    before = _CODE_BEFORE.search(text, max(0, match.start() - 12), match.start())
    after = _CODE_AFTER.match(text, match.end())
    if after is None and _FROM.search(text, max(0, match.start() - 6), match.start()):
        after = _CODE_AFTER_FROM.match(text, match.end())
    others = [m[1] or m[2] for m in (before,) if m] + [m[1] for m in (after,) if m]
    return any(
        other.upper() in table and not (other.islower() and is_plain_word(other))
        for other in others
    )
