"""Checkpointers that know the graph's state types.

LangGraph's serializer restores pydantic models and enums from a checkpoint only for types it
was told about (others are logged and will be refused by later versions). ``memory_checkpointer``
registers every model and enum the IROPS state holds, found by walking the fields of the report
and of every tool's result (``tools.specs``).
"""

from __future__ import annotations

import enum
import typing
from collections.abc import Iterator

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer
from pydantic import BaseModel

from graphs.report import IropsReport
from tools.specs import TOOL_SPECS

STATE_ROOTS: tuple[type[BaseModel], ...] = (IropsReport, *(spec.result for spec in TOOL_SPECS))
"""The report and every tool's result (tool messages keep their result as the artifact)."""


def state_types(*roots: type[BaseModel]) -> list[tuple[str, str]]:
    """(module, name) of every pydantic model and enum reachable from the roots' fields."""
    seen: dict[type, None] = {}

    def walk(annotation: object) -> Iterator[type]:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel | enum.Enum):
            yield annotation
        for argument in typing.get_args(annotation):
            yield from walk(argument)

    pending: list[type] = list(roots or STATE_ROOTS)
    while pending:
        kind = pending.pop()
        if kind in seen:
            continue
        seen[kind] = None
        if issubclass(kind, BaseModel):
            for info in kind.model_fields.values():
                pending.extend(walk(info.annotation))
    return sorted((kind.__module__, kind.__qualname__) for kind in seen)


def memory_checkpointer() -> InMemorySaver:
    """An in-memory checkpointer (tests, the CLI) that restores the IROPS state types."""
    return InMemorySaver(serde=JsonPlusSerializer(allowed_msgpack_modules=state_types()))
