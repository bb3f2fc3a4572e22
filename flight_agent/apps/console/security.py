"""The console's guards: the token off loopback, CSRF on decisions, a strict content policy.

- **Token.** The MCP server's rule (``mcp_server.BearerTokenMiddleware``): with
  ``FLIGHT_AGENT_MCP_TOKEN`` set, every request must be authorized, and off loopback the server
  refuses to start without one. A browser cannot add an ``Authorization`` header to a page
  load, so the console also accepts a cookie, set by its sign-in form (``/login``) when the
  token typed there matches; the cookie holds an HMAC of the token, never the token.
- **CSRF.** Each browser gets a random session cookie (``HttpOnly``, ``SameSite=Strict``); the
  page carries the token ``HMAC(secret, session)`` in its forms. A decision is a POST that must
  carry that token (form field or ``X-CSRF-Token`` header), checked in constant time, and an
  ``Origin`` (else ``Referer``) naming this very host. ``SameSite`` alone would not do: another
  port of the same host is the same site.
- **Content policy.** Scripts and styles from the console's own files only, no inline script,
  no framing, no referrer: even a value that escaped escaping could not run.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from urllib.parse import urlsplit

from starlette.requests import HTTPConnection, Request
from starlette.responses import RedirectResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from flight_agent.apps.mcp_server import BearerTokenMiddleware

SESSION_COOKIE = "fa_console_session"
AUTH_COOKIE = "fa_console_auth"
OPEN_PATHS = ("/login", "/static/")
"""Paths served without the token: the sign-in form and the page's CSS and script."""

SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cache-control": "no-store",
}


def _mac(key: bytes, message: str) -> str:
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


class CsrfTokens:
    """Per-session CSRF tokens: ``HMAC(secret, session id)``; the secret lives in memory."""

    def __init__(self, secret: bytes | None = None) -> None:
        self._secret = secret or secrets.token_bytes(32)

    @staticmethod
    def new_session() -> str:
        return secrets.token_urlsafe(24)

    def token(self, session: str) -> str:
        """The token the page of ``session`` carries."""
        return _mac(self._secret, f"csrf:{session}")

    def valid(self, session: str | None, token: str | None) -> bool:
        """Whether ``token`` is the one of ``session`` (constant time)."""
        if not session or not token:
            return False
        return hmac.compare_digest(self.token(session).encode(), token.encode())


def same_origin(request: Request) -> bool:
    """Whether the request's ``Origin`` (else ``Referer``) is this host, as the browser sees it."""
    claimed = request.headers.get("origin") or request.headers.get("referer")
    if not claimed or claimed == "null":
        return False
    parts = urlsplit(claimed)
    host = request.headers.get("host", "")
    return parts.scheme in ("http", "https") and parts.netloc == host and bool(host)


def auth_cookie_value(token: str) -> str:
    """What the sign-in cookie holds for ``token``: an HMAC of it, not the token."""
    return _mac(token.encode(), "flight-agent console sign-in")


class ConsoleAuth(BearerTokenMiddleware):
    """The MCP server's bearer-token check, also accepting the sign-in cookie; a page load
    without either is sent to the sign-in form, anything else gets the 401.

    Args:
        app: The console.
        token: The expected token.
    """

    def __init__(self, app: ASGIApp, token: str) -> None:
        super().__init__(app, token)
        self._cookie = auth_cookie_value(token).encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(OPEN_PATHS):
            await self.app(scope, receive, send)
            return
        cookie = HTTPConnection(scope).cookies.get(AUTH_COOKIE, "")
        if hmac.compare_digest(cookie.encode(), self._cookie) or self._authorized(scope):
            await self.app(scope, receive, send)
            return
        if scope["method"] == "GET" and scope["path"] == "/":
            await RedirectResponse("/login", status_code=303)(scope, receive, send)
            return
        await super().__call__(scope, receive, send)  # unauthorized: the 401


class SecurityHeaders:
    """Adds ``SECURITY_HEADERS`` to every response of the console."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {bytes(name).lower() for name, _ in headers}
                for name, value in SECURITY_HEADERS.items():
                    if name.encode() not in present:
                        headers.append((name.encode(), value.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)
