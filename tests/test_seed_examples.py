"""The origin document's usage examples run verbatim against the public API."""

from __future__ import annotations

import ast
import re
from typing import Any

import pytest

from tests.conftest import FIXTURES

SEED = FIXTURES / "seed" / "flight-data-provider-integration.md"


def seed_example(heading: str) -> str:
    """The first python block under a '### heading' of the seed document, unchanged."""
    text = SEED.read_text("utf-8")
    section = text.split(f"### {heading}\n", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert match, f"no python block under {heading!r}"
    return match.group(1)


async def run_top_level_await(source: str, namespace: dict[str, Any]) -> None:
    """Run code that uses top-level ``await``, as the seed's examples do."""
    code = compile(source, "<seed>", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    result = eval(code, namespace)
    if result is not None:
        await result


async def test_basic_provider_usage_runs_verbatim(capsys: pytest.CaptureFixture[str]) -> None:
    """'Basic Provider Usage' prints the flight's id, status and disruption flag."""
    namespace: dict[str, Any] = {}
    await run_top_level_await(seed_example("Basic Provider Usage"), namespace)
    result = namespace["result"]
    assert result is not None
    assert result.flight_id == "AA123"
    printed = capsys.readouterr().out.splitlines()
    assert printed == [
        f"Flight AA123: {result.status}",
        f"Disrupted: {result.is_disrupted}",
    ]


async def test_failover_manager_usage_runs_verbatim(monkeypatch: pytest.MonkeyPatch) -> None:
    """'Failover Manager Usage': FlightAware without a key fails over to the mock backup."""
    monkeypatch.delenv("FLIGHTAWARE_API_KEY", raising=False)
    namespace: dict[str, Any] = {}
    await run_top_level_await(seed_example("Basic Provider Usage"), namespace)
    await run_top_level_await(seed_example("Failover Manager Usage"), namespace)
    result = namespace["result"]
    assert result is not None
    assert result.source == "Backup"
    assert [(a.provider, a.outcome) for a in result.attempts] == [
        ("FlightAware", "auth"),
        ("Backup", "success"),
    ]
    assert namespace["manager"].breaker("FlightAware").state == "open"
    await namespace["manager"].aclose()


async def test_enhanced_monitoring_service_and_health_monitoring_run_verbatim(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """'Enhanced Monitoring Service' answers from the simulated provider with no keys; 'Health
    Monitoring' reads the service's stats, probes providers and reads the manager's stats."""
    for variable in ("FLIGHTAWARE_API_KEY", "AERODATABOX_API_KEY", "AVIATIONSTACK_API_KEY"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.delenv("REDIS_URL", raising=False)
    namespace: dict[str, Any] = {}
    await run_top_level_await(seed_example("Basic Provider Usage"), namespace)
    await run_top_level_await(seed_example("Enhanced Monitoring Service"), namespace)
    result = namespace["result"]
    assert result is not None
    assert (result.flight_id, result.source) == ("AA123", "Simulated")
    service = namespace["service"]
    # The seed names the service's failover manager ``failover_manager``.
    namespace["failover_manager"] = service.failover_manager
    await run_top_level_await(seed_example("Health Monitoring"), namespace)
    assert namespace["stats"].upstream_calls_by_provider == {"Simulated": 1}
    assert namespace["health_report"]["Simulated"].healthy
    assert namespace["provider_stats"]["Simulated"].state == "closed"
    await service.aclose()


def test_provider_configuration_runs_verbatim() -> None:
    """'Provider Configuration' builds a config; its 600 s reset timeout raises the cap to 600."""
    namespace: dict[str, Any] = {}
    exec(  # the seed's own example code
        "from flight_agent.providers import FailoverConfig\n"
        + seed_example("Provider Configuration"),
        namespace,
    )
    config = namespace["config"]
    assert (config.circuit_breaker_timeout, config.breaker_config().max_open_duration) == (
        600,
        600,
    )
