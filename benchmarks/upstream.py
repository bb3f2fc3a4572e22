"""The fake upstream in a child process, steered over its own loopback socket.

The benchmarks measure the client stack, so the upstream must not share its CPU: in this
sandbox the fake upstream spends about 1.5 ms of CPU rendering each answer from the flight
simulation, which in the same process would be counted against the stack (and, at 1,000
requests, would alone outlast the batch benchmark's ideal time). ``upstream_process()`` starts
``python -m benchmarks.upstream`` and gives a ``RemoteUpstream`` to steer it.

The child serves ``FakeUpstream`` (seed 0, real clock) behind ``ControlledUpstream``, which adds:

* latency with optional stalls (``set_latency``), drawn per request before anything else;
* replay (``set_replay``): an answer already rendered for the same path and query is sent
  again instead of being rendered anew, so the upstream costs only its injected latency;
* control routes under ``/_bench/`` (not counted as requests).

The child exits when its stdin closes, so it never outlives the benchmark.
"""

from __future__ import annotations

import asyncio
import random
import sys
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import httpx

from flight_agent.clock import SYSTEM_CLOCK
from flight_agent.testing import PREFIXES, FakeUpstream, Fault
from flight_agent.testing.asgi import Message, Receive, Scope, Send, json_response
from flight_agent.testing.server import serve_asgi

CONTROL = "/_bench/"
ROOT = Path(__file__).resolve().parent.parent
API_KEY = "test-key"
_FAULTS: dict[str, Fault] = {"hang": "hang", "reset": "reset"}


@dataclass(frozen=True, slots=True)
class Latency:
    """Seconds each request waits: ``base``, plus a stall of ``stall_min``..``stall_max``
    seconds with probability ``stall_rate``."""

    base: float = 0.0
    stall_rate: float = 0.0
    stall_min: float = 0.0
    stall_max: float = 0.0

    def draw(self, rng: random.Random) -> float:
        """One request's wait."""
        stalled = self.stall_rate > 0 and rng.random() < self.stall_rate
        return self.base + (rng.uniform(self.stall_min, self.stall_max) if stalled else 0.0)


def _provider_of(path: str) -> str | None:
    for provider, prefix in PREFIXES.items():
        if path == prefix or path.startswith(prefix + "/"):
            return provider
    return None


