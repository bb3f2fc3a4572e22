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
from langchain_core.tools import StructuredTool
from langchain_core.tools import structured as structured_module
from pydantic import BaseModel

from tools.fast_tool import FastTool

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
