"""The fake upstream's AeroAPI alerts: the alert endpoints, and callbacks for its simulated day.

``FakeAlerts`` answers ``GET/POST /alerts``, ``GET/PUT/DELETE /alerts/{id}`` and
``GET/PUT/DELETE /alerts/endpoint`` below the AeroAPI prefix, in the spec's shapes. Each alert's
flight is a leg of the same simulation the status endpoints render, and its events follow the
leg's timeline (``alert_events``): ``filed`` two hours before the gate departure, ``out`` at the
gate departure, ``off`` and ``departure`` at take-off, ``on`` and ``arrival`` at landing, ``in``
at the gate arrival, ``change`` at a gate change, ``diverted`` when the aircraft lands at the
alternate, ``cancelled`` four hours before the schedule. The callback carries the flight as it
stands at the event (``render_leg`` at that instant), as the ``deliver_alert`` callback
describes it.

Nothing runs by itself: ``deliver_due()`` posts every callback due by the injected clock (the
event's time plus the injected ``delay``) to the alert's ``target_url`` or the account's
endpoint, through an httpx transport (the receiver's app in process) or to a loopback URL.
``loss`` drops a callback for good, ``duplicates`` sends one twice; both are seeded draws.
``next_due()`` says when the next callback falls due, so a virtual-time driver can jump there.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

import httpx

from flight_agent.errors import InvalidFlightQueryError
from flight_agent.flight_query import FlightDesignator
from flight_agent.models import FlightStatusData
from flight_agent.providers.alerts import ALERT_EVENTS
from flight_agent.providers.simulation import Leg, Scenario, render_leg
from flight_agent.providers.simulation.seeding import stable_rng
from flight_agent.providers.simulation.timeline import TAXI_IN, TAXI_OUT
from flight_agent.testing import render_aeroapi
from flight_agent.testing.asgi import JSON_TYPE, Receive, Request, Response, json_response
from flight_agent.testing.endpoints import World, aeroapi_error

FILED_LEAD = timedelta(hours=2)
CANCELLATION_NOTICE = timedelta(hours=4)
ALERTS_PER_PAGE = 20
MAX_REQUEST_BYTES = 64 * 1024

DelaySpec = float | Callable[[Any], float]
"""Seconds from an event to its callback, or a callable ``(random.Random) -> float``."""

_CALLBACK_FIELDS = (
    "fa_flight_id",
    "ident",
    "ident_icao",
    "ident_iata",
    "registration",
    "atc_ident",
    "aircraft_type",
    "route",
    "position_only",
    "blocked",
    "cancelled",
    "diverted",
    "route_distance",
    "filed_ete",
    "filed_altitude",
    *render_aeroapi.TIME_FIELDS,
    "baggage_claim",
    "gate_origin",
    "gate_destination",
    "terminal_origin",
    "terminal_destination",
)


@dataclass(frozen=True, slots=True)
class Delivery:
    """One callback the fake upstream settled: sent (with the receiver's status), or lost.

    ``status`` is None when the callback was lost, or the POST could not connect.
    """

    alert_id: int
    event_code: str
    fa_flight_id: str
    event_at: datetime
    due_at: datetime
    status: int | None
    lost: bool = False
    duplicate: bool = False


def alert_events(leg: Leg) -> list[tuple[str, datetime]]:
    """The events of a leg, in time order: ``(event_code, when)``."""
    if leg.scenario is Scenario.UNKNOWN:
        return []
    if leg.scenario is Scenario.CANCELLED:
        return [("cancelled", leg.scheduled_out - CANCELLATION_NOTICE)]
    out, arrive = leg.estimated_out, leg.estimated_in
    off, on = out + TAXI_OUT, arrive - TAXI_IN
    events = [("filed", out - FILED_LEAD), ("out", out), ("departure", off), ("off", off)]
    if leg.gate_change is not None:
        events.append(("change", leg.gate_change.at))
    if leg.diverted_to is not None:
        events.append(("diverted", on))
    else:
        events += [("arrival", on), ("on", on), ("in", arrive)]
    return sorted(events, key=lambda event: event[1])


def callback_flight(leg: Leg, at: datetime) -> dict[str, Any]:
    """The ``flight`` of a ``deliver_alert`` callback: the leg as it stands at ``at``."""
    return record_flight(render_leg(leg, at, source="FakeUpstream"))


def record_flight(record: FlightStatusData) -> dict[str, Any]:
    """The ``flight`` of a ``deliver_alert`` callback about ``record``."""
    rendered = render_aeroapi.flight(record)
    flight = {name: rendered[name] for name in _CALLBACK_FIELDS}
    for end, airport in (("origin", record.origin), ("destination", record.destination)):
        flight[end] = airport.icao or airport.iata
        flight[f"{end}_icao"], flight[f"{end}_iata"] = airport.icao, airport.iata
        flight[f"{end}_lid"] = None
    flight["filed_airspeed_kts"] = None
    return flight


class FakeAlerts:
    """AeroAPI's alert endpoints and callback delivery, for one fake upstream.

    Args:
        world: The upstream's simulation, clock and key.
        seed: Seeds the delay, loss and duplicate draws.

    Attributes:
        deliveries: Every callback settled so far, in order.
    """

    def __init__(self, world: World, seed: int = 0) -> None:
        self._world = world
        self._alerts: dict[int, dict[str, Any]] = {}
        self._next_id = 1
        self._endpoint: str | None = None
        self._rng = stable_rng(seed, "fake-upstream", "alerts")
        self._delays: dict[tuple[int, str, str, datetime], timedelta] = {}
        self._settled: set[tuple[int, str, str, datetime]] = set()
        self.deliveries: list[Delivery] = []
        self.delay: DelaySpec = 0.0
        self.loss = 0.0
        self.duplicates = 0.0
        self.transport: httpx.AsyncBaseTransport | None = None

    def configure(
        self,
        *,
        delay: DelaySpec = 0.0,
        loss: float = 0.0,
        duplicates: float = 0.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        """How callbacks travel: delay, loss and duplicate probabilities, and the transport
        (None: real connections, for a loopback URL).

        Raises:
            ValueError: A negative delay, or a probability outside [0, 1].
        """
        if not callable(delay) and delay < 0:
            raise ValueError("delay must be zero or more seconds")
        for name, value in (("loss", loss), ("duplicates", duplicates)):
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must lie between 0 and 1")
        self.delay, self.loss, self.duplicates, self.transport = delay, loss, duplicates, transport

    @property
    def alerts(self) -> dict[int, dict[str, Any]]:
        """The alerts configured, by id, as ``GET /alerts/{id}`` shows them."""
        return dict(self._alerts)

    @property
    def endpoint(self) -> str | None:
        """The account-wide callback URL."""
        return self._endpoint

    # --- the endpoints -------------------------------------------------------------------

    @staticmethod
    def serves(request: Request) -> bool:
        """Whether the request is for an alert endpoint."""
        return request.path.strip("/").split("/")[0] == "alerts"

    async def answer(self, request: Request, receive: Receive) -> Response:
        """Answer one alert request (the key is checked first, as for every AeroAPI call)."""
        if request.headers.get("x-apikey") != self._world.api_key:
            return aeroapi_error(401, "Provided API key is not valid")
        body = await _read_body(receive) if request.method in ("POST", "PUT") else b""
        if body is None:
            return aeroapi_error(413, "the request body is too large")
        match request.method, request.path.strip("/").split("/"):
            case "GET", ["alerts"]:
                return self._page(request.params.get("cursor", "0"))
            case "POST", ["alerts"]:
                return self._create(body)
            case "GET", ["alerts", "endpoint"]:
                return json_response(200, {"url": self._endpoint})
            case "PUT", ["alerts", "endpoint"]:
                return self._set_endpoint(body)
            case "DELETE", ["alerts", "endpoint"]:
                self._endpoint = None
                return Response(204)
            case method, ["alerts", alert_id] if alert_id.isdigit():
                return self._one(method, int(alert_id), body)
        return aeroapi_error(404, f"no such endpoint: {request.method} {request.path}")

    def _page(self, cursor: str) -> Response:
        if not cursor.isdigit():
            return aeroapi_error(400, "cursor is not one this server gave")
        offset = int(cursor)
        items = list(self._alerts.values())[offset : offset + ALERTS_PER_PAGE]
        more = offset + ALERTS_PER_PAGE < len(self._alerts)
        links = {"next": f"/alerts?cursor={offset + ALERTS_PER_PAGE}"} if more else None
        return json_response(200, {"links": links, "num_pages": 1, "alerts": items})

    def _create(self, body: bytes) -> Response:
        try:
            config = self._config(body)
        except ValueError as error:
            return aeroapi_error(400, str(error))
        alert_id, self._next_id = self._next_id, self._next_id + 1
        now = render_aeroapi.iso(self._world.clock.now())
        self._alerts[alert_id] = {"id": alert_id, **config, "created": now, "changed": now}
        return Response(201, b"", (("location", f"/alerts/{alert_id}"),))

    def _one(self, method: str, alert_id: int, body: bytes) -> Response:
        alert = self._alerts.get(alert_id)
        if alert is None:
            return aeroapi_error(404, f"alert {alert_id} does not exist")
        if method == "GET":
            return json_response(200, alert)
        if method == "DELETE":
            del self._alerts[alert_id]
            return Response(204)
        if method == "PUT":
            try:
                config = self._config(body)
            except ValueError as error:
                return aeroapi_error(400, str(error))
            changed = render_aeroapi.iso(self._world.clock.now())
            self._alerts[alert_id] = alert | config | {"changed": changed}
            return Response(204)
        return aeroapi_error(405, f"{method} is not supported")

    def _set_endpoint(self, body: bytes) -> Response:
        document = _json_object(body)
        url = document.get("url") if document is not None else None
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            return aeroapi_error(400, "url must be an http(s) URL")
        self._endpoint = url
        return Response(204)

    def _config(self, body: bytes) -> dict[str, Any]:
        """An alert's stored configuration from a POST/PUT body.

        Raises:
            ValueError: The body is not an alert configuration (the 400's detail).
        """
        document = _json_object(body)
        if document is None:
            raise ValueError("the body must be a JSON object")
        ident, events = document.get("ident"), document.get("events")
        if not isinstance(ident, str):
            raise ValueError("invalid ident")
        try:
            designator = FlightDesignator.parse(ident)
        except InvalidFlightQueryError:
            raise ValueError(f"invalid ident {ident!r}") from None
        if not isinstance(events, dict) or not all(isinstance(v, bool) for v in events.values()):
            raise ValueError("missing events")
        if not any(events.values()) or set(events) - set(ALERT_EVENTS):
            raise ValueError("events must turn on one or more known events")
        dates = {}
        for name in ("start", "end"):
            value = document.get(name)
            try:
                dates[name] = date.fromisoformat(value).isoformat() if value else None
            except (TypeError, ValueError):
                raise ValueError(f"invalid {name} date") from None
        target = document.get("target_url")
        return {
            "description": f"{designator.ident_icao or designator.flight_id} alert",
            "ident": ident,
            "ident_icao": designator.ident_icao,
            "ident_iata": designator.ident_iata,
            "origin": _text(document.get("origin")),
            "destination": _text(document.get("destination")),
            "aircraft_type": None,
            **dates,
            "user_ident": ident,
            "eta": 0,
            "events": {name: bool(events.get(name, False)) for name in ALERT_EVENTS},
            "target_url": target if isinstance(target, str) else None,
            "enabled": document.get("enabled", True) is not False,
        }

    # --- delivery -----------------------------------------------------------------------------

    def _due(self) -> list[tuple[int, str, Leg, datetime, datetime, str]]:
        """Every unsettled callback ``(alert, code, leg, event time, due time, url)``."""
        found = []
        for alert_id, alert in self._alerts.items():
            url = alert["target_url"] or self._endpoint
            if not alert["enabled"] or url is None:
                continue
            created = datetime.fromisoformat(alert["created"])
            for leg in self._legs(alert):
                for code, at in alert_events(leg):
                    key = (alert_id, code, leg.provider_flight_id, at)
                    if at < created or key in self._settled or not _wanted(alert, code):
                        continue
                    found.append((alert_id, code, leg, at, at + self._delay(key), url))
        return sorted(found, key=lambda item: item[4])

    def next_due(self) -> datetime | None:
        """When the next callback falls due (None: nothing left to deliver)."""
        due = self._due()
        return due[0][4] if due else None

    async def deliver_due(self) -> list[Delivery]:
        """POST every callback due by now; returns what was settled, in due order."""
        now = self._world.clock.now()
        due = [item for item in self._due() if item[4] <= now]
        settled: list[Delivery] = []
        if not due:
            return settled
        async with httpx.AsyncClient(transport=self.transport, trust_env=False) as client:
            for alert_id, code, leg, at, due_at, url in due:
                self._settled.add((alert_id, code, leg.provider_flight_id, at))
                settling = Delivery(alert_id, code, leg.provider_flight_id, at, due_at, None)
                if self._rng.random() < self.loss:
                    settled.append(replace(settling, lost=True))
                    continue
                body = _callback(alert_id, code, leg, at)
                copies = 2 if self._rng.random() < self.duplicates else 1
                for copy in range(copies):
                    status = await _post(client, url, body)
                    settled.append(replace(settling, status=status, duplicate=copy > 0))
        self.deliveries += settled
        return settled

    def _delay(self, key: tuple[int, str, str, datetime]) -> timedelta:
        if key not in self._delays:
            seconds = self.delay(self._rng) if callable(self.delay) else self.delay
            self._delays[key] = timedelta(seconds=max(0.0, seconds))
        return self._delays[key]

    def _legs(self, alert: dict[str, Any]) -> list[Leg]:
        designator = FlightDesignator.parse(alert["ident"])
        today = self._world.clock.now().date()
        first = date.fromisoformat(alert["start"]) if alert["start"] else today
        last = date.fromisoformat(alert["end"]) if alert["end"] else first + timedelta(days=1)
        days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
        origin = alert["origin"]
        return [
            leg
            for leg in self._world.legs(designator, days)
            if origin is None or origin in (leg.origin.icao, leg.origin.iata)
        ]


def _wanted(alert: dict[str, Any], code: str) -> bool:
    """Whether the alert asked for the event (a change goes with any event asked for)."""
    events: dict[str, bool] = alert["events"]
    return any(events.values()) if code == "change" else events.get(code, False)


def _callback(alert_id: int, code: str, leg: Leg, at: datetime) -> dict[str, Any]:
    return callback_body(alert_id, code, callback_flight(leg, at), at)


def callback_body(alert_id: int, code: str, flight: dict[str, Any], at: datetime) -> dict[str, Any]:
    """A ``deliver_alert`` callback body: event ``code`` of ``flight`` at ``at``."""
    ident = flight["ident_iata"] or flight["ident"]
    summary = f"{ident} {code} ({flight['origin']}-{flight['destination']})"
    return {
        "long_description": f"Flight {ident} from {flight['origin']} to "
        f"{flight['destination']}: {code} at {render_aeroapi.iso(at)}.",
        "short_description": summary,
        "summary": summary,
        "event_code": code,
        "alert_id": alert_id,
        "flight": flight,
    }


async def _post(client: httpx.AsyncClient, url: str, body: dict[str, Any]) -> int | None:
    content = json.dumps(body, separators=(",", ":")).encode("utf-8")
    try:
        response = await client.post(url, content=content, headers={"content-type": JSON_TYPE})
    except httpx.TransportError:
        return None
    return response.status_code


async def _read_body(receive: Receive) -> bytes | None:
    """The request body, or None past ``MAX_REQUEST_BYTES``."""
    chunks, size, more = [], 0, True
    while more:
        message = await receive()
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_REQUEST_BYTES:
            return None
        chunks.append(chunk)
        more = message.get("more_body", False)
    return b"".join(chunks)


def _json_object(body: bytes) -> dict[str, Any] | None:
    try:
        document = json.loads(body)
    except ValueError:
        return None
    return document if isinstance(document, dict) else None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
