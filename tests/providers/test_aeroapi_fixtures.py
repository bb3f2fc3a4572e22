"""Every AeroAPI fixture matches FlightAware's official OpenAPI spec (v4.28)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_schema_validator import OAS30Validator

from tests.conftest import FIXTURES, load_fixture

SPEC = FIXTURES / "spec" / "aeroapi-openapi.yml"
JSON = "application/json; charset=UTF-8"

# Fixture file prefix -> (path, status) of the operation whose response it imitates.
OPERATIONS = {
    "flights_": ("/flights/{ident}", "200"),
    "schedules_": ("/schedules/{date_start}/{date_end}", "200"),
    "scheduled_departures_": ("/airports/{id}/flights/scheduled_departures", "200"),
    "account_usage": ("/account/usage", "200"),
    "error_": ("/flights/{ident}", "400"),
}


@cache
def _spec() -> dict[str, Any]:
    spec: dict[str, Any] = yaml.load(SPEC.read_text("utf-8"), Loader=yaml.CSafeLoader)
    return spec


def _schema_for(name: str) -> dict[str, Any]:
    for prefix, (path, status) in OPERATIONS.items():
        if name.startswith(prefix):
            schema: dict[str, Any] = _spec()["paths"][path]["get"]["responses"][status]["content"][
                JSON
            ]["schema"]
            return schema
    raise AssertionError(f"no operation is known for fixture {name}")


FIXTURE_FILES = sorted((FIXTURES / "aeroapi").glob("*.json"))


@pytest.mark.parametrize("path", [pytest.param(p, id=p.stem) for p in FIXTURE_FILES])
def test_fixture_matches_the_official_spec(path: Path) -> None:
    """The fixture validates against the response schema of the operation it imitates."""
    validator = OAS30Validator(_schema_for(path.name), format_checker=OAS30Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(load_fixture(f"aeroapi/{path.name}")), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])


def test_the_validator_rejects_a_fixture_that_breaks_the_spec() -> None:
    """A flight missing required keys or with a wrongly typed delay is caught."""
    body = load_fixture("aeroapi/flights_BAW117_delayed.json")
    del body["flights"][0]["fa_flight_id"]
    body["flights"][0]["departure_delay"] = "90 minutes"
    validator = OAS30Validator(
        _schema_for("flights_x"), format_checker=OAS30Validator.FORMAT_CHECKER
    )
    messages = [e.message for e in validator.iter_errors(body)]
    assert any("fa_flight_id" in m for m in messages)
    assert any("90 minutes" in m for m in messages)


def test_every_fixture_kind_is_covered() -> None:
    """Each operation the provider calls has at least one fixture."""
    assert {p.name.split("_")[0] for p in FIXTURE_FILES} >= {
        "flights",
        "schedules",
        "scheduled",
        "error",
    }
