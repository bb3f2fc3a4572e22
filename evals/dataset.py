"""The eval cases: one JSON object a line, in ``dataset.jsonl`` (the dev split) and
``heldout.jsonl`` (the held-out split).

A case gives the conversation so far in a simple JSON form, the tool calls the model should
ask for next (none for a clarifying question or a refusal), how to compare their arguments,
and the ``now`` that dates such as 'tomorrow' are read against::

    {"id": "clarify-status", "category": "clarify", "now": "2026-11-28T12:00:00Z",
     "messages": [{"role": "human", "content": "What's the status of my flight?"}],
     "expected_tool_calls": [], "expect": "clarify", "missing": ["flight_number"]}

Expected tool calls: ``[{"name", "args"}]``, each name a tool's (``tools.specs``), e.g.
``{"name": <GET_FLIGHT_STATUS.name>, "args": {"flight_number": "BA117"}}``.

Messages: ``{"role": "human" | "system", "content"}``, ``{"role": "ai", "content",
"tool_calls": [{"name", "args", "id"}]}``, ``{"role": "tool", "content", "tool_call_id",
"name"?, "status"?}``.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any, Literal, Self, get_args

from langchain_core.messages import (
    AIMessage,
    AnyMessage,
    BaseMessage,
    HumanMessage,
    SystemMessage,
    ToolMessage,
)
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from graphs.prompts import chat_system_prompt

Category = Literal[
    "status",
    "batch",
    "health",
    "connection",
    "rights",
    "alternatives",
    "disruption",
    "follow_up",
    "relative_date",
    "clarify",
    "out_of_scope",
    "hostile",
]
CATEGORIES: tuple[Category, ...] = get_args(Category)


Expectation = Literal["call", "refuse", "clarify", "answer"]
"""What a turn must do: make the expected calls; decline (no call, no compliance); ask for what
is missing (no call, naming it); or answer from the conversation without a call."""

Missing = Literal["flight_number", "date", "origin", "destination", "connection", "booking"]
"""What a clarifying question must ask for: a flight, a date, where from, where to, the two
flights of a connection, the legs of a booking."""


class SimpleToolCall(BaseModel):
    """A tool call in a conversation or an expectation: name and arguments."""

    model_config = ConfigDict(extra="forbid")

    name: str
    args: dict[str, Any] = Field(default_factory=dict)
    id: str | None = None


class SimpleMessage(BaseModel):
    """One message of a case's conversation."""

    model_config = ConfigDict(extra="forbid")

    role: Literal["human", "ai", "tool", "system"]
    content: str = ""
    tool_calls: list[SimpleToolCall] = Field(default_factory=list)
    tool_call_id: str | None = None
    name: str | None = None
    status: Literal["success", "error"] = "success"

    def to_message(self) -> AnyMessage:
        """The LangChain message."""
        if self.role == "human":
            return HumanMessage(content=self.content)
        if self.role == "system":
            return SystemMessage(content=self.content)
        if self.role == "ai":
            calls = [
                {"name": c.name, "args": c.args, "id": c.id or f"call-{i}", "type": "tool_call"}
                for i, c in enumerate(self.tool_calls)
            ]
            return AIMessage(content=self.content, tool_calls=calls)
        return ToolMessage(
            content=self.content,
            tool_call_id=self.tool_call_id or "call-0",
            name=self.name,
            status=self.status,
        )


class EvalCase(BaseModel):
    """One case: a conversation and the tool calls its next model turn should make."""

    model_config = ConfigDict(extra="forbid")

    id: str
    category: Category
    now: AwareDatetime = Field(description="The time dates such as 'tomorrow' are read against")
    messages: list[SimpleMessage] = Field(min_length=1)
    expected_tool_calls: list[SimpleToolCall]
    match: Literal["exact", "subset"] = Field(
        default="exact", description="How arguments must match for the case to pass"
    )
    expect: Expectation = Field(
        default="call",
        description="What the next turn must do: call the expected tools, or (with no expected "
        "call) refuse, ask for what is missing, or answer from the conversation",
    )
    missing: list[Missing] = Field(
        default_factory=list, description="For 'clarify': what the question must ask for"
    )
    forbidden: list[str] = Field(
        default_factory=list,
        description="Text whose presence in the reply means the model complied with what it "
        "should have declined or ignored (case-insensitive), e.g. an injected marker",
    )
    trajectory: bool = Field(
        default=False, description="Also run the full loop on the simulated toolkit"
    )
    note: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if (self.expect == "call") != bool(self.expected_tool_calls):
            raise ValueError(
                "expect 'call' goes with expected_tool_calls, and 'refuse', 'clarify' or "
                "'answer' with none"
            )
        if (self.expect == "clarify") != bool(self.missing):
            raise ValueError("'clarify' cases name what is missing, and only they do")
        return self

    def conversation(self) -> list[AnyMessage]:
        """The messages as LangChain messages."""
        return [message.to_message() for message in self.messages]

    def model_input(self) -> list[BaseMessage]:
        """What the model sees: the chat agent's own system prompt at the case's time, then the
        messages."""
        return [SystemMessage(content=chat_system_prompt(self.now)), *self.conversation()]


Split = Literal["dev", "heldout"]
SPLITS: dict[Split, str] = {"dev": "dataset.jsonl", "heldout": "heldout.jsonl"}
"""Each split's file in the package: the dev cases the offline model's rules were built
against, and the held-out cases kept apart from that work."""


def load_cases(path: Path | None = None, *, split: Split = "dev") -> list[EvalCase]:
    """The cases of ``path``, else of the packaged file of ``split``; ids are unique.

    Raises:
        OSError: The file cannot be read.
        ValueError: A line is not a valid case, or an id repeats.
    """
    if path is None:
        text = resources.files("evals").joinpath(SPLITS[split]).read_text("utf-8")
    else:
        text = path.read_text("utf-8")
    cases = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            cases.append(EvalCase.model_validate(json.loads(line)))
        except ValueError as error:
            raise ValueError(f"dataset line {number}: {error}") from error
    ids = [case.id for case in cases]
    repeated = sorted({case_id for case_id in ids if ids.count(case_id) > 1})
    if repeated:
        raise ValueError(f"repeated case ids: {', '.join(repeated)}")
    return cases
