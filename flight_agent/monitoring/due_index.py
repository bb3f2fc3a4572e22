"""The in-memory due index: when each watched flight is next due for a poll.

``DueIndex`` is a binary heap with lazy deletion. Moving or dropping a flight costs O(log n)
(amortised): the flight's current entry is recorded in a dict, and heap entries that no longer
match it are skipped and discarded when they reach the top. ``due`` answers the earliest flights
due by a cut-off, earliest first (ties by key), in O(k log n) for k flights answered, whatever
the fleet's size. When stale entries outnumber live ones the heap is rebuilt, so it stays within
about twice the number of watched flights.
"""

from __future__ import annotations

import heapq
from datetime import datetime
from itertools import count

_Entry = tuple[datetime, str, int]
"""A heap entry: due time, key, and the sequence number telling it from older entries of the key."""


class DueIndex:
    """Due times of watched flights, answering the earliest due ones without scanning them all."""

    def __init__(self) -> None:
        self._current: dict[str, _Entry] = {}
        self._heap: list[_Entry] = []
        self._sequence = count()

    def __len__(self) -> int:
        return len(self._current)

    def get(self, key: str) -> datetime | None:
        """The flight's due time, or None when it is not in the index."""
        entry = self._current.get(key)
        return None if entry is None else entry[0]

    def set(self, key: str, when: datetime) -> None:
        """Make the flight due at ``when`` (adding it, or moving it from its old due time)."""
        entry = (when, key, next(self._sequence))
        self._current[key] = entry
        heapq.heappush(self._heap, entry)
        self._compact_if_sparse()

    def discard(self, key: str) -> None:
        """Take the flight out of the index (nothing happens when it is not in it)."""
        self._current.pop(key, None)
        self._compact_if_sparse()

    def due(self, cutoff: datetime, limit: int) -> list[str]:
        """The keys of at most ``limit`` flights due at or before ``cutoff``, earliest first."""
        taken: list[_Entry] = []
        while self._heap and len(taken) < limit:
            entry = self._heap[0]
            if self._current.get(entry[1]) is not entry:
                heapq.heappop(self._heap)  # stale: the flight moved or left
            elif entry[0] > cutoff:
                break
            else:
                taken.append(heapq.heappop(self._heap))
        for entry in taken:
            heapq.heappush(self._heap, entry)  # answered, not claimed: still due
        return [entry[1] for entry in taken]

    def _compact_if_sparse(self) -> None:
        """Rebuild the heap from the live entries once stale ones outnumber them."""
        if len(self._heap) > 2 * len(self._current) + 64:
            self._heap = list(self._current.values())
            heapq.heapify(self._heap)
