"""13. Push alerts: upstream calls and detection delay with AeroAPI alerts, beside polling.

Virtual time, in process: the scripted world of ``bench_upstream_cost`` (departures spread over
day 1, watched from 00:00 on day 0, the dense world with departure boards) is watched three ways
in one run:

* the current monitor, polling by its table (no alerts);
* the monitor with alerts: the provider's account is an in-memory ``AlertApi``, and each scripted
  change the alert pushes is POSTed as a ``deliver_alert`` callback, a few seconds late, to the
  real webhook (``AlertReceiver``: secret, schema, replay check, the alert inbox) whose handler
  is ``FlightMonitor.take_alert``; 2 % of callbacks come twice;
* the same with 5 % of the callbacks lost, with the lean safety net (the default) and with the
  strict one.

The fixed 5-minute poller is computed over the same spans (as in section 6).

What is pushed: the gate departure (``out``), take-off (``departure`` and ``off``), landing
(``arrival`` and ``on``), gate arrival (``in``), ``filed`` two hours before the departure, and a
``change`` for each delay and gate change; terminal and aircraft changes are not pushed (the
alert's events do not cover them): they are seen by the next re-read or safety-net poll.
Each pushed callback's re-read of the record through the failover path counts as a call.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import httpx
from pydantic import SecretStr

from benchmarks.bench_upstream_cost import FIXED, TICK, Outcome, Simulation, simulate, spread
from benchmarks.common import Section, Target, percentile, scaled
from benchmarks.scripted_world import (
    HOUR,
    MINUTE,
    WATCH_START,
    Script,
    ScriptedProvider,
)
from benchmarks.upstream import RemoteUpstream
from flight_agent.apps.alert_receiver import AlertReceiver
from flight_agent.errors import AlertNotFoundError
from flight_agent.flight_query import FlightDesignator
from flight_agent.monitoring.alert_inbox import MemoryAlertInbox
from flight_agent.monitoring.schedule import PollSchedule
from flight_agent.providers.alert_callback import AlertCallback
from flight_agent.providers.alerts import Alert, AlertApi, AlertSpec
from flight_agent.settings import Settings
from flight_agent.testing.alerts import callback_body, record_flight

FLIGHTS = 1_000
SECRET = "bench-alert-secret-0123456789"
PUBLIC_URL = "http://bench.invalid"
LOOKUP_PRICE = 0.005
"""AeroAPI ``GET /flights/{ident}``, per result set (shared/reference/PROVIDERS.md)."""
BOARD_PRICE = 0.020
"""AeroAPI ``/airports/{id}/flights``, per result set."""
ALERT_PRICE = 0.020
"""AeroAPI, each delivered alert (alert management is free)."""
PUSH_DELAY = (5.0, 45.0)
"""Seconds from an event to its callback, drawn uniformly (an assumption: AeroAPI does not
publish its delivery latency)."""
DUPLICATES = 0.02
LOSS = 0.05
PUSH_BOUND_S = 60.0
BOUNDS = {"far": 30.0, "day": 30.0, "final": 5.0, "arrival": 5.0}
"""The polling bounds held today, in minutes, by phase of the change."""


class ScriptedAlerts(AlertApi):
    """An alert account in memory: what the monitor's reconciler manages."""

    provider = "Scripted"

    def __init__(self) -> None:
        self.alerts: dict[int, Alert] = {}
        self._next = 1
        self._endpoint: str | None = None

    async def create(self, spec: AlertSpec) -> int:
        alert_id, self._next = self._next, self._next + 1
        self.alerts[alert_id] = Alert(alert_id, spec)
        return alert_id

    async def update(self, alert_id: int, spec: AlertSpec) -> None:
        if alert_id not in self.alerts:
            raise AlertNotFoundError(f"alert {alert_id} does not exist", alert_id=alert_id)
        self.alerts[alert_id] = Alert(alert_id, spec)

    async def list(self) -> list[Alert]:
        return list(self.alerts.values())

    async def delete(self, alert_id: int) -> bool:
        return self.alerts.pop(alert_id, None) is not None

    async def endpoint(self) -> str | None:
        return self._endpoint

    async def set_endpoint(self, url: str | None) -> None:
        self._endpoint = url


