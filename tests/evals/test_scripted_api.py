"""The scripted chat API: real ChatOpenAI and ChatAnthropic clients parse what it serves.

Every test drives the real LangChain classes over HTTP on 127.0.0.1, so these are also the
specification of what the graphs and the evals can rely on when they run against the server.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import anthropic
import httpx
import openai
import pytest
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import (
    AIMessage,
    AIMessageChunk,
    BaseMessage,
    HumanMessage,
    ToolMessage,
)
from langchain_core.tools import tool

from evals.scripted_api import (
    Api,
    ChatRequest,
    Script,
    ScriptedChatServer,
    ScriptedReply,
    call,
    reply,
)

APIS: list[Api] = ["openai", "anthropic"]
BAD_REQUEST = {"openai": openai.BadRequestError, "anthropic": anthropic.BadRequestError}
"""What each SDK raises on a 400."""
SERVER_ERROR = {"openai": openai.InternalServerError, "anthropic": anthropic.InternalServerError}
"""What each SDK raises on a 500."""
UNANSWERED = {
    "openai": "The following tool_call_ids did not have response messages: call_9",
    "anthropic": "tool_use ids were found without tool_result blocks immediately after: call_9",
}
ORPHANED = {
    "openai": "messages with role 'tool' must be a response to a preceeding message",
    "anthropic": "unexpected tool_use_id found in tool_result blocks: call_x",
}
Serve = Callable[..., ScriptedChatServer]
"""Starts a ``ScriptedChatServer(script, **options)`` closed after the test."""

TRUNCATED = '{"flight_number": "BA11'
"""Arguments cut off mid-string: not JSON, but a prefix of JSON."""
GARBLED = '{"flight_number": BA11}'
"""Arguments no JSON document starts with (an unquoted value)."""


@tool
def get_flight_status(flight_number: str) -> str:
    """The status of a flight."""
    return f"{flight_number} is on time"


@tool
def find_rebooking_options(flight_number: str) -> str:
    """Alternative flights for the passengers of a cancelled flight."""
    return f"no options for {flight_number}"


@pytest.fixture
def serve() -> Iterator[Serve]:
    """Start servers on scripts; every server started is closed after the test."""
    servers: list[ScriptedChatServer] = []

    def start(script: Script, **options: Any) -> ScriptedChatServer:
        servers.append(ScriptedChatServer(script, **options).start())
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def model_for(server: ScriptedChatServer, api: Api, **kwargs: Any) -> BaseChatModel:
    return server.openai_model(**kwargs) if api == "openai" else server.anthropic_model(**kwargs)


def streamed(model: BaseChatModel, prompt: str) -> tuple[list[AIMessageChunk], AIMessageChunk]:
    """The chunks ``model.stream`` yields, and their sum."""
    chunks = [chunk for chunk in model.stream(prompt) if isinstance(chunk, AIMessageChunk)]
    total = chunks[0]
    for chunk in chunks[1:]:
        total += chunk
    return chunks, total


def unanswered_call() -> list[BaseMessage]:
    """A conversation whose tool call was never answered."""
    asked = AIMessage("", tool_calls=[{"name": "get_flight_status", "args": {}, "id": "call_9"}])
    return [HumanMessage("Status of BA117?"), asked, HumanMessage("Well?")]


@pytest.mark.parametrize("api", APIS)
def test_a_text_reply_is_the_message_content(serve: Serve, api: Api) -> None:
    """A scripted string comes back as the AIMessage's text, with usage, and the request is
    recorded normalised: which API, the user's text, not streamed."""
    server = serve(["Flight BA117 is on time."])
    message = model_for(server, api).invoke("Status of BA117?")
    assert isinstance(message, AIMessage)
    assert message.text == "Flight BA117 is on time."
    assert message.tool_calls == []
    assert message.usage_metadata is not None
    assert message.usage_metadata["output_tokens"] > 0
    [request] = server.requests
    assert (request.api, request.last_user_text, request.stream) == (api, "Status of BA117?", False)
    assert request.messages == [
        {"role": "user", "content": "Status of BA117?", "tool_calls": [], "tool_call_id": None}
    ]


