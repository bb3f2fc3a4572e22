"""The console's routes: the page, its live stream, decisions, sign-in, static files.

=============================  ==================================================================
route                          what
=============================  ==================================================================
``GET /``                      the page (and this browser's session cookie)
``GET /events``                the live sections (server-sent events, ``live``)
``POST /cases/{id}/decision``  approve all, approve the ticked actions, or reject (CSRF-checked);
                               JSON for the page's script, else a redirect back to the page
``GET|POST /login``            the sign-in form, when a token is set
``GET /static/...``            ``console.css`` and ``console.js`` (package data)
=============================  ==================================================================

The desk's calls are synchronous (its store, checkpointer and graph are), so each runs on a
worker thread; the flight service is reached on its own loop through the desk's toolkit.
"""

from __future__ import annotations

import asyncio
import hmac
import threading
from collections.abc import Awaitable, Callable

from sse_starlette import EventSourceResponse
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from flight_agent.apps.console.board import Board, read_board
from flight_agent.apps.console.case_views import cases_section
from flight_agent.apps.console.history import ProviderHistory
from flight_agent.apps.console.live import Changes, section_events
from flight_agent.apps.console.markup import html
from flight_agent.apps.console.security import (
    AUTH_COOKIE,
    SESSION_COOKIE,
    ConsoleAuth,
    CsrfTokens,
    SecurityHeaders,
    auth_cookie_value,
    same_origin,
)
from flight_agent.apps.console.views import page
from flight_agent.apps.mcp_desk import DeskSlot
from flight_agent.errors import FlightDataError, InvalidFlightQueryError
from graphs.desk import (
    CaseAlreadyDecidedError,
    CaseNotFoundError,
    Desk,
)

REFRESH_S = 2.0
"""The live stream reads the board at least this often (seconds)."""

LOGIN_PAGE = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width, initial-scale=1">'
    '<title>flight-agent: sign in</title><link rel="stylesheet" href="/static/console.css">'
    '</head><body><main class="login"><h1>Disruption desk</h1><form method="post" '
    'action="/login"><p><label for="token">Access token (FLIGHT_AGENT_MCP_TOKEN)</label> '
    '<input type="password" id="token" name="token" autocomplete="current-password" required>'
    '</p><p><button type="submit">Sign in</button></p><p class="error" role="alert">{error}'
    "</p></form></main></body></html>"
)


ERROR_PAGE = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>flight-agent</title>'
    '<link rel="stylesheet" href="/static/console.css"></head><body><main><p>{message}</p>'
    "<p><a href='/'>Back to the console</a></p></main></body></html>"
)


