"""A scripted chat model for graph tests: replies in order, accepts bound tools."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from langchain_core.language_models import FakeMessagesListChatModel
from langchain_core.messages import AIMessage, BaseMessage
from pydantic import Field


class ScriptedModel(FakeMessagesListChatModel):
    """Answers with ``responses`` in order and records what it was shown."""

    seen: list[list[BaseMessage]] = Field(default_factory=list)

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> ScriptedModel:
        return self

    def _generate(self, messages: list[BaseMessage], *args: Any, **kwargs: Any) -> Any:
        self.seen.append(list(messages))
        return super()._generate(messages, *args, **kwargs)


def scripted(*replies: AIMessage | str) -> ScriptedModel:
    """A model that gives ``replies`` in order (strings become plain answers)."""
    messages = [AIMessage(content=r) if isinstance(r, str) else r for r in replies]
    return ScriptedModel(responses=messages)