class PushingScriptedProvider(ScriptedProvider):
    """The scripted world's provider with an alert account."""

    supports_alerts = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.account = ScriptedAlerts()

    def alerts(self) -> ScriptedAlerts:
        return self.account


@dataclass(frozen=True, slots=True)
class Push:
    """One callback: its flight, event, when it happened and when it is delivered."""

    script: Script
    code: str
    at: datetime
    due: datetime


@dataclass(slots=True)
class PushOutcome:
    """What one alerts run measured beside the polling figures."""

    outcome: Outcome
    delivered: int
    lost: int
    pushed_delays_s: list[float] = field(default_factory=list)
    lost_delays: dict[str, list[float]] = field(default_factory=dict)
    unpushed_delays: list[float] = field(default_factory=list)


PUSHED_FIELDS = (
    "actual_in",
    "actual_on",
    "actual_off",
    "actual_out",
    "gate_origin",
    "estimated_out",
)


def _codes(changed: Iterable[str]) -> list[str]:
    """The callbacks a scripted change of the fields ``changed`` makes."""
    names = set(changed)
    for name, codes in (
        ("actual_in", ["in"]),
        ("actual_on", ["arrival", "on"]),
        ("actual_off", ["departure", "off"]),
        ("actual_out", ["out"]),
    ):
        if name in names:
            return codes
    return ["change"] if {"gate_origin", "estimated_out"} & names else []


def pushes_of(scripts: list[Script], rng: random.Random) -> list[Push]:
    """Every callback of the scripts, in delivery order."""
    found: list[Push] = []
    for script in scripts:
        moments = [(script.departs - 2 * HOUR, ["filed"])]
        previous = script.states[0]
        for at, state in zip(script.times[1:], script.states[1:], strict=True):
            changed = [n for n in PUSHED_FIELDS if getattr(state, n) != getattr(previous, n)]
            moments.append((at, _codes(changed)))
            previous = state
        for at, codes in moments:
            if at <= WATCH_START:
                continue
            for code in codes:
                due = at + timedelta(seconds=rng.uniform(*PUSH_DELAY))
                found.append(Push(script, code, at, due))
    return sorted(found, key=lambda push: push.due)


