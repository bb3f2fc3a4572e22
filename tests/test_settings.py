"""Settings: every variable the toolkit reads is documented in .env.example, which loads as is."""

from __future__ import annotations

from pathlib import Path

import pytest

from flight_agent.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / ".env.example"


def example_assignments() -> dict[str, int]:
    """Variable name to line index of every ``NAME=`` line (commented out or not)."""
    names = {}
    for index, line in enumerate(EXAMPLE.read_text("utf-8").splitlines()):
        text = line.removeprefix("# ").strip()
        name, sep, _ = text.partition("=")
        if sep and name.isupper() and " " not in name:
            names[name] = index
    return names


def test_every_setting_is_in_the_example_file() -> None:
    """A newcomer finds each setting the toolkit reads, under its environment name."""
    documented = example_assignments()
    missing = [name.upper() for name in Settings.model_fields if name.upper() not in documented]
    assert missing == []


def test_every_example_setting_has_a_comment_above_it() -> None:
    """Each variable is explained by the comment line right above its block."""
    lines = EXAMPLE.read_text("utf-8").splitlines()
    for name, index in example_assignments().items():
        above = lines[index - 1] if index else ""
        assert above.startswith("#"), f"{name} has no comment above it"


def test_the_example_file_copied_to_dotenv_gives_the_embedded_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Blank values mean unset: simulated data, memory cache, offline model, no token."""
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)
    (tmp_path / ".env").write_text(EXAMPLE.read_text("utf-8"), "utf-8")
    monkeypatch.chdir(tmp_path)
    settings = Settings()
    assert not settings.redis_url
    assert not settings.flight_agent_model
    assert Settings.secret(settings.flightaware_api_key) is None
    assert Settings.secret(settings.flight_agent_mcp_token) is None
    assert settings.aerodatabox_marketplace == "rapidapi"
    assert settings.aviationstack_historical is False
    assert settings.flight_agent_mock_seed == 0
