"""Shared test helpers: fixture files and a fake clock."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from flight_agent.clock import FakeClock

FIXTURES = Path(__file__).parent / "fixtures"


def load_fixture(relative: str) -> Any:
    """Parse a JSON file under ``tests/fixtures``."""
    return json.loads((FIXTURES / relative).read_text("utf-8"))


@pytest.fixture
def clock() -> FakeClock:
    """A fake clock at 2026-11-28 12:00 UTC, the day most fixtures fly."""
    return FakeClock(datetime(2026, 11, 28, 12, 0, tzinfo=UTC))
