"""``FlightRefDict``, the JSON form of a leg in input schemas, stays in step with ``FlightRef``."""

from __future__ import annotations

from pydantic import TypeAdapter

from tools.schemas import FlightRef, FlightRefDict


def test_the_json_leg_describes_the_fields_flight_ref_validates() -> None:
    """Same names, required fields, formats, bounds and descriptions: what a form shows is what
    the validation later accepts."""
    leg = TypeAdapter(FlightRefDict).json_schema()
    ref = FlightRef.model_json_schema()
    assert leg["required"] == ref["required"]
    assert leg["additionalProperties"] is False
    assert set(leg["properties"]) == set(ref["properties"])
    for name, field in ref["properties"].items():
        string = next(s for s in field.get("anyOf", [field]) if s["type"] == "string")
        shown = leg["properties"][name]
        assert (shown["pattern"], shown["maxLength"]) == (string["pattern"], string["maxLength"])
        assert shown["description"] == field["description"]
