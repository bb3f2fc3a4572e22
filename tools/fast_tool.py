"""``FastTool``: a ``StructuredTool`` that calls its function without inspecting it on each call,
and answers arguments nested too deeply for ``BaseTool`` to take.

``StructuredTool._run``/``_arun`` (private LangChain methods) resolve the function's type hints
on every call, looking for a ``RunnableConfig`` or ``callbacks`` parameter the tools never
take; overriding them saves about 0.15 ms a call. ``BaseTool.run``/``arun`` then look at these
overrides instead: their annotations are objects, not strings (this module deliberately has no
``from __future__ import annotations``), so that look stays cheap, and they take neither
``config`` nor ``run_manager``, so LangChain passes only the tool's arguments.

``BaseTool.run``/``arun`` write the arguments with ``str()`` for the callbacks before validating
them, so arguments nested about 1,000 levels deep raise ``RecursionError`` out of ``invoke()``.
``FastTool.run``/``arun`` answer arguments nested deeper than ``MAX_DEPTH`` before that, as
``BaseTool`` answers invalid arguments (its ``handle_validation_error``, an error
``ToolMessage`` for a tool call), without callbacks.

``tests/tools/test_fast_tool.py`` pins what this relies on in the installed langchain-core.
"""

from typing import Any

from langchain_core.messages import ToolMessage
from langchain_core.tools import StructuredTool
from langchain_core.tools.base import _handle_validation_error
from pydantic import BaseModel, ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError

MAX_DEPTH = 32
"""Deepest nesting of lists and objects a tool's arguments (or an MCP request body) may have;
the flight tools' arguments need 3 levels, a ``tools/call`` request 5."""


def too_deep(value: object, limit: int = MAX_DEPTH) -> bool:
    """Whether lists, tuples, sets and dicts nest in ``value`` deeper than ``limit`` levels.

    The walk holds no Python stack, and it enters a container again only when it meets it
    deeper than before, so shared references (as YAML aliases build) cost at most ``limit``
    times the containers there are, and a cycle is found too deep.
    """
    deepest: dict[int, int] = {}
    pending = [(value, 1)]
    while pending:
        item, level = pending.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list | tuple | set | frozenset):
            children = item
        else:
            continue
        if level > limit:
            return True
        if deepest.get(id(item), 0) >= level:
            continue
        deepest[id(item)] = level
        pending.extend((child, level + 1) for child in children)
    return False


class FastTool(StructuredTool):
    """A ``StructuredTool`` whose function and coroutine take the tool's arguments only, which
    answers arguments nested deeper than ``MAX_DEPTH`` as invalid without running."""

    def run(
        self,
        tool_input: str | dict[str, Any],
        *args: Any,
        tool_call_id: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if too_deep(tool_input):
            return self._refuse(tool_input, tool_call_id)
        return super().run(tool_input, *args, tool_call_id=tool_call_id, **kwargs)

    async def arun(
        self,
        tool_input: str | dict[str, Any],
        *args: Any,
        tool_call_id: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if too_deep(tool_input):
            return self._refuse(tool_input, tool_call_id)
        return await super().arun(tool_input, *args, tool_call_id=tool_call_id, **kwargs)

    def _run(self, *args: Any, **kwargs: Any) -> Any:
        assert self.func is not None
        return self.func(*args, **kwargs)

    async def _arun(self, *args: Any, **kwargs: Any) -> Any:
        assert self.coroutine is not None
        return await self.coroutine(*args, **kwargs)

    def _refuse(self, tool_input: object, tool_call_id: str | None) -> Any:
        """The answer to over-deep arguments: what the schema finds wrong with them (the
        problem a model can fix, as for any invalid arguments), else their depth.

        Raises:
            ValidationError: The tool does not handle validation errors.
        """
        assert isinstance(self.args_schema, type)
        assert issubclass(self.args_schema, BaseModel)
        try:
            self.args_schema.model_validate(tool_input)
            problem = ValidationError.from_exception_data(
                self.name,
                [
                    InitErrorDetails(
                        type=PydanticCustomError(
                            "too_deep",
                            "Input should nest at most {limit} levels deep",
                            {"limit": MAX_DEPTH},
                        ),
                        loc=(),
                        input=tool_input,
                    )
                ],
            )
        except ValidationError as error:
            problem = error
        if not self.handle_validation_error:
            raise problem
        content = _handle_validation_error(problem, flag=self.handle_validation_error)
        if tool_call_id is None:
            return content
        return ToolMessage(content, name=self.name, tool_call_id=tool_call_id, status="error")
