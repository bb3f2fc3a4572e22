"""Where the tools' service lives: one event loop for its whole life.

A service holds loop-bound resources (HTTP connection pools, Redis connections, locks), so it
must run on one event loop for its whole life. ``ServiceRunner`` offers two homes:

* ``loop="own"`` (the default): a private loop in a daemon thread. ``await runner.call(fn)``
  and ``runner.call_sync(fn)`` both run ``fn(service)`` there, so sync calls work anywhere,
  including inside a running loop (a notebook cell), and async callers on any loop share the
  one service. Each call hops to that thread and back (a fraction of a millisecond).
* ``loop="caller"``: the event loop of the first ``call``, for async applications (an ASGI
  server, a graph run with ``ainvoke``): no thread and no hop. Sync calls and calls from any
  other loop are refused with a message saying what to do; ``aclose`` closes the service.

The service is built lazily, on first use, inside its loop (no I/O at import), and the thread
of ``loop="own"`` starts with the first call; ``close`` stops it.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import Future
from typing import Literal, TypeVar

from flight_agent.services import EnhancedFlightMonitoringService, default_service

T = TypeVar("T")

ServiceFactory = Callable[[], EnhancedFlightMonitoringService]

LoopChoice = Literal["own", "caller"]
"""Where the service runs: the runner's own thread (``own``) or the first caller's loop."""


class ServiceRunner:
    """Runs calls against one service on the service's own event loop.

    Args:
        service: The service to run; when None, ``factory`` builds one on first use.
        factory: Builds the default service (``default_service``: from the environment).
        loop: ``own`` (a private loop in a thread) or ``caller`` (the first caller's loop).
    """

    def __init__(
        self,
        service: EnhancedFlightMonitoringService | None = None,
        factory: ServiceFactory = default_service,
        *,
        loop: LoopChoice = "own",
    ) -> None:
        if loop not in ("own", "caller"):
            raise ValueError(f"loop must be 'own' or 'caller', not {loop!r}")
        self.loop_choice: LoopChoice = loop
        self._caller_loop: asyncio.AbstractEventLoop | None = None
        self._service = service
        self._owns_service = service is None
        self._factory = factory
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._closed = False

    @property
    def is_built(self) -> bool:
        """Whether the service exists yet (the default one is built on first use)."""
        return self._service is not None

    @property
    def service(self) -> EnhancedFlightMonitoringService:
        """The service (built now if it was not yet)."""
        if self._service is None:
            self._service = self._factory()
        return self._service

    def _ensure_loop(self) -> asyncio.AbstractEventLoop:
        if self._closed:
            raise RuntimeError("this toolkit's service was closed; build a new FlightToolkit")
        with self._lock:
            if self._loop is None or self._loop.is_closed():
                loop = asyncio.new_event_loop()
                thread = threading.Thread(
                    target=loop.run_forever, name="flight-agent-service", daemon=True
                )
                thread.start()
                self._loop, self._thread = loop, thread
            return self._loop

    def _submit(self, fn: Callable[[EnhancedFlightMonitoringService], Awaitable[T]]) -> Future[T]:
        loop = self._ensure_loop()

        async def run() -> T:
            # Built inside the loop, so its loop-bound parts belong to it.
            return await fn(self.service)

        return asyncio.run_coroutine_threadsafe(run(), loop)

    async def call(self, fn: Callable[[EnhancedFlightMonitoringService], Awaitable[T]]) -> T:
        """Await ``fn(service)`` run on the service's loop."""
        if self.loop_choice == "caller":
            self._check_caller_loop()
            return await fn(self.service)
        return await asyncio.wrap_future(self._submit(fn))

    def call_sync(self, fn: Callable[[EnhancedFlightMonitoringService], Awaitable[T]]) -> T:
        """Run ``fn(service)`` on the service's loop and wait for it (blocks this thread).

        Raises:
            RuntimeError: The service runs on the caller's loop (``loop="caller"``).
        """
        if self.loop_choice == "caller":
            raise RuntimeError(
                "this toolkit runs its service on the caller's event loop (loop='caller'): "
                "use ainvoke, or build FlightToolkit(loop='own') for sync calls"
            )
        return self._submit(fn).result()

    def _check_caller_loop(self) -> None:
        if self._closed:
            raise RuntimeError("this toolkit's service was closed; build a new FlightToolkit")
        running = asyncio.get_running_loop()
        if self._caller_loop is None:
            self._caller_loop = running
        elif self._caller_loop is not running:
            raise RuntimeError(
                "this toolkit's service runs on the event loop of its first call "
                "(loop='caller'); call it from that loop, or build one toolkit per loop"
            )

    async def aclose(self) -> None:
        """Close the service (on the caller's loop) or stop the runner's own loop, then refuse
        further calls on a given service as ``close`` does."""
        if self.loop_choice == "own":
            await asyncio.to_thread(self.close)
            return
        if self._service is not None and not self._closed:
            await self._service.aclose()
        if self._owns_service:
            self._service = None
            self._caller_loop = None
        else:
            self._closed = True

    def close(self) -> None:
        """Close the service on its loop and stop the loop.

        A default service is built afresh on the next call; a given service is closed for good,
        and later calls raise ``RuntimeError``.

        Raises:
            RuntimeError: The service runs on the caller's loop (``loop="caller"``), which a
                sync call cannot wait on: use ``await aclose()``.
        """
        if self.loop_choice == "caller":
            raise RuntimeError("this toolkit runs on the caller's event loop: use await aclose()")
        with self._lock:
            loop, thread = self._loop, self._thread
            self._loop = self._thread = None
        if loop is None or thread is None:
            return
        try:
            if self._service is not None:
                asyncio.run_coroutine_threadsafe(self._shutdown(), loop).result()
        finally:
            loop.call_soon_threadsafe(loop.stop)
            thread.join()
            loop.close()
            if self._owns_service:
                self._service = None
            else:
                self._closed = True

    async def _shutdown(self) -> None:
        """Cancel calls still running, then close the service."""
        current = asyncio.current_task()
        pending = [task for task in asyncio.all_tasks() if task is not current]
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        if self._service is not None:
            await self._service.aclose()