@pytest.mark.parametrize("api", APIS)
@pytest.mark.parametrize("streaming", [False, True])
def test_parallel_tool_calls_keep_their_ids_and_arguments(
    serve: Serve, api: Api, streaming: bool
) -> None:
    """Several calls in one turn parse into ``tool_calls`` in order, streamed or not: a
    scripted id is kept, missing ones are numbered per server ("call_1", ...), the text comes
    along."""
    turn = reply(
        "Checking both.",
        call("get_flight_status", {"flight_number": "BA117"}),
        call("find_rebooking_options", {"flight_number": "BA118"}, id="call_rebook"),
        call("get_flight_status", {"flight_number": "BA119"}),
    )
    server = serve([turn])
    model = model_for(server, api, streaming=streaming)
    message = model.bind_tools([get_flight_status, find_rebooking_options]).invoke("Both?")
    assert isinstance(message, AIMessage)
    assert message.text == "Checking both."
    assert [(c["id"], c["name"], c["args"]) for c in message.tool_calls] == [
        ("call_1", "get_flight_status", {"flight_number": "BA117"}),
        ("call_rebook", "find_rebooking_options", {"flight_number": "BA118"}),
        ("call_2", "get_flight_status", {"flight_number": "BA119"}),
    ]
    assert message.invalid_tool_calls == []
    assert server.requests[0].stream is streaming


def test_openai_malformed_arguments_are_invalid_tool_calls(serve: Serve) -> None:
    """ChatOpenAI parses the complete arguments string: anything that is not JSON, even a
    truncated object, lands in ``invalid_tool_calls`` with the string as sent."""
    server = serve([reply("", call("get_flight_status", TRUNCATED, id="call_cut"))])
    message = server.openai_model().bind_tools([get_flight_status]).invoke("Status?")
    assert isinstance(message, AIMessage)
    assert message.tool_calls == []
    [invalid] = message.invalid_tool_calls
    assert (invalid["id"], invalid["name"], invalid["args"]) == (
        "call_cut",
        "get_flight_status",
        TRUNCATED,
    )


@pytest.mark.parametrize("api", APIS)
def test_streamed_garbled_arguments_are_invalid_tool_calls(serve: Serve, api: Api) -> None:
    """Streamed, both clients pass each argument piece on unparsed as a tool-call chunk
    (langchain_anthropic turns every ``input_json_delta`` into one; it never raises on them),
    and langchain-core parses the merged pieces with ``parse_partial_json``: arguments no JSON
    document starts with become ``invalid_tool_calls`` carrying the concatenated string."""
    server = serve([reply("", call("get_flight_status", GARBLED, id="call_bad"))])
    model = model_for(server, api, streaming=True).bind_tools([get_flight_status])
    message = model.invoke("Status?")
    assert isinstance(message, AIMessage)
    assert message.tool_calls == []
    [invalid] = message.invalid_tool_calls
    assert (invalid["id"], invalid["name"], invalid["args"]) == (
        "call_bad",
        "get_flight_status",
        GARBLED,
    )


@pytest.mark.parametrize("api", APIS)
def test_streamed_truncated_arguments_are_completed(serve: Serve, api: Api) -> None:
    """``parse_partial_json`` closes what a stream left open, so streamed truncated arguments
    arrive as a valid call with the truncated value (not streamed, ChatOpenAI reports them as
    invalid). To script malformed streamed arguments, garble them rather than cut them."""
    server = serve([reply("", call("get_flight_status", TRUNCATED, id="call_cut"))])
    model = model_for(server, api, streaming=True).bind_tools([get_flight_status])
    message = model.invoke("Status?")
    assert isinstance(message, AIMessage)
    assert message.invalid_tool_calls == []
    assert message.tool_calls[0]["args"] == {"flight_number": "BA11"}


def test_anthropic_sends_malformed_arguments_as_an_empty_input_unless_streaming(
    serve: Serve,
) -> None:
    """The Messages API returns tool input as an object, so non-streamed malformed arguments
    become ``{}``: a valid call with no arguments."""
    server = serve([reply("", call("get_flight_status", GARBLED, id="call_bad"))])
    message = server.anthropic_model().bind_tools([get_flight_status]).invoke("Status?")
    assert isinstance(message, AIMessage)
    assert message.invalid_tool_calls == []
    assert [(c["id"], c["args"]) for c in message.tool_calls] == [("call_bad", {})]


@pytest.mark.parametrize("api", APIS)
def test_text_streams_word_by_word(serve: Serve, api: Api) -> None:
    """``model.stream`` yields the text in several chunks, one a word, adding up to the text."""
    text = "Flight BA117 is delayed by forty minutes."
    server = serve([text])
    chunks, total = streamed(model_for(server, api), "Status of BA117?")
    assert [chunk.text for chunk in chunks if chunk.text] == [
        "Flight ",
        "BA117 ",
        "is ",
        "delayed ",
        "by ",
        "forty ",
        "minutes.",
    ]
    assert total.text == text
    assert server.requests[0].stream


