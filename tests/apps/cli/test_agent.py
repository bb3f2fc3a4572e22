"""The agent commands with a real chat model whose API refuses it: one line, exit 2, no key shown.

The model is LangChain's ``ChatOpenAI`` talking to a scripted OpenAI-compatible server on
loopback that answers every request as the real API answers a wrong key or a rate limit.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flight_agent.apps.cli import commands

KEY = "sk-test-wrong-key-7f3a9c"


def refusing_server(status: int) -> ThreadingHTTPServer:
    """An OpenAI-style API on a free loopback port that answers every POST with ``status``."""

    class Refuse(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            body = json.dumps(
                {"error": {"message": f"Incorrect API key provided: {KEY}.", "code": status}}
            ).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: the test reads the CLI's output, not the server's."""

    return ThreadingHTTPServer(("127.0.0.1", 0), Refuse)


@pytest.fixture(params=[401, 429])
def refusing_api(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[int]:
    """FLIGHT_AGENT_MODEL is an OpenAI model whose API answers every call with an error."""
    server = refusing_server(request.param)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.chdir(tmp_path)  # no .env
    monkeypatch.setenv("FLIGHT_AGENT_MODEL", "openai:gpt-4.1-mini")
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setenv("OPENAI_BASE_URL", f"http://127.0.0.1:{server.server_port}/v1")
    monkeypatch.setenv("OPENAI_MAX_RETRIES", "0")
    yield request.param
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.mark.parametrize(("command", "stdin"), [("run", ""), ("chat", "status of BA117\n")])
def test_a_model_refused_mid_run_is_one_line_and_exit_2(
    refusing_api: int, command: str, stdin: str
) -> None:
    """The API's refusal ends the command with what happened and what to do, never the key."""
    result = CliRunner().invoke(commands.app, [command], input=stdin)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Chat model 'openai:gpt-4.1-mini' failed (")
    assert f"HTTP {refusing_api}" in lines[0]
    assert KEY not in result.output
    assert "Traceback" not in result.output
