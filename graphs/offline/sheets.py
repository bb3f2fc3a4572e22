"""Airports in a sheet pasted from an ops system, read by the column each sits in.

Ops desks paste rows under a header ('FLT DATE ORIG DEST'): the airport in a row's origin
column is where that row's flight leaves from, the one in its destination column where it
goes, though no word such as 'from' or 'to' says so. ``sheet_places`` reads them as places
with those roles; a row without a well-formed code in a column says nothing about it.
"""

from __future__ import annotations

import re

from flight_agent.airports import find_airport
from graphs.offline.places import Place, Role

COLUMNS: dict[str, Role] = {
    "orig": "from",
    "origin": "from",
    "from": "from",
    "dep": "from",
    "dept": "from",
    "depart": "from",
    "departs": "from",
    "dest": "to",
    "destination": "to",
    "to": "to",
    "arr": "to",
    "arrive": "to",
    "arrives": "to",
}
"""Header words of the columns holding a row's origin and its destination."""
HEADINGS = frozenset({"flt", "flight", "date", "std", "sta", "etd", "eta", "pax", "status", "reg"})
"""Other columns' header words: with an airport column's, two make a header ('FLT DATE ORIG')."""
_CELL = re.compile(r"[^\s|,;\t]+")
_CODE = re.compile(r"[A-Z]{3,4}")


def sheet_places(text: str) -> list[Place]:
    """Airports in the rows under a header naming origin or destination columns, with the
    role the column gives them."""
    places: list[Place] = []
    roles: dict[int, Role] = {}
    offset = 0
    for line in text.splitlines(keepends=True):
        cells = list(_CELL.finditer(line))
        header = {i: COLUMNS[c[0].lower()] for i, c in enumerate(cells) if c[0].lower() in COLUMNS}
        named = sum(c[0].lower() in COLUMNS or c[0].lower() in HEADINGS for c in cells)
        if header and named >= 2 and all(c[0].isupper() for c in cells):
            roles = header
        elif roles:
            for index, role in roles.items():
                cell = cells[index] if index < len(cells) else None
                airport = find_airport(cell[0]) if cell and _CODE.fullmatch(cell[0]) else None
                if cell is None or airport is None:
                    continue
                start, end = offset + cell.start(), offset + cell.end()
                places.append(Place(airport.iata or cell[0], role, start, end, cell[0]))
        offset += len(line)
    return places
