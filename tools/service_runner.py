"""Where the tools' service lives: one event loop of its own, shared by sync and async calls.

A service holds loop-bound resources (HTTP connection pools, Redis connections, locks), so it
must run on one event loop for its whole life. ``ServiceRunner`` gives it a private loop in a
daemon thread: ``await runner.call(fn)`` and ``runner.call_sync(fn)`` both run ``fn(service)``
there. Sync calls therefore work anywhere, including inside a running loop (a notebook cell),
and async callers on any loop share the one service. The service is built lazily, on first use,
inside that loop (no I/O at import).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import Future
from typing import TypeVar

from flight_agent.services import EnhancedFlightMonitoringService, default_service

T = TypeVar("T")

ServiceFactory = Callable[[], EnhancedFlightMonitoringService]


class ServiceRunner:
    """Runs calls against one service on the service's own event loop.

    Args:
        service: The service to run; when None, ``factory`` builds one on first use.
        factory: Builds the default service (``default_service``: from the environment).
    """

    def __init__(
        self,
        service: EnhancedFlightMonitoringService | None = None,
        factory: ServiceFactory = default_service,
    ) -> None:
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
        return await asyncio.wrap_future(self._submit(fn))

    def call_sync(self, fn: Callable[[EnhancedFlightMonitoringService], Awaitable[T]]) -> T:
        """Run ``fn(service)`` on the service's loop and wait for it (blocks this thread)."""
        return self._submit(fn).result()

    def close(self) -> None:
        """Close the service on its loop and stop the loop.

        A default service is built afresh on the next call; a given service is closed for good,
        and later calls raise ``RuntimeError``.
        """
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
