"""Settings: the one place configuration is read; every variable it reads is documented in
.env.example, which loads as is."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from pydantic import ValidationError

from flight_agent.providers.flightaware_provider import FlightAwareProvider
from flight_agent.settings import Settings
from graphs.desk.session import DeskSettings

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
    names = [*Settings.model_fields, *DeskSettings.model_fields]
    missing = [name.upper() for name in names if name.upper() not in documented]
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


def reads_the_environment(path: Path) -> bool:
    """Whether a source file reads environment variables itself (``os.environ``, ``getenv``)."""
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr in {"environ", "getenv"}:
            return True
        if (
            isinstance(node, ast.ImportFrom)
            and node.module == "os"
            and {alias.name for alias in node.names} & {"environ", "getenv"}
        ):
            return True
    return False


def test_no_module_of_the_toolkit_reads_the_environment_but_settings() -> None:
    """Providers, caches and services take configuration as arguments or from Settings."""
    readers = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "flight_agent").rglob("*.py"))
        if reads_the_environment(path)
    ]
    assert readers == []


@pytest.mark.parametrize(
    ("value", "historical"),
    [("1", True), ("true", True), ("yes", True), ("on", True), ("0", False), ("off", False)],
)
def test_booleans_are_spelled_as_pydantic_reads_them(
    monkeypatch: pytest.MonkeyPatch, value: str, historical: bool
) -> None:
    """One spelling for every boolean setting: 1/0, true/false, yes/no, on/off."""
    monkeypatch.setenv("AVIATIONSTACK_HISTORICAL", value)
    assert Settings().aviationstack_historical is historical


def test_an_unknown_boolean_is_refused_naming_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    """A value pydantic cannot read as a boolean is an error, not a silent False."""
    monkeypatch.setenv("AVIATIONSTACK_HISTORICAL", "enabled")
    with pytest.raises(ValidationError, match="aviationstack_historical"):
        Settings()


@pytest.mark.parametrize(
    ("value", "marketplace"),
    [(" ApiMarket ", "apimarket"), ("rapidapi", "rapidapi"), ("", "rapidapi")],
)
def test_the_marketplace_is_read_in_any_case_and_blank_is_the_default(
    monkeypatch: pytest.MonkeyPatch, value: str, marketplace: str
) -> None:
    """AERODATABOX_MARKETPLACE ignores case and blanks around it; blank means unset."""
    monkeypatch.setenv("AERODATABOX_MARKETPLACE", value)
    assert Settings().aerodatabox_marketplace == marketplace


def test_a_key_setting_is_read_by_name_blank_as_unset() -> None:
    """Settings.key gives a key's plain value by field name; a blank key is no key."""
    settings = Settings.model_validate({"flightaware_api_key": " k1 ", "aerodatabox_api_key": " "})
    assert settings.key("flightaware_api_key") == "k1"
    assert settings.key("aerodatabox_api_key") is None


def test_a_provider_built_without_a_key_reads_it_from_settings_dotenv_included(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """FlightAwareProvider() takes its key where the service does: the environment or .env."""
    monkeypatch.delenv("FLIGHTAWARE_API_KEY", raising=False)
    (tmp_path / ".env").write_text("FLIGHTAWARE_API_KEY=from-dotenv\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    assert FlightAwareProvider().require_key() == "from-dotenv"


def test_a_blank_value_means_unset_in_the_environment_and_in_dotenv(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``SEED=`` left blank (as .env.example has them) gives the default, never an error."""
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)
    (tmp_path / ".env").write_text("AERODATABOX_MARKETPLACE=\nFLIGHT_AGENT_MOCK_SEED=\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("AVIATIONSTACK_HISTORICAL", "")
    settings = Settings()
    assert settings.flight_agent_mock_seed == 0
    assert settings.aviationstack_historical is False
    assert settings.aerodatabox_marketplace == "rapidapi"


@pytest.mark.parametrize(
    "url",
    [
        "redis://127.0.0.1:6379/0",
        "redis://localhost",
        "rediss://:s3cret@cache.example.com:6380/2",
        "redis://:p@ss/word@cache:6379",  # a password with '@' and '/' left unescaped
        "unix:///run/redis.sock",
    ],
)
def test_a_redis_url_the_client_reads_is_accepted(url: str) -> None:
    """Every form redis-py connects with: TCP, TLS, a password, a Unix socket."""
    assert Settings(redis_url=url).redis_url == url


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("redis://:hunter2@cache:notaport/0", id="port-not-a-number"),
        pytest.param("redis://:hunter2@cache:70000", id="port-out-of-range"),
        pytest.param("redis://:hunter2", id="password-without-host"),
        pytest.param("http://cache:hunter2@example.com:6379", id="http-scheme"),
        pytest.param("cache.example.com:6379", id="no-scheme"),
    ],
)
def test_a_redis_url_the_client_cannot_read_is_refused_without_repeating_it(
    monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    """Refused when the settings are read, naming REDIS_URL and the forms it takes; neither
    the message nor the error's text repeats the URL or the password in it."""
    monkeypatch.setenv("REDIS_URL", url)
    with pytest.raises(ValidationError) as caught:
        Settings()
    text = str(caught.value)
    assert "redis_url" in text
    assert "not a Redis URL; use redis://" in text
    assert "hunter2" not in text
    assert "cache" not in text
