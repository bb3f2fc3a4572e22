"""The console's test world: ``flight-agent serve``'s app on a loopback port, a real browser.

The app is ``build_server``'s, the one ``flight-agent serve`` runs, served by uvicorn in a
thread on a free port of 127.0.0.1, over a desk on the real PostgreSQL (a schema of the test's
own, ``pg_url``) and a flight service on the simulated day's ``FakeClock``. The test drives the
day (polls, desk workers) and the browser sees it through the console's live stream.

The browser is Debian's ``chromium`` (``/usr/bin/chromium``) driven by Playwright, headless;
nothing is downloaded. Without it the browser tests are skipped with the reason, except in CI
(``CI=true``), where they fail. Screenshots of each step go to a temporary directory, or to
``FLIGHT_AGENT_SCREENSHOTS`` when set (``FLIGHT_AGENT_SCREENSHOTS=docs/console`` refreshes the
README's).
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, expect, sync_playwright
from pydantic import SecretStr
from starlette.applications import Starlette

from flight_agent.apps.mcp_desk import DeskSlot
from flight_agent.apps.server import build_server
from flight_agent.settings import Settings
from graphs.desk import Desk
from tests.graphs.desk.conftest import pg_url

__all__ = ["pg_url"]

ROOT = "http://127.0.0.1:8000"
"""Where the HTTP tests' client says it is."""
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS_ENV = "FLIGHT_AGENT_SCREENSHOTS"
TIMEOUT_MS = 20_000
"""How long an expectation waits for the page (the live stream refreshes every 2 s)."""
expect.set_options(timeout=TIMEOUT_MS)


class _Server(uvicorn.Server):
    """uvicorn, telling the test once it listens."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.listening = threading.Event()

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        self.listening.set()


@contextlib.contextmanager
def serving(app: Starlette) -> Iterator[str]:
    """Serve ``app`` on a free loopback port in a thread; yields its root URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", timeout_graceful_shutdown=2)
    server = _Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        if not server.listening.wait(30):
            raise RuntimeError("the console did not start listening within 30 s")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(30)
        sock.close()


def console_app(desk: Desk, token: str | None = None) -> Starlette:
    """``flight-agent serve``'s app over ``desk`` and its flight service."""
    settings = Settings(redis_url=None, flight_agent_mcp_token=SecretStr(token) if token else None)
    return build_server(desk.toolkit.runner.service, desk=DeskSlot(desk), settings=settings)


@contextlib.contextmanager
def console_on(desk: Desk, page: Page) -> Iterator[str]:
    """``flight-agent serve``'s app over ``desk`` on a loopback port; yields its URL. ``page``
    leaves it (closing its live stream) before it stops."""
    with serving(console_app(desk)) as url:
        try:
            yield url
        finally:
            page.goto("about:blank")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Headless Debian chromium under Playwright."""
    if not CHROMIUM.exists():
        reason = f"BROWSER TESTS SKIPPED: {CHROMIUM} is missing (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI requires the browser: {reason}")
        pytest.skip(reason)
    with sync_playwright() as playwright:
        args = ["--no-sandbox"] if os.geteuid() == 0 else []  # chromium refuses root otherwise
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=args
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A laptop-sized page whose expectations wait ``TIMEOUT_MS``."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    opened = context.new_page()
    yield opened
    context.close()


@dataclass
class Screenshots:
    """Where the steps' screenshots go."""

    folder: Path

    def take(self, page: Page, name: str) -> Path:
        path = self.folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def screenshots(tmp_path: Path) -> Screenshots:
    folder = Path(os.environ.get(SCREENSHOTS_ENV) or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return Screenshots(folder)
