"""Push alerts: the provider calls us when a watched flight moves, instead of being polled.

A provider that can push (``FlightDataProvider.supports_alerts``; FlightAware AeroAPI) hands out
an ``AlertApi`` from ``provider.alerts()``: create, update, list and delete the account's
alerts, and read or set the account-wide URL the callbacks are POSTed to. The others raise
``UnsupportedCapabilityError``.

AeroAPI endpoints (``AeroApiAlerts``): ``GET/POST /alerts``, ``PUT/DELETE /alerts/{id}`` and
``GET/PUT/DELETE /alerts/endpoint``. A new alert's id comes back in the ``Location`` header of the
201. Requests go through the provider's ``ProviderHttp``, so its key is masked in every error and
log line as for status calls.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import parse_qs, urlsplit

from pydantic import BaseModel, ConfigDict, ValidationError

from flight_agent.errors import (
    AlertNotFoundError,
    InvalidFlightQueryError,
    InvalidResponseError,
    ProviderError,
)
from flight_agent.providers.http import ProviderHttp

ALERT_EVENTS = (
    "arrival",
    "cancelled",
    "departure",
    "diverted",
    "filed",
    "out",
    "off",
    "on",
    "in",
    "hold_start",
    "hold_end",
)
"""The events an AeroAPI alert can ask for (the spec's ``events`` object, every key required)."""

FLIGHT_EVENTS = frozenset(
    {"filed", "departure", "arrival", "out", "off", "on", "in", "diverted", "cancelled"}
)
"""What the monitor asks for: every gate and runway event, diversions and cancellations."""

MAX_ALERT_PAGES = 50
"""Most pages ``list`` follows; an account with more alerts than that is cut (and says so)."""

_IDENT = re.compile(r"^[A-Za-z0-9]{2,10}$")
_LOCATION_ID = re.compile(r"/alerts/(\d+)/?$")


@dataclass(frozen=True, slots=True)
class AlertSpec:
    """What an alert watches and which events it pushes.

    Attributes:
        ident: The flight designator, ICAO preferred (e.g. 'BAW117').
        origin: Departure airport code (ICAO preferred), to pick one leg; None for any.
        destination: Arrival airport code; None for any.
        start: First local departure date the alert covers (None: from now on).
        end: Last local departure date it covers, inclusive (None: open-ended).
        events: Which of ``ALERT_EVENTS`` are pushed.
        target_url: Deliver this alert's callbacks here instead of the account's endpoint.

    Raises:
        InvalidFlightQueryError: A malformed ident, no events or an unknown one, ``end``
            before ``start``, or a target URL that is not http(s).
    """

    ident: str
    origin: str | None = None
    destination: str | None = None
    start: date | None = None
    end: date | None = None
    events: frozenset[str] = field(default=FLIGHT_EVENTS)
    target_url: str | None = field(default=None, repr=False)  # carries the webhook's secret

    def __post_init__(self) -> None:
        if not isinstance(self.ident, str) or not _IDENT.match(self.ident):
            raise InvalidFlightQueryError(
                f"{self.ident!r} is not a flight designator an alert can watch; "
                "use one such as 'BAW117'."
            )
        unknown = set(self.events) - set(ALERT_EVENTS)
        if unknown or not self.events:
            raise InvalidFlightQueryError(
                f"An alert needs one or more events among {', '.join(ALERT_EVENTS)}"
                + (f"; {', '.join(sorted(unknown))} is not one." if unknown else ".")
            )
        if self.start and self.end and self.end < self.start:
            raise InvalidFlightQueryError(
                f"The alert's end {self.end} comes before its start {self.start}."
            )
        if self.target_url is not None and urlsplit(self.target_url).scheme not in (
            "http",
            "https",
        ):
            raise InvalidFlightQueryError("An alert's target URL must be an http(s) URL.")

    def body(self) -> dict[str, Any]:
        """The request body of ``POST /alerts`` and ``PUT /alerts/{id}``."""
        return {
            "ident": self.ident,
            "origin": self.origin,
            "destination": self.destination,
            "aircraft_type": None,
            "eta": 0,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "events": {name: name in self.events for name in ALERT_EVENTS},
            "target_url": self.target_url,
        }


@dataclass(frozen=True, slots=True)
class Alert:
    """One alert configured on the provider's account."""

    id: int
    spec: AlertSpec
    description: str = ""
    enabled: bool = True


class _AlertItem(BaseModel):
    """One item of ``GET /alerts``, as far as an ``Alert`` needs it (extra keys ignored)."""

    model_config = ConfigDict(extra="ignore")

    id: int
    description: str = ""
    ident: str | None = None
    ident_icao: str | None = None
    user_ident: str | None = None
    origin: str | None = None
    destination: str | None = None
    start: date | None = None
    end: date | None = None
    events: dict[str, bool]
    target_url: str | None = None
    enabled: bool = True

    def alert(self) -> Alert:
        spec = AlertSpec(
            # AeroAPI may rewrite a codeshare's ident; ``user_ident`` keeps the one sent.
            ident=self.user_ident or self.ident_icao or self.ident or "",
            origin=self.origin,
            destination=self.destination,
            start=self.start,
            end=self.end,
            events=frozenset(name for name, on in self.events.items() if on),
            target_url=self.target_url,
        )
        return Alert(self.id, spec, self.description, self.enabled)


class AlertApi(ABC):
    """Alert management of one provider account."""

    provider: str

    @abstractmethod
    async def create(self, spec: AlertSpec) -> int:
        """Create an alert; returns its id."""

    @abstractmethod
    async def update(self, alert_id: int, spec: AlertSpec) -> None:
        """Replace an alert's configuration.

        Raises:
            AlertNotFoundError: No such alert.
        """

    @abstractmethod
    async def list(self) -> list[Alert]:
        """Every alert on the account (those made elsewhere, e.g. on the website, included)."""

    @abstractmethod
    async def delete(self, alert_id: int) -> bool:
        """Delete an alert; False when it was already gone."""

    @abstractmethod
    async def endpoint(self) -> str | None:
        """The account-wide callback URL, or None when none is set."""

    @abstractmethod
    async def set_endpoint(self, url: str | None) -> None:
        """Set the account-wide callback URL; None removes it (callbacks then stop)."""


class AeroApiAlerts(AlertApi):
    """AeroAPI's alert endpoints, over the provider's HTTP client.

    Args:
        http: The FlightAware provider's client.
        require_key: Raises ``AuthenticationError`` when no key is configured (before any
            request is sent).
    """

    def __init__(self, http: ProviderHttp, *, require_key: Callable[[], object]) -> None:
        self.http = http
        self.provider = http.provider
        self._require_key = require_key

    async def create(self, spec: AlertSpec) -> int:
        """``POST /alerts``; the id is read from the 201's ``Location`` header.

        Raises:
            InvalidFlightQueryError: AeroAPI refused the configuration (HTTP 400, its reason
                quoted).
            InvalidResponseError: The answer carries no alert id.
        """
        self._require_key()
        response = await self.http.send_json("POST", "/alerts", json_body=spec.body())
        match = _LOCATION_ID.search(urlsplit(response.headers.get("Location", "")).path)
        if match is None:
            raise InvalidResponseError(
                "the new alert's Location header names no alert id", provider=self.provider
            )
        return int(match.group(1))

    async def update(self, alert_id: int, spec: AlertSpec) -> None:
        """``PUT /alerts/{id}`` with the whole configuration (enabled)."""
        self._require_key()
        try:
            await self.http.send_json(
                "PUT", f"/alerts/{int(alert_id)}", json_body={**spec.body(), "enabled": True}
            )
        except ProviderError as error:
            if error.status_code == 404:
                raise AlertNotFoundError(
                    f"no alert {alert_id} on this account; list the alerts to see which exist",
                    alert_id=alert_id,
                    provider=self.provider,
                ) from error
            raise

    async def list(self) -> list[Alert]:
        """``GET /alerts``, following ``links.next`` for at most ``MAX_ALERT_PAGES`` pages.

        Raises:
            InvalidResponseError: An answer of the wrong shape, or more pages than that.
        """
        self._require_key()
        alerts: list[Alert] = []
        params: dict[str, str] = {}
        for _ in range(MAX_ALERT_PAGES):
            body = (await self.http.get_json("/alerts", params)).body
            if not isinstance(body, dict) or not isinstance(body.get("alerts"), list):
                raise InvalidResponseError(
                    "GET /alerts answered without an 'alerts' list", provider=self.provider
                )
            try:
                alerts += [_AlertItem.model_validate(item).alert() for item in body["alerts"]]
            except (ValidationError, InvalidFlightQueryError) as error:
                raise InvalidResponseError(
                    f"GET /alerts listed an alert of the wrong shape ({type(error).__name__})",
                    provider=self.provider,
                ) from None
            cursor = _next_cursor(body.get("links"))
            if cursor is None:
                return alerts
            params = {"cursor": cursor}
        raise InvalidResponseError(
            f"GET /alerts has more than {MAX_ALERT_PAGES} pages; delete unused alerts",
            provider=self.provider,
        )

    async def delete(self, alert_id: int) -> bool:
        """``DELETE /alerts/{id}``; a 404 means it was already gone."""
        self._require_key()
        try:
            await self.http.send_json("DELETE", f"/alerts/{int(alert_id)}")
        except ProviderError as error:
            if error.status_code == 404:
                return False
            raise
        return True

    async def endpoint(self) -> str | None:
        """``GET /alerts/endpoint``."""
        self._require_key()
        body = (await self.http.get_json("/alerts/endpoint")).body
        url = body.get("url") if isinstance(body, dict) else None
        if url is not None and not isinstance(url, str):
            raise InvalidResponseError(
                "GET /alerts/endpoint answered without a 'url'", provider=self.provider
            )
        return url

    async def set_endpoint(self, url: str | None) -> None:
        """``PUT /alerts/endpoint``, or ``DELETE /alerts/endpoint`` for None.

        Raises:
            InvalidFlightQueryError: Not an http(s) URL (nothing is sent), or AeroAPI refused it.
        """
        self._require_key()
        if url is None:
            await self.http.send_json("DELETE", "/alerts/endpoint")
            return
        if urlsplit(url).scheme not in ("http", "https"):
            raise InvalidFlightQueryError(
                "The alert endpoint must be an http(s) URL that AeroAPI can reach.",
                provider=self.provider,
            )
        await self.http.send_json("PUT", "/alerts/endpoint", json_body={"url": url})


def _next_cursor(links: Any) -> str | None:
    """The ``cursor`` of a page's ``links.next`` (e.g. '/alerts?cursor=abc'), if any."""
    if not isinstance(links, dict) or not isinstance(links.get("next"), str):
        return None
    values = parse_qs(urlsplit(links["next"]).query).get("cursor")
    return values[0] if values else None
