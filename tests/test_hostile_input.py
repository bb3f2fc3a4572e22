"""Hostile input, face by face: one clear error, no provider request, no traceback, no secret.

Every case of ``tests/hostile_cases.py`` goes through each face it applies to: the LangChain
tools (invoked with a tool call, so an error comes back as an error ``ToolMessage``), the MCP
server over streamable HTTP on loopback (``tools/call``, and requests that are not sound
JSON-RPC), and the ``flight-agent`` command line (arguments, options, batch and itinerary
files). Each face is checked for:

* one clear error: the tool's error message opening with its kind and closing with its hint,
  the MCP error result (or a 4xx with a message), the CLI's single stderr line with exit 2;
* zero provider requests: the providers are the real AeroAPI, AeroDataBox and AviationStack
  clients, keyed from settings, talking to fake upstreams in process that count every request;
* no "Traceback" and no secret (a key as is, upper-cased or percent-encoded) in anything the
  face answered, printed or logged.

A sound call through each face reaches the upstreams and answers (the controls), so a count
of zero means the input was refused, not that the counting failed.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

import httpx
import pytest
import uvicorn
from langchain_core.messages import ToolMessage
from pydantic import SecretStr

from flight_agent.apps.cli import common as cli_common
from flight_agent.apps.mcp_server import FlightMCPServer, build_mcp_server
from flight_agent.clock import FakeClock
from flight_agent.providers import FailoverConfig
from flight_agent.providers.aerodatabox_provider import AeroDataBoxProvider
from flight_agent.providers.aviationstack_provider import AviationStackProvider
from flight_agent.providers.flightaware_provider import FlightAwareProvider
from flight_agent.providers.http_provider import HttpFlightDataProvider
from flight_agent.services import EnhancedFlightMonitoringService
from flight_agent.settings import Settings
from flight_agent.testing import FakeUpstream
from tests.apps.cli.test_commands import invoke, one_line_error
from tests.apps.test_mcp_http_guards import JSON_HEADERS
from tests.hostile_cases import (
    ARGUMENT_CASES,
    CLI_REFUSALS,
    CLI_ROWS,
    RAW_REQUESTS,
    TEXT_ROWS,
    TOOL_ONLY_CASES,
    CliRefusal,
    CliRow,
    FileContent,
    RawRequest,
    Refusal,
    call_body,
)
from tests.tools.conftest import NOW
from tests.tools.test_flight_tools import call, tools_of
from tools import FlightToolkit
from tools.errors import HINTS

SECRETS = {
    "FLIGHTAWARE_API_KEY": "fa-secret-7Q%2F+key",
    "AERODATABOX_API_KEY": "adb-secret-3Z%3D&key",
    "AVIATIONSTACK_API_KEY": "as-secret-9K%40#key",
}
"""A fake key for each live provider, recognisable and full of characters URLs encode."""

LEAK_FORMS = frozenset(
    form
    for secret in SECRETS.values()
    for form in (secret, secret.upper(), quote(secret, safe=""), quote_plus(secret))
)
"""Every way a key could show: as is, upper-cased, percent-encoded (path or form style)."""

MAX_ERROR_CHARS = 2000
"""Longest error message: five problems in full and a count of the rest fit well within."""

PROVIDERS: tuple[tuple[str, type[HttpFlightDataProvider]], ...] = (
    ("flightaware", FlightAwareProvider),
    ("aerodatabox", AeroDataBoxProvider),
    ("aviationstack", AviationStackProvider),
)


class Upstreams:
    """The three live providers' APIs, faked in process, each requiring its own secret key.

    ``service()`` builds a service over the real provider clients, their keys read from
    settings as in production; ``requests`` counts what reached any upstream.
    """

    def __init__(self) -> None:
        self.clock = FakeClock(NOW)
        self.settings = Settings(
            _env_file=None,  # the keys below, and no .env from wherever the tests run
            redis_url=None,
            flight_agent_mcp_token=None,
            flightaware_api_key=SecretStr(SECRETS["FLIGHTAWARE_API_KEY"]),
            aerodatabox_api_key=SecretStr(SECRETS["AERODATABOX_API_KEY"]),
            aviationstack_api_key=SecretStr(SECRETS["AVIATIONSTACK_API_KEY"]),
        )
        self.fakes = {
            name: FakeUpstream(clock=self.clock, api_key=SECRETS[cls.key_variable()])
            for name, cls in PROVIDERS
        }

    def service(self) -> EnhancedFlightMonitoringService:
        """A service over the three providers, one attempt per request, memory cache."""
        providers = [
            cls(
                settings=self.settings,
                base_url=FakeUpstream.base_url(name),
                transport=self.fakes[name].transport(),
                clock=self.clock,
            )
            for name, cls in PROVIDERS
        ]
        return EnhancedFlightMonitoringService(
            providers=providers,
            settings=self.settings,
            clock=self.clock,
            config=FailoverConfig(max_attempts=1),
        )

    @property
    def requests(self) -> int:
        """Requests any upstream received, whatever their fate."""
        return sum(sum(fake.requests.values()) for fake in self.fakes.values())

    def reset(self) -> None:
        """Forget the requests counted so far."""
        for fake in self.fakes.values():
            fake.requests.clear()


def captured(capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture) -> list[str]:
    """What the process printed (stdout, stderr) and logged during the test, once no log
    record is found to carry an exception (a traceback in the logs)."""
    out, err = capfd.readouterr()
    assert not [record for record in caplog.records if record.exc_info], "an exception was logged"
    return [out, err, caplog.text]


def assert_clean(*outputs: str) -> None:
    """No traceback and no form of any key anywhere in ``outputs``."""
    for output in outputs:
        assert "Traceback" not in output
        leaked = [form for form in LEAK_FORMS if form in output]
        assert not leaked, f"a key leaked in {output[:200]!r}"


def assert_one_clear_error(text: str, refusal: Refusal) -> None:
    """One line opening with the kind, naming the problem, closing with the kind's hint."""
    assert text.startswith(f"{refusal.kind}: ")
    assert refusal.says in text
    assert text.endswith(HINTS[refusal.kind])
    assert "\n" not in text
    assert len(text) <= MAX_ERROR_CHARS