class ControlledUpstream:
    """``FakeUpstream`` plus latency with stalls, replay of rendered answers, and control routes.

    Args:
        seed: The simulated world's seed, also the latency draws' seed.
    """

    def __init__(self, seed: int = 0) -> None:
        self.upstream = FakeUpstream(seed, clock=SYSTEM_CLOCK, api_key=API_KEY)
        self.requests: Counter[str] = Counter()
        self.replay = False
        self._latency: dict[str | None, Latency] = {None: Latency()}
        self._rng = random.Random(seed)
        self._answers: dict[tuple[str, bytes], tuple[Message, bytes]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer a control request, or count, delay and answer an upstream request."""
        path: str = scope["path"]
        if path.startswith(CONTROL):
            answer = self.control(path.removeprefix(CONTROL), scope.get("query_string", b""))
            await json_response(200, answer).send(send)
            return
        provider = _provider_of(path)
        if provider is not None:
            self.requests[provider] += 1
            wait = self._latency.get(provider, self._latency[None]).draw(self._rng)
            if wait > 0:
                await asyncio.sleep(wait)
        key = (path, scope.get("query_string", b""))
        recorded = self._answers.get(key) if self.replay else None
        if recorded is not None:
            start, body = recorded
            await send(start)
            await send({"type": "http.response.body", "body": body})
            return
        await self._render(scope, receive, send, key)

    async def _render(
        self, scope: Scope, receive: Receive, send: Send, key: tuple[str, bytes]
    ) -> None:
        """Let the fake upstream answer, keeping a 200 answer for replay."""
        start: Message = {}
        chunks: list[bytes] = []

        async def keep(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            else:
                chunks.append(message.get("body", b""))
            await send(message)

        await self.upstream(scope, receive, keep)
        if self.replay and start.get("status") == 200:
            self._answers[key] = (dict(start), b"".join(chunks))

    def control(self, action: str, query: bytes) -> Any:
        """Run one control action; its answer is JSON.

        Actions: ``latency`` (base, stall_rate, stall_min, stall_max, provider), ``fail_next``
        (n, status, provider), ``replay`` (on), ``requests``, ``reset``.
        """
        params = dict(parse_qsl(query.decode("latin-1")))
        provider = params.get("provider") or None
        if action == "latency":
            self._latency[provider] = Latency(
                **{spec.name: float(params.get(spec.name, 0.0)) for spec in fields(Latency)}
            )
        elif action == "fail_next":
            status = params.get("status", "500")
            fault: Fault = int(status) if status.isdigit() else _FAULTS[status]
            self.upstream.fail_next(int(params.get("n", 1)), fault, provider=provider)
        elif action == "replay":
            self.replay = params.get("on", "1") == "1"
            if not self.replay:
                self._answers.clear()
        elif action == "reset":
            self.upstream.clear_faults()
            self.requests.clear()
            self._latency = {None: Latency()}
            self.replay = False
            self._answers.clear()
        elif action != "requests":
            return {"error": f"unknown action {action!r}"}
        return dict(self.requests)


class RemoteUpstream:
    """Steers the child's upstream; every provider's ``base_url`` lives below ``root``.

    Args:
        root: The child's root URL, e.g. 'http://127.0.0.1:41234'.
    """

    api_key = API_KEY

    def __init__(self, root: str) -> None:
        self.root = root
        self._control = httpx.AsyncClient(base_url=root + CONTROL, timeout=10.0)

    def base_url(self, provider: str) -> str:
        """The ``base_url`` of that provider's class on this upstream."""
        return FakeUpstream.base_url(provider, self.root)

    async def _call(self, action: str, **params: object) -> dict[str, int]:
        query = {name: str(value) for name, value in params.items() if value is not None}
        response = await self._control.get(action, params=query)
        response.raise_for_status()
        answer: dict[str, int] = response.json()
        return answer

    async def set_latency(
        self,
        base: float,
        *,
        stall_rate: float = 0.0,
        stall_min: float = 0.0,
        stall_max: float = 0.0,
        provider: str | None = None,
    ) -> None:
        """Set every provider's latency (or one provider's), with optional stalls."""
        await self._call(
            "latency",
            base=base,
            stall_rate=stall_rate,
            stall_min=stall_min,
            stall_max=stall_max,
            provider=provider,
        )

    async def fail_next(self, n: int, status: int | str, *, provider: str | None = None) -> None:
        """Make the next ``n`` requests fail (``'hang'`` never answers); see ``FakeUpstream``."""
        await self._call("fail_next", n=n, status=status, provider=provider)

    async def set_replay(self, on: bool) -> None:
        """Replay answers already rendered (on), or render every answer afresh (off)."""
        await self._call("replay", on=int(on))

    async def requests(self) -> int:
        """Upstream requests received since the last reset, all providers together."""
        return sum((await self._call("requests")).values())

    async def reset(self) -> None:
        """No latency, no faults, no replay, counters at zero."""
        await self._call("reset")

    async def aclose(self) -> None:
        """Close the control client."""
        await self._control.aclose()


@asynccontextmanager
async def upstream_process(seed: int = 0) -> AsyncIterator[RemoteUpstream]:
    """Run the fake upstream in a child process for the block; yields its remote control."""
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "benchmarks.upstream",
        str(seed),
        cwd=ROOT,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    assert child.stdin is not None
    assert child.stdout is not None
    try:
        root = (await child.stdout.readline()).decode().strip()
        if not root.startswith("http://"):
            raise RuntimeError(f"the upstream process did not start (said {root!r})")
        remote = RemoteUpstream(root)
        try:
            yield remote
        finally:
            await remote.aclose()
    finally:
        child.stdin.close()  # the child's signal to stop
        try:
            await asyncio.wait_for(child.wait(), 10)
        except TimeoutError:
            child.kill()
            await child.wait()


async def _serve(seed: int) -> None:
    async with serve_asgi(ControlledUpstream(seed)) as root:
        sys.stdout.write(root + "\n")
        sys.stdout.flush()
        await asyncio.to_thread(sys.stdin.read)  # returns when the parent closes stdin


def main() -> None:
    """Serve until stdin closes; the first line written to stdout is the root URL."""
    asyncio.run(_serve(int(sys.argv[1]) if len(sys.argv) > 1 else 0))


if __name__ == "__main__":
    main()
