"""Errors as the model reads them: what happened and what to try next."""

from __future__ import annotations

import reprlib
from collections.abc import Callable
from typing import Any, get_args, get_origin

from langchain_core.tools import ToolException
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from flight_agent.errors import AllProvidersFailedError, FlightDataError
from tools.operations import error_kind
from tools.specs import PROVIDER_HEALTH

MAX_QUOTED = 40
"""Characters of a rejected value quoted back in an error message."""

MAX_PROBLEMS = 5
"""Problems of one validation error listed in full; the rest are counted."""

HINTS = {
    "invalid_query": "Fix the argument as described and call the tool again.",
    "date_out_of_range": "Ask for a date inside the range the message gives.",
    "not_found": "Check the flight number with the traveller; do not guess another one.",
    "providers_down": (
        "No earlier copy of this flight is cached. Tell the user live data is unavailable, "
        f"try again in a minute, or call {PROVIDER_HEALTH.name} to see which providers are down."
    ),
}


def explain_invalid(schema: type[BaseModel], error: ValidationError) -> str:
    """Each problem of ``error``: the argument, the value sent, and what is valid.

    Args:
        schema: The model the arguments were validated against (for field descriptions).
        error: The validation error.

    Returns:
        One line, e.g. "flight_number 'B117X9': has the wrong format; Flight designator: ...".
    """
    problems = []
    for item in error.errors(include_url=False)[:MAX_PROBLEMS]:
        loc = item["loc"]
        path = shortened(".".join(str(part) for part in loc)) or "arguments"
        kind = item["type"]
        model, field = _walk(schema, loc)
        if kind == "missing":
            problem = f"{path} is required"
        elif kind == "extra_forbidden":
            valid = ", ".join(model.model_fields) if model is not None else "none"
            problem = f"{path} is not an argument (valid: {valid})"
        else:
            reason = item["msg"].removeprefix("Value error, ")
            if kind == "string_pattern_mismatch":
                reason = "has the wrong format"
            secret = field is not None and not field.repr  # e.g. a URL holding a password
            problem = f"{path}: {reason}" if secret else f"{path} {quoted(item['input'])}: {reason}"
        if field is not None and field.description and kind != "value_error":
            problem += f" ({field.description.rstrip('.')})"
        problems.append(problem)
    if (more := error.error_count() - len(problems)) > 0:
        problems.append(f"and {more} more problems")
    return "; ".join(problems)


def _walk(
    schema: type[BaseModel], loc: tuple[int | str, ...]
) -> tuple[type[BaseModel] | None, FieldInfo | None]:
    """Follow an error location through nested models and lists of them.

    Returns:
        The field it points at and the model that field holds; for a name the model does not
        have, that model and None.
    """
    model: type[BaseModel] | None = schema
    field: FieldInfo | None = None
    for part in loc:
        if isinstance(part, int):
            continue
        if model is None or part not in model.model_fields:
            return model, None
        field = model.model_fields[part]
        model = _model_in(field.annotation)
    return model, field


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model a field holds directly, in a list or in an optional."""
    for candidate in (annotation, *get_args(annotation)):
        if get_origin(candidate) is None and isinstance(candidate, type):
            model: type[Any] = candidate
            if issubclass(model, BaseModel):
                return model
    return None


class Quoting(reprlib.Repr):
    """``repr()`` that writes out at most 3 levels of a value and the first few items of each,
    so a value that expands to billions of items (shared references, as YAML aliases build)
    costs no more to quote than a small one. A string is cut at its end, as ``quoted`` cuts."""

    def __init__(self) -> None:
        super().__init__()
        self.maxlevel = 3
        self.maxother = MAX_QUOTED

    def repr_str(self, x: str, level: int) -> str:
        return repr(x[:MAX_QUOTED])


QUOTING = Quoting()


def quoted(value: object) -> str:
    """A value as the message quotes it, e.g. ``'B117X9'``: its repr, walking only as much of
    the value as the message shows (``Quoting``), cut to ``MAX_QUOTED`` characters."""
    return shortened(QUOTING.repr(value))


def shortened(text: str) -> str:
    """``text`` cut to ``MAX_QUOTED`` characters, the cut marked with "..."."""
    return text if len(text) <= MAX_QUOTED else text[: MAX_QUOTED - 3] + "..."


def invalid_arguments(schema: type[BaseModel]) -> Callable[[ValidationError], str]:
    """A ``handle_validation_error`` for a tool: the problems, then the hint."""

    def explain(error: ValidationError) -> str:
        return f"invalid_query: {explain_invalid(schema, error)}. {HINTS['invalid_query']}"

    return explain


def tool_error(error: FlightDataError) -> ToolException:
    """A ``ToolException`` whose text states the problem and the next step."""
    kind = error_kind(error)
    detail = error.message
    if isinstance(error, AllProvidersFailedError):
        detail = "Every flight-data provider failed: " + "; ".join(
            f"{attempt.provider} {attempt.outcome}" for attempt in error.attempts
        )
    return ToolException(f"{kind}: {sentence(detail)} {HINTS[kind]}")


def sentence(text: str) -> str:
    """``text`` ending with a full stop (or its own punctuation)."""
    text = text.rstrip()
    return text if text.endswith((".", "!", "?")) else text + "."
