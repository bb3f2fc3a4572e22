"""Live sections over server-sent events: the browser listens, the server decides when to send.

Each open page holds one event stream (``/events``). The stream reads the board, renders every
section and sends those whose HTML changed since it last sent them, as an event named after the
section. It reads again as soon as something changed (``Changes.notify``: a case moved on this
desk, the monitor published a flight change, a decision was made here) and at the latest every
``refresh_s`` seconds, so that ages, breaker states and the latency chart move on with the clock.
Nothing polls in the browser; a stream that ends is reopened by the browser's ``EventSource``.

``Changes`` is written by hand because its signals come from other threads (the desk's worker
threads, the flight service's own event loop) and must wake streams on the server's loop: each
waiting stream registers its loop and an ``asyncio.Event``, set with ``call_soon_threadsafe``.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator

from flight_agent.apps.console.board import Board
from flight_agent.apps.console.markup import html
from flight_agent.apps.console.views import SECTIONS
from flight_agent.errors import FlightDataError


class Changes:
    """Wakes the waiting live streams, from any thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiting: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()

    def notify(self, *_: object) -> None:
        """Something changed: every waiting stream reads the board again now."""
        with self._lock:
            waiting = list(self._waiting)
        for loop, event in waiting:
            with contextlib.suppress(RuntimeError):  # that loop has closed
                loop.call_soon_threadsafe(event.set)

    @contextlib.contextmanager
    def listening(self) -> Iterator[asyncio.Event]:
        """An event set by the next ``notify`` (registered for the duration of the block)."""
        entry = (asyncio.get_running_loop(), asyncio.Event())
        with self._lock:
            self._waiting.add(entry)
        try:
            yield entry[1]
        finally:
            with self._lock:
                self._waiting.discard(entry)


async def section_events(
    read: Callable[[], Awaitable[Board]], csrf: str, changes: Changes, refresh_s: float
) -> AsyncIterator[dict[str, str]]:
    """The stream's events: ``{"event": section, "data": html}`` for each section that changed.

    A desk or service failure is shown in the banner section and the stream carries on.
    """
    sent: dict[str, str] = {}
    while True:
        with changes.listening() as changed:
            try:
                board = await read()
            except FlightDataError as error:
                failure = html(
                    '<p class="banner">The console cannot read the desk: {e}</p>', e=error
                )
                if sent.get("banner") != failure:
                    sent["banner"] = failure
                    yield {"event": "banner", "data": failure}
            else:
                for name, render in SECTIONS.items():
                    fragment = render(board, csrf)
                    if sent.get(name) != fragment:
                        sent[name] = fragment
                        yield {"event": name, "data": fragment}
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), refresh_s)