class Console:
    """The console over a desk: its board, its live streams, its decisions.

    Args:
        desks: Where the desk comes from (opened on first use).
        refresh_s: See ``REFRESH_S``.
        tokens: The CSRF tokens (a fresh secret when None).
    """

    def __init__(
        self, desks: DeskSlot, *, refresh_s: float = REFRESH_S, tokens: CsrfTokens | None = None
    ) -> None:
        self.desks = desks
        self.refresh_s = refresh_s
        self.tokens = tokens or CsrfTokens()
        self.history = ProviderHistory()
        self.changes = Changes()
        self._hooked: Desk | None = None
        self._lock = threading.Lock()

    def _desk(self) -> Desk:
        """The desk, listened to once: its case changes and its monitor's flight changes."""
        desk = self.desks.get()
        with self._lock:
            if self._hooked is not desk:
                self._hooked = desk
                desk.listen(self.changes.notify)
                desk.toolkit.runner.service.on_change(self.changes.notify)
        return desk

    async def desk(self) -> Desk:
        return await asyncio.to_thread(self._desk)

    async def board(self) -> Board:
        """What the page shows now.

        Raises:
            DeskStorageError: The desk's database is down.
        """
        return await read_board(await self.desk(), self.history)

    def csrf_of(self, request: Request) -> str:
        session = request.cookies.get(SESSION_COOKIE)
        return self.tokens.token(session) if session else ""

    # ----- routes -----------------------------------------------------------------------------

    async def index(self, request: Request) -> Response:
        session = request.cookies.get(SESSION_COOKIE) or self.tokens.new_session()
        try:
            board = await self.board()
        except FlightDataError as error:
            return HTMLResponse(html(ERROR_PAGE, message=error), 503)
        response = HTMLResponse(page(board, self.tokens.token(session)))
        if session != request.cookies.get(SESSION_COOKIE):
            response.set_cookie(
                SESSION_COOKIE,
                session,
                httponly=True,
                samesite="strict",
                secure=request.url.scheme == "https",
            )
        return response

    async def events(self, request: Request) -> Response:
        stream = section_events(self.board, self.csrf_of(request), self.changes, self.refresh_s)
        return EventSourceResponse(stream, ping=15)

    async def decision(self, request: Request) -> Response:
        form = await request.form()
        session = request.cookies.get(SESSION_COOKIE)
        given = request.headers.get("x-csrf-token") or str(form.get("csrf") or "")
        if not same_origin(request) or not self.tokens.valid(session, given):
            return _answer(
                request, 403, "Refused: this decision did not come from the console page."
            )
        case_id = request.path_params["case_id"]
        choice = str(form.get("decision") or "")
        actions = [str(a) for a in form.getlist("approve")]
        reason = str(form.get("reason") or "").strip()[:200] or None
        if choice == "approve_selected" and not actions:
            return _answer(request, 400, "Tick at least one action to approve, or reject the case.")
        if choice not in ("approve_all", "approve_selected", "reject"):
            return _answer(request, 400, "Choose approve all, approve selected or reject.")
        try:
            desk = await self.desk()
            if choice == "reject":
                case = await asyncio.to_thread(desk.reject, case_id, reason)
            else:
                chosen = actions if choice == "approve_selected" else None
                case = await asyncio.to_thread(desk.approve, case_id, chosen)
        except CaseNotFoundError as error:
            return _answer(request, 404, str(error))
        except CaseAlreadyDecidedError as error:
            return _answer(request, 409, str(error))
        except InvalidFlightQueryError as error:
            return _answer(request, 400, str(error))
        except FlightDataError as error:  # the database is down (DeskStorageError), ...
            return _answer(request, 503, str(error))
        self.changes.notify()
        message = f"Case {case.id} {case.status.value.replace('_', ' ')}."
        if not _wants_json(request):
            return RedirectResponse(f"/#case-{case.id}", status_code=303)
        board = await self.board()
        cases = cases_section(board, self.csrf_of(request))
        return JSONResponse(
            {"case": case.id, "status": case.status.value, "message": message, "cases": cases}
        )

    def login(self, token: str | None) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            if token is None:
                return RedirectResponse("/", status_code=303)
            if request.method == "GET":
                return HTMLResponse(html(LOGIN_PAGE, error=""))
            form = await request.form()
            given = str(form.get("token") or "").strip()
            if not same_origin(request) or not _matches(given, token):
                return HTMLResponse(html(LOGIN_PAGE, error="That token is not the one."), 401)
            response = RedirectResponse("/", status_code=303)
            response.set_cookie(
                AUTH_COOKIE,
                auth_cookie_value(token),
                httponly=True,
                samesite="strict",
                secure=request.url.scheme == "https",
            )
            return response

        return endpoint


def _matches(given: str, token: str) -> bool:
    return hmac.compare_digest(given.encode(), token.encode())


def _wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def _answer(request: Request, status: int, message: str) -> Response:
    if _wants_json(request):
        return JSONResponse({"error": message}, status_code=status)
    return HTMLResponse(
        html(ERROR_PAGE, message=message),
        status_code=status,
    )


def build_console(
    desks: DeskSlot, *, token: str | None = None, refresh_s: float = REFRESH_S
) -> Starlette:
    """The console app, to mount at ``/``.

    Args:
        desks: Where its desk comes from.
        token: With a token, every request needs it (header or sign-in cookie); without one,
            serve on loopback only (the server's bind rule).
        refresh_s: See ``REFRESH_S``.
    """
    console = Console(desks, refresh_s=refresh_s)
    routes = [
        Route("/", console.index),
        Route("/events", console.events),
        Route("/cases/{case_id}/decision", console.decision, methods=["POST"]),
        Route("/login", console.login(token), methods=["GET", "POST"]),
        Mount("/static", StaticFiles(packages=[("flight_agent.apps.console", "static")])),
    ]
    middleware = [Middleware(SecurityHeaders)]
    if token:
        middleware.append(Middleware(ConsoleAuth, token=token))
    app = Starlette(routes=routes, middleware=middleware)
    app.state.console = console
    return app
