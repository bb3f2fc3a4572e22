"""The compact record form: what it relies on pydantic for, pinned to the releases checked.

``flight_agent.cache.compact`` shares one set of field names between cached records. That is
safe while ``model_construct`` keeps the set it is given and ``model_copy`` copies the set before
adding to it; a new pydantic release must pass these tests before the range below grows (and
pyproject's bound with it).
"""

from __future__ import annotations

import pydantic
from packaging.specifiers import SpecifierSet

from flight_agent.cache import compact
from tests.cache.samples import entry, flight

CHECKED_PYDANTIC = SpecifierSet(">=2.10,<3")
"""The pydantic releases whose ``model_construct`` and ``model_copy`` were checked."""


def test_pydantic_is_a_release_whose_field_set_handling_was_checked() -> None:
    """Another major may copy or mutate field sets differently: check, then widen the range."""
    assert pydantic.VERSION in CHECKED_PYDANTIC


def test_a_rebuilt_record_uses_the_shared_set_of_field_names() -> None:
    """model_construct keeps the set it is given: every record of one shape holds one set."""
    first, second = (compact.unpack(compact.pack(entry(flight(flight_id=i)))) for i in ("A", "B"))
    assert first.value is not None
    assert second.value is not None
    assert first.value.model_fields_set is second.value.model_fields_set


def test_copying_a_rebuilt_record_leaves_the_shared_set_alone() -> None:
    """model_copy gives the copy its own set before adding the updated names to it."""
    rebuilt = compact.unpack(compact.pack(entry(flight()))).value
    assert rebuilt is not None
    shared = rebuilt.model_fields_set
    before = set(shared)
    copied = rebuilt.model_copy(update={"gate_origin": "B7"})
    assert "gate_origin" in copied.model_fields_set
    assert copied.model_fields_set is not shared
    assert shared == before