async def simulate_alerts(
    departures: list[datetime],
    *,
    loss: float,
    seed: int = 0,
    schedule: PollSchedule | None = None,
) -> PushOutcome:
    """The world watched by the monitor with alerts, callbacks delivered through the webhook
    (``schedule``: the poll table and its safety net, else the default)."""
    settings = Settings(
        redis_url=None,
        flight_agent_alert_secret=SecretStr(SECRET),
        flight_agent_public_url=PUBLIC_URL,
    )
    simulation = Simulation.build(
        departures, seed, provider_type=PushingScriptedProvider, settings=settings
    )
    clock, monitor = simulation.clock, simulation.service.monitor
    assert monitor.alerts is not None
    if schedule is not None:
        monitor.schedule = schedule
    rng = random.Random(seed + 1)
    pushes = pushes_of(simulation.scripts, rng)
    account = monitor.alerts.provider.alerts()
    assert isinstance(account, ScriptedAlerts)

    async def handle(callback: AlertCallback) -> None:
        await monitor.take_alert(callback)

    async def ours(callback: AlertCallback) -> bool:
        return await monitor.alerts.watch_for(callback.alert_id) is not None  # type: ignore[union-attr]

    receiver = AlertReceiver(SECRET, handle, ours, inbox=MemoryAlertInbox(clock=clock), workers=1)
    delivered = lost = 0
    lost_events: set[tuple[str, datetime]] = set()
    transport = httpx.ASGITransport(app=receiver.app())
    try:
        await simulation.watch_all()
        async with (
            receiver.running(),
            httpx.AsyncClient(transport=transport, base_url=PUBLIC_URL) as client,
        ):
            end = simulation.end
            while clock.now() <= end:
                while pushes and pushes[0].due <= clock.now():
                    push = pushes.pop(0)
                    alert_id = _alert_of(account, push.script)
                    if alert_id is None:
                        continue  # released: the flight is done
                    if rng.random() < loss:
                        lost += 1
                        lost_events.add((push.script.query.flight_id, push.at))
                        continue
                    flight = record_flight(push.script.at(push.at))
                    query = push.script.query  # the scripted records carry no FlightAware id
                    flight["fa_flight_id"] = f"{query.flight_id}-{query.flight_date:%Y%m%d}"
                    body = callback_body(alert_id, push.code, flight, push.at)
                    copies = 2 if rng.random() < DUPLICATES else 1
                    for _ in range(copies):
                        await client.post(f"/{SECRET}", json=body)
                        delivered += 1
                    await receiver.join()
                while await monitor.store.due(clock.now(), limit=1):
                    await monitor.poll_due()
                passes = clock.now() - WATCH_START
                step = WATCH_START + (passes // TICK + 1) * TICK  # passes keep their cadence
                clock.set(min(step, pushes[0].due) if pushes else step)
    finally:
        await simulation.service.aclose()
    result = PushOutcome(simulation.outcome(), delivered, lost)
    _delays(simulation, result, lost_events)
    return result


def _alert_of(account: ScriptedAlerts, script: Script) -> int | None:
    designator = FlightDesignator.parse(script.query.flight_id)
    ident = designator.ident_icao or designator.flight_id
    for alert in account.alerts.values():
        if alert.spec.ident == ident and alert.spec.start == script.query.flight_date:
            return alert.id
    return None


def _delays(simulation: Simulation, result: PushOutcome, lost: set[tuple[str, datetime]]) -> None:
    """Each scripted change's detection delay, by how it could be seen: pushed and delivered,
    pushed and lost, or never pushed."""
    result.lost_delays = {phase: [] for phase in BOUNDS}
    for script in simulation.scripts:
        key = (script.query.flight_id, script.query.flight_date)
        for event, phase in script.events:
            detected = [
                change.detected_at
                for change in simulation.seen[key]
                if change.kind is event.kind and change.detected_at >= event.at
            ]
            if not detected:
                continue  # counted by the outcome's ``missed``
            waited = (min(detected) - event.at).total_seconds()
            if not _codes(event.update.keys()):
                result.unpushed_delays.append(waited / 60)
            elif (script.query.flight_id, event.at) in lost:
                result.lost_delays[phase].append(waited / 60)
            else:
                result.pushed_delays_s.append(waited)


async def bench(scale: float = 1.0, upstream: RemoteUpstream | None = None) -> Section:
    """Run the alerts benchmark; ``scale`` shrinks the number of flights.

    It runs in process on a virtual clock: ``upstream`` is not used.
    """
    section = Section("13. Push alerts")
    count = scaled(FLIGHTS, scale, 10)
    departures = spread(1, count)
    polling = await simulate(departures)
    pushed = await simulate_alerts(departures, loss=0.0)
    lossy = await simulate_alerts(departures, loss=LOSS)
    strict = await simulate_alerts(
        departures, loss=LOSS, schedule=PollSchedule.with_safety_net("strict")
    )
    fixed = polling.fixed_calls
    days = polling.watch_days
    for name, outcome, alerts in (
        ("fixed 5-min poller", None, None),
        ("current monitor (polling)", polling, None),
        ("monitor with alerts", pushed.outcome, pushed),
        ("monitor with alerts, 5 % lost", lossy.outcome, lossy),
        ("monitor with alerts, strict safety net, 5 % lost", strict.outcome, strict),
    ):
        calls = outcome.calls if outcome is not None else fixed
        boards = outcome.calls_by_phase["board"] if outcome is not None else 0
        delivered = alerts.delivered if alerts is not None else 0
        dollars = (calls - boards) * LOOKUP_PRICE + boards * BOARD_PRICE + delivered * ALERT_PRICE
        section.add(
            f"{name}: calls per flight-day",
            calls / days,
            "calls",
            context=f"{calls / fixed:.3f}x the poller's calls; "
            f"{delivered / days:.1f} callbacks per flight-day",
        )
        if outcome is pushed.outcome:
            section.add(
                "monitor with alerts: calls vs fixed poller",
                calls / fixed,
                "x",
                Target(0.05),
                "calls: status lookups (the re-read of each callback included) and board sets",
            )
        section.add(
            f"{name}: cost per flight-day",
            dollars / days,
            "$",
            context=f"{dollars / (fixed * LOOKUP_PRICE):.3f}x the poller's cost; AeroAPI: "
            f"${LOOKUP_PRICE} a lookup, ${BOARD_PRICE} a board set, ${ALERT_PRICE} "
            "a delivered alert, alert management free",
        )
    final_polls = PollSchedule().final_window / PollSchedule().final_interval
    section.add(
        "a 5-min bound on lost pushes: fewest calls",
        final_polls * count / fixed,
        "x",
        context=f"{final_polls:.0f} polls a flight in its last 3 h, against the poller's "
        f"{fixed / count:.0f}: more than the 0.05x target before any other call",
    )
    section.add(
        "alerts: p99 detection delay, pushed changes",
        percentile(pushed.pushed_delays_s, 99),
        "s",
        Target(PUSH_BOUND_S),
        f"{len(pushed.pushed_delays_s)} changes; callbacks {PUSH_DELAY[0]:g}-{PUSH_DELAY[1]:g} s "
        "late (assumed)",
    )
    labels = {"far": "> 24 h out", "day": "3-24 h out", "final": "last 3 h", "arrival": "landing"}
    for net, run in (("lean", lossy), ("strict", strict)):
        for phase, bound in BOUNDS.items():
            found = run.lost_delays[phase]
            if found:
                section.add(
                    f"alerts, {net} safety net, 5 % lost: max delay of a lost change, "
                    f"{labels[phase]}",
                    max(found),
                    "min",
                    Target(bound) if net == "strict" else None,
                    f"{len(found)} changes whose callback was lost"
                    + ("" if net == "strict" else f"; the polling bound is {bound:g} min"),
                )
        if run.unpushed_delays:
            section.add(
                f"alerts, {net} safety net: max delay of a change never pushed",
                max(run.unpushed_delays),
                "min",
                context=f"{len(run.unpushed_delays)} terminal and aircraft changes, seen by the "
                "next re-read or safety-net poll",
            )
    section.add(
        "alerts, 5 % lost: changes never detected",
        lossy.outcome.missed + pushed.outcome.missed + strict.outcome.missed,
        "changes",
        Target(0),
    )
    lean_net = PollSchedule()
    section.note(
        f"{count:,} flights, departures over day 1, watched from 00:00 on day 0 "
        f"({days / count:.2f} watch-days a flight); virtual clock, monitor pass every "
        f"{TICK.total_seconds():.0f} s, fixed poller every {FIXED / MINUTE:.0f} min. Alerts: "
        f"the lean safety net (the default) polls every {lean_net.alert_interval / HOUR:g} h "
        "on the table's grid, so pushed flights leaving together share boards, and 4 min "
        "after each expected milestone; a milestone seen by a poll and not by a push falls "
        "back to the table until the next push. The strict one "
        "(FLIGHT_AGENT_ALERT_SAFETY_NET=strict) polls on the table's 30- and 5-minute bounds "
        "before departure."
    )
    section.note(
        "Lost callbacks: a lost milestone (gate departure, landing) shows at the checkpoint 4 "
        "min after the expected time, and the flight falls back to the table. A lost delay or "
        "gate change leaves no trace: it shows at the next safety-net poll. So the 5-min bound "
        "of the last 3 h under loss takes a poll every 5 min there, 36 a flight, which alone is "
        "more than 0.05x the poller's calls: the two targets cannot hold in one setting, and "
        "each is met by its own (lean: calls; strict: bounds, at about the current monitor's "
        "calls, with pushed changes seen within a minute). Changes an alert never pushes "
        "(terminal, aircraft) wait for the next poll in either."
    )
    section.note(
        "Prices from shared/reference/PROVIDERS.md (a dated third-party reading of AeroAPI's "
        "pricing page): a delivered alert costs $0.020, four lookups' price, so the money "
        "ratio is higher than the calls ratio."
    )
    return section
