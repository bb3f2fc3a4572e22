"""The AeroAPI spec's alert schemas, for tests that check requests, answers and callbacks."""

from __future__ import annotations

import copy
from functools import cache
from typing import Any

import yaml
from openapi_schema_validator import OAS30Validator

from tests.conftest import FIXTURES

SPEC = FIXTURES / "spec" / "aeroapi-openapi.yml"
JSON = "application/json; charset=UTF-8"

SERVER_FIELDS = frozenset({"id", "description", "created", "changed", "user_ident"})
"""Fields the spec's create and update bodies list as required although the server makes them
(they repeat the alert's own schema); a client cannot send them, so they are not asked for."""


@cache
def _spec() -> dict[str, Any]:
    spec: dict[str, Any] = yaml.load(SPEC.read_text("utf-8"), Loader=yaml.CSafeLoader)
    return spec


def _without_server_fields(schema: Any) -> Any:
    if isinstance(schema, dict):
        trimmed = {key: _without_server_fields(value) for key, value in schema.items()}
        if isinstance(trimmed.get("required"), list):
            trimmed["required"] = [
                name for name in trimmed["required"] if name not in SERVER_FIELDS
            ]
        return trimmed
    if isinstance(schema, list):
        return [_without_server_fields(item) for item in schema]
    return schema


def response_schema(path: str, method: str = "get", status: str = "200") -> dict[str, Any]:
    """The JSON schema of an answer."""
    schema: dict[str, Any] = _spec()["paths"][path][method]["responses"][status]["content"][JSON][
        "schema"
    ]
    return schema


def request_schema(path: str, method: str) -> dict[str, Any]:
    """The JSON schema of a request body, less the fields only the server makes."""
    schema = _spec()["paths"][path][method]["requestBody"]["content"][JSON]["schema"]
    trimmed: dict[str, Any] = _without_server_fields(copy.deepcopy(schema))
    return trimmed


def callback_schema() -> dict[str, Any]:
    """The body of the ``deliver_alert`` callback."""
    callbacks = _spec()["paths"]["/alerts/endpoint"]["put"]["callbacks"]
    schema: dict[str, Any] = callbacks["deliver_alert"]["registered endpoint"]["post"][
        "requestBody"
    ]["content"][JSON]["schema"]
    return schema


def problems(schema: dict[str, Any], document: Any) -> list[str]:
    """Where and why ``document`` breaks ``schema`` (empty when it fits)."""
    validator = OAS30Validator(schema, format_checker=OAS30Validator.FORMAT_CHECKER)
    return sorted(
        f"{list(error.absolute_path)}: {error.message}" for error in validator.iter_errors(document)
    )
