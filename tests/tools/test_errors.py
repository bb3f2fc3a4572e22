"""Error messages as the model reads them stay short, whatever the input was."""

from __future__ import annotations

import tracemalloc
from typing import Any

import pytest
from pydantic import BaseModel, Field, ValidationError

from tools.errors import MAX_PROBLEMS, MAX_QUOTED, explain_invalid, quoted
from tools.schemas import MAX_BATCH, BatchStatusInput


def expanding(levels: int, width: int = 9) -> list[Any]:
    """A list that repeats one list ``width`` times, ``levels`` deep: a few hundred objects in
    memory, ``width ** levels`` strings once written out (what a YAML alias bomb builds)."""
    value: list[Any] = ["x"] * width
    for _ in range(levels):
        value = [value] * width
    return value


def test_quoting_walks_only_the_part_of_a_value_it_shows() -> None:
    """A value that expands to nearly 5 million strings is quoted in at most MAX_QUOTED
    characters, allocating a few kilobytes, never the whole expansion."""
    value = expanding(6)
    tracemalloc.start()
    try:
        text = quoted(value)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(text) <= MAX_QUOTED
    assert text.startswith("[[[")
    assert peak < 64 * 1024


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("B117X9", "'B117X9'", id="short"),
        pytest.param(None, "None", id="none"),
        pytest.param({"flight_number": 117}, "{'flight_number': 117}", id="small-dict"),
    ],
)
def test_a_short_value_is_quoted_as_python_writes_it(value: object, expected: str) -> None:
    """Values that fit are shown in full, as repr() shows them."""
    assert quoted(value) == expected


def test_a_long_string_is_cut_to_max_quoted() -> None:
    """The message quotes the start of a huge string and marks the cut."""
    text = quoted("Q" * 1_000_000)
    assert len(text) <= MAX_QUOTED
    assert text.startswith("'QQQ")
    assert "..." in text


class Store(BaseModel):
    """A setting that may carry a password, kept out of reprs as Settings keeps REDIS_URL."""

    url: str = Field(pattern=r"^redis://", repr=False)


def test_only_the_first_problems_are_listed_and_the_rest_counted() -> None:
    """A hundred bad items: MAX_PROBLEMS of them in full, then how many more."""
    with pytest.raises(ValidationError) as caught:
        BatchStatusInput.model_validate({"flights": [{"flight_number": "B"}] * MAX_BATCH})
    text = explain_invalid(BatchStatusInput, caught.value)
    assert text.count("has the wrong format") == MAX_PROBLEMS
    assert text.endswith(f"; and {MAX_BATCH - MAX_PROBLEMS} more problems")
    assert len(text) < 2000


def test_a_field_kept_out_of_reprs_is_never_quoted() -> None:
    """A field marked repr=False (a URL that may carry a password) is named, its value not."""
    with pytest.raises(ValidationError) as caught:
        Store.model_validate({"url": "http://user:hunter2@cache"})
    text = explain_invalid(Store, caught.value)
    assert text.startswith("url: ")
    assert "hunter2" not in text
