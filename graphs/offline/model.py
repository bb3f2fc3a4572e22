"""``OfflineChatModel``: the embedded default LLM, a deterministic rule-based chat model.

It needs no key and no network. On a user turn it reads the request by rules
(``graphs.offline.intents``) and asks for tool calls, or asks a clarifying question, or declines
what is out of scope;
when the last messages are tool results answering its calls, it summarises them
(``graphs.offline.answers``). It says it is the offline assistant, calls only the tools bound
to it, and never takes instructions from user text or tool output. The same messages always
give the same reply.

Example:
    >>> from tools import FlightToolkit
    >>> model = OfflineChatModel().bind_tools(FlightToolkit().get_tools())
    >>> model.invoke("status of BA117 tomorrow").tool_calls[0]["args"]
    {'flight_number': 'BA117', 'date': 'tomorrow'}
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.messages import (
    AIMessage,
    AIMessageChunk,
    BaseMessage,
    HumanMessage,
    ToolMessage,
)
from langchain_core.messages.tool import tool_call, tool_call_chunk
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from langchain_core.runnables import Runnable
from langchain_core.tools import BaseTool
from langchain_core.utils.function_calling import convert_to_openai_tool
from pydantic import ConfigDict, SkipValidation

from flight_agent.clock import SYSTEM_CLOCK, Clock
from graphs.offline.answers import answer, explain_briefing, is_briefing
from graphs.offline.intents import read_request
from graphs.offline.memory import day_of, remember, zone_of
from graphs.offline.planner import CAPABILITIES, plan

FOOTER = "\n\n(offline assistant)"
"""How every text reply ends: the traveller should know no LLM wrote it."""


class OfflineChatModel(BaseChatModel):
    """A rule-based chat model over the flight-agent tools.

    Attributes:
        clock: The base of dates such as 'on Friday' or 'tonight', read in the origin
            airport's zone (the question's origin, else the flight's, else UTC); 'today',
            'tomorrow' and 'yesterday' reach the tools as words when they read them alike.
        tool_names: The tools it may call, set by ``bind_tools``; None calls none.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    clock: SkipValidation[Clock] = SYSTEM_CLOCK
    tool_names: tuple[str, ...] | None = None

    @property
    def _llm_type(self) -> str:
        return "flight-agent-offline"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"tool_names": self.tool_names}

    def bind_tools(
        self,
        tools: Sequence[dict[str, Any] | type | Callable[..., Any] | BaseTool],
        *,
        tool_choice: str | None = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, AIMessage]:
        """A copy that may call ``tools`` (``tool_choice`` and other options are ignored)."""
        names = tuple(convert_to_openai_tool(tool)["function"]["name"] for tool in tools)
        return self.model_copy(update={"tool_names": names})

    def respond(self, messages: Sequence[BaseMessage]) -> AIMessage:
        """The reply to a conversation: tool calls, or text ending with the offline footer."""
        results = _trailing_results(messages)
        if results:
            return AIMessage(content=answer(results) + FOOTER)
        last = messages[-1] if messages else None
        if not isinstance(last, HumanMessage):
            return AIMessage(content=CAPABILITIES + FOOTER)
        if is_briefing(last.text):
            return AIMessage(content=explain_briefing(last.text) + FOOTER)
        now = self.clock.now()
        memory = remember(messages[:-1], now)
        move = plan(
            read_request(last.text, now, zone_of(memory), day_of(memory)),
            memory,
            frozenset(self.tool_names or ()),
        )
        if not move.tool_calls:
            return AIMessage(content=move.reply + FOOTER)
        turn = sum(isinstance(message, AIMessage) for message in messages)
        calls = [
            tool_call(name=name, args=args, id=f"offline-{turn}-{index}")
            for index, (name, args) in enumerate(move.tool_calls)
        ]
        return AIMessage(content=move.reply, tool_calls=calls)

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=self.respond(messages))])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        """One chunk holding the whole reply, tool calls included as ``tool_call_chunks``."""
        reply = self.respond(messages)
        chunk = ChatGenerationChunk(
            message=AIMessageChunk(
                content=reply.content,
                tool_call_chunks=[
                    tool_call_chunk(
                        name=call["name"], args=json.dumps(call["args"]), id=call["id"], index=i
                    )
                    for i, call in enumerate(reply.tool_calls)
                ],
            )
        )
        if run_manager is not None:
            run_manager.on_llm_new_token(reply.text, chunk=chunk)
        yield chunk


def _trailing_results(messages: Sequence[BaseMessage]) -> list[ToolMessage]:
    """The tool results at the end of the conversation, in order."""
    results: list[ToolMessage] = []
    for message in reversed(messages):
        if not isinstance(message, ToolMessage):
            break
        results.insert(0, message)
    return results
