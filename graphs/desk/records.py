"""How the desk names and stores its records in the ``BaseStore``: namespaces and keys.

- ``("desk", "trips")``: the trips, by trip id.
- ``("desk", "legs", <leg key>)``: one item per trip flying that leg (key: the trip id), so an
  event finds its trips with one ``search`` and adding or removing a trip never rewrites a list
  another worker may be writing.
- ``("desk", "cases")``: the cases, by case id.
- ``("desk", "history", <case id>)``: what moved each case, one item per event, status change
  or decision (key: the event id, ``status-<status>``, ``decision``), so a redelivered event
  writes its entry again rather than a second one.
- ``("desk", "decisions")``: the decision claimed for each case, by case id (put-if-absent).
- ``("desk", "handled")``: the events fully handled for a trip (key: ``<trip id>|<event id>``).
"""

from __future__ import annotations

from typing import Any

from langgraph.store.base import BaseStore, Item
from pydantic import BaseModel

TRIPS = ("desk", "trips")
CASES = ("desk", "cases")
DECISIONS = ("desk", "decisions")
HANDLED = ("desk", "handled")
PAGE = 1000
"""Items one ``search`` asks for at a time."""


def legs_of(leg: str) -> tuple[str, ...]:
    """The namespace of the trips flying a leg."""
    return ("desk", "legs", leg)


def history_of(case: str) -> tuple[str, ...]:
    """The namespace of a case's history."""
    return ("desk", "history", case)


def dump(model: BaseModel) -> dict[str, object]:
    """A record as the store keeps it (JSON values)."""
    return model.model_dump(mode="json")


def every(
    store: BaseStore, namespace: tuple[str, ...], where: dict[str, Any] | None = None
) -> list[Item]:
    """Every item directly in ``namespace`` (whose value has the fields ``where`` gives, by the
    store's own filter when given), page by page."""
    found: list[Item] = []
    offset = 0
    while True:
        page = store.search(namespace, filter=where, limit=PAGE, offset=offset)
        found += [item for item in page if tuple(item.namespace) == namespace]
        offset += len(page)
        if len(page) < PAGE:
            return found