@pytest.mark.parametrize("api", APIS)
def test_bound_tools_and_the_system_prompt_are_recorded(serve: Serve, api: Api) -> None:
    """The names of the tools bound with ``bind_tools`` land in ``ChatRequest.tools`` and the
    system message in ``ChatRequest.system``, outside ``messages``."""
    server = serve(["On time."])
    model = model_for(server, api).bind_tools([get_flight_status, find_rebooking_options])
    model.invoke([("system", "You are an IROPS assistant."), ("user", "Status of BA117?")])
    [request] = server.requests
    assert request.tools == ["get_flight_status", "find_rebooking_options"]
    assert request.system == "You are an IROPS assistant."
    assert [m["role"] for m in request.messages] == ["user"]


@pytest.mark.parametrize("api", APIS)
def test_an_unanswered_tool_call_is_rejected(serve: Serve, api: Api) -> None:
    """A conversation with a tool call no tool result answers gets the real API's 400, raised
    by the client as its BadRequestError; the message is kept in ``rejections`` and the script
    is not consumed."""
    server = serve(["Answered."])
    model = model_for(server, api)
    with pytest.raises(BAD_REQUEST[api], match="call_9") as raised:
        model.invoke(unanswered_call())
    [rejection] = server.rejections
    assert rejection in str(raised.value)
    assert UNANSWERED[api] in rejection
    assert model.invoke("Hello").text == "Answered."


@pytest.mark.parametrize("api", APIS)
def test_a_tool_result_answering_no_call_is_rejected(serve: Serve, api: Api) -> None:
    """A tool result with no call before it is rejected too."""
    server = serve(["Answered."])
    orphan = [HumanMessage("Status of BA117?"), ToolMessage("on time", tool_call_id="call_x")]
    with pytest.raises(BAD_REQUEST[api]):
        model_for(server, api).invoke(orphan)
    [rejection] = server.rejections
    assert ORPHANED[api] in rejection


def test_anthropic_rejects_a_conversation_opening_with_the_assistant(serve: Serve) -> None:
    """The Messages API wants a user message first."""
    server = serve(["Answered."])
    with pytest.raises(anthropic.BadRequestError, match='first message must use the "user" role'):
        server.anthropic_model().invoke([AIMessage("Hello."), HumanMessage("Status of BA117?")])


@pytest.mark.parametrize("api", APIS)
def test_an_answered_tool_call_is_accepted_and_normalised(serve: Serve, api: Api) -> None:
    """With its tool result the same conversation goes through, and the request reads the
    same whichever API carried it: user, assistant with the call, tool result, user."""
    server = serve(["BA117 is on time."])
    conversation = unanswered_call()
    conversation.insert(2, ToolMessage("on time", tool_call_id="call_9"))
    assert model_for(server, api).invoke(conversation).text == "BA117 is on time."
    assert server.rejections == []
    [request] = server.requests
    assert request.messages == [
        {"role": "user", "content": "Status of BA117?", "tool_calls": [], "tool_call_id": None},
        {
            "role": "assistant",
            "content": "",
            "tool_calls": [{"id": "call_9", "name": "get_flight_status", "arguments": "{}"}],
            "tool_call_id": None,
        },
        {"role": "tool", "content": "on time", "tool_calls": [], "tool_call_id": "call_9"},
        {"role": "user", "content": "Well?", "tool_calls": [], "tool_call_id": None},
    ]


@pytest.mark.parametrize("api", APIS)
def test_conversation_checks_can_be_turned_off(serve: Serve, api: Api) -> None:
    """With ``check_conversations=False`` even an unanswered call gets the scripted reply."""
    server = serve(["Answered anyway."], check_conversations=False)
    assert model_for(server, api).invoke(unanswered_call()).text == "Answered anyway."
    assert server.rejections == []


@pytest.mark.parametrize("api", APIS)
def test_a_callable_script_answers_from_the_request(serve: Serve, api: Api) -> None:
    """A callable script is an oracle: asked per request, it sees the last user text."""

    def oracle(request: ChatRequest) -> ScriptedReply | str:
        if "BA117" in request.last_user_text:
            return reply("", call("get_flight_status", {"flight_number": "BA117"}))
        return f"You said: {request.last_user_text}"

    model = model_for(serve(oracle), api)
    assert model.invoke("Hello").text == "You said: Hello"
    message = model.invoke("Status of BA117?")
    assert isinstance(message, AIMessage)
    assert message.tool_calls[0]["args"] == {"flight_number": "BA117"}


@pytest.mark.parametrize("api", APIS)
def test_an_exhausted_script_fails_loudly(serve: Serve, api: Api) -> None:
    """One request more than the script has replies is a 500 the client raises, saying so."""
    server = serve(["Only one."])
    model = model_for(server, api)
    model.invoke("First")
    with pytest.raises(SERVER_ERROR[api], match="script exhausted after 1 replies"):
        model.invoke("Second")
    assert len(server.requests) == 2


