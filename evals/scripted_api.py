"""A scripted chat-model API on loopback that the real OpenAI and Anthropic clients talk to.

The graphs and the evals are exercised with the real LangChain chat model classes
(``ChatOpenAI``, ``ChatAnthropic``), so that what is tested is what ships: their request
formatting, their response and stream parsing, their tool-call handling. ``ScriptedChatServer``
serves both providers' wire formats on 127.0.0.1 (OpenAI Chat Completions at
``/v1/chat/completions``, Anthropic Messages at ``/v1/messages``, streaming or not), answers each
request from a script (replies in order, or a callable acting as an oracle), records every request
as a provider-neutral ``ChatRequest``, and rejects with the real APIs' 400 errors the
conversations they reject: a tool call left unanswered, a tool result answering no call.

It is hand-written because no maintained library serves scripted replies in both wire formats,
offline, with those conversation checks; it runs on the standard library's
``ThreadingHTTPServer`` so the package gains no dependency::

    script = [reply("", call(GET_FLIGHT_STATUS.name, {"flight_number": "BA117"})), "On time."]
    with ScriptedChatServer(script) as server:
        model = server.openai_model()  # or server.anthropic_model()

A script that runs out answers 500 ("script exhausted after N replies"), so a test that makes
more model calls than it scripted fails loudly.
"""

from __future__ import annotations

import itertools
import json
import math
import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, Self

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

Api = Literal["openai", "anthropic"]
Json = dict[str, Any]


@dataclass(frozen=True)
class ScriptedCall:
    """A tool call the model makes. Dict arguments are sent as JSON, a string verbatim.

    A malformed string reaches an Anthropic client only when it streams: the Messages API
    carries a non-streamed tool input as an object, sent as ``{}`` when the string is not one.
    """

    name: str
    arguments: str | dict[str, Any]
    id: str | None = None
    """``None``: the server numbers it ("call_1", "call_2", ... unique per server)."""


@dataclass(frozen=True)
class ScriptedReply:
    """One model turn: text, tool calls, or both."""

    text: str = ""
    tool_calls: tuple[ScriptedCall, ...] = ()


def reply(text: str = "", *calls: ScriptedCall) -> ScriptedReply:
    """A model turn saying ``text`` and making ``calls``."""
    return ScriptedReply(text, calls)


def call(
    name: str, arguments: str | dict[str, Any] | None = None, id: str | None = None
) -> ScriptedCall:
    """A tool call to ``name`` (no arguments: ``{}``)."""
    return ScriptedCall(name, {} if arguments is None else arguments, id)


@dataclass
class ChatRequest:
    """One request the server received, normalised across the two wire formats.

    Each message is ``{"role": "user" | "assistant" | "tool", "content": str, "tool_calls":
    [{"id", "name", "arguments"}], "tool_call_id": str | None}``, arguments as a JSON string.
    An Anthropic user message carrying tool results becomes one "tool" message per result,
    followed by a "user" message when it also has text.
    """

    api: Api
    system: str
    messages: list[dict[str, Any]]
    tools: list[str]
    stream: bool
    body: dict[str, Any]

    @property
    def last_user_text(self) -> str:
        """The text of the last user message ("" when there is none)."""
        users = (m["content"] for m in reversed(self.messages) if m["role"] == "user")
        return next(users, "")


Script = Sequence[ScriptedReply | str] | Callable[[ChatRequest], ScriptedReply | str]
"""Replies in order, or a callable asked per request; a string is a plain text reply."""


# Requests, normalised


def _text(content: Any) -> str:
    """The text of a content field: a string, or the text blocks of a list, one per line."""
    if isinstance(content, str):
        return content
    blocks = content if isinstance(content, list) else []
    return "\n".join(b["text"] for b in blocks if isinstance(b, dict) and b.get("type") == "text")


def _message(
    role: str, content: str, calls: list[Json] | None = None, call_id: str | None = None
) -> Json:
    return {"role": role, "content": content, "tool_calls": calls or [], "tool_call_id": call_id}