def write_files(folder: Path, files: dict[str, FileContent]) -> None:
    """Write a case's files into ``folder``, making those given as a function."""
    for name, content in files.items():
        (folder / name).write_bytes(content() if callable(content) else content)


# The LangChain tools.


@pytest.fixture
def upstreams() -> Upstreams:
    """Fake upstreams of the test's own, no request counted yet."""
    return Upstreams()


@pytest.fixture
def toolkit(upstreams: Upstreams) -> Iterator[FlightToolkit]:
    """The tools over a fresh service on the test's upstreams (nothing cached)."""
    kit = FlightToolkit(service=upstreams.service())
    yield kit
    kit.close()


def test_a_sound_tool_call_reaches_the_upstream_without_showing_a_key(
    toolkit: FlightToolkit,
    upstreams: Upstreams,
    capfd: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The control: the keyed providers answer a sound call, and the count sees it."""
    message = tools_of(toolkit)["get_flight_status"].invoke(
        call("get_flight_status", {"flight_number": "BA117", "date": "2026-11-29"})
    )
    assert message.status == "success", message.content
    assert "Source FlightAware" in message.content
    assert upstreams.requests == 1
    assert_clean(message.content, message.artifact.model_dump_json(), *captured(capfd, caplog))


@pytest.mark.parametrize("refusal", [*ARGUMENT_CASES, *TOOL_ONLY_CASES])
def test_a_tool_answers_hostile_arguments_with_one_error_message(
    refusal: Refusal,
    toolkit: FlightToolkit,
    upstreams: Upstreams,
    capfd: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """An error ToolMessage the model can act on; nothing sent upstream, raised or leaked."""
    message = tools_of(toolkit)[refusal.tool].invoke(call(refusal.tool, refusal.arguments))
    assert isinstance(message, ToolMessage)
    assert message.status == "error"
    assert isinstance(message.content, str)
    assert_one_clear_error(message.content, refusal)
    assert upstreams.requests == 0
    assert_clean(message.content, repr(message.artifact), *captured(capfd, caplog))


# The MCP server over streamable HTTP.


@dataclass
class McpEndpoint:
    """The MCP server's URL on loopback, a client for it, and the upstreams behind it."""

    url: str
    http: httpx.Client
    upstreams: Upstreams
    server: FlightMCPServer
    loop: asyncio.AbstractEventLoop

    def post(self, body: bytes, headers: dict[str, str] | None = None) -> httpx.Response:
        """POST ``body`` as is, with JSON headers unless others are given."""
        return self.http.post(self.url, content=body, headers=headers or JSON_HEADERS)

    def start_afresh(self) -> None:
        """Close the server's service (the next call builds a new one: no cached flight can
        hide a request) and forget the requests counted so far."""
        closing = self.server.services.aclose()
        asyncio.run_coroutine_threadsafe(closing, self.loop).result(timeout=10)
        self.upstreams.reset()


@pytest.fixture(scope="module")
def mcp_server() -> Iterator[McpEndpoint]:
    """One server for the module: uvicorn on an ephemeral loopback port, in a thread of its
    own; its service is built on the first call, on the fake upstreams, as in production."""
    upstreams = Upstreams()
    server = build_mcp_server(factory=upstreams.service, token="")
    uvicorn_server = uvicorn.Server(
        uvicorn.Config(server.streamable_http_app(), log_level="warning", ws="none")
    )
    listening = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    listening.bind(("127.0.0.1", 0))
    listening.listen()  # clients queue until uvicorn serves
    loops: list[asyncio.AbstractEventLoop] = []
    running = threading.Event()

    async def serve() -> None:
        loops.append(asyncio.get_running_loop())
        running.set()
        try:
            await uvicorn_server.serve(sockets=[listening])
        finally:
            await server.services.aclose()

    thread = threading.Thread(target=asyncio.run, args=(serve(),), name="hostile-mcp", daemon=True)
    thread.start()
    assert running.wait(timeout=10)
    url = f"http://127.0.0.1:{listening.getsockname()[1]}/mcp"
    try:
        with httpx.Client(timeout=10, trust_env=False) as http:
            yield McpEndpoint(url, http, upstreams, server, loops[0])
    finally:
        uvicorn_server.should_exit = True
        thread.join(timeout=10)
        listening.close()


@pytest.fixture
def mcp(mcp_server: McpEndpoint) -> McpEndpoint:
    """The module's server with a service of the test's own and no request counted."""
    mcp_server.start_afresh()
    return mcp_server


def message_of(response: httpx.Response) -> str:
    """The error an MCP answer carries: a JSON-RPC error's message, an error result's text,
    or the body itself when it is not JSON ("" when there is none)."""
    if not response.content:
        return ""
    if not response.headers.get("content-type", "").startswith("application/json"):
        return response.text
    body: dict[str, Any] = response.json()
    if "error" in body:
        return str(body["error"]["message"])
    result = body["result"]
    assert result["isError"] is True
    [block] = result["content"]
    return str(block["text"])


def test_a_sound_mcp_call_reaches_the_upstream_without_showing_a_key(
    mcp: McpEndpoint, capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    """The control, over HTTP: the keyed providers answer, and the count sees it."""
    arguments = json.dumps({"flight_number": "BA117", "date": "2026-11-29"})
    response = mcp.post(call_body(arguments))
    assert response.status_code == 200
    result = response.json()["result"]
    assert result["isError"] is False, result
    assert result["structuredContent"]["flight"]["source"] == "FlightAware"
    assert mcp.upstreams.requests == 1
    assert_clean(response.text, str(response.headers), *captured(capfd, caplog))


@pytest.mark.parametrize("refusal", ARGUMENT_CASES)
def test_the_mcp_server_answers_hostile_arguments_with_one_error_result(
    refusal: Refusal,
    mcp: McpEndpoint,
    capfd: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """``tools/call`` with the arguments as JSON: an error result (isError, no structured
    content) whose text is the tool's error; nothing sent upstream or leaked."""
    response = mcp.post(call_body(json.dumps(refusal.arguments), refusal.tool))
    assert response.status_code == 200
    result = response.json()["result"]
    assert result["isError"] is True
    assert result.get("structuredContent") is None
    [block] = result["content"]
    prefix = f"Error executing tool {refusal.tool}: "
    assert block["text"].startswith(prefix)
    assert_one_clear_error(block["text"].removeprefix(prefix), refusal)
    assert mcp.upstreams.requests == 0
    assert_clean(response.text, str(response.headers), *captured(capfd, caplog))


@pytest.mark.parametrize("request_", RAW_REQUESTS)
def test_the_mcp_endpoint_answers_a_malformed_request_with_one_error(
    request_: RawRequest,
    mcp: McpEndpoint,
    capfd: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Bodies and headers no tool should see: a 4xx (or a JSON-RPC error / error result) with
    a message naming the problem; never a 500, a request upstream or a key."""
    response = mcp.post(request_.body, request_.headers)
    message = message_of(response)
    assert response.status_code == request_.status, message
    assert request_.says in message
    assert len(message) <= MAX_ERROR_CHARS
    assert mcp.upstreams.requests == 0
    assert_clean(response.text, str(response.headers), *captured(capfd, caplog))


# The command line.


@pytest.fixture
def cli_upstreams(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, upstreams: Upstreams
) -> Upstreams:
    """Every command's service runs on the fake upstreams; the keys are in the environment
    too, and the working directory is the test's own (no .env)."""
    monkeypatch.setattr(cli_common, "service_factory", upstreams.service)
    monkeypatch.chdir(tmp_path)
    for name, secret in SECRETS.items():
        monkeypatch.setenv(name, secret)
    return upstreams


def test_a_sound_command_reaches_the_upstream_without_showing_a_key(
    cli_upstreams: Upstreams,
    capfd: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The control, on the command line: status answers from the keyed provider."""
    result = invoke("status", "BA117", "--date", "2026-11-29", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)[0]["flight"]["source"] == "FlightAware"
    assert cli_upstreams.requests == 1
    assert_clean(result.output, *captured(capfd, caplog))


@pytest.mark.parametrize("refusal", CLI_REFUSALS)
def test_the_cli_refuses_hostile_input_in_one_stderr_line(
    refusal: CliRefusal,
    cli_upstreams: Upstreams,
    tmp_path: Path,
    capfd: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Exit 2, nothing on stdout, one stderr line naming the problem; nothing sent upstream."""
    write_files(tmp_path, refusal.files)
    result = invoke(*refusal.argv)
    line = one_line_error(result, 2)
    assert refusal.says in line
    assert cli_upstreams.requests == 0
    assert_clean(result.output, *captured(capfd, caplog))


def failed_rows(payload: dict[str, Any]) -> list[dict[str, Any]]:
    """The items of a ``batch --json`` or ``assess --json`` payload that have no answer."""
    items: list[dict[str, Any]] = (payload.get("statuses") or payload)["items"]
    return [item for item in items if item["error_kind"] is not None]


@pytest.mark.parametrize("row", CLI_ROWS)
def test_the_cli_reports_a_hostile_row_as_that_rows_one_error(
    row: CliRow,
    cli_upstreams: Upstreams,
    tmp_path: Path,
    capfd: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """``batch``/``assess --json``: exit 2, the row's kind and a one-line error naming the
    problem, nothing on stderr; nothing sent upstream."""
    write_files(tmp_path, row.files)
    result = invoke(*row.argv, "--json")
    assert result.exit_code == 2
    assert result.stderr == ""
    [failed] = failed_rows(json.loads(result.stdout))
    assert failed["error_kind"] == row.kind
    assert row.says in failed["error"]
    assert "\n" not in failed["error"]
    assert cli_upstreams.requests == 0
    assert_clean(result.output, *captured(capfd, caplog))


@pytest.mark.parametrize("row", TEXT_ROWS)
@pytest.mark.usefixtures("cli_upstreams")
def test_a_rows_error_stays_on_one_line_in_text_mode(row: CliRow, tmp_path: Path) -> None:
    """Piped (80 columns), the row's error is one line of stdout, as a script would grep it."""
    write_files(tmp_path, row.files)
    result = invoke(*row.argv, env={"COLUMNS": "80"})
    assert result.exit_code == 2
    assert row.says in result.stdout.splitlines()


def test_there_are_at_least_150_hostile_cases() -> None:
    """The issue asks for 150 cases or more across the faces; count what this module runs."""
    tool_cases = len(ARGUMENT_CASES) + len(TOOL_ONLY_CASES)
    mcp_cases = len(ARGUMENT_CASES) + len(RAW_REQUESTS)
    cli_cases = len(CLI_REFUSALS) + len(CLI_ROWS) + len(TEXT_ROWS)
    assert tool_cases + mcp_cases + cli_cases >= 150