@pytest.mark.parametrize("api", APIS)
def test_a_failing_oracle_fails_loudly(serve: Serve, api: Api) -> None:
    """An exception in a callable script is a 500 naming it."""

    def oracle(request: ChatRequest) -> str:
        raise LookupError(f"no answer for {request.last_user_text!r}")

    with pytest.raises(SERVER_ERROR[api], match="no answer for 'Hello'"):
        model_for(serve(oracle), api).invoke("Hello")


async def test_async_clients_are_served(serve: Serve) -> None:
    """``ainvoke`` works against the same server."""
    server = serve(["One.", "Two."])
    assert (await server.openai_model().ainvoke("Hi")).text == "One."
    assert (await server.anthropic_model().ainvoke("Hi")).text == "Two."


def test_an_unknown_path_is_a_404_in_the_provider_error_shape(serve: Serve) -> None:
    """Anything but the two chat endpoints is a 404, in Anthropic's error shape when the
    request carries an ``anthropic-version`` header and in OpenAI's otherwise."""
    server = serve([])
    with httpx.Client(base_url=server.anthropic_base_url) as client:
        openai_style = client.post("/v1/embeddings", json={})
        anthropic_style = client.get("/v1/models", headers={"anthropic-version": "2023-06-01"})
    assert openai_style.status_code == anthropic_style.status_code == 404
    assert openai_style.json()["error"]["type"] == "invalid_request_error"
    assert openai_style.json()["error"]["code"] is None
    assert anthropic_style.json()["type"] == "error"
    assert anthropic_style.json()["error"]["type"] == "invalid_request_error"


def test_the_openai_stream_is_chunked_like_the_real_api(serve: Serve) -> None:
    """On the wire: the role first, the text by words, a tool call opened with its id and
    name then its arguments in pieces, the finish reason, the usage when asked, ``[DONE]``."""
    server = serve([reply("On it.", call("get_flight_status", {"flight_number": "BA117"}))])
    body = {
        "model": "scripted",
        "stream": True,
        "stream_options": {"include_usage": True},
        "messages": [{"role": "user", "content": "Status?"}],
    }
    response = httpx.post(f"{server.openai_base_url}/chat/completions", json=body)
    assert response.headers["content-type"] == "text/event-stream"
    lines = [line.removeprefix("data: ") for line in response.text.split("\n\n") if line]
    assert lines[-1] == "[DONE]"
    chunks = [json.loads(line) for line in lines[:-1]]
    assert {chunk["object"] for chunk in chunks} == {"chat.completion.chunk"}
    deltas = [chunk["choices"][0]["delta"] for chunk in chunks if chunk["choices"]]
    assert deltas[0]["role"] == "assistant"
    assert [d["content"] for d in deltas[1:3]] == ["On ", "it."]
    opening, *pieces = [d["tool_calls"][0] for d in deltas if "tool_calls" in d]
    assert (opening["id"], opening["function"]["name"]) == ("call_1", "get_flight_status")
    assert len(pieces) >= 2
    assert json.loads("".join(p["function"]["arguments"] for p in pieces)) == {
        "flight_number": "BA117"
    }
    assert chunks[-2]["choices"][0]["finish_reason"] == "tool_calls"
    assert chunks[-1]["choices"] == []
    assert chunks[-1]["usage"]["total_tokens"] > 0


def test_the_anthropic_stream_is_evented_like_the_real_api(serve: Serve) -> None:
    """On the wire: named events, each block started, filled and stopped, tool input as
    ``input_json_delta`` pieces, then the stop reason and ``message_stop``."""
    server = serve([reply("On it.", call("get_flight_status", {"flight_number": "BA117"}))])
    body = {
        "model": "claude-scripted",
        "max_tokens": 100,
        "stream": True,
        "messages": [{"role": "user", "content": "Status?"}],
    }
    response = httpx.post(f"{server.anthropic_base_url}/v1/messages", json=body)
    events = [event.split("\n") for event in response.text.split("\n\n") if event]
    names = [name.removeprefix("event: ") for name, _ in events]
    data = [json.loads(line.removeprefix("data: ")) for _, line in events]
    assert [d["type"] for d in data] == names
    assert names[0] == "message_start"
    assert names[-2:] == ["message_delta", "message_stop"]
    assert data[-2]["delta"]["stop_reason"] == "tool_use"
    tool_start = next(d for d in data if d.get("content_block", {}).get("type") == "tool_use")
    assert tool_start["content_block"]["id"] == "call_1"
    pieces = [
        d["delta"]["partial_json"]
        for d in data
        if d.get("index") == tool_start["index"] and d["type"] == "content_block_delta"
    ]
    assert len(pieces) >= 2
    assert json.loads("".join(pieces)) == {"flight_number": "BA117"}
    assert names.count("content_block_start") == names.count("content_block_stop") == 2
