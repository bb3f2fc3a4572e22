"""Flight query parsing: designators, airports and dates are validated before any request."""

from __future__ import annotations

import contextlib
import re
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flight_agent.errors import InvalidFlightQueryError
from flight_agent.flight_query import (
    FlightDesignator,
    FlightQuery,
    as_query,
    departure_date_of,
    validate_airport_code,
)


@pytest.mark.parametrize(
    ("text", "iata", "icao"),
    [
        pytest.param("AA123", "AA123", "AAL123", id="iata"),
        pytest.param("aa 123", "AA123", "AAL123", id="lower-case-with-space"),
        pytest.param("AAL123", "AA123", "AAL123", id="icao"),
        pytest.param("BA117A", "BA117A", "BAW117A", id="suffix-letter"),
        pytest.param("U2 1234", "U21234", "EZY1234", id="digit-in-carrier"),
        pytest.param("9W5", "9W5", "JAI5", id="leading-digit-carrier"),
        pytest.param("  ba0117 ", "BA117", "BAW117", id="padding-and-leading-zero"),
        pytest.param("ZZ42", "ZZ42", None, id="unknown-iata-carrier"),
        pytest.param("ZZX42", None, "ZZX42", id="unknown-icao-carrier"),
    ],
)
def test_designators_parse_to_both_forms(text: str, iata: str | None, icao: str | None) -> None:
    """Accepted spellings give the IATA and ICAO designators where the airline is known."""
    designator = FlightDesignator.parse(text)
    assert (designator.ident_iata, designator.ident_icao) == (iata, icao)
    assert designator.flight_id == (iata or icao)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("", id="empty"),
        pytest.param("   ", id="blank"),
        pytest.param("BA117" * 4, id="over-long"),
        pytest.param("BA\uff11\uff11\uff17", id="non-ascii-digits"),
        pytest.param("ÉA117", id="non-ascii-letter"),
        pytest.param("../x", id="path-traversal"),
        pytest.param("AA1?x=1", id="query-string"),
        pytest.param("AA1/2", id="slash"),
        pytest.param("AA12345", id="five-digit-number"),
        pytest.param("AA", id="no-number"),
        pytest.param("123", id="no-carrier"),
        pytest.param("AA0", id="flight-zero"),
        pytest.param("AA  12", id="two-spaces"),
        pytest.param("A1B2", id="not-a-designator"),
    ],
)
def test_malformed_designators_are_rejected_with_a_hint(text: str) -> None:
    """Rejections raise InvalidFlightQueryError that shows what a valid designator looks like."""
    with pytest.raises(InvalidFlightQueryError, match="BA117"):
        FlightDesignator.parse(text)


def test_non_text_designator_is_rejected() -> None:
    """A number instead of text is a clear error, not a crash."""
    with pytest.raises(InvalidFlightQueryError, match="must be text"):
        FlightDesignator.parse(117)  # type: ignore[arg-type]


@given(st.text(max_size=40))
def test_no_input_crashes_the_parser(text: str) -> None:
    """Any text either parses or raises InvalidFlightQueryError."""
    with contextlib.suppress(InvalidFlightQueryError):
        FlightDesignator.parse(text)


SAFE_IDENT = re.compile(r"^[A-Z0-9]{2,9}$")


@given(
    st.from_regex(r"\A *[A-Za-z0-9]{2,3} ?[0-9]{1,4}[A-Za-z]? *\Z", fullmatch=True)
    | st.text(alphabet=st.characters(codec="ascii"), max_size=14)
)
def test_accepted_designators_round_trip_and_are_path_safe(text: str) -> None:
    """What parses re-parses to the same designator, and its idents are bare [A-Z0-9]."""
    try:
        designator = FlightDesignator.parse(text)
    except InvalidFlightQueryError:
        return
    for ident in (designator.ident_iata, designator.ident_icao):
        if ident is not None:
            assert SAFE_IDENT.match(ident), ident
            assert FlightDesignator.parse(ident) == designator
    assert FlightDesignator.parse(designator.flight_id) == designator


@pytest.mark.parametrize(
    ("code", "expected"),
    [pytest.param("lhr", "LHR", id="iata-lower"), pytest.param("EGLL", "EGLL", id="icao")],
)
def test_airport_codes_are_checked_against_the_airport_table(code: str, expected: str) -> None:
    """Known IATA and ICAO codes are accepted in upper case."""
    assert validate_airport_code(code) == expected


@pytest.mark.parametrize("code", ["XQX", "LH", "../", "EGLL/x", ""])
def test_unknown_airport_codes_are_rejected(code: str) -> None:
    """Unknown or malformed airport codes raise with an example of a valid code."""
    with pytest.raises(InvalidFlightQueryError, match="'LHR'"):
        validate_airport_code(code)


def test_aware_datetime_is_read_in_the_origin_zone() -> None:
    """23:30 UTC on 28 Nov is already 29 Nov in Singapore and still 28 Nov in New York."""
    late = datetime(2026, 11, 28, 23, 30, tzinfo=UTC)
    assert departure_date_of(late, "SIN") == date(2026, 11, 29)
    assert departure_date_of(late, "JFK") == date(2026, 11, 28)
    assert departure_date_of(late) == date(2026, 11, 28)


def test_aware_datetime_without_origin_keeps_its_own_offset() -> None:
    """Without an origin the datetime's own offset decides the date."""
    tokyo = timezone(timedelta(hours=9))
    assert departure_date_of(datetime(2026, 11, 29, 1, 0, tzinfo=tokyo)) == date(2026, 11, 29)


def test_naive_datetime_is_rejected_with_advice() -> None:
    """A naive datetime is refused and the message says how to pass a date instead."""
    with pytest.raises(InvalidFlightQueryError, match="no time zone"):
        departure_date_of(datetime(2026, 11, 29, 9, 0))  # noqa: DTZ001 - naive on purpose


def test_non_date_is_rejected() -> None:
    """A string date is refused with an example of the expected type."""
    with pytest.raises(InvalidFlightQueryError, match="date"):
        departure_date_of("2026-11-29")  # type: ignore[arg-type]


def test_flight_query_combines_designator_date_and_origin() -> None:
    """FlightQuery.parse validates every part and describes itself."""
    query = FlightQuery.parse("ba 117", date(2026, 11, 29), origin="lhr")
    assert (query.flight_id, query.flight_date, query.origin) == (
        "BA117",
        date(2026, 11, 29),
        "LHR",
    )
    assert str(query) == "BA117 on 2026-11-29 from LHR"


@pytest.mark.parametrize(
    "item",
    [
        pytest.param(("BA117", date(2026, 11, 29)), id="pair"),
        pytest.param(("BA117", date(2026, 11, 29), "LHR"), id="triple"),
    ],
)
def test_tuples_are_accepted_as_queries(item: tuple[str, date] | tuple[str, date, str]) -> None:
    """(ident, date) and (ident, date, origin) tuples become FlightQuery objects."""
    assert as_query(item).flight_id == "BA117"


def test_other_objects_are_not_queries() -> None:
    """Anything else is a clear InvalidFlightQueryError."""
    with pytest.raises(InvalidFlightQueryError, match="tuple"):
        as_query(["BA117"])  # type: ignore[arg-type]