def _openai_request(body: Json) -> ChatRequest:
    system: list[str] = []
    messages: list[Json] = []
    for raw in body["messages"]:
        if raw["role"] in ("system", "developer"):
            system.append(_text(raw["content"]))
            continue
        calls = [
            {"id": c["id"], "name": c["function"]["name"], "arguments": c["function"]["arguments"]}
            for c in raw.get("tool_calls") or []
        ]
        messages.append(
            _message(raw["role"], _text(raw.get("content")), calls, raw.get("tool_call_id"))
        )
    tools = [tool["function"]["name"] for tool in body.get("tools", [])]
    return ChatRequest("openai", "\n".join(system), messages, tools, bool(body.get("stream")), body)


def _anthropic_messages(raw: Json) -> list[Json]:
    """One Anthropic message as normalised messages (tool results become "tool" messages)."""
    blocks = raw["content"]
    if isinstance(blocks, str):
        blocks = [{"type": "text", "text": blocks}]
    if raw["role"] == "assistant":
        uses = [b for b in blocks if b["type"] == "tool_use"]
        calls = [
            {"id": b["id"], "name": b["name"], "arguments": json.dumps(b["input"])} for b in uses
        ]
        return [_message("assistant", _text(blocks), calls)]
    results = [
        _message("tool", _text(b.get("content", "")), call_id=b["tool_use_id"])
        for b in blocks
        if b["type"] == "tool_result"
    ]
    text = _text(blocks)
    return [*results, _message("user", text)] if text or not results else results


def _anthropic_request(body: Json) -> ChatRequest:
    messages = [normalised for raw in body["messages"] for normalised in _anthropic_messages(raw)]
    tools = [tool["name"] for tool in body.get("tools", [])]
    system = _text(body.get("system", ""))
    return ChatRequest("anthropic", system, messages, tools, bool(body.get("stream")), body)


# Conversation checks: the 400 message the real API gives, or None when it accepts the messages


def _openai_conversation_error(messages: list[Json]) -> str | None:
    pending: list[str] = []
    # The end of the conversation, like any message but a tool result, closes the pending calls.
    for message in [*messages, {"role": "end of the conversation"}]:
        if message["role"] == "tool":
            if message.get("tool_call_id") not in pending:
                return (
                    "Invalid parameter: messages with role 'tool' must be a response to a "
                    "preceeding message with 'tool_calls'."
                )
            pending.remove(message["tool_call_id"])
        elif pending:
            return (
                "An assistant message with 'tool_calls' must be followed by tool messages "
                "responding to each 'tool_call_id'. The following tool_call_ids did not have "
                f"response messages: {', '.join(pending)}"
            )
        else:
            pending = [c["id"] for c in message.get("tool_calls") or []]
    return None


def _block_ids(message: Json, kind: str, key: str) -> list[str]:
    blocks = message["content"] if isinstance(message["content"], list) else []
    return [block[key] for block in blocks if block["type"] == kind]


def _anthropic_conversation_error(messages: list[Json]) -> str | None:
    if messages and messages[0]["role"] != "user":
        return 'messages: first message must use the "user" role'
    uses: list[str] = []
    # The end of the conversation is a message answering no tool use.
    for index, message in enumerate([*messages, {"role": "user", "content": []}]):
        results = _block_ids(message, "tool_result", "tool_use_id")
        if unanswered := [use for use in uses if use not in results]:
            return (
                f"messages.{index - 1}: tool_use ids were found without tool_result blocks "
                f"immediately after: {', '.join(unanswered)}. Each tool_use block must have a "
                "corresponding tool_result block in the next message."
            )
        if unexpected := [result for result in results if result not in uses]:
            return (
                f"messages.{index}: unexpected tool_use_id found in tool_result blocks: "
                f"{', '.join(unexpected)}. Each tool_result block must have a corresponding "
                "tool_use block in the previous message."
            )
        uses = _block_ids(message, "tool_use", "id")
    return None


