"""What ``FastTool`` relies on in langchain-core's private API, checked against the installed one.

When one of these fails after an upgrade, re-read ``tools/fast_tool.py`` against the new
``StructuredTool``/``BaseTool`` and either adapt the override or drop it (``make bench`` shows
what it saves), then move the pin.
"""

from __future__ import annotations

import inspect
from importlib.metadata import version
from typing import Any

import pytest
from langchain_core.messages import ToolMessage
from langchain_core.tools import StructuredTool
from langchain_core.tools import structured as structured_module
from pydantic import BaseModel, ValidationError

from tools.fast_tool import MAX_DEPTH, FastTool, too_deep

CHECKED_VERSION = "1.8.3"
"""The langchain-core release ``FastTool`` was checked against (as pinned in constraints.txt)."""


class Args(BaseModel):
    flight_number: str


def recording_tool(kind: type[StructuredTool], seen: list[dict[str, Any]]) -> StructuredTool:
    """A tool of ``kind`` whose function and coroutine record the keywords they get."""

    def func(**kwargs: Any) -> str:
        seen.append(kwargs)
        return "ok"

    async def coroutine(**kwargs: Any) -> str:
        seen.append(kwargs)
        return "ok"

    return kind.from_function(
        func=func, coroutine=coroutine, name="probe", description="Probe.", args_schema=Args
    )


def test_the_installed_langchain_core_is_the_checked_one() -> None:
    """An upgrade stops here until the override is checked against the new release."""
    assert version("langchain-core") == CHECKED_VERSION


@pytest.mark.parametrize("method", ["_run", "_arun"])
def test_structured_tool_still_has_the_overridden_methods(method: str) -> None:
    """``_run``/``_arun`` exist with the signature the override replaces."""
    parameters = inspect.signature(getattr(StructuredTool, method)).parameters
    kinds = {name: parameter.kind for name, parameter in parameters.items()}
    assert kinds == {
        "self": inspect.Parameter.POSITIONAL_OR_KEYWORD,
        "args": inspect.Parameter.VAR_POSITIONAL,
        "config": inspect.Parameter.KEYWORD_ONLY,
        "run_manager": inspect.Parameter.KEYWORD_ONLY,
        "kwargs": inspect.Parameter.VAR_KEYWORD,
    }
    assert parameters["run_manager"].default is None


@pytest.mark.parametrize("method", ["run", "arun"])
def test_base_tool_still_takes_the_tool_call_id_by_keyword(method: str) -> None:
    """``run``/``arun`` get the id the refusal of over-deep arguments answers to by keyword."""
    parameter = inspect.signature(getattr(StructuredTool, method)).parameters["tool_call_id"]
    assert parameter.kind is inspect.Parameter.KEYWORD_ONLY


def test_a_structured_tool_still_writes_out_its_arguments_before_validating_them() -> None:
    """The crash ``FastTool.run`` heads off: a ``RecursionError``, not a validation error."""
    tool = recording_tool(StructuredTool, [])
    with pytest.raises(RecursionError):
        tool.invoke({"flight_number": deep_lists(5000)})


def test_a_structured_tool_still_inspects_its_function_on_every_call(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The cost the override saves is still there: a look at the function's hints per call."""
    looked: list[object] = []
    original = structured_module._get_runnable_config_param
    monkeypatch.setattr(
        structured_module,
        "_get_runnable_config_param",
        lambda func: looked.append(func) or original(func),
    )
    tool = recording_tool(StructuredTool, [])
    tool.invoke({"flight_number": "BA117"})
    tool.invoke({"flight_number": "BA117"})
    assert len(looked) == 2


def test_the_sync_path_passes_the_arguments_only() -> None:
    """``BaseTool`` calls the override and, as it takes neither ``config`` nor ``run_manager``,
    the function gets the tool's arguments alone."""
    seen: list[dict[str, Any]] = []
    tool = recording_tool(FastTool, seen)
    assert tool.invoke({"flight_number": "BA117"}) == "ok"
    assert seen == [{"flight_number": "BA117"}]


async def test_the_async_path_passes_the_arguments_only() -> None:
    """``ainvoke`` reaches the coroutine with the tool's arguments alone."""
    seen: list[dict[str, Any]] = []
    tool = recording_tool(FastTool, seen)
    assert await tool.ainvoke({"flight_number": "BA117"}) == "ok"
    assert seen == [{"flight_number": "BA117"}]


def test_a_fast_tool_does_not_inspect_its_function_per_call(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What the override is for: no look at the function's hints on a call."""
    looked: list[object] = []
    monkeypatch.setattr(
        structured_module, "_get_runnable_config_param", lambda func: looked.append(func)
    )
    recording_tool(FastTool, []).invoke({"flight_number": "BA117"})
    assert looked == []


class AnyArgs(BaseModel):
    payload: Any


def deep_lists(levels: int) -> list[Any]:
    """``levels`` lists, each the only item of the one around it."""
    value: list[Any] = []
    for _ in range(levels - 1):
        value = [value]
    return value


def test_depth_counts_containers_and_stops_at_a_cycle() -> None:
    """Lists, tuples, sets and dicts count a level each; a cycle is infinitely deep."""
    assert not too_deep({"a": deep_lists(MAX_DEPTH - 1)})
    assert too_deep({"a": deep_lists(MAX_DEPTH)})
    assert too_deep(({"a": [frozenset({(1,)})]},), limit=4)
    assert not too_deep("[" * 100)
    cycle: list[Any] = []
    cycle.append(cycle)
    assert too_deep(cycle)


def test_depth_walks_shared_references_once_per_level() -> None:
    """Forty levels of two references to the level below (2**40 paths) take no time."""
    shared: list[Any] = []
    for _ in range(40):
        shared = [shared, shared]
    assert too_deep(shared, limit=50) is False
    assert too_deep(shared)


def probe(**arguments: Any) -> str:
    raise AssertionError("over-deep arguments must not run the tool")


async def aprobe(**arguments: Any) -> str:
    raise AssertionError("over-deep arguments must not run the tool")


def deep_tool(handle: bool) -> StructuredTool:
    """A tool that takes any payload, answering validation errors with their first message."""
    return FastTool.from_function(
        func=probe,
        coroutine=aprobe,
        name="probe",
        description="Probe.",
        args_schema=AnyArgs,
        handle_validation_error=(lambda error: error.errors()[0]["msg"]) if handle else False,
    )


def test_valid_arguments_too_deep_are_refused_for_their_depth() -> None:
    """What the schema takes but ``BaseTool`` cannot write out: an error naming the depth."""
    call = {"type": "tool_call", "id": "1", "name": "probe", "args": {"payload": deep_lists(5000)}}
    message = deep_tool(handle=True).invoke(call)
    assert isinstance(message, ToolMessage)
    assert (message.status, message.tool_call_id, message.name) == ("error", "1", "probe")
    assert message.content == f"Input should nest at most {MAX_DEPTH} levels deep"


async def test_the_async_path_refuses_too_deep_arguments_the_same_way() -> None:
    """``ainvoke`` with plain arguments (no tool call): the error text itself."""
    answer = await deep_tool(handle=True).ainvoke({"payload": deep_lists(5000)})
    assert answer == f"Input should nest at most {MAX_DEPTH} levels deep"


def test_too_deep_arguments_raise_a_validation_error_when_the_tool_handles_none() -> None:
    """As ``BaseTool`` does with invalid arguments: the error, not a ``RecursionError``."""
    with pytest.raises(ValidationError, match="nest at most"):
        deep_tool(handle=False).invoke({"payload": deep_lists(5000)})
