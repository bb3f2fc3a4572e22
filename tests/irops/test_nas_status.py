"""FAA NAS status: parsing the XML, free-text values, and refusing unsafe documents."""

from __future__ import annotations

import pytest

from flight_agent.errors import InvalidResponseError
from flight_agent.irops import ProgrammeKind, parse_duration, parse_nas_status
from flight_agent.irops.nas_status import parse_clock
from tests.irops.factories import FIXTURES, utc

RECEIVED = utc("2025-07-15 19:00")


def load(name: str) -> bytes:
    """A fixture document."""
    return (FIXTURES / name).read_bytes()


def test_every_programme_type_is_parsed() -> None:
    """Ground stops, ground delays, closures, departure and arrival delays are read; others not."""
    status = parse_nas_status(load("nas_all_programmes.xml"), received_at=RECEIVED)
    assert status.updated_at == utc("2025-07-15 19:00")
    assert [(p.kind, p.airport) for p in status.programmes] == [
        (ProgrammeKind.GROUND_STOP, "LGA"),
        (ProgrammeKind.GROUND_DELAY, "BOS"),
        (ProgrammeKind.CLOSURE, "ASE"),
        (ProgrammeKind.DEPARTURE_DELAY, "ORD"),
        (ProgrammeKind.ARRIVAL_DELAY, "DFW"),
    ]


def test_values_are_read_from_free_text() -> None:
    """Durations become minutes, closure times instants, and the raw text is kept."""
    status = parse_nas_status(load("nas_all_programmes.xml"), received_at=RECEIVED)
    (gdp,) = status.at("BOS")
    assert (gdp.average_delay_minutes, gdp.max_delay_minutes) == (46, 72)
    (closure,) = status.at("KASE")
    assert (closure.starts_at, closure.ends_at) == (
        utc("2025-07-15 18:00"),
        utc("2025-07-15 23:59"),
    )
    (departures,) = status.at("ORD")
    assert (departures.min_delay_minutes, departures.max_delay_minutes, departures.trend) == (
        16,
        30,
        "Increasing",
    )
    assert departures.reason == "WX:Thunderstorms"
    (stop,) = status.at("LGA")
    assert stop.ends_at is None
    assert stop.text == {"ARPT": "LGA", "Reason": "TM Initiatives:MIT:VOL"}


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        pytest.param("46 minutes", 46, id="minutes"),
        pytest.param("1 hour and 12 minutes", 72, id="hour-and-minutes"),
        pytest.param("3 hours and 5 minutes", 185, id="hours-and-minutes"),
        pytest.param("2 hours", 120, id="hours"),
        pytest.param("1 hr 5 mins", 65, id="abbreviated"),
        pytest.param("unknown", None, id="unreadable"),
        pytest.param(None, None, id="missing"),
    ],
)
def test_durations_are_parsed_defensively(text: str | None, minutes: int | None) -> None:
    """FAA durations are free text; what cannot be read is None."""
    assert parse_duration(text) == minutes


@pytest.mark.parametrize(
    ("text", "airport", "instant"),
    [
        pytest.param("4:30 pm EDT.", "EWR", utc("2025-07-15 20:30"), id="pm-edt"),
        pytest.param("11:15 am CDT", "ORD", utc("2025-07-15 16:15"), id="am-cdt"),
        pytest.param("12:30 am EDT", "EWR", utc("2025-07-16 04:30"), id="after-midnight"),
        pytest.param("16:45", "SFO", utc("2025-07-15 23:45"), id="no-zone-uses-airport"),
        pytest.param("sometime", "EWR", None, id="unreadable"),
        pytest.param("4:30 pm", "XYZ1", None, id="no-zone-unknown-airport"),
    ],
)
def test_end_times_resolve_to_the_nearest_occurrence(
    text: str, airport: str, instant: object
) -> None:
    """ "4:30 pm EDT." read at 19:00Z is 20:30Z the same day; a zoneless time uses the airport's."""
    assert parse_clock(text, airport=airport, near=RECEIVED) == instant


def test_document_with_a_dtd_is_refused() -> None:
    """DOCTYPE and entity declarations are refused before parsing (no entity expansion)."""
    with pytest.raises(InvalidResponseError, match="DTD or entities"):
        parse_nas_status(load("nas_entity_expansion.xml"), received_at=RECEIVED)


def test_a_dtd_cannot_hide_in_another_encoding() -> None:
    """A UTF-16 document is refused: the DTD check reads characters, not raw bytes."""
    document = load("nas_entity_expansion.xml")
    text = document if isinstance(document, str) else document.decode("utf-8")
    with pytest.raises(InvalidResponseError, match="not UTF-8"):
        parse_nas_status(text.encode("utf-16"), received_at=RECEIVED)


@pytest.mark.parametrize(
    ("document", "message"),
    [
        pytest.param("<AIRPORT_STATUS_INFORMATION>", "not well-formed", id="truncated"),
        pytest.param("<html><body>503</body></html>", "not a NAS status document", id="wrong-root"),
        pytest.param("x" * 2_000_001, "too large", id="oversized"),
    ],
)
def test_bad_documents_raise_invalid_response(document: str, message: str) -> None:
    """Malformed, foreign or oversized documents are provider errors, not crashes."""
    with pytest.raises(InvalidResponseError, match=message):
        parse_nas_status(document, received_at=RECEIVED)


def test_empty_feed_has_no_programmes_and_tolerates_a_bad_update_time() -> None:
    """A quiet day: no programmes; an unreadable update time is None."""
    status = parse_nas_status(
        "<AIRPORT_STATUS_INFORMATION><Update_Time>soon</Update_Time></AIRPORT_STATUS_INFORMATION>",
        received_at=RECEIVED,
    )
    assert (status.updated_at, status.programmes) == (None, ())