# Responses


class _Call(NamedTuple):
    id: str
    name: str
    arguments: str


class _Turn(NamedTuple):
    """A scripted reply ready to send: the response id, the text, the numbered tool calls."""

    id: str
    text: str
    calls: list[_Call]


class _Response(NamedTuple):
    status: int
    content_type: str
    body: bytes


def _json_response(status: int, payload: Json) -> _Response:
    return _Response(status, "application/json", json.dumps(payload).encode())


def _sse_response(events: list[str]) -> _Response:
    return _Response(200, "text/event-stream", "".join(events).encode())


def _error(api: Api, status: int, message: str) -> _Response:
    if api == "openai":
        detail = {"message": message, "type": "invalid_request_error", "param": None, "code": None}
        return _json_response(status, {"error": detail})
    error = {"type": "invalid_request_error", "message": message}
    return _json_response(status, {"type": "error", "error": error})


def _words(text: str) -> list[str]:
    """The text in streamable pieces: one word each, with the whitespace that follows it."""
    return [piece for piece in re.split(r"(?<=\s)(?=\S)", text) if piece]


def _pieces(arguments: str, count: int = 3) -> list[str]:
    """The arguments string in ``count`` pieces (fewer when it is shorter)."""
    size = max(1, math.ceil(len(arguments) / count))
    return [arguments[i : i + size] for i in range(0, len(arguments), size)]


