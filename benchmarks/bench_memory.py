"""8. Memory: bytes per cached flight in ``MemoryCache`` at 100,000 entries.

Records are made as a provider makes them, so none of their values is shared by accident.
``FlightAwareProvider``'s mapping turns the fake upstream's AeroAPI answers for a few hundred
flights into records, kept as JSON of the fields the provider set; each of the 100,000 cached
records is validated afresh from one of them (new strings and datetimes, airports from the
shared airport table, the same set of fields) under its own flight number. Each is then cached
as the service caches it: the failover answer's ``model_copy`` with its attempts, the lookup's
``model_copy`` without them, a ``TtlPolicy`` entry and ``MemoryCache.set`` under the versioned
key. ``tracemalloc`` counts the bytes allocated during the fill that are still held once the
intermediate copies are gone: record, entry and its times, key, LRU slot and table.
"""

from __future__ import annotations

import gc
import json
import sys
import tracemalloc
from datetime import date

import httpx

from benchmarks.common import Section, Target, scaled
from benchmarks.stack import aeroapi_request, flight_numbers, today
from benchmarks.upstream import RemoteUpstream
from flight_agent.airports import Airport, get_airport
from flight_agent.cache import CacheEntry, MemoryCache, TtlPolicy, status_key
from flight_agent.clock import SYSTEM_CLOCK
from flight_agent.models import Attempt, FlightStatusData
from flight_agent.providers.flightaware_provider import map_flight
from flight_agent.testing import FakeUpstream

ENTRIES = 100_000
SOURCES = 300
UNIQUE_FIELDS = ("provider_flight_id", "inbound_flight_id", "registration")
"""Values each flight has to itself; copied from a source record they are made distinct."""


async def provider_records(count: int, day: date) -> list[FlightStatusData]:
    """The records ``FlightAwareProvider`` maps from the fake upstream's answers for
    ``count`` flights."""
    upstream = FakeUpstream(seed=0)
    records: list[FlightStatusData] = []
    async with httpx.AsyncClient(
        transport=upstream.transport(),
        base_url=upstream.base_url("flightaware"),
        headers={"x-apikey": upstream.api_key},
    ) as client:
        for ident in flight_numbers(count):
            path, params = aeroapi_request(ident, day)
            response = await client.get(path, params=params)
            for flight in response.json()["flights"]:
                record = map_flight(
                    flight, flight_id=ident, source="FlightAware", fetched_at=SYSTEM_CLOCK.now()
                )
                if record is not None:
                    records.append(record)
    return records


def as_source(record: FlightStatusData) -> tuple[bytes, str, str]:
    """The JSON of the fields the provider set, without the airports (kept as codes)."""
    fields = record.model_dump(
        mode="json", exclude_unset=True, exclude={"origin", "destination", "is_disrupted"}
    )
    return json.dumps(fields).encode(), record.origin.code, record.destination.code


async def fill(cache: Store, sources: list[tuple[bytes, str, str]], count: int, day: date) -> None:
    """Cache ``count`` freshly validated records of distinct flights, as the service would."""
    policy = TtlPolicy()
    attempt = Attempt(provider="FlightAware", outcome="success", latency_ms=21.5)
    airports: dict[str, Airport] = {}
    for i, ident in enumerate(flight_numbers(count)):
        raw, origin, destination = sources[i % len(sources)]
        fields = json.loads(raw)
        fields["flight_id"] = ident
        for name in UNIQUE_FIELDS:  # never shared between flights, even by interning
            if fields.get(name) is not None:
                fields[name] = f"{fields[name]}-{i}"
        fields["origin"] = airports.get(origin) or airports.setdefault(origin, get_airport(origin))
        fields["destination"] = airports.get(destination) or airports.setdefault(
            destination, get_airport(destination)
        )
        record = FlightStatusData.model_validate(fields)
        answered = record.model_copy(update={"attempts": (attempt,)})
        cached = answered.model_copy(update={"attempts": ()})
        await cache.set(status_key(ident, day), policy.entry(cached, SYSTEM_CLOCK.now()))


class ObjectStore:
    """The baseline: entries kept as the objects given (field-name sets shared, as a cache of
    objects would share them)."""

    def __init__(self) -> None:
        self._entries: dict[str, CacheEntry] = {}
        self._names: dict[frozenset[str], set[str]] = {}

    def __len__(self) -> int:
        return len(self._entries)

    async def set(self, key: str, entry: CacheEntry) -> None:
        """Keep ``entry`` as it is."""
        if entry.value is not None:
            names = entry.value.__pydantic_fields_set__
            shared = self._names.setdefault(frozenset(names), names)
            object.__setattr__(entry.value, "__pydantic_fields_set__", shared)
        self._entries[key] = entry


Store = MemoryCache | ObjectStore


async def bytes_per_entry(
    sources: list[tuple[bytes, str, str]], count: int, day: date, store: Store | None = None
) -> float:
    """Bytes held per cached flight after caching ``count`` records in ``store`` (a
    ``MemoryCache`` by default; designators and keys are made while counting, as a lookup
    makes them)."""
    cache = store if store is not None else MemoryCache(max_entries=count)
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        await fill(cache, sources, count, day)
        gc.collect()
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert len(cache) == count
    return held / count


def record_parts(record: FlightStatusData, other: FlightStatusData) -> dict[str, int]:
    """Sizes of one record's own parts in bytes; values ``other`` holds too are shared."""
    shared = {id(value) for value in other.__dict__.values()}
    values = [value for value in record.__dict__.values() if id(value) not in shared]
    return {
        "object": sys.getsizeof(record),
        "dict": sys.getsizeof(record.__dict__),
        "fields_set": sys.getsizeof(record.__pydantic_fields_set__),
        "values": sum(sys.getsizeof(value) for value in values),
    }


async def bench(scale: float = 1.0, upstream: RemoteUpstream | None = None) -> Section:
    """Run the memory benchmark; ``scale`` shrinks the number of entries.

    It runs in process: ``upstream`` is not used.
    """
    section = Section("8. Memory")
    day = today()
    records = await provider_records(scaled(SOURCES, scale, 5), day)
    sources = [as_source(record) for record in records]
    count = scaled(ENTRIES, scale, 100)
    per_entry = await bytes_per_entry(sources, count, day)
    section.add(
        f"bytes per cached flight at {count:,}",
        per_entry,
        "B",
        Target(2048),
        f"{per_entry * count / 2**20:.0f} MiB in all",
    )
    as_objects = await bytes_per_entry(sources, count, day, store=ObjectStore())
    section.add(
        "the same records kept as objects",
        as_objects,
        "B",
        context=f"compact / objects {per_entry / as_objects:.2f}",
    )
    parts = record_parts(records[0], records[-1])
    section.note(
        f"{count:,} records validated from {len(sources)} distinct provider records (their "
        "flight ids, aircraft registrations and ids made distinct per flight). One record as "
        f"mapped: object {parts['object']} B, `__dict__` of {len(records[0].__dict__)} fields "
        f"{parts['dict']} B, the strings, datetimes and numbers no other record shares "
        f"{parts['values']} B, and pydantic's set of the "
        f"{len(records[0].__pydantic_fields_set__)} field names it was built with "
        f"{parts['fields_set']} B."
    )
    section.note(
        "`MemoryCache` keeps each record as the tuple of its field values (strings interned, "
        "equal times of a record one object) with one shared set of field names, and rebuilds "
        "it with `model_construct` on a hit (see the memory hit figures of benchmark 1). The "
        "baseline row keeps the same entries as pydantic objects in a plain dict, field-name "
        "sets shared as well."
    )
    return section
