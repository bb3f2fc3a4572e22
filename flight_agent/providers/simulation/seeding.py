"""Stable randomness: the same parts always give the same numbers, in every process.

Python's ``hash()`` of a string is salted per process (PYTHONHASHSEED), so it would make the
simulation differ between runs; these helpers hash with BLAKE2b instead.
"""

from __future__ import annotations

import hashlib
import random


def stable_digest(*parts: object) -> bytes:
    """A 16-byte digest of the parts' text, identical across processes and platforms."""
    text = "\x1f".join(str(part) for part in parts)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


def stable_int(*parts: object) -> int:
    """A non-negative 128-bit integer derived from the parts."""
    return int.from_bytes(stable_digest(*parts), "big")


def stable_rng(*parts: object) -> random.Random:
    """A ``random.Random`` seeded from the parts, e.g. ``stable_rng(seed, "BA117", day)``."""
    return random.Random(stable_int(*parts))


def pick_index(digest: bytes, slot: int, size: int) -> int:
    """An index in ``range(size)`` read from four bytes of a digest (``slot`` 0 to 3).

    Cheaper than seeding a ``random.Random`` when thousands of routes are enumerated.
    """
    if size < 1:
        raise ValueError("size must be at least 1")
    start = 4 * slot
    return int.from_bytes(digest[start : start + 4], "big") % size