def _usage(request: ChatRequest, turn: _Turn) -> tuple[int, int]:
    """Rough input and output token counts (four characters a token)."""
    output = turn.text + "".join(c.arguments for c in turn.calls)
    return max(1, len(json.dumps(request.body)) // 4), max(1, len(output) // 4)


def _openai_response(request: ChatRequest, turn: _Turn) -> _Response:
    prompt, completion = _usage(request, turn)
    usage = {"prompt_tokens": prompt, "completion_tokens": completion}
    usage["total_tokens"] = prompt + completion
    head = {"id": turn.id, "created": int(time.time()), "model": request.body["model"]}
    finish = "tool_calls" if turn.calls else "stop"
    if not request.stream:
        message: Json = {
            "role": "assistant",
            "content": turn.text if turn.text or not turn.calls else None,
        }
        if turn.calls:
            message["tool_calls"] = [_openai_tool_call(c, c.arguments) for c in turn.calls]
        choice = {"index": 0, "message": message, "logprobs": None, "finish_reason": finish}
        return _json_response(
            200, {**head, "object": "chat.completion", "choices": [choice], "usage": usage}
        )
    chunk = {**head, "object": "chat.completion.chunk"}
    chunks = [{**chunk, "choices": [choice]} for choice in _openai_choices(turn, finish)]
    if request.body.get("stream_options", {}).get("include_usage"):
        chunks.append({**chunk, "choices": [], "usage": usage})
    return _sse_response([*(f"data: {json.dumps(c)}\n\n" for c in chunks), "data: [DONE]\n\n"])


def _openai_tool_call(c: _Call, arguments: str) -> Json:
    return {"id": c.id, "type": "function", "function": {"name": c.name, "arguments": arguments}}


def _openai_choices(turn: _Turn, finish: str) -> Iterator[Json]:
    """The role, the text word by word, each tool call in pieces, then the finish reason."""
    deltas: list[Json] = [{"role": "assistant", "content": ""}]
    deltas += [{"content": word} for word in _words(turn.text)]
    for index, c in enumerate(turn.calls):
        deltas.append({"tool_calls": [{"index": index, **_openai_tool_call(c, "")}]})
        pieces = _pieces(c.arguments)
        deltas += [{"tool_calls": [{"index": index, "function": {"arguments": p}}]} for p in pieces]
    for delta in deltas:
        yield {"index": 0, "delta": delta, "logprobs": None, "finish_reason": None}
    yield {"index": 0, "delta": {}, "logprobs": None, "finish_reason": finish}


def _input_object(arguments: str) -> Json:
    """The arguments as Anthropic's non-streamed tool input: parsed, or ``{}`` if not an object."""
    try:
        parsed = json.loads(arguments)
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


def _anthropic_response(request: ChatRequest, turn: _Turn) -> _Response:
    input_tokens, output_tokens = _usage(request, turn)
    model = request.body["model"]
    message = {"id": turn.id, "type": "message", "role": "assistant", "model": model}
    stop = {"stop_reason": "tool_use" if turn.calls else "end_turn", "stop_sequence": None}
    text = [{"type": "text", "text": turn.text}] if turn.text or not turn.calls else []
    if not request.stream:
        uses = [
            {"type": "tool_use", "id": c.id, "name": c.name, "input": _input_object(c.arguments)}
            for c in turn.calls
        ]
        usage = {"input_tokens": input_tokens, "output_tokens": output_tokens}
        return _json_response(200, {**message, "content": text + uses, **stop, "usage": usage})
    opening = {**message, "content": [], "stop_reason": None, "stop_sequence": None}
    opening["usage"] = {"input_tokens": input_tokens, "output_tokens": 1}
    events = [
        ("message_start", {"message": opening}),
        *_anthropic_block_events(turn),
        ("message_delta", {"delta": stop, "usage": {"output_tokens": output_tokens}}),
        ("message_stop", {}),
    ]
    return _sse_response(
        [f"event: {name}\ndata: {json.dumps({'type': name, **data})}\n\n" for name, data in events]
    )


def _anthropic_block_events(turn: _Turn) -> Iterator[tuple[str, Json]]:
    """Each content block opened, filled (text word by word, tool input in pieces) and closed."""
    blocks: list[tuple[Json, list[Json]]] = []
    if turn.text or not turn.calls:
        words = [{"type": "text_delta", "text": word} for word in _words(turn.text)]
        blocks.append(({"type": "text", "text": ""}, words))
    for c in turn.calls:
        pieces = [{"type": "input_json_delta", "partial_json": p} for p in _pieces(c.arguments)]
        blocks.append(({"type": "tool_use", "id": c.id, "name": c.name, "input": {}}, pieces))
    for index, (block, deltas) in enumerate(blocks):
        yield "content_block_start", {"index": index, "content_block": block}
        for delta in deltas:
            yield "content_block_delta", {"index": index, "delta": delta}
        yield "content_block_stop", {"index": index}


class _Provider(NamedTuple):
    parse: Callable[[Json], ChatRequest]
    conversation_error: Callable[[list[Json]], str | None]
    respond: Callable[[ChatRequest, _Turn], _Response]
    response_id_prefix: str


_PROVIDERS: Mapping[Api, _Provider] = {
    "openai": _Provider(
        _openai_request, _openai_conversation_error, _openai_response, "chatcmpl-scripted-"
    ),
    "anthropic": _Provider(
        _anthropic_request, _anthropic_conversation_error, _anthropic_response, "msg_scripted_"
    ),
}
_ROUTES: Mapping[str, Api] = {"/v1/chat/completions": "openai", "/v1/messages": "anthropic"}


class ScriptedChatServer:
    """OpenAI and Anthropic chat APIs on a free 127.0.0.1 port, answering from ``script``.

    ``requests`` holds every chat request received, in order (rejected ones too);
    ``rejections`` the 400 messages sent for conversations the real API would reject (checked
    only when ``check_conversations``).
    """

    def __init__(self, script: Script, *, check_conversations: bool = True) -> None:
        self._script = script
        self._check_conversations = check_conversations
        self._lock = threading.Lock()
        self._replies = 0
        self._call_numbers = itertools.count(1)
        self._http: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.requests: list[ChatRequest] = []
        self.rejections: list[str] = []

    def start(self) -> Self:
        """Listen on a free loopback port, serving from a daemon thread."""
        self._http = _HTTPServer(self)
        # The serving loop looks for a shutdown every 10 ms: close() waits at most that long.
        self._thread = threading.Thread(target=self._http.serve_forever, args=(0.01,), daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        """Stop serving and free the port."""
        if self._http is not None and self._thread is not None:
            self._http.shutdown()
            self._http.server_close()
            self._thread.join()
        self._http = self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def port(self) -> int:
        if self._http is None:
            raise RuntimeError("the scripted chat server is not started")
        return self._http.server_port

    @property
    def openai_base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def anthropic_base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def openai_model(self, **kwargs: Any) -> BaseChatModel:
        """A real ``ChatOpenAI`` talking to this server (``kwargs`` override the defaults)."""
        from langchain_openai import ChatOpenAI

        defaults = {"model": "scripted", "api_key": "sk-scripted", "max_retries": 0}
        return ChatOpenAI(**{**defaults, "base_url": self.openai_base_url, **kwargs})

    def anthropic_model(self, **kwargs: Any) -> BaseChatModel:
        """A real ``ChatAnthropic`` talking to this server (``kwargs`` override the defaults)."""
        from langchain_anthropic import ChatAnthropic

        defaults = {"model": "claude-scripted", "api_key": "sk-ant-scripted", "max_retries": 0}
        return ChatAnthropic(**{**defaults, "base_url": self.anthropic_base_url, **kwargs})

    def _answer(self, path: str, api_hint: Api, body: bytes) -> _Response:
        """The response to a POST of ``body`` to ``path`` (``api_hint`` shapes a 404)."""
        api = _ROUTES.get(path.partition("?")[0])
        if api is None:
            return _error(api_hint, 404, f"Unknown path: {path}")
        try:
            request = _PROVIDERS[api].parse(json.loads(body))
        except (ValueError, LookupError, TypeError, AttributeError) as exc:
            return _error(api, 400, f"Malformed request body: {exc!r}")
        with self._lock:
            self.requests.append(request)
            turn = self._next_turn(request)
        return turn if isinstance(turn, _Response) else _PROVIDERS[api].respond(request, turn)

    def _next_turn(self, request: ChatRequest) -> _Turn | _Response:
        """The scripted turn answering ``request``, or the error refusing it (under the lock)."""
        provider = _PROVIDERS[request.api]
        if self._check_conversations and (
            problem := provider.conversation_error(request.body["messages"])
        ):
            self.rejections.append(problem)
            return _error(request.api, 400, problem)
        if callable(self._script):
            try:
                scripted = self._script(request)
            except Exception as exc:
                return _error(request.api, 500, f"The script raised {exc!r}")
        elif self._replies < len(self._script):
            scripted = self._script[self._replies]
        else:
            return _error(request.api, 500, f"script exhausted after {len(self._script)} replies")
        self._replies += 1
        turn = ScriptedReply(scripted) if isinstance(scripted, str) else scripted
        calls = [self._numbered(c) for c in turn.tool_calls]
        return _Turn(f"{provider.response_id_prefix}{self._replies}", turn.text, calls)

    def _numbered(self, scripted: ScriptedCall) -> _Call:
        """The call with its id (numbered when the script left it out), arguments as a string."""
        arguments = scripted.arguments
        return _Call(
            scripted.id or f"call_{next(self._call_numbers)}",
            scripted.name,
            arguments if isinstance(arguments, str) else json.dumps(arguments),
        )


class _HTTPServer(ThreadingHTTPServer):
    def __init__(self, owner: ScriptedChatServer) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.owner = owner


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self._send(self.server.owner._answer(self.path, self._api_hint(), body))

    def do_GET(self) -> None:
        self._send(_error(self._api_hint(), 404, f"Unknown path: {self.path}"))

    def _api_hint(self) -> Api:
        return "anthropic" if "anthropic-version" in self.headers else "openai"

    def _send(self, response: _Response) -> None:
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(response.body)

    def log_message(self, format: str, *args: Any) -> None:
        """Requests are recorded in ``ScriptedChatServer.requests``, not logged."""
