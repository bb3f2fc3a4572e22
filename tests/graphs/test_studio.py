"""``langgraph.json`` points at both graphs, compiled without a checkpointer for the server."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

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
