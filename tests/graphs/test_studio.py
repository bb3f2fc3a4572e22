"""``langgraph.json`` points at both graphs, compiled without a checkpointer for the server, with
the input and output schemas Studio draws its forms from."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

from graphs.studio import chat, irops
from tools.schemas import DESIGNATOR_PATTERN

ROOT = Path(__file__).resolve().parents[2]


def test_langgraph_json_exposes_both_graphs_without_a_checkpointer() -> None:
    """Each entry resolves to a compiled graph the LangGraph server can give its own saver."""
    config = json.loads((ROOT / "langgraph.json").read_text("utf-8"))
    assert set(config["graphs"]) == {"irops", "chat"}
    for target in config["graphs"].values():
        path, attribute = target.split(":")
        module = importlib.import_module(
            path.removeprefix("./").removesuffix(".py").replace("/", ".")
        )
        graph = getattr(module, attribute)
        assert graph.checkpointer is None
        assert "__start__" in graph.get_graph().nodes


def test_studio_shows_the_irops_input_as_an_itinerary_of_flights() -> None:
    """Studio's form: 'itinerary', 1 to 6 legs, each a flight number with its format, and an
    optional date and origin; nothing else is accepted."""
    schema = irops.get_input_jsonschema()
    assert schema["required"] == ["itinerary"]
    itinerary = schema["properties"]["itinerary"]
    assert (itinerary["minItems"], itinerary["maxItems"]) == (1, 6)
    leg = schema["$defs"][itinerary["items"]["$ref"].removeprefix("#/$defs/")]
    assert set(leg["properties"]) == {"flight_number", "date", "origin"}
    assert leg["required"] == ["flight_number"]
    assert leg["additionalProperties"] is False
    flight_number = leg["properties"]["flight_number"]
    assert flight_number["pattern"] == DESIGNATOR_PATTERN
    assert "'BA117'" in flight_number["description"]


def test_studio_shows_the_irops_output_as_the_report_and_the_conversation() -> None:
    """The output schema names the report and the messages, not the graph's working state."""
    schema = irops.get_output_jsonschema()
    assert set(schema["properties"]) == {"report", "messages"}
    assert "IropsReport" in schema["$defs"]


def test_studio_shows_the_chat_input_and_output_as_messages() -> None:
    """The chat graph takes and returns the conversation."""
    assert set(chat.get_input_jsonschema()["properties"]) == {"messages"}
    assert set(chat.get_output_jsonschema()["properties"]) == {"messages"}
