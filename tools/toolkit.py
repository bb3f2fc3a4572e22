"""``FlightToolkit``: every flight-agent tool bound to one service; one shared per service."""

from __future__ import annotations

import threading
from types import TracebackType
from typing import Self

from langchain_core.tools import BaseTool, BaseToolkit
from pydantic import ConfigDict, PrivateAttr

from flight_agent.services import EnhancedFlightMonitoringService
from tools.langchain_tools import make_tools
from tools.service_runner import LoopChoice, ServiceRunner


class FlightToolkit(BaseToolkit):
    """The tools over one service (built from settings on first use when not given).

    By default the service runs on the toolkit's own event loop in a thread, started by the
    first tool call (not by building the toolkit or its tools), so the tools work sync and
    async from anywhere; close it with ``close()`` or a ``with`` block. An async application
    can pass ``loop="caller"``: the service then runs on the loop of the first ``ainvoke``
    with no thread at all, sync ``invoke`` is refused, and ``await aclose()`` (or
    ``async with``) closes it (see ``ServiceRunner``).
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    service: EnhancedFlightMonitoringService | None = None
    loop: LoopChoice = "own"
    _runner: ServiceRunner = PrivateAttr()

    def model_post_init(self, context: object, /) -> None:
        """Bind the runner to the given service (or to a lazily built default one)."""
        self._runner = ServiceRunner(self.service, loop=self.loop)

    @property
    def runner(self) -> ServiceRunner:
        """Where the toolkit's service runs."""
        return self._runner

    def get_tools(self) -> list[BaseTool]:
        """Every tool, in the order an agent should consider them."""
        return make_tools(self._runner)

    def close(self) -> None:
        """Close the service and stop its thread (``loop="own"``)."""
        self._runner.close()

    async def aclose(self) -> None:
        """Close the service, whichever loop it runs on."""
        await self._runner.aclose()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()


_shared: dict[int, FlightToolkit] = {}
_shared_lock = threading.Lock()


def shared_toolkit(service: EnhancedFlightMonitoringService | None = None) -> FlightToolkit:
    """The process's toolkit for ``service`` (the environment's service when None).

    Graphs built without tools use it, so however many graphs run over one service, they share
    one service runner: one service, one thread. ``close_shared_toolkits`` closes them all.
    """
    with _shared_lock:
        toolkit = _shared.get(id(service))
        if toolkit is None:
            toolkit = _shared[id(service)] = FlightToolkit(service=service)
        return toolkit


def close_shared_toolkits() -> None:
    """Close every shared toolkit: its service and its thread."""
    with _shared_lock:
        toolkits = list(_shared.values())
        _shared.clear()
    for toolkit in toolkits:
        toolkit.close()
