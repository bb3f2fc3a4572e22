"""The compact form of a cached record: its field values, and field names shared between records.

A record is kept as the tuple of its field values (strings interned, so the 'Scheduled' and 'B77W'
of thousands of records are one object each; equal times within a record shared) and one shared
copy of its set of field names: pydantic gives every instance its own, a hash table of about
2.2 KB for a provider's record of 38 names, more than the rest of the compact form together. A
hit rebuilds the record with ``model_construct`` (about 10 us): the values were validated when
the record was made, so the copy equals the record stored.

Sharing one set between records relies on two things pydantic does: ``model_construct`` keeps
the ``_fields_set`` it is given as the instance's ``model_fields_set`` (documented), and
``model_copy`` copies that set before adding the names it updates (not documented; records are
frozen, so nothing else changes it). ``tests/cache/test_compact.py`` pins both to the pydantic
releases they were checked on; this module is the only place that relies on them.
"""

from __future__ import annotations

import sys
from collections import OrderedDict
from datetime import datetime
from typing import Any

from flight_agent.cache.base import CacheEntry
from flight_agent.models import FlightStatusData

MAX_SHARED_FIELD_SETS = 1024
"""At most this many distinct sets of field names are kept for sharing, the most recently used
(a provider's records rarely have 10; a long-lived process sees more over time)."""

_shared_field_sets: OrderedDict[frozenset[str], set[str]] = OrderedDict()
_FIELD_NAMES = tuple(FlightStatusData.model_fields)

Packed = tuple[tuple[object, ...] | None, set[str] | None, datetime, datetime, datetime]
"""A stored entry: the record's values and field names (None for "not found"), then the
entry's ``stored_at``, ``fresh_until`` and ``stale_until``."""


def _shared_names(record: FlightStatusData) -> set[str]:
    """One shared copy of the record's set of field names (see the module's note)."""
    names = record.model_fields_set
    key = frozenset(names)
    shared = _shared_field_sets.get(key)
    if shared is None:
        if len(_shared_field_sets) >= MAX_SHARED_FIELD_SETS:
            _shared_field_sets.popitem(last=False)  # records holding it keep their copy
        shared = _shared_field_sets[key] = set(key)
    else:
        _shared_field_sets.move_to_end(key)
    return shared


def _compact(record: FlightStatusData) -> tuple[object, ...]:
    """The record's field values in ``_FIELD_NAMES`` order, strings interned and equal times
    of the record one object."""
    times: dict[tuple[datetime, object], datetime] = {}
    values: list[object] = []
    for name in _FIELD_NAMES:
        value = getattr(record, name)
        if type(value) is str:
            value = sys.intern(value)
        elif type(value) is datetime:
            value = times.setdefault((value, value.tzinfo), value)
        values.append(value)
    return tuple(values)


def pack(entry: CacheEntry) -> Packed:
    """The compact form of an entry."""
    record = entry.value
    if record is None:
        return (None, None, entry.stored_at, entry.fresh_until, entry.stale_until)
    return (
        _compact(record),
        _shared_names(record),
        entry.stored_at,
        entry.fresh_until,
        entry.stale_until,
    )


def unpack(packed: Packed) -> CacheEntry:
    """The entry a compact form was made from (an equal copy)."""
    values, names, stored_at, fresh_until, stale_until = packed
    record = None
    if values is not None:
        fields: dict[str, Any] = dict(zip(_FIELD_NAMES, values, strict=True))
        record = FlightStatusData.model_construct(names, **fields)
    return CacheEntry(record, stored_at, fresh_until, stale_until)
